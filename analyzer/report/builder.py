"""The report: the stable JSON contract of formats.md, plus what helps people.

Contract fields (read by evaluation): `conversation_id`, `languages`,
`risk_score`, `findings`, `pii`, `disclaimers`. Extras: the transcript with
per-turn language, role and sentence offsets (so renderers and reviewers need
nothing else), how each role was decided, counts, source and analyser
version. Everything is sorted, and nothing depends on the clock unless
timings are asked for, so the same input gives the same bytes.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from hashlib import sha1
from pathlib import Path
from typing import Any

from analyzer.annotators.language import conversation_languages
from analyzer.model import PII_TYPES, TURN_CATEGORIES, AnnotatedConversation
from analyzer.policy.risk import risk_score

REPORT_SCHEMA_VERSION = 1


def build_report(doc: AnnotatedConversation, *, profile: str = "default", components: list[str] | None = None,
                 include_timings: bool = False) -> dict[str, Any]:
    from analyzer import __version__

    conv = doc.conversation
    texts = [t.text for t in conv.turns]
    findings = sorted(doc.findings, key=lambda f: (f.turn, f.start, f.end, f.category, f.detector))
    pii = sorted(doc.pii, key=lambda s: (s.turn, s.start, s.end, s.type))
    report: dict[str, Any] = {
        "conversation_id": conv.id,
        "channel": conv.channel,
        "languages": conversation_languages(doc.languages, texts),
        "risk_score": risk_score(findings, doc.disclaimers),
        "findings": [_finding(doc, f) for f in findings],
        "pii": [_pii(doc, s) for s in pii],
        "disclaimers": [_disclaimer(d) for d in doc.disclaimers],
        "counts": _counts(findings, pii),
        "roles": [
            {"speaker": d.speaker, "role": d.role, "method": d.method, "confidence": d.confidence,
             "evidence": list(d.evidence)}
            for d in doc.role_decisions
        ],
        "turns": [_turn(doc, i) for i in range(len(conv.turns))],
        "metadata": conv.metadata,
        "source": {"path": conv.source, "format": conv.source_format},
        "analyzer": {"version": __version__, "report_schema": REPORT_SCHEMA_VERSION, "profile": profile,
                     "components": components or []},
    }
    if include_timings:
        report["timings"] = {k: round(v, 6) for k, v in doc.stage_seconds.items()}
    return report


def _finding(doc: AnnotatedConversation, finding: Any) -> dict[str, Any]:
    data = {
        "category": finding.category,
        "turn": finding.turn,
        "start": finding.start,
        "end": finding.end,
        "text": doc.turns[finding.turn].text[finding.start : finding.end],
        "role": doc.role_of(finding.turn),
        "confidence": round(finding.confidence, 4),
        "evidence": finding.evidence,
        "detector": finding.detector,
    }
    if finding.explanation:
        data["explanation"] = dict(finding.explanation)
    return data


def _pii(doc: AnnotatedConversation, span: Any) -> dict[str, Any]:
    return {
        "turn": span.turn,
        "start": span.start,
        "end": span.end,
        "type": span.type,
        "text": doc.turns[span.turn].text[span.start : span.end],
        "confidence": round(span.confidence, 4),
        "detector": span.detector,
        "evidence": span.evidence,
    }


def _disclaimer(d: Any) -> dict[str, Any]:
    return {
        "id": d.id,
        "required": d.required,
        "present": d.present,
        "trigger_turn": d.trigger_turn,
        "turn": d.turn,
        "late": d.late,
        "trigger_evidence": d.trigger_evidence,
        "evidence": d.evidence,
    }


def _turn(doc: AnnotatedConversation, index: int) -> dict[str, Any]:
    turn = doc.turns[index]
    sentences = doc.sentences[index] if index < len(doc.sentences) else []
    return {
        "speaker": turn.speaker,
        "role": doc.role_of(index),
        "language": doc.languages[index] if index < len(doc.languages) else None,
        "start": turn.start,
        "end": turn.end,
        "text": turn.text,
        "sentences": [[s.start, s.end] for s in sentences],
    }


def _counts(findings: list[Any], pii: list[Any]) -> dict[str, Any]:
    turns_by_category = Counter(cat for _, cat in {(f.turn, f.category) for f in findings})
    pii_by_type = Counter(s.type for s in pii)
    return {
        "findings": {c: turns_by_category.get(c, 0) for c in TURN_CATEGORIES},
        "pii": {t: pii_by_type.get(t, 0) for t in PII_TYPES},
    }


def dumps_report(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def report_filename(conversation_id: str) -> str:
    """A file-system-safe, collision-free name for a conversation's report."""
    safe = _UNSAFE.sub("_", conversation_id).strip("._")[:100] or "conversation"
    if safe != conversation_id:
        safe += "-" + sha1(conversation_id.encode("utf-8")).hexdigest()[:8]
    return safe + ".json"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: Path, text: str) -> None:
    """Write via a temp file and rename, so a crash never leaves half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; reports are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
