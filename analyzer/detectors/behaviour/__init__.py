"""Behaviours (flattery, pressure, rebate requests and offers) learned from the project's own data."""

from analyzer.detectors.behaviour import detector

__all__ = ["detector"]
