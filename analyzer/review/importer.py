"""Import report JSON files (with their transcripts) into the review database.

Idempotent by content hash: the same report imported twice is skipped. A newer analysis of a conversation
becomes its current version; findings are matched to the earlier ones by (turn, category) and the same
offsets or the same text, so reviewers' decisions carry over, and what the new analysis added or dropped is
flagged (`change` = "new" / "removed") for the UI.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from analyzer.review.db import AuditEvent, Conversation, Finding, PiiSpan, Report, Turn, refresh_statistics

VOLATILE_KEYS = ("timings",)


@dataclass
class ImportResult:
    imported: int = 0
    skipped: int = 0
    updated: int = 0
    new_findings: int = 0
    removed_findings: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"imported {self.imported} report(s) ({self.updated} newer analyses), skipped {self.skipped} "
                f"unchanged; findings new {self.new_findings}, removed {self.removed_findings}")


def content_hash(report: dict[str, Any]) -> str:
    """Hash of the report without run-dependent fields, so re-scoring unchanged input is not a new version."""
    stable = {k: v for k, v in report.items() if k not in VOLATILE_KEYS}
    return hashlib.sha256(json.dumps(stable, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def finding_risk(category: str, confidence: float) -> int:
    """What this finding alone adds to a risk score (same weights and squashing as the conversation score)."""
    from analyzer.policy.risk import load_weights

    weights = load_weights()
    total = float(weights["category"].get(category, 0.0)) * float(confidence)
    return round(100 * (1 - math.exp(-total / float(weights["scale"]))))


def parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def import_folder(factory: sessionmaker, folder: Path, user_id: int | None = None) -> ImportResult:
    from analyzer.tables import iter_reports

    return import_reports(factory, iter_reports(folder), user_id)


def import_reports(factory: sessionmaker, reports: Iterable[tuple[Path | None, dict[str, Any]]],
                   user_id: int | None = None) -> ImportResult:
    result = ImportResult()
    for path, report in reports:
        with factory.begin() as session:
            _import_one(session, path, report, result)
    with factory.begin() as session:
        session.add(AuditEvent(user_id=user_id, action="import", target=None,
                               detail=f"imported={result.imported} skipped={result.skipped} "
                                      f"updated={result.updated}"))
    if result.imported:
        refresh_statistics(factory.kw["bind"])
    return result


def _import_one(session: Session, path: Path | None, report: dict[str, Any], result: ImportResult) -> None:
    digest = content_hash(report)
    if session.scalar(select(Report.id).where(Report.content_hash == digest)) is not None:
        result.skipped += 1
        return
    conversation = _conversation(session, report)
    version = 1 + (session.scalar(select(func.count(Report.id)).where(Report.conversation_pk == conversation.id))
                   or 0)
    stored = Report(conversation_pk=conversation.id, content_hash=digest, version=version,
                    source_path=str(path) if path else None, data=json.dumps(report, ensure_ascii=False))
    session.add(stored)
    session.flush()
    _store_transcript(session, stored.id, report)
    conversation.current_report_id = stored.id
    new, removed = _reconcile(session, conversation, stored.id, report, first=version == 1)
    result.imported += 1
    result.updated += version > 1
    result.new_findings += new
    result.removed_findings += removed


def _conversation(session: Session, report: dict[str, Any]) -> Conversation:
    conv_id = str(report["conversation_id"])
    conversation = session.scalar(select(Conversation).where(Conversation.conversation_id == conv_id))
    if conversation is None:
        conversation = Conversation(conversation_id=conv_id)
        session.add(conversation)
    metadata = report.get("metadata") or {}
    conversation.channel = report.get("channel")
    conversation.languages = ",".join(report.get("languages") or [])
    conversation.agent_id = str(metadata["agent_id"]) if metadata.get("agent_id") is not None else None
    conversation.recorded_at = parse_time(metadata.get("recorded_at"))
    conversation.risk_score = int(report.get("risk_score") or 0)
    session.flush()
    return conversation


def _store_transcript(session: Session, report_id: int, report: dict[str, Any]) -> None:
    for index, turn in enumerate(report.get("turns") or []):
        session.add(Turn(report_id=report_id, idx=index, speaker=turn.get("speaker"), role=turn.get("role"),
                         language=turn.get("language"), start=turn.get("start"), end=turn.get("end"),
                         text=turn.get("text") or "", sentences=json.dumps(turn.get("sentences") or [])))
    for span in report.get("pii") or []:
        session.add(PiiSpan(report_id=report_id, turn=int(span["turn"]), start=int(span["start"]),
                            end=int(span["end"]), type=str(span["type"])))


def _reconcile(session: Session, conversation: Conversation, report_id: int, report: dict[str, Any],
               first: bool) -> tuple[int, int]:
    """Match the new findings to the stored ones; returns (new, removed) counts."""
    stored = list(session.scalars(select(Finding).where(Finding.conversation_pk == conversation.id,
                                                        Finding.source == "model")))
    by_offsets = {(f.turn, f.category, f.start, f.end): f for f in stored}
    by_text = {(f.turn, f.category, f.text): f for f in stored}
    turns = report.get("turns") or []
    seen: set[int] = set()
    new = 0
    for data in report.get("findings") or []:
        finding = _match(by_offsets, by_text, data, seen)
        if finding is None:
            finding = Finding(conversation_pk=conversation.id, source="model", status="pending",
                              decisions_count=0)
            session.add(finding)
            finding.change = None if first else "new"
            new += not first
        elif not finding.current:
            finding.change = "new"
            new += 1
        else:
            finding.change = None
        _fill(finding, data, turns, report_id)
        session.flush()
        seen.add(finding.id)
    removed = 0
    for finding in stored:
        if finding.id not in seen and finding.current:
            finding.current, finding.change = False, "removed"
            removed += 1
    _copy_conversation_fields(session, conversation)
    return new, removed


def _match(by_offsets: dict, by_text: dict, data: dict[str, Any], seen: set[int]) -> Finding | None:
    key = (int(data["turn"]), data["category"])
    for candidate in (by_offsets.get((*key, int(data["start"]), int(data["end"]))),
                      by_text.get((*key, data.get("text") or ""))):
        if candidate is not None and candidate.id not in seen:
            return candidate
    return None


def _fill(finding: Finding, data: dict[str, Any], turns: list[dict[str, Any]], report_id: int) -> None:
    turn_index = int(data["turn"])
    turn = turns[turn_index] if turn_index < len(turns) else {}
    start, end = int(data["start"]), int(data["end"])
    finding.report_id = report_id
    finding.category = str(data["category"])
    finding.turn, finding.start, finding.end = turn_index, start, end
    finding.text = data.get("text") or (turn.get("text") or "")[start:end]
    finding.role = data.get("role") or turn.get("role")
    finding.language = turn.get("language")
    finding.confidence = float(data.get("confidence") if data.get("confidence") is not None else 1.0)
    finding.evidence = str(data.get("evidence") or "")
    finding.detector = data.get("detector")
    finding.current = True
    finding.risk = finding_risk(finding.category, finding.confidence)


def _copy_conversation_fields(session: Session, conversation: Conversation) -> None:
    for finding in session.scalars(select(Finding).where(Finding.conversation_pk == conversation.id)):
        finding.agent_id = conversation.agent_id
        finding.recorded_at = conversation.recorded_at
