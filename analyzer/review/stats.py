"""Numbers for leads: agreement between reviewers and reviewer-measured precision of the detectors.

Agreement: for each model finding reviewed by two or more people, each reviewer's latest decision is a
binary label (accepted as its category, or not: rejected or re-categorised). Per category and per pair of
reviewers we report raw agreement and Cohen's kappa, which discounts the agreement expected by chance.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analyzer.review.db import Decision, Finding, User


@dataclass
class Agreement:
    category: str
    pair: str
    n: int
    percent: float
    kappa: float | None


def cohen_kappa(pairs: list[tuple[int, int]]) -> float | None:
    """Cohen's kappa for two raters' binary labels; None when chance agreement is total (undefined)."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    p_a = sum(a for a, _ in pairs) / n
    p_b = sum(b for _, b in pairs) / n
    expected = p_a * p_b + (1 - p_a) * (1 - p_b)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1 - expected)


def _latest_labels(session: Session) -> dict[int, tuple[str, dict[str, int]]]:
    """finding id -> (category, {reviewer name: 1 accepted / 0 not}), latest decision per reviewer."""
    query = (select(Decision.finding_id, User.name, Decision.action, Finding.category)
             .join(User, User.id == Decision.user_id).join(Finding, Finding.id == Decision.finding_id)
             .where(Finding.source == "model", Decision.action.in_(("accept", "reject", "change")))
             .order_by(Decision.id))
    labels: dict[int, tuple[str, dict[str, int]]] = {}
    for finding_id, name, action, category in session.execute(query):
        labels.setdefault(finding_id, (category, {}))[1][name] = int(action == "accept")
    return labels


def agreement(session: Session) -> list[Agreement]:
    """Per category: one row per reviewer pair plus an 'all pairs' row pooling them."""
    by_pair: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for category, votes in _latest_labels(session).values():
        for first, second in combinations(sorted(votes), 2):
            by_pair[(category, f"{first} / {second}")].append((votes[first], votes[second]))
    rows: list[Agreement] = []
    for category in sorted({c for c, _ in by_pair}):
        pooled: list[tuple[int, int]] = []
        for (cat, pair), pairs in sorted(by_pair.items()):
            if cat == category:
                rows.append(_row(category, pair, pairs))
                pooled += pairs
        rows.append(_row(category, "all pairs", pooled))
    return rows


def _row(category: str, pair: str, pairs: list[tuple[int, int]]) -> Agreement:
    percent = 100.0 * sum(a == b for a, b in pairs) / len(pairs)
    return Agreement(category, pair, len(pairs), percent, cohen_kappa(pairs))


@dataclass
class Precision:
    key: str
    accepted: int
    rejected: int
    changed: int
    added: int

    @property
    def reviewed(self) -> int:
        return self.accepted + self.rejected + self.changed

    @property
    def precision(self) -> float | None:
        return self.accepted / self.reviewed if self.reviewed else None


def precision_table(session: Session, by: str) -> list[Precision]:
    """Reviewer-measured precision of model findings, grouped by 'category', 'language' or 'both'.

    A finding counts as correct when its latest decision accepted it; re-categorised counts as wrong for the
    category the model gave. `added` counts missed findings reviewers added (a hint at recall).
    """
    columns = {"category": [Finding.category], "language": [Finding.language],
               "both": [Finding.category, Finding.language]}[by]
    query = select(*columns, Finding.source, Finding.status, func.count(Finding.id)).where(
        Finding.status != "pending").group_by(*columns, Finding.source, Finding.status)
    table: dict[str, Precision] = {}
    for row in session.execute(query):
        *keys, source, status, count = row
        key = " / ".join(str(k or "?") for k in keys)
        entry = table.setdefault(key, Precision(key, 0, 0, 0, 0))
        if source == "reviewer":
            entry.added += count
        elif status in ("accepted", "rejected", "changed"):
            setattr(entry, status, getattr(entry, status) + count)
    return [table[k] for k in sorted(table)]
