"""Merged per-language word lists for the structured-PII recognizers.

Turns mix languages and language identification is unreliable on short or
digit-heavy turns, so every recognizer reads the union of the four
languages' `pii_numbers.toml` files rather than the detected language's only.
The lists rarely collide; where a number word is also a common word
("không", "oh"), the resource file marks it weak (numbers.py).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from analyzer.language_resources import load_resource, resource_languages

RESOURCE = "pii_numbers"


def fold(word: str) -> str:
    """Lookup key for a word: NFC, lower case (turn text itself is never changed)."""
    return unicodedata.normalize("NFC", word).lower()


@dataclass(frozen=True)
class NumberWord:
    """Every role a spoken word can play in a number ("muoi" is both 10 and the tens mark)."""

    digit: int | None = None
    teen: int | None = None  # a complete value 10..19 that takes no unit ("шестнадцать")
    tens: int | None = None  # a value that may take a unit after it ("twenty", "mười")
    hundreds: int | None = None  # a complete hundred ("двести")
    unit_after_tens: int | None = None
    repeat: int | None = None
    tens_mark: bool = False
    hundred_mark: bool = False
    zero_tens: bool = False
    thousand: bool = False
    multiplier: bool = False
    joiner: bool = False
    weak: bool = False


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, NumberWord]
    cjk_units: dict[str, int]
    cjk_multipliers: frozenset[str]
    amount_words: frozenset[str]
    plus_words: frozenset[str]
    extra: dict[str, Any] = field(default_factory=dict)

    def lookup(self, word: str) -> NumberWord | None:
        return self.words.get(fold(word))


def _sections(section: str) -> list[dict[str, Any]]:
    return [load_resource(lang, RESOURCE).get(section, {}) for lang in resource_languages(RESOURCE)]


def merged_list(section: str, key: str) -> list[str]:
    """One list from every language, longest first (so regex alternation prefers "số tài khoản" to "số")."""
    items = {fold(w) for part in _sections(section) for w in part.get(key, [])}
    return sorted(items, key=lambda w: (-len(w), w))


def merged_map(section: str, key: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in _sections(section):
        merged.update({fold(k): v for k, v in part.get(key, {}).items()})
    return merged


_VALUE_ROLES = {"digits": "digit", "teens": "teen", "tens": "tens", "hundreds": "hundreds",
                "units_after_tens": "unit_after_tens", "repeaters": "repeat"}
_FLAG_ROLES = {"tens_marks": "tens_mark", "hundred_marks": "hundred_mark", "zero_tens": "zero_tens",
               "thousand_marks": "thousand", "multipliers": "multiplier", "joiners": "joiner", "weak": "weak"}


@cache
def lexicon() -> Lexicon:
    roles: dict[str, dict[str, Any]] = {}
    cjk_units: dict[str, int] = {}
    for part in _sections("numbers"):
        for key, role in _VALUE_ROLES.items():
            for word, value in part.get(key, {}).items():
                roles.setdefault(fold(word), {})[role] = int(value)
        for key, role in _FLAG_ROLES.items():
            for word in part.get(key, []):
                roles.setdefault(fold(word), {})[role] = True
        cjk_units.update(part.get("units", {}))
    words = {w: NumberWord(**r) for w, r in roles.items()}
    multipliers = frozenset(w for w in merged_list("numbers", "multipliers") if len(w) == 1 and not w.isascii())
    return Lexicon(
        words=words,
        cjk_units=cjk_units,
        cjk_multipliers=multipliers,
        amount_words=frozenset(merged_list("numbers", "amount_words")),
        plus_words=frozenset(merged_list("numbers", "plus_words")),
    )
