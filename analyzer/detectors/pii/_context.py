"""Context words around a number: what the speaker says the number is.

A digit string is a phone, an account or an ID mostly because someone names
it ("số tài khoản", "телефон", "身份证", "card number"), in the same turn or
in the question of the previous turn. The nearest strong context word before
a span (and after the previous number, so one word does not label two
numbers) decides; weaker words ("số", "bank") only add a little.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from analyzer.detectors.pii._lexicon import fold, merged_list
from analyzer.detectors.pii.base import TurnContext

CATEGORIES = ("phone", "number", "email", "card", "card_partial", "bank_account", "bank_name", "id",
              "birth", "not_birth", "not_pii")
WEAK = frozenset({"number", "bank_name", "not_birth"})
BEFORE = 48
AFTER = 24
_LETTER = r"A-Za-z\u00c0-\u024f\u0300-\u036f\u0400-\u04ff\u1e00-\u1eff"


@dataclass(frozen=True)
class ContextInfo:
    near: str | None  # strong category named right before the span
    after: str | None  # strong category named just after it ("0912 345 678 là số của em")
    near_weak: frozenset[str]  # weak categories within the window
    turn: frozenset[str]  # every category named in this turn
    prev: frozenset[str]  # every category named in the previous turn

    def names(self, category: str) -> bool:
        """Labelled `category` nearby or, with no nearer label, elsewhere in the turn or the question before."""
        if self.near is not None:
            return self.near == category
        if self.after is not None:
            return self.after == category
        return category in self.turn or category in self.prev

    def other(self, category: str) -> bool:
        """A different, strong label sits right before the span: it names something else.

        A label after the span is not enough: it usually introduces the next item ("0936 205 884, email ...").
        """
        return self.near is not None and self.near not in (category, "email")  # an e-mail word labels no digits


@cache
def _matcher() -> tuple[re.Pattern[str], dict[str, str], list[tuple[str, str]]]:
    exact: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    parts: list[tuple[str, str]] = []
    for category in CATEGORIES:
        for word in merged_list("context", category):
            if word.endswith("*"):
                prefixes.append((word[:-1], category))
                parts.append((word[:-1], re.escape(word[:-1]) + f"[{_LETTER}]*"))
            else:
                exact.setdefault(word, category)
                parts.append((word, re.escape(word)))
    parts.sort(key=lambda p: -len(p[0]))
    body = "|".join(p for _, p in parts)
    # not right after "@" or ".": "mail" in "ivan@mail.ru" is a domain, not a label
    pattern = re.compile(rf"(?<![{_LETTER}@.])(?:{body})(?![{_LETTER}])", re.IGNORECASE)
    prefixes.sort(key=lambda p: -len(p[0]))
    return pattern, exact, prefixes


def _category(word: str) -> str | None:
    _, exact, prefixes = _matcher()
    key = fold(word)
    if key in exact:
        return exact[key]
    return next((cat for prefix, cat in prefixes if key.startswith(prefix)), None)


class ContextIndex:
    """Every context word of one text, in order."""

    def __init__(self, text: str) -> None:
        pattern = _matcher()[0]
        self.matches = [(m.start(), m.end(), cat) for m in pattern.finditer(text) if (cat := _category(m.group()))]
        self.ends = [end for _, end, _ in self.matches]
        self.categories = frozenset(cat for _, _, cat in self.matches)

    def before(self, position: int, floor: int) -> list[tuple[int, int, str]]:
        """Matches ending in [max(floor, position - BEFORE), position], nearest first."""
        low = max(floor, position - BEFORE)
        out = []
        for k in range(bisect_right(self.ends, position) - 1, -1, -1):
            start, end, cat = self.matches[k]
            if end < low:
                break
            if start >= low:
                out.append((start, end, cat))
        return out

    def after(self, position: int, ceiling: int) -> list[tuple[int, int, str]]:
        high = min(ceiling, position + AFTER)
        out = []
        for k in range(bisect_right(self.ends, position), len(self.matches)):
            start, end, cat = self.matches[k]
            if end > high or len(out) == 3:
                break
            if start >= position:
                out.append((start, end, cat))
        return out


def context_index(context: TurnContext, offset: int = 0) -> ContextIndex:
    key = f"context_index:{offset}"
    index = context.cache.get(key)
    if index is None:
        text = context.text if offset == 0 else context.neighbour_text(offset)
        index = context.cache[key] = ContextIndex(text)
    return index


def context_info(context: TurnContext, start: int, end: int, floor: int = 0, ceiling: int | None = None) -> ContextInfo:
    """Labels for the span [start, end); `floor`/`ceiling` stop the search at the neighbouring numbers."""
    index = context_index(context)
    ceiling = len(context.text) if ceiling is None else ceiling
    before = index.before(start, floor)
    near = next((cat for _, _, cat in before if cat not in WEAK), None)
    after = [m for m in index.after(end, ceiling) if ceiling - m[1] > 10]  # else it labels the next number
    near_after = next((cat for _, _, cat in after if cat not in WEAK), None)
    weak = frozenset(cat for _, _, cat in before + after if cat in WEAK)
    return ContextInfo(near, near_after, weak, index.categories, context_index(context, -1).categories)


def turns_name(context: TurnContext, category: str, back: int) -> bool:
    """Whether any of the `back` previous turns names the category (a question asked a little earlier)."""
    return any(category in context_index(context, -k).categories for k in range(1, back + 1))
