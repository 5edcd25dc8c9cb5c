"""Shared pieces of the PERSON recognizer: name lists, cue words, folding and tokens.

Name lists are data (`resources/<lang>/names/*.txt`, `resources/<lang>/pii_names.toml`), so a
linguist can extend a language without touching code. Everything is loaded once and cached.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from analyzer.language_resources import RESOURCE_DIR, load_resource

RESOURCE = "pii_names"
LIST_FILES = ("given", "surnames", "ambiguous", "not_names")


@dataclass(frozen=True, slots=True)
class Hit:
    """A name found by one rule: offsets into the turn text, a score and the rule's name."""

    start: int
    end: int
    score: float
    rule: str
    single: bool = False  # one given name alone (what an agent's self-introduction looks like)


@dataclass(frozen=True)
class NameLists:
    """One language's curated lists; `not_names` keeps phrases (public figures, places, brands)."""

    given: frozenset[str]
    surnames: frozenset[str]
    ambiguous: frozenset[str]
    not_names: frozenset[str]
    cues: dict[str, Any] = field(default_factory=dict)
    not_names_folded: frozenset[str] = frozenset()

    def cue_list(self, key: str) -> list[str]:
        """A cue list from `[person]`, longest first so multi-word cues win."""
        return sorted((w.lower() for w in self.cues.get(key, [])), key=lambda w: (-len(w), w))


def fold(text: str) -> str:
    """Lower case without diacritics (`Nguyễn` → `nguyen`, `đ` → `d`, `ё` → `е`): speech-to-text drops them."""
    lowered = text.lower().replace("đ", "d").replace("ё", "е")
    decomposed = unicodedata.normalize("NFD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def nfc_lower(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def _read_list(path: Path) -> set[str]:
    if not path.exists():
        return set()
    items: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if path.stem == "not_names":
            items.add(nfc_lower(" ".join(line.split())))
        else:
            items.update(nfc_lower(word) for word in line.split())
    return items


@cache
def name_lists(language: str) -> NameLists:
    folder = RESOURCE_DIR / language / "names"
    parts = {name: frozenset(_read_list(folder / f"{name}.txt")) for name in LIST_FILES}
    folded = frozenset(fold(n) for n in parts["not_names"])
    return NameLists(**parts, cues=load_resource(language, RESOURCE).get("person", {}), not_names_folded=folded)


_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return nfc_lower(self.text)

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def tokens(text: str, pattern: re.Pattern[str] = _WORD) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in pattern.finditer(text)]


_SENTENCE_BREAK = re.compile(r"[.!?…。！？]\s*$")


def sentence_initial(text: str, start: int) -> bool:
    """True when only spaces, quotes or dashes separate `start` from a sentence start."""
    before = text[:start].rstrip(" \t\"'«“„(—–-")
    return not before or bool(_SENTENCE_BREAK.search(before))


def is_cased(text: str) -> bool:
    """Punctuated/cased text (capitals mean something) versus lower-case speech-to-text output."""
    return any(ch.isupper() for ch in text)


def preceded_by(text: str, start: int, cues: list[str], window: int = 0) -> bool:
    """Whether one of `cues` (lower case, longest first) ends right before `start`, skipping `window` words."""
    before = nfc_lower(text[:start]).rstrip(" ,:;—–-\t")
    words = before.split()
    for skip in range(window + 1):
        head = " ".join(words[: len(words) - skip]) if skip else before
        if any(head == cue or head.endswith(" " + cue) or (head.endswith(cue) and _boundary(head, cue))
               for cue in cues):
            return True
    return False


def _boundary(head: str, cue: str) -> bool:
    index = len(head) - len(cue)
    return index == 0 or not head[index - 1].isalnum() or not cue[:1].isalnum()


def in_not_names(phrase: str, lists: NameLists) -> bool:
    """A phrase that is (part of) a public figure's, place's or brand's name."""
    key = " ".join(nfc_lower(phrase).split())
    return key in lists.not_names or fold(key) in lists.not_names_folded


@cache
def cue_set(language: str, key: str) -> frozenset[str]:
    """One `[person]` cue list of a language as a set (cached: recognizers look words up per token)."""
    return frozenset(name_lists(language).cue_list(key))
