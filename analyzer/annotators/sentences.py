"""Sentences with character offsets into the turn, per language.

Punctuated text splits at sentence-final punctuation (Latin, Cyrillic and
CJK marks), minding abbreviations and decimals. Speech-to-text output often
has no punctuation at all, so any piece longer than `max_words` is cut
again into clause-sized pieces: at commas, or before a discourse marker of
the turn's language ("но", "nhưng mà", "但是", "so") — whichever candidate
is nearest the middle, recursively — and, failing those, at the middle
space. Markers and abbreviations live in `resources/<lang>/sentences.toml`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from analyzer.annotators.language import word_count
from analyzer.language_resources import load_resource
from analyzer.model import AnnotatedConversation, Sentence
from analyzer.pipeline import registry

_CJK_END = re.compile(r"[。！？；!?;…]+[”’」』）)\"']*")
_LATIN_END = re.compile(r"(?<!\.)[.!?…]+[\"'”’»)\]]*(?=\s|$)")
_NEWLINES = re.compile(r"\n+")
_COMMA = re.compile(r"[,，、;；:：—–]+\s*|\s-\s")
_TOKEN_BEFORE = re.compile(r"([^\s(\"'«“]+)$")


@dataclass(frozen=True)
class _LanguageRules:
    abbreviations: frozenset[str]
    markers: re.Pattern[str] | None


@cache
def _rules(language: str | None) -> _LanguageRules:
    data = load_resource(language or "", "sentences") if language else {}
    abbreviations = frozenset(a.lower().rstrip(".") for a in data.get("abbreviations", []))
    markers = sorted(data.get("clause_markers", []), key=len, reverse=True)
    pattern = None
    if markers:
        alternatives = "|".join(re.escape(m) for m in markers)
        if language == "zh":
            pattern = re.compile(f"(?:{alternatives})")
        else:
            pattern = re.compile(rf"(?<!\S)(?:{alternatives})(?=\s)", re.IGNORECASE)
    return _LanguageRules(abbreviations, pattern)


def split_sentences(
    text: str, language: str | None = None, max_words: int = 20, min_words: int = 4
) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence or clause, in order, whitespace trimmed."""
    rules = _rules(language)
    pieces: list[tuple[int, int]] = []
    for start, end in _punctuation_pieces(text, rules):
        pieces.extend(_clauses(text, start, end, rules, max_words, min_words))
    return pieces


def _punctuation_pieces(text: str, rules: _LanguageRules) -> list[tuple[int, int]]:
    cuts = {m.end() for m in _CJK_END.finditer(text)}
    cuts |= {m.end() for m in _NEWLINES.finditer(text)}
    for match in _LATIN_END.finditer(text):
        if match.group().startswith(".") and _is_abbreviation(text, match.start(), rules):
            continue
        cuts.add(match.end())
    pieces = []
    previous = 0
    for cut in sorted(cuts | {len(text)}):
        span = _trim(text, previous, cut)
        if span:
            pieces.append(span)
        previous = cut
    return pieces


def _is_abbreviation(text: str, dot: int, rules: _LanguageRules) -> bool:
    match = _TOKEN_BEFORE.search(text, 0, dot)
    if not match:
        return False
    token = match.group(1)
    return token.lower() in rules.abbreviations or (len(token) == 1 and token.isupper())


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _clauses(
    text: str, start: int, end: int, rules: _LanguageRules, max_words: int, min_words: int
) -> list[tuple[int, int]]:
    """Cut a long piece recursively at the clause boundary nearest its middle."""
    if word_count(text[start:end]) <= max_words:
        return [(start, end)]
    cut = _best_cut(text, start, end, rules, min_words)
    if cut is None:
        return [(start, end)]
    left, right = _trim(text, start, cut), _trim(text, cut, end)
    if not left or not right:
        return [(start, end)]
    return _clauses(text, *left, rules, max_words, min_words) + _clauses(text, *right, rules, max_words, min_words)


def _best_cut(text: str, start: int, end: int, rules: _LanguageRules, min_words: int) -> int | None:
    piece = text[start:end]
    candidates = [start + m.end() for m in _COMMA.finditer(piece)]
    if rules.markers is not None:
        candidates += [start + m.start() for m in rules.markers.finditer(piece) if m.start() > 0]
    valid = [c for c in candidates if _balanced(text, start, c, end, min_words)]
    if not valid:
        valid = [start + m.start() for m in re.finditer(r"\s+", piece)]
        valid = [c for c in valid if _balanced(text, start, c, end, 1)]
    if not valid and word_count(piece) > 2 * min_words:
        valid = [start + len(piece) // 2]  # unspaced CJK: cut at the middle character
    if not valid:
        return None
    total = word_count(piece)
    return min(valid, key=lambda c: (abs(word_count(text[start:c]) - total / 2), c))


def _balanced(text: str, start: int, cut: int, end: int, min_words: int) -> bool:
    return word_count(text[start:cut]) >= min_words and word_count(text[cut:end]) >= min_words


class SentenceAnnotator:
    """Fills `doc.sentences`: one list of `Sentence` per turn."""

    name = "sentences"

    def __init__(self, max_words: int = 20, min_words: int = 4) -> None:
        self.max_words = max_words
        self.min_words = min_words

    def __call__(self, doc: AnnotatedConversation) -> None:
        doc.sentences = [self.split_turn(i, turn.text, _language(doc.languages, i)) for i, turn in enumerate(doc.turns)]

    def split_turn(self, index: int, text: str, language: str | None) -> list[Sentence]:
        spans = split_sentences(text, language, self.max_words, self.min_words)
        return [Sentence(index, s, e, language) for s, e in spans]


def _language(languages: Sequence[str | None], index: int) -> str | None:
    return languages[index] if index < len(languages) else None


@registry.register("sentences")
def make_sentence_annotator(settings: Mapping[str, Any]) -> SentenceAnnotator:
    return SentenceAnnotator(**settings)
