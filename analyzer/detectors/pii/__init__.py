"""Personal data: one recognizer module per entity family, run by the `pii` detector."""

from analyzer.detectors.pii import detector

__all__ = ["detector"]
