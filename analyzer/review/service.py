"""What the web app does, without the web: the queue query, decisions, added findings, masking.

Kept apart from the Flask views so the CLI, the tests and the bench use the same code paths.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import Select, and_, func, or_, select, true
from sqlalchemy.orm import Session

from analyzer.model import LANGUAGES, TURN_CATEGORIES
from analyzer.review.db import STATUSES, AuditEvent, Conversation, Decision, Finding, PiiSpan, Turn, User
from analyzer.review.importer import finding_risk

PAGE_SIZE = 25
SORTS = ("risk", "confidence", "recent")
CHANGES = ("", "new", "removed", "all")
STATUS_OF = {"accept": "accepted", "reject": "rejected", "change": "changed", "add": "accepted"}


class ReviewError(ValueError):
    """A request that cannot be carried out (bad category, unknown finding...)."""


@dataclass
class QueueFilter:
    """The queue's filters, parsed leniently from query arguments (bad values are ignored, not errors)."""

    category: str = ""
    language: str = ""
    agent: str = ""
    date_from: date | None = None
    date_to: date | None = None
    conf_min: float | None = None
    conf_max: float | None = None
    status: str = "pending"
    change: str = ""
    sort: str = "risk"
    page: int = 0

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> QueueFilter:
        return cls(
            category=_choice(args.get("category"), TURN_CATEGORIES),
            language=_choice(args.get("language"), LANGUAGES),
            agent=(args.get("agent") or "").strip()[:128],
            date_from=_date(args.get("date_from")),
            date_to=_date(args.get("date_to")),
            conf_min=_float(args.get("conf_min")),
            conf_max=_float(args.get("conf_max")),
            status=_choice(args.get("status", "pending"), (*STATUSES, "any")) or "pending",
            change=_choice(args.get("change"), CHANGES),
            sort=_choice(args.get("sort"), SORTS) or "risk",
            page=max(0, int(_float(args.get("page")) or 0)),
        )

    def query_args(self, **overrides: Any) -> dict[str, str]:
        values = {"category": self.category, "language": self.language, "agent": self.agent,
                  "date_from": self.date_from.isoformat() if self.date_from else "",
                  "date_to": self.date_to.isoformat() if self.date_to else "",
                  "conf_min": "" if self.conf_min is None else str(self.conf_min),
                  "conf_max": "" if self.conf_max is None else str(self.conf_max),
                  "status": self.status, "change": self.change, "sort": self.sort, "page": str(self.page)}
        values.update({k: str(v) for k, v in overrides.items()})
        return {k: v for k, v in values.items() if v not in ("", "0") or k == "status"}

    def apply(self, query: Select) -> Select:
        conditions = []
        if self.category:
            conditions.append(Finding.category == self.category)
        if self.language:
            conditions.append(Finding.language == self.language)
        if self.agent:
            conditions.append(Finding.agent_id == self.agent)
        if self.date_from:
            conditions.append(Finding.recorded_at >= datetime.combine(self.date_from, time.min, UTC))
        if self.date_to:
            conditions.append(Finding.recorded_at < datetime.combine(self.date_to + timedelta(days=1), time.min, UTC))
        if self.conf_min is not None:
            conditions.append(Finding.confidence >= self.conf_min)
        if self.conf_max is not None:
            conditions.append(Finding.confidence <= self.conf_max)
        if self.status != "any":
            conditions.append(Finding.status == self.status)
        conditions.append(_change_condition(self.change))
        return query.where(and_(*conditions))

    def order(self, query: Select) -> Select:
        if self.sort == "confidence":
            return query.order_by(Finding.confidence.desc(), Finding.id.desc())
        if self.sort == "recent":
            return query.order_by(Finding.recorded_at.desc(), Finding.id.desc())
        return query.order_by(Finding.risk.desc(), Finding.confidence.desc(), Finding.id.desc())


def _change_condition(change: str) -> Any:
    if change == "new":
        return Finding.change == "new"
    if change == "removed":
        return Finding.change == "removed"
    if change == "all":
        return Finding.id.is_not(None)
    return Finding.current == true()


def _choice(value: str | None, options: Sequence[str]) -> str:
    return value if value in options else ""


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


@dataclass
class QueueItem:
    finding: Finding
    conversation_id: str
    turns: list[Turn] = field(default_factory=list)
    pii: list[PiiSpan] = field(default_factory=list)
    decisions: list[tuple[Decision, str]] = field(default_factory=list)


@dataclass
class QueuePage:
    items: list[QueueItem]
    total: int
    filters: QueueFilter
    has_next: bool


def queue_page(session: Session, filters: QueueFilter, context: int = 1) -> QueuePage:
    """One page of findings with their surrounding turns, PII spans and decision history."""
    base = filters.apply(select(Finding))
    total = session.scalar(filters.apply(select(func.count(Finding.id)))) or 0
    rows = list(session.scalars(filters.order(base).offset(filters.page * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    findings = rows[:PAGE_SIZE]
    items = _with_context(session, findings, context)
    return QueuePage(items=items, total=total, filters=filters, has_next=len(rows) > PAGE_SIZE)


def _with_context(session: Session, findings: list[Finding], context: int) -> list[QueueItem]:
    if not findings:
        return []
    conv_ids = dict(session.execute(select(Conversation.id, Conversation.conversation_id)
                                    .where(Conversation.id.in_({f.conversation_pk for f in findings}))).all())
    windows = [and_(Turn.report_id == f.report_id, Turn.idx.between(f.turn - context, f.turn + context))
               for f in findings]
    turns = list(session.scalars(select(Turn).where(or_(*windows)).order_by(Turn.idx)))
    report_ids = {f.report_id for f in findings}
    pii = list(session.scalars(select(PiiSpan).where(PiiSpan.report_id.in_(report_ids))))
    history = decision_history(session, [f.id for f in findings])
    items = []
    for f in findings:
        window = [t for t in turns if t.report_id == f.report_id and abs(t.idx - f.turn) <= context]
        spans = [s for s in pii if s.report_id == f.report_id and f.turn - context <= s.turn <= f.turn + context]
        items.append(QueueItem(f, conv_ids[f.conversation_pk], window, spans, history.get(f.id, [])))
    return items


def decision_history(session: Session, finding_ids: Sequence[int]) -> dict[int, list[tuple[Decision, str]]]:
    history: dict[int, list[tuple[Decision, str]]] = {}
    if not finding_ids:
        return history
    query = (select(Decision, User.name).join(User, User.id == Decision.user_id)
             .where(Decision.finding_id.in_(finding_ids)).order_by(Decision.id))
    for decision, name in session.execute(query):
        history.setdefault(decision.finding_id, []).append((decision, name))
    return history


def decide(session: Session, finding_id: int, user: User, action: str, category: str | None = None,
           comment: str | None = None) -> Finding:
    """Record a decision (append-only) and update the finding's current status."""
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise ReviewError("unknown finding")
    if action not in ("accept", "reject", "change"):
        raise ReviewError("action must be accept, reject or change")
    if action == "change" and (category not in TURN_CATEGORIES or category == finding.category):
        raise ReviewError("change needs another category of the taxonomy")
    final = {"accept": finding.category, "change": category, "reject": None}[action]
    session.add(Decision(finding_id=finding.id, user_id=user.id, action=action,
                         category=category if action == "change" else None, comment=_comment(comment)))
    finding.status, finding.final_category = STATUS_OF[action], final
    finding.decisions_count += 1
    return finding


def add_missed(session: Session, conversation_pk: int, turn_index: int, category: str, user: User,
               text: str = "", comment: str | None = None) -> Finding:
    """A finding the analyser missed: the span is `text` inside the turn (the whole turn when empty)."""
    conversation = session.get(Conversation, conversation_pk)
    if conversation is None or conversation.current_report_id is None:
        raise ReviewError("unknown conversation")
    if category not in TURN_CATEGORIES:
        raise ReviewError("unknown category")
    turn = session.scalar(select(Turn).where(Turn.report_id == conversation.current_report_id,
                                             Turn.idx == turn_index))
    if turn is None:
        raise ReviewError("unknown turn")
    start, end = _span(turn.text, text)
    finding = Finding(conversation_pk=conversation.id, report_id=conversation.current_report_id,
                      category=category, turn=turn.idx, start=start, end=end, text=turn.text[start:end],
                      role=turn.role, language=turn.language, confidence=1.0, evidence="added by a reviewer",
                      detector=None, source="reviewer", change=None, current=True, status="accepted",
                      final_category=category, decisions_count=1, risk=finding_risk(category, 1.0),
                      agent_id=conversation.agent_id, recorded_at=conversation.recorded_at)
    session.add(finding)
    session.flush()
    session.add(Decision(finding_id=finding.id, user_id=user.id, action="add", category=category,
                         comment=_comment(comment)))
    return finding


def _span(turn_text: str, text: str) -> tuple[int, int]:
    text = (text or "").strip()
    if not text:
        return 0, len(turn_text)
    start = turn_text.find(text)
    if start < 0:
        raise ReviewError("the selected text is not in that turn")
    return start, start + len(text)


def _comment(comment: str | None) -> str | None:
    comment = (comment or "").strip()
    return comment[:2000] or None


def audit(session: Session, user: User | None, action: str, target: str | None = None,
          detail: str | None = None) -> None:
    """An audit event; callers pass ids and counts, never transcript text or personal data."""
    session.add(AuditEvent(user_id=user.id if user else None, action=action, target=target, detail=detail))


def conversation_view(session: Session, conversation_pk: int) -> dict[str, Any] | None:
    """Everything the conversation page shows: the current report's transcript, findings, PII, disclaimers."""
    conversation = session.get(Conversation, conversation_pk)
    if conversation is None or conversation.current_report_id is None:
        return None
    from analyzer.review.db import Report

    report = session.get(Report, conversation.current_report_id)
    data = json.loads(report.data) if report else {}
    turns = list(session.scalars(select(Turn).where(Turn.report_id == conversation.current_report_id)
                                 .order_by(Turn.idx)))
    pii = list(session.scalars(select(PiiSpan).where(PiiSpan.report_id == conversation.current_report_id)))
    findings = list(session.scalars(select(Finding).where(Finding.conversation_pk == conversation.id)
                                    .order_by(Finding.turn, Finding.start, Finding.id)))
    return {"conversation": conversation, "report": report, "turns": turns, "pii": pii, "findings": findings,
            "disclaimers": data.get("disclaimers") or [], "decision_map": decision_history(
                session, [f.id for f in findings])}


def pii_values(turns: Sequence[Turn], spans: Sequence[PiiSpan]) -> list[tuple[str, str]]:
    """The PII values said in these turns, longest first, for masking free text such as evidence strings."""
    texts = {(t.report_id, t.idx): t.text for t in turns}
    values = {(texts[(s.report_id, s.turn)][s.start:s.end], s.type) for s in spans if (s.report_id, s.turn) in texts}
    return sorted((v for v in values if v[0].strip()), key=lambda v: -len(v[0]))


def mask_text(text: str, values: Sequence[tuple[str, str]]) -> str:
    """Replace every known PII value occurring in free text with its type."""
    for value, kind in values:
        text = text.replace(value, f"[{kind}]")
    return text


def render_turn(text: str, marks: Sequence[tuple[int, int, str]], pii: Sequence[PiiSpan], show_pii: bool) -> Markup:
    """Turn text as HTML: findings wrapped in <mark>, PII masked as [TYPE] (or underlined when allowed).

    Works on boundaries so overlapping findings and PII spans nest correctly and offsets stay the original ones.
    """
    cuts = {0, len(text)}
    for start, end, _ in marks:
        cuts.update((max(0, start), min(len(text), end)))
    for span in pii:
        cuts.update((max(0, span.start), min(len(text), span.end)))
    points = sorted(cuts)
    out: list[str] = []
    for left, right in itertools.pairwise(points):
        out.append(_piece(text, left, right, marks, pii, show_pii))
    return Markup("".join(out))


def _piece(text: str, left: int, right: int, marks: Sequence[tuple[int, int, str]], pii: Sequence[PiiSpan],
           show_pii: bool) -> str:
    span = next((s for s in pii if s.start <= left and right <= s.end), None)
    if span is not None and not show_pii:
        body = f'<span class="pii masked" title="{escape(span.type)}">[{escape(span.type)}]</span>' \
            if left == span.start else ""
    elif span is not None:
        body = f'<span class="pii" title="{escape(span.type)}">{escape(text[left:right])}</span>'
    else:
        body = str(escape(text[left:right]))
    classes = " ".join(sorted({c for s, e, c in marks if s <= left and right <= e}))
    return f'<mark class="{classes}">{body}</mark>' if classes and body else body
