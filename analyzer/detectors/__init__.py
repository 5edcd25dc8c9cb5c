"""Detectors: components that return findings or PII spans (PII, disclosure, behaviours)."""

from analyzer.detectors import behaviour, pii, pii_disclosure

__all__ = ["behaviour", "pii", "pii_disclosure"]
