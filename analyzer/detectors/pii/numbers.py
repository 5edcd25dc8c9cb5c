"""Digits in a turn, typed or spoken, with a map back to the original text.

Identifiers in transcripts are typed ("0912 345 678", "２２００ １５３３"),
spoken digit by digit ("không chín một hai", "幺三八", "oh seven seven double
four") or spoken in groups ("восемь девятьсот шестнадцать", "twenty one").
`DigitView` turns one turn into digit runs once (cached in `TurnContext.cache`)
so every recognizer validates the same digits, and every produced digit keeps
the [start, end) span of the text it came from, so a candidate's offsets
always point into the original, unmodified turn text.

A run is a sequence of digit groups separated only by separators (spaces,
dots, dashes, parentheses, zero-width characters; commas only between spoken
groups). Recognizers try group-aligned windows of a run, so a phone number
followed by a stray digit word, or two numbers read without a break, are
still found.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from analyzer.detectors.pii._lexicon import Lexicon, NumberWord, fold, lexicon
from analyzer.detectors.pii.base import TurnContext

_CJK = "\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_TOKEN = re.compile(rf"(?P<d>\d+)|(?P<w>(?:[^\W\d_{_CJK}]|[\u0300-\u036f])+)|(?P<c>[{_CJK}])|(?P<p>\S)")
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SEPARATORS = frozenset("-‐‑‒–.·()（）－．" + _ZERO_WIDTH)
_SPOKEN_SEPARATORS = frozenset(",，、")
_CURRENCY = frozenset("$€£¥₫₽￥%％")
MAX_RUN_DIGITS = 64  # a longer unbroken digit stream is not read as identifiers (bounds the work per turn)
MAX_GAP = 5


@dataclass(frozen=True, slots=True)
class DigitGroup:
    """Digits produced by one typed number, one spoken digit or one spoken compound ("сорок семь")."""

    digits: str
    start: int
    end: int
    spoken: bool
    weak: bool = False
    amount: bool = False


@dataclass(frozen=True, slots=True)
class DigitRun:
    """Consecutive digit groups with only separators between them."""

    groups: tuple[DigitGroup, ...]
    plus_start: int | None = None  # where a "+" or "plus" before the first group starts

    @property
    def plus(self) -> bool:
        return self.plus_start is not None

    @property
    def digits(self) -> str:
        return "".join(g.digits for g in self.groups)

    @property
    def start(self) -> int:
        return self.groups[0].start if self.plus_start is None else self.plus_start

    @property
    def end(self) -> int:
        return self.groups[-1].end

    @property
    def spoken(self) -> bool:
        return any(g.spoken for g in self.groups)

    @property
    def amount(self) -> bool:
        return any(g.amount for g in self.groups)

    def windows(self, min_digits: int, max_digits: int) -> Iterator[DigitRun]:
        """Group-aligned sub-runs whose digit count lies in [min_digits, max_digits]."""
        if sum(len(g.digits) for g in self.groups) > MAX_RUN_DIGITS:
            return
        for i in range(len(self.groups)):
            length = 0
            for j in range(i, len(self.groups)):
                length += len(self.groups[j].digits)
                if length > max_digits:
                    break
                if length >= min_digits:
                    yield DigitRun(self.groups[i : j + 1], self.plus_start if i == 0 else None)

    def span_of(self, first: int, last: int) -> tuple[int, int]:
        """Original span of digits [first, last) of this run (whole groups: a spoken word is never cut)."""
        spans = self.digit_spans()
        return spans[first][0], spans[last - 1][1]

    def digit_spans(self) -> list[tuple[int, int]]:
        """For every produced digit, the [start, end) of the text that produced it."""
        return [(g.start, g.end) for g in self.groups for _ in g.digits]


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # "typed", "word", "cjk", "sep", "comma", "plus", "amount", "break"
    start: int
    end: int
    text: str
    word: NumberWord | None = None


@dataclass
class DigitView:
    """All digit runs of one text; build once per turn with `digit_view(context)`."""

    text: str
    runs: list[DigitRun] = field(default_factory=list)

    @classmethod
    def build(cls, text: str, lex: Lexicon | None = None) -> DigitView:
        lex = lex or lexicon()
        tokens = list(_tokens(text, lex))
        return cls(text, _runs(text, tokens, lex))

    @property
    def digits(self) -> str:
        """Every produced digit, runs separated by a space (aligned with `spans`)."""
        return " ".join(r.digits for r in self.runs)

    @property
    def spans(self) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for index, run in enumerate(self.runs):
            if index:
                out.append((run.start, run.start))
            out.extend(run.digit_spans())
        return out


def digit_view(context: TurnContext) -> DigitView:
    """The turn's DigitView, built once and shared by every recognizer through the context cache."""
    view = context.cache.get("digit_view")
    if view is None:
        view = context.cache["digit_view"] = DigitView.build(context.text)
    return view


def to_ascii_digits(text: str) -> str:
    """'１２３' or '١٢٣' -> '123' (any Unicode decimal digit)."""
    return "".join(str(unicodedata.decimal(ch)) for ch in text)


# --------------------------------------------------------------------------- tokens


def _tokens(text: str, lex: Lexicon) -> Iterator[_Tok]:
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        start, end = match.span()
        if kind == "d":
            yield _Tok("typed", start, end, to_ascii_digits(value))
        elif kind == "w":
            yield _word_token(value, start, end, lex)
        else:
            yield _char_token(value, start, end, lex)


def _word_token(value: str, start: int, end: int, lex: Lexicon) -> _Tok:
    key = fold(value)
    word = lex.words.get(key)
    if word is not None:
        return _Tok("word", start, end, key, word)
    if key in lex.plus_words:
        return _Tok("plus", start, end, key)
    if key in lex.amount_words:
        return _Tok("amount", start, end, key)
    return _Tok("break", start, end, key)


def _char_token(value: str, start: int, end: int, lex: Lexicon) -> _Tok:
    if value in lex.cjk_units or value in lex.cjk_multipliers:
        return _Tok("cjk", start, end, value)
    word = lex.words.get(value)
    if word is not None and word.digit is not None:
        return _Tok("cjk", start, end, value, word)
    if value in _SEPARATORS:
        return _Tok("sep", start, end, value)
    if value in _SPOKEN_SEPARATORS:
        return _Tok("comma", start, end, value)
    if value in ("+", "＋"):
        return _Tok("plus", start, end, value)
    if value in _CURRENCY or value in lex.amount_words:
        return _Tok("amount", start, end, value)
    return _Tok("break", start, end, value)


# --------------------------------------------------------------------------- runs


def _runs(text: str, tokens: list[_Tok], lex: Lexicon) -> list[DigitRun]:
    """Split the token stream at breakers, compose groups, then join groups separated by separators only."""
    runs: list[DigitRun] = []
    current: list[DigitGroup] = []
    plus: _Tok | None = None
    for group in _groups(tokens, lex):
        if group is None or isinstance(group, _Tok):
            _close(runs, current, None if plus is None else plus.start)
            current, plus = [], group
        elif current and not _joinable(text, current[-1], group):
            _close(runs, current, None if plus is None else plus.start)
            current, plus = [group], None
        else:
            if not current and plus is not None and not _joinable_plus(text, plus, group):
                plus = None
            current.append(group)
    _close(runs, current, None if plus is None else plus.start)
    return runs


def _close(runs: list[DigitRun], groups: list[DigitGroup], plus_start: int | None) -> None:
    if groups and not all(g.weak for g in groups):
        runs.append(DigitRun(tuple(groups), plus_start))


def _joinable(text: str, left: DigitGroup, right: DigitGroup) -> bool:
    gap = text[left.end : right.start]
    if len(gap) > MAX_GAP or "\n" in gap:
        return False
    marks = [ch for ch in gap if not ch.isspace()]
    if len(marks) > 2:
        return False
    if any(ch in _SPOKEN_SEPARATORS for ch in marks):
        return left.spoken and right.spoken
    return all(ch in _SEPARATORS for ch in marks)


def _joinable_plus(text: str, plus: _Tok, group: DigitGroup) -> bool:
    gap = text[plus.end : group.start]
    return len(gap) <= 2 and not gap.strip()


def _groups(tokens: list[_Tok], lex: Lexicon) -> Iterator[DigitGroup | _Tok | None]:
    """Digit groups in order; None where a breaker ends the run, the plus token where one may start."""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind in ("sep", "comma"):
            i += 1
        elif tok.kind == "plus":
            yield tok
            i += 1
        elif tok.kind == "typed":
            group, i = _typed(tokens, i)
            yield group
        elif tok.kind == "cjk":
            groups, i = _cjk_cluster(tokens, i, lex)
            yield from groups
        elif tok.kind == "word":
            parsed, i = _spoken(tokens, i)
            yield parsed
        else:
            yield None
            i += 1


def _amount_follows(tokens: list[_Tok], i: int) -> bool:
    if i >= len(tokens):
        return False
    tok = tokens[i]
    return tok.kind == "amount" or (tok.word is not None and (tok.word.thousand or tok.word.multiplier))


def _amount_precedes(tokens: list[_Tok], i: int) -> bool:
    return i > 0 and tokens[i - 1].kind == "amount" and tokens[i - 1].text in _CURRENCY


def _typed(tokens: list[_Tok], i: int) -> tuple[DigitGroup, int]:
    tok = tokens[i]
    amount = _amount_follows(tokens, i + 1) or _amount_precedes(tokens, i)
    return DigitGroup(tok.text, tok.start, tok.end, spoken=False, amount=amount), i + 1


def _cjk_cluster(tokens: list[_Tok], i: int, lex: Lexicon) -> tuple[list[DigitGroup], int]:
    """Adjacent Chinese numerals: read digit by digit ("一三九"), or as a value when units occur ("十五")."""
    j = i + 1
    while j < len(tokens) and tokens[j].kind == "cjk" and tokens[j].start == tokens[j - 1].end:
        j += 1
    cluster = tokens[i:j]
    if all(t.word is not None for t in cluster):
        weak = len(cluster) == 1 and cluster[0].word is not None and cluster[0].word.weak
        return [DigitGroup(str(t.word.digit), t.start, t.end, True, weak) for t in cluster if t.word], j
    value, amount = _cjk_value(cluster, lex)
    amount = amount or _amount_follows(tokens, j)
    return [DigitGroup(str(value), cluster[0].start, cluster[-1].end, True, amount=amount)], j


def _cjk_value(cluster: list[_Tok], lex: Lexicon) -> tuple[int, bool]:
    total = section = number = 0
    amount = False
    for tok in cluster:
        if tok.word is not None and tok.word.digit is not None:
            number = tok.word.digit
        elif tok.text in lex.cjk_units:
            unit = lex.cjk_units[tok.text]
            section += (number or 1) * unit
            number = 0
            amount = amount or unit >= 1000
        else:  # 万 / 亿
            total += (section + number) * (10_000 if tok.text in "万萬" else 100_000_000)
            section = number = 0
            amount = True
    return total + section + number, amount


def _spoken(tokens: list[_Tok], i: int) -> tuple[DigitGroup | None, int]:
    """One spoken group: a digit, "double four", "сорок семь", "chín trăm mười hai", "two thousand and five"."""
    start = tokens[i].start
    word = tokens[i].word
    if word is not None and word.repeat and _is_digit(tokens, i + 1):
        digit = tokens[i + 1].word.digit  # type: ignore[union-attr]
        return DigitGroup(str(digit) * word.repeat, start, tokens[i + 1].end, True), i + 2
    parsed = _below_thousand(tokens, i)
    if parsed is None and word is not None and word.thousand:
        parsed = (1, i)
    if parsed is None:
        return None, i + 1
    value, j = parsed
    amount = False
    if j < len(tokens) and _word(tokens, j) and tokens[j].word.thousand:  # type: ignore[union-attr]
        value, j, amount = value * 1000, j + 1, True
        rest = _below_thousand(tokens, j + 1 if _joiner(tokens, j) else j)
        if rest is not None and rest[0] > 0:
            value, j = value + rest[0], rest[1]
    amount = amount or _amount_follows(tokens, j)
    weak = j == i + 1 and word is not None and word.weak
    return DigitGroup(str(value), start, tokens[j - 1].end, True, weak, amount), j


def _word(tokens: list[_Tok], i: int) -> bool:
    return i < len(tokens) and tokens[i].kind == "word" and tokens[i].word is not None


def _is_digit(tokens: list[_Tok], i: int, minimum: int = 0) -> bool:
    return _word(tokens, i) and tokens[i].word.digit is not None and tokens[i].word.digit >= minimum  # type: ignore[union-attr,operator]


def _joiner(tokens: list[_Tok], i: int) -> bool:
    return _word(tokens, i) and tokens[i].word.joiner  # type: ignore[union-attr]


def _below_thousand(tokens: list[_Tok], i: int) -> tuple[int, int] | None:
    if not _word(tokens, i):
        return None
    word = tokens[i].word
    assert word is not None
    if word.hundreds:
        return _hundred_tail(tokens, word.hundreds, i + 1)
    if word.digit is not None and _word(tokens, i + 1) and tokens[i + 1].word.hundred_mark:  # type: ignore[union-attr]
        return _hundred_tail(tokens, word.digit * 100, i + 2)
    if word.hundred_mark:
        return _hundred_tail(tokens, 100, i + 1)
    return _below_hundred(tokens, i)


def _hundred_tail(tokens: list[_Tok], value: int, j: int) -> tuple[int, int]:
    if _joiner(tokens, j):
        rest = _below_hundred(tokens, j + 1)
        return (value + rest[0], rest[1]) if rest and rest[0] > 0 else (value, j)
    if _word(tokens, j) and tokens[j].word.zero_tens and _is_digit(tokens, j + 1, 1):  # type: ignore[union-attr]
        return value + tokens[j + 1].word.digit, j + 2  # type: ignore[union-attr,operator]
    rest = _below_hundred(tokens, j)
    return (value + rest[0], rest[1]) if rest and rest[0] > 0 else (value, j)


def _below_hundred(tokens: list[_Tok], i: int) -> tuple[int, int] | None:
    if not _word(tokens, i):
        return None
    word = tokens[i].word
    assert word is not None
    if word.digit is not None:
        return _from_digit(tokens, word.digit, i)
    if word.teen is not None:
        return word.teen, i + 1
    if word.tens is not None:
        return _with_unit(tokens, word.tens, i + 1)
    return None


def _from_digit(tokens: list[_Tok], digit: int, i: int) -> tuple[int, int]:
    nxt = tokens[i + 1].word if _word(tokens, i + 1) else None
    if nxt is not None and nxt.tens_mark and digit >= 1:
        return _with_unit(tokens, digit * 10, i + 2)
    if nxt is not None and nxt.unit_after_tens is not None and nxt.digit is None and digit >= 2:
        return digit * 10 + nxt.unit_after_tens, i + 2
    return digit, i + 1


def _with_unit(tokens: list[_Tok], tens: int, j: int) -> tuple[int, int]:
    nxt = tokens[j].word if _word(tokens, j) else None
    if nxt is None:
        return tens, j
    if nxt.unit_after_tens is not None:
        return tens + nxt.unit_after_tens, j + 1
    if nxt.digit is not None and nxt.digit >= 1 and not nxt.tens_mark:
        if _word(tokens, j + 1) and (tokens[j + 1].word.tens_mark or tokens[j + 1].word.hundred_mark):  # type: ignore[union-attr]
            return tens, j
        return tens + nxt.digit, j + 1
    return tens, j
