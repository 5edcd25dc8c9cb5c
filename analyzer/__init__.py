"""analyzer: a multilingual ethics and personal-data analyser for conversation transcripts.

The flow is one way: read → Conversation → annotate (languages, sentences,
roles, PII, behaviours) → policy (disclaimers, risk score) → Report → render.

>>> from analyzer import analyze
>>> report = analyze({"id": "c1", "turns": [{"speaker": "A", "text": "Hello"}]})
>>> report["conversation_id"]
'c1'
"""

from __future__ import annotations

__version__ = "0.1.0"

from analyzer.api import analyze, load_pipeline, read_conversations


def __getattr__(name: str):  # lazy: pandas is only imported when tables are asked for
    if name in ("load_reports", "load_findings"):
        from analyzer import tables

        return getattr(tables, name)
    raise AttributeError(f"module 'analyzer' has no attribute {name!r}")


__all__ = ["__version__", "analyze", "load_findings", "load_pipeline", "load_reports", "read_conversations"]
