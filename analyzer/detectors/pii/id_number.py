"""ID_NUMBER: national ID, passport, tax and social-insurance numbers.

Checksummed identifiers are validated with python-stdnum (Chinese resident
ID with its birth date, Russian INN, US SSN, Australian TFN) or with the
small checks in `_checksums.py` (SNILS, Taiwan ID, Singapore NRIC, UK NINO).
Identifiers without a public checksum (Vietnamese CCCD/CMND, Russian
passport series and number) need the speaker or the previous question to
name them. A passing checksum raises the score; a failing one lowers it but
keeps the span when the context names an ID (a misheard digit in a read-out
ID is still personal data). The birth date inside a Chinese resident ID is
part of the ID span, not a separate DATE_OF_BIRTH.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from stdnum import luhn
from stdnum.au import tfn
from stdnum.cn import ric
from stdnum.ru import inn
from stdnum.us import ssn

from analyzer.detectors.pii._checksums import nino_is_valid, nric_is_valid, snils_is_valid, taiwan_id_is_valid
from analyzer.detectors.pii._context import ContextInfo, context_info, turns_name
from analyzer.detectors.pii._lexicon import fold, merged_list
from analyzer.detectors.pii._spans import amount_like, date_like, run_bounds
from analyzer.detectors.pii.base import Candidate, TurnContext, register_recognizer, resolve_overlaps
from analyzer.detectors.pii.numbers import DigitRun, DigitView, digit_view

MIN_DIGITS, MAX_DIGITS = 6, 18
_EDGE_L, _EDGE_R = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
_ALNUM = (
    ("UK National Insurance number", re.compile(_EDGE_L + r"[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d]" + _EDGE_R),
     nino_is_valid),
    ("Taiwan national ID", re.compile(_EDGE_L + r"[A-Za-z][1289]\d{8}" + _EDGE_R), taiwan_id_is_valid),
    ("Singapore NRIC/FIN", re.compile(_EDGE_L + r"[STFGstfg]\d{7}[A-Za-z]" + _EDGE_R), nric_is_valid),
)
_PASSPORT = re.compile(_EDGE_L + r"[A-Za-z]{1,2}\d{6,8}" + _EDGE_R)
_RIC_X = frozenset("xX叉Хх")  # the check character X, also typed in Cyrillic or said as 叉


@dataclass(frozen=True)
class _Evidence:
    named: bool  # labelled as an ID right before the span
    supported: bool  # labelled, or an ID was asked for / named in this turn or just before
    other: bool  # labelled as something else
    info: ContextInfo

    @property
    def bonus(self) -> float:
        """Labelled right here beats asked-for earlier: a phone read out after an ID question stays a phone."""
        return 0.0 if self.named or self.info.after == "id" else -0.1


class IdNumberRecognizer:
    name = "id_number"
    types = ("ID_NUMBER",)

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        self.settings = dict(settings or {})

    def find(self, context: TurnContext) -> Iterable[Candidate]:
        alnum = list(_alphanumeric(context))
        view = digit_view(context)
        asked = turns_name(context, "id", 2)
        found = list(alnum) + list(_passport_pairs(context, view, asked))
        for index, run in enumerate(view.runs):
            floor, ceiling = run_bounds(view, index)
            found.extend(resolve_overlaps(self._windows(context, run, floor, ceiling, asked)))
        return resolve_overlaps(found)

    def _windows(self, context: TurnContext, run: DigitRun, floor: int, ceiling: int,
                 asked: bool) -> Iterator[Candidate]:
        if amount_like(run) or date_like(run, context.text) or run.plus:
            return
        for window in run.windows(MIN_DIGITS - 1, MAX_DIGITS):
            info = context_info(context, window.start, window.end, floor, ceiling)
            evidence = _Evidence(info.near == "id", info.names("id") or (info.near is None and asked),
                                 info.other("id") and info.near != "id", info)
            digits, end = _with_check_x(context.text, window)
            best = max(_readings(digits, window, evidence), default=None)
            if best is not None:
                yield Candidate(window.start, end, "ID_NUMBER", best[0], self.name, best[1], digits)


def _with_check_x(text: str, window: DigitRun) -> tuple[str, int]:
    """A Chinese resident ID ends in X when its check value is 10: '11010519491231002X'."""
    digits = window.digits
    if len(digits) != 17:
        return digits, window.end
    rest = text[window.end : window.end + 2]
    for offset, ch in enumerate(rest):
        if ch in _RIC_X:
            return digits + "X", window.end + offset + 1
        if not ch.isspace():
            break
    return digits, window.end


def _readings(digits: str, window: DigitRun, ev: _Evidence) -> Iterator[tuple[float, str]]:
    size = len(digits)
    if size == 18:
        yield from _ric(digits, ev)
    if size == 11:
        yield from _snils(digits, window, ev)
    if ev.other:
        return
    if size in (10, 12) and inn.is_valid(digits):
        yield (0.95 if ev.supported else 0.62 if size == 12 else 0.0), "Russian INN (checksum)"
    if size == 12 and ev.supported:
        yield (0.9 if _cccd_shape(digits) else 0.75) + ev.bonus, "Vietnamese CCCD (named)"
    if size == 9:
        yield from _nine_digits(digits, window, ev)
    if size in (8, 9) and ev.supported and tfn.is_valid(digits):
        yield 0.88 + ev.bonus, "Australian TFN (checksum)"
    if size == 10 and ev.supported:
        yield 0.85 + ev.bonus, "passport series and number (named)"
    if 6 <= size <= 12 and ev.named:
        yield 0.72, "identity number (named)"


def _ric(digits: str, ev: _Evidence) -> Iterator[tuple[float, str]]:
    if ric.is_valid(digits):
        yield (0.9 if ev.other else 0.96), "Chinese resident ID (checksum and birth date)"
    elif ev.supported and not ev.other and not luhn.is_valid(digits):
        yield 0.6, "Chinese resident ID (checksum fails)"


def _snils(digits: str, window: DigitRun, ev: _Evidence) -> Iterator[tuple[float, str]]:
    """The 123-456-789 01 shape and the checksum together outweigh another label ("карточка" = the SNILS card)."""
    shaped = [len(g.digits) for g in window.groups] == [3, 3, 3, 2]
    if snils_is_valid(digits):
        if shaped or (ev.supported and not ev.other):
            yield 0.93, "Russian SNILS (checksum)"
    elif shaped and ev.supported and not ev.other:
        yield 0.6, "Russian SNILS (checksum fails)"


def _nine_digits(digits: str, window: DigitRun, ev: _Evidence) -> Iterator[tuple[float, str]]:
    shaped = [len(g.digits) for g in window.groups] == [3, 2, 4]
    if ssn.is_valid(digits) and shaped:
        yield (0.95 if ev.supported else 0.82), "US SSN"
    elif ssn.is_valid(digits) and ev.supported:
        yield 0.78 + ev.bonus, "US SSN (named)"
    if ev.supported:
        yield 0.8 + ev.bonus, "Vietnamese CMND or passport number (named)"


def _cccd_shape(digits: str) -> bool:
    """CCCD: province code 001-096, then a century/sex digit 0-3."""
    return 1 <= int(digits[:3]) <= 96 and digits[3] in "0123"


def _alphanumeric(context: TurnContext) -> Iterator[Candidate]:
    text = context.text
    for label, pattern, check in _ALNUM:
        for match in pattern.finditer(text):
            if not check(match.group()):
                continue
            named = context_info(context, match.start(), match.end()).names("id")
            upper = match.group().upper() == match.group()
            if named or upper:
                yield Candidate(match.start(), match.end(), "ID_NUMBER", 0.95 if named else 0.85,
                                "id_number", label, match.group().upper().replace(" ", ""))
    for match in _PASSPORT.finditer(text):
        if context_info(context, match.start(), match.end()).near == "id":
            yield Candidate(match.start(), match.end(), "ID_NUMBER", 0.75, "id_number", "passport number (named)",
                            match.group().upper())


def _passport_pairs(context: TurnContext, view: DigitView, asked: bool) -> Iterator[Candidate]:
    """'серия 45 10 номер 123456': a 4-digit series and a 6-digit number separated by the word 'номер'."""
    words = frozenset(merged_list("context", "number"))
    for first, second in zip(view.runs, view.runs[1:], strict=False):
        if len(first.digits) != 4 or len(second.digits) != 6:
            continue
        gap = re.sub(r"[\W_]+", " ", context.text[first.end : second.start]).strip()
        if gap and (fold(gap) not in words and fold(gap).rstrip("*") not in {w.rstrip("*") for w in words}):
            continue
        if context_info(context, first.start, first.end).names("id") or asked:
            yield Candidate(first.start, second.end, "ID_NUMBER", 0.88, "id_number", "passport series and number",
                            first.digits + second.digits)


@register_recognizer("id_number")
def make_id_number_recognizer(settings: Mapping[str, Any]) -> IdNumberRecognizer:
    return IdNumberRecognizer(settings)
