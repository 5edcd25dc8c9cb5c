"""Detectors: components that return findings or PII spans (PII, behaviours)."""

from analyzer.detectors import pii

__all__ = ["pii"]
