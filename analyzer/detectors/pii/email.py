"""EMAIL: typed addresses and addresses read aloud.

Typed addresses are found from each "@" outwards over ASCII address
characters only, so an address glued to Chinese text ("邮箱是abc@qq.com吗")
keeps its own boundaries, and the scan stays linear on enormous turns.
Spoken addresses ("john dot smith at gmail dot com", "a còng", "собака",
"艾特", "chấm", "точка", "点") need an "at" word followed by a domain that
ends in a known top-level domain; the local part is read backwards until a
stop word ("là", "это", "is").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from analyzer.detectors.pii._context import context_info
from analyzer.detectors.pii._lexicon import fold, merged_list, merged_map
from analyzer.detectors.pii.base import Candidate, TurnContext, register_recognizer
from analyzer.detectors.pii.numbers import DigitView

_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_DOMAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_DOMAIN_SHAPE = re.compile(rf"{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,24}}")
_CJK = "\u2e80-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"(?:[^\W{_CJK}]|[\u0300-\u036f])+|[{_CJK}]|[^\w\s]")
MAX_LOCAL_TOKENS = 8
MAX_DOMAIN_LABELS = 4


class EmailRecognizer:
    name = "email"
    types = ("EMAIL",)

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        self.settings = dict(settings or {})

    def find(self, context: TurnContext) -> Iterable[Candidate]:
        text = context.text
        typed = list(_typed(text))
        yield from typed
        for candidate in _spoken(text):
            if any(candidate.start < t.end and t.start < candidate.end for t in typed):
                continue
            named = context_info(context, candidate.start, candidate.end).names("email")
            if named or _looks_like_address(candidate.normalized or ""):
                yield Candidate(candidate.start, candidate.end, "EMAIL", 0.88 if named else 0.75, self.name,
                                "spoken e-mail address", candidate.normalized)


def _typed(text: str) -> Iterator[Candidate]:
    position = 0
    while True:
        at = _next_at(text, position)
        if at < 0:
            return
        position = at + 1
        start = at
        while start > 0 and at - start < 64 and text[start - 1] in _LOCAL:
            start -= 1
        while start < at and text[start] in ".-+":
            start += 1
        end = at + 1
        while end < len(text) and end - at < 256 and text[end] in _DOMAIN:
            end += 1
        match = _DOMAIN_SHAPE.match(text, at + 1, end)
        if start < at and match:
            end = match.end()
            address = f"{text[start:at]}@{text[at + 1 : end]}"
            yield Candidate(start, end, "EMAIL", 0.95, "email", "e-mail address", address)
            position = end


def _next_at(text: str, position: int) -> int:
    found = [i for i in (text.find("@", position), text.find("＠", position)) if i >= 0]
    return min(found) if found else -1


# --------------------------------------------------------------------------- spoken


def _looks_like_address(address: str) -> bool:
    """Without an e-mail word nearby, "at ... dot com" must still look like an address, not "at home dot com"."""
    local, _, domain = address.partition("@")
    providers = frozenset(merged_list("email", "providers"))
    return domain.split(".")[0] in providers or any(not ch.isalpha() for ch in local)


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    key: str


@cache
def _markers() -> dict[str, dict[str, str]]:
    """Multi-word marker phrase (folded, space-joined) -> role, per first word."""
    roles: dict[str, dict[str, str]] = {}
    for role in ("at", "dot", "underscore", "dash"):
        for phrase in merged_list("email", role):
            tokens = tuple(fold(t) for t in _WORD.findall(phrase))
            roles.setdefault(tokens[0], {})[" ".join(tokens)] = role
    roles.setdefault("@", {})["@"] = "at"
    roles.setdefault("＠", {})["＠"] = "at"
    roles.setdefault(".", {})["."] = "dot"
    roles.setdefault("_", {})["_"] = "underscore"
    roles.setdefault("-", {})["-"] = "dash"
    return roles


@cache
def _vocabulary() -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    stop = frozenset(merged_list("email", "stop")) | frozenset(merged_list("context", "email"))
    return stop, frozenset(merged_list("email", "tlds")), merged_map("email", "words")


def _spoken(text: str) -> Iterator[Candidate]:
    words = [_Word(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]
    if not any(w.key in _markers() for w in words):
        return
    i = 0
    while i < len(words):
        role, length = _marker(words, i)
        found = _address(text, words, i, length) if role == "at" else None
        if found is not None:
            yield found
            while i < len(words) and words[i].start < found.end:
                i += 1
        else:
            i += max(length, 1)


def _marker(words: list[_Word], i: int) -> tuple[str | None, int]:
    options = _markers().get(words[i].key) if i < len(words) else None
    if not options:
        return None, 0
    for phrase, role in sorted(options.items(), key=lambda p: -len(p[0])):
        size = len(phrase.split()) if phrase.strip() else 1
        if " ".join(w.key for w in words[i : i + size]) == phrase:
            return role, size
    return None, 0


def _address(text: str, words: list[_Word], at: int, at_length: int) -> Candidate | None:
    domain_end, domain = _domain(words, at + at_length)
    if domain_end is None:
        return None
    local_start = _local_start(text, words, at)
    if local_start is None:
        return None
    start, end = words[local_start].start, words[domain_end - 1].end
    spoken_markers = any(_marker(words, k)[0] and words[k].key.isalpha() for k in range(local_start, domain_end))
    if not spoken_markers:
        return None
    local = _normalise(text, words, local_start, at)
    return Candidate(start, end, "EMAIL", 0.8, "email", "spoken e-mail address", f"{local}@{domain}")


def _domain(words: list[_Word], i: int) -> tuple[int | None, str]:
    """Labels separated by "dot" words, ending in a top-level domain: (end index, 'gmail.com')."""
    _, tlds, spoken = _vocabulary()
    labels: list[str] = []
    best: tuple[int | None, str] = (None, "")
    while i < len(words) and len(labels) < MAX_DOMAIN_LABELS:
        if _marker(words, i)[0] is not None or not _address_word(words[i].key):
            break
        labels.append(spoken.get(words[i].key, words[i].key))
        i += 1
        if len(labels) >= 2 and labels[-1] in tlds:
            best = (i, ".".join(labels))
        role, size = _marker(words, i)
        if role != "dot":
            break
        i += size
    return best


def _local_start(text: str, words: list[_Word], at: int) -> int | None:
    """Read back from the "at" word over name parts, digits and dot/underscore/dash words."""
    stop = _vocabulary()[0]
    start: int | None = None
    k = at - 1
    while k >= 0 and at - k <= MAX_LOCAL_TOKENS:
        word = words[k]
        gap = text[word.end : words[k + 1].start]
        if gap.strip() or "\n" in gap:
            break
        role = _marker(words, k)[0]
        if role is None and (word.key in stop or not _address_word(word.key)):
            break
        if role is None:
            start = k
        elif role == "at":
            break
        k -= 1
    return start


def _address_word(key: str) -> bool:
    """Letters and digits that can be spelled into an address (not Chinese characters, not punctuation)."""
    return key.isalnum() and not any("\u2e80" <= ch <= "\ufaff" for ch in key)


def _normalise(text: str, words: list[_Word], first: int, at: int) -> str:
    """'thao chấm nguyen tám chín' -> 'thao.nguyen89' (best effort, for the report)."""
    symbols = {"dot": ".", "underscore": "_", "dash": "-"}
    base = words[first].start
    runs = [r for r in DigitView.build(text[base : words[at - 1].end]).runs if r.spoken]
    out: list[str] = []
    k = first
    while k < at:
        role, size = _marker(words, k)
        run = next((r for r in runs if r.start <= words[k].start - base < r.end), None)
        if role in symbols:
            out.append(symbols[role])
            k += max(size, 1)
        elif run is not None:
            out.append(run.digits)
            while k < at and words[k].start - base < run.end:
                k += 1
        else:
            out.append(words[k].key)
            k += 1
    return "".join(out)


@register_recognizer("email")
def make_email_recognizer(settings: Mapping[str, Any]) -> EmailRecognizer:
    return EmailRecognizer(settings)
