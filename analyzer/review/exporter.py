"""Reviewer decisions as a gold set (formats.md, "Gold sets"), to measure and retrain the detectors.

One conversation per line, from its current report's transcript. `turns[].labels` are the categories a
reviewer confirmed (accepted, re-categorised to, or added); rejected and unreviewed findings are absent.
Each turn also carries `review`: every decision on that turn's findings, for traceability. `pii` is the
analyser's spans (reviewers do not review PII), and disclaimers come from the report.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from analyzer.review.db import Conversation, Decision, Finding, PiiSpan, Report, Turn, User


def export_lines(session: Session, include_unreviewed: bool = False) -> Iterator[dict[str, Any]]:
    """Gold dicts for every conversation with at least one decision (or every one, when asked)."""
    reviewed = set(session.scalars(select(Finding.conversation_pk).join(Decision, Decision.finding_id == Finding.id)))
    query = select(Conversation).where(Conversation.current_report_id.is_not(None)).order_by(
        Conversation.conversation_id)
    for conversation in session.scalars(query):
        if include_unreviewed or conversation.id in reviewed:
            yield gold_conversation(session, conversation)


def write_jsonl(session: Session, handle: IO[str], include_unreviewed: bool = False) -> int:
    count = 0
    for line in export_lines(session, include_unreviewed):
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        count += 1
    return count


def gold_conversation(session: Session, conversation: Conversation) -> dict[str, Any]:
    report = session.get(Report, conversation.current_report_id)
    data = json.loads(report.data) if report else {}
    turns = list(session.scalars(select(Turn).where(Turn.report_id == conversation.current_report_id)
                                 .order_by(Turn.idx)))
    pii = list(session.scalars(select(PiiSpan).where(PiiSpan.report_id == conversation.current_report_id)
                               .order_by(PiiSpan.turn, PiiSpan.start)))
    findings = list(session.scalars(select(Finding).where(Finding.conversation_pk == conversation.id)))
    reviews = _reviews(session, [f.id for f in findings])
    line: dict[str, Any] = {"id": conversation.conversation_id}
    if conversation.channel:
        line["channel"] = conversation.channel
    languages = [x for x in conversation.languages.split(",") if x]
    if languages:
        line["language"] = languages[0]
    if data.get("metadata"):
        line["metadata"] = data["metadata"]
    line["turns"] = [_turn(turn, findings, pii, reviews) for turn in turns]
    line["disclaimers"] = _disclaimers(data.get("disclaimers") or [])
    return line


def _turn(turn: Turn, findings: list[Finding], pii: list[PiiSpan], reviews: dict[int, list[dict[str, Any]]]
          ) -> dict[str, Any]:
    here = [f for f in findings if f.turn == turn.idx]
    labels = sorted({f.final_category for f in here if f.status in ("accepted", "changed") and f.final_category})
    out: dict[str, Any] = {"speaker": turn.speaker, "role": turn.role}
    if turn.start is not None:
        out["start"] = turn.start
    if turn.end is not None:
        out["end"] = turn.end
    out["text"] = turn.text
    out["labels"] = labels
    out["pii"] = [{"start": s.start, "end": s.end, "type": s.type} for s in pii if s.turn == turn.idx]
    out["review"] = [entry for f in sorted(here, key=lambda f: (f.start, f.id)) for entry in reviews.get(f.id, [])]
    return out


def _reviews(session: Session, finding_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    if not finding_ids:
        return out
    query = (select(Decision, User.name, Finding).join(User, User.id == Decision.user_id)
             .join(Finding, Finding.id == Decision.finding_id).where(Decision.finding_id.in_(finding_ids))
             .order_by(Decision.id))
    for decision, name, finding in session.execute(query):
        out.setdefault(finding.id, []).append({
            "finding": finding.id, "category": finding.category, "start": finding.start, "end": finding.end,
            "source": finding.source, "decision": decision.action, "new_category": decision.category,
            "reviewer": name, "at": decision.created_at.isoformat() if decision.created_at else None,
            "comment": decision.comment,
        })
    return out


def _disclaimers(entries: list[dict[str, Any]]) -> dict[str, list[str]]:
    required = sorted(d["id"] for d in entries if d.get("required"))
    present = sorted(d["id"] for d in entries if d.get("present"))
    missing = sorted(d["id"] for d in entries if d.get("required") and not d.get("present"))
    return {"required": required, "present": present, "missing": missing}
