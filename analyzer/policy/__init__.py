"""Policy stage: disclaimers required and said, and the risk score."""

from analyzer.policy import disclaimers

__all__ = ["disclaimers"]
