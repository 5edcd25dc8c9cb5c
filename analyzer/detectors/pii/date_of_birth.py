"""DATE_OF_BIRTH: typed or spoken dates that someone gives as a date of birth.

A date is only a birth date by context: a birth word in the turn ("sinh
ngày", "дата рождения", "出生", "born", "DOB") or a birth-date question in
one of the previous turns (the client answers "twelfth of April eighty six",
the agent reads it back). Appointments, deadlines and issue dates ("hẹn",
"срок", "到期", "expires") are not birth dates, and a year alone counts only
right after a birth word ("sinh năm 89", "born in 1989", "1989年出生").

Dates are read as a short stream of elements (numbers, ordinals, month
names, the day/month/year marks of Vietnamese and Chinese) matched against
a few orders: day-month-year, month-day-year, year-month-day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from analyzer.detectors.pii._context import context_index, turns_name
from analyzer.detectors.pii._lexicon import fold, lexicon, merged_list, merged_map
from analyzer.detectors.pii.base import Candidate, TurnContext, register_recognizer
from analyzer.detectors.pii.numbers import DigitView, to_ascii_digits

_TYPED_DMY = re.compile(r"(?<![\d.:/-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d.:/-]?\d)")
_TYPED_ISO = re.compile(r"(?<![\d.:/-])(\d{4})([./-])(\d{1,2})\2(\d{1,2})(?![\d.:/-]?\d)")
_ZH_NUM = r"[0-9０-９零〇○一二三四五六七八九十两幺]"
_ZH_DATE = re.compile(rf"({_ZH_NUM}{{2,4}})\s*年\s*({_ZH_NUM}{{1,3}})\s*月\s*({_ZH_NUM}{{1,3}})\s*[日号號]?")
_TOKEN = re.compile(r"\d+(?:st|nd|rd|th)?|(?:[^\W\d_\u2e80-\u9fff]|[\u0300-\u036f])+|[\u2e80-\u9fff]|\S", re.IGNORECASE)
BIRTH_BEFORE, BIRTH_AFTER, NOT_BIRTH_BEFORE = 90, 24, 30
QUESTION_TURNS = 3


@dataclass(frozen=True)
class _El:
    kind: str  # NUM, ORD, MONTH, DAYMARK, MONTHMARK, YEARMARK, OF, COMMA
    start: int
    end: int
    groups: tuple[str, ...] = ()  # NUM: digit groups ("hai ba" -> ("2", "3"))
    value: int = 0  # ORD, MONTH


@dataclass(frozen=True)
class _Date:
    start: int
    end: int
    day: int | None
    month: int | None
    year: int
    shape: str


class DateOfBirthRecognizer:
    name = "date_of_birth"
    types = ("DATE_OF_BIRTH",)

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        self.settings = dict(settings or {})

    def find(self, context: TurnContext) -> Iterable[Candidate]:
        dates = _dedupe([*_typed_dates(context.text), *_zh_dates(context.text), *_spoken_dates(context.text)])
        asked = turns_name(context, "birth", QUESTION_TURNS)
        for date in dates:
            score = _score(context, date, asked)
            if score is not None:
                value = f"{date.year:04d}-{date.month or 0:02d}-{date.day or 0:02d}"
                yield Candidate(date.start, date.end, "DATE_OF_BIRTH", score, self.name, f"date ({date.shape})", value)


def _score(context: TurnContext, date: _Date, asked: bool) -> float | None:
    index = context_index(context)
    births = [m for m in index.matches if m[2] == "birth"]
    if date.day is None:  # a year alone: only right after (or, in Chinese, right before) a birth word
        near = any(0 <= date.start - end <= 8 or 0 <= start - date.end <= 2 for start, end, _ in births)
        return 0.7 if near else None
    if _blocked(index.matches, births, date):
        return None
    if any(0 <= date.start - end <= BIRTH_BEFORE or 0 <= start - date.end <= BIRTH_AFTER for start, end, _ in births):
        return 0.92
    if births:
        return 0.8
    if asked:
        return 0.78 if date.shape != "spoken digits" else 0.72
    return None


def _blocked(matches: list[tuple[int, int, str]], births: list[tuple[int, int, str]], date: _Date) -> bool:
    """An appointment, deadline or issue date named closer than any birth word ("hẹn", "срок", "到期", "expires")."""
    blocking = ("not_birth", "not_pii")
    before = [end for _, end, cat in matches if cat in blocking and 0 <= date.start - end <= NOT_BIRTH_BEFORE]
    closest_birth = max((end for _, end, _ in births if end <= date.start), default=-1)
    after = any(cat in blocking and 0 <= start - date.end <= 3 for start, _, cat in matches)
    return (bool(before) and max(before) > closest_birth) or after


def _dedupe(dates: list[_Date]) -> list[_Date]:
    ranked = sorted(dates, key=lambda d: (-(d.end - d.start), d.start))
    kept: list[_Date] = []
    for date in ranked:
        if all(date.end <= k.start or k.end <= date.start for k in kept):
            kept.append(date)
    return kept


def _make(start: int, end: int, day: int | None, month: int | None, year: int, shape: str) -> _Date | None:
    year = _full_year(year)
    if not 1900 <= year <= dt.date.today().year:
        return None
    if day is not None:
        try:
            dt.date(year, month or 0, day)
        except ValueError:
            return None
    return _Date(start, end, day, month, year, shape)


def _full_year(year: int) -> int:
    if year >= 100:
        return year
    this = dt.date.today().year % 100
    return 2000 + year if year <= this else 1900 + year


# --------------------------------------------------------------------------- typed


def _typed_dates(text: str) -> Iterator[_Date]:
    for match in _TYPED_DMY.finditer(text):
        first, second, year = (int(to_ascii_digits(match.group(k))) for k in (1, 3, 4))
        date = _make(match.start(), match.end(), first, second, year, "typed") or _make(
            match.start(), match.end(), second, first, year, "typed")  # US order: month/day/year
        if date:
            yield date
    for match in _TYPED_ISO.finditer(text):
        year, month, day = (int(to_ascii_digits(match.group(k))) for k in (1, 3, 4))
        date = _make(match.start(), match.end(), day, month, year, "typed")
        if date:
            yield date


def _zh_dates(text: str) -> Iterator[_Date]:
    for match in _ZH_DATE.finditer(text):
        parts = [_zh_number(match.group(k)) for k in (1, 2, 3)]
        if all(p is not None for p in parts):
            date = _make(match.start(), match.end(), parts[2], parts[1], parts[0], "year-month-day")  # type: ignore[arg-type]
            if date:
                yield date


def _zh_number(text: str) -> int | None:
    runs = DigitView.build(text).runs
    return int(runs[0].digits) if len(runs) == 1 else None


# --------------------------------------------------------------------------- spoken / textual


@cache
def _vocabulary() -> dict[str, Any]:
    return {
        "months": merged_map("dates", "months"),
        "after_mark": merged_map("dates", "month_words_after_mark"),
        "day_marks": frozenset(merged_list("dates", "day_marks")),
        "month_marks": frozenset(merged_list("dates", "month_marks")),
        "year_marks": frozenset(merged_list("dates", "year_marks")),
        "of": frozenset(merged_list("dates", "of")),
        "ordinals": merged_map("dates", "ordinals"),
        "stems": merged_map("dates", "ordinal_stems"),
        "endings": sorted(set(merged_list("dates", "ordinal_endings")), key=len, reverse=True),
    }


def _ordinal(key: str) -> int | None:
    vocab = _vocabulary()
    if key in vocab["ordinals"]:
        return int(vocab["ordinals"][key])
    match = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)", key)
    if match:
        return int(match.group(1))
    for ending in vocab["endings"]:
        if key.endswith(ending) and key[: -len(ending)] in vocab["stems"]:
            return int(vocab["stems"][key[: -len(ending)]])
    return None


def _elements(text: str) -> list[_El | None]:
    """Date elements in order; None where a word that cannot be part of a date breaks the stream."""
    vocab = _vocabulary()
    tokens = [(m.start(), m.end(), fold(m.group())) for m in _TOKEN.finditer(text)]
    out: list[_El | None] = []
    numbers: list[tuple[int, int]] = []
    for k, (start, end, key) in enumerate(tokens):
        nxt = tokens[k + 1][2] if k + 1 < len(tokens) else ""
        kind = _kind(key, nxt, out, vocab, pending=bool(numbers))
        if kind == "CARD":
            numbers.append((start, end))
            continue
        _flush(text, numbers, out)
        if kind == "ORD":
            out.append(_El("ORD", start, end, value=_ordinal(key) or 0))
        elif kind == "MONTH":
            out.append(_El("MONTH", start, end, value=int(vocab["months"].get(key) or vocab["after_mark"][key])))
        elif kind is None:
            out.append(None)
        else:
            out.append(_El(kind, start, end))
    _flush(text, numbers, out)
    return _merge_ordinals(out)


def _kind(key: str, nxt: str, out: list[_El | None], vocab: dict[str, Any], pending: bool) -> str | None:
    after_month_mark = bool(out) and out[-1] is not None and out[-1].kind == "MONTHMARK"
    if after_month_mark and key in vocab["after_mark"]:
        return "MONTH"
    in_date = bool(out) and out[-1] is not None and out[-1].kind in ("MONTHMARK", "MONTH", "DAYMARK")
    if key in vocab["year_marks"] and (nxt[:1].isdigit() or _is_number(nxt)) and (in_date or not pending):
        return "YEARMARK"  # Vietnamese "năm" is both five and "year": before a number and not inside one, a mark
    if _is_number(key):
        return "CARD"
    if key in vocab["months"]:
        return "MONTH"
    if _ordinal(key) is not None:
        return "ORD"
    for mark, kind in (("day_marks", "DAYMARK"), ("month_marks", "MONTHMARK"), ("year_marks", "YEARMARK")):
        if key in vocab[mark]:
            return kind
    if key in vocab["of"]:
        return "OF"
    if key in (",", "-", "/", "."):
        return "COMMA"
    return None


def _is_number(key: str) -> bool:
    lex = lexicon()
    return key.isdigit() or lex.lookup(key) is not None or key in lex.cjk_units


def _flush(text: str, numbers: list[tuple[int, int]], out: list[_El | None]) -> None:
    if not numbers:
        return
    base = numbers[0][0]
    for run in DigitView.build(text[base : numbers[-1][1]]).runs:
        out.append(_El("NUM", base + run.start, base + run.end, tuple(g.digits for g in run.groups)))
    numbers.clear()


def _merge_ordinals(out: list[_El | None]) -> list[_El | None]:
    """'восемьдесят шестого' = 80 + 6th, 'двадцать девятое' = 20 + 9th, 'тысяча девятьсот ... шестого'."""
    merged: list[_El | None] = []
    for el in out:
        prev = merged[-1] if merged else None
        if el is not None and el.kind == "ORD" and prev is not None and prev.kind == "NUM":
            tail = int(prev.groups[-1])
            if (tail % 10 == 0 and el.value < 10) or (tail % 100 == 0 and el.value < 100):
                merged.pop()
                if len(prev.groups) > 1:
                    merged.append(_El("NUM", prev.start, prev.start, prev.groups[:-1]))
                merged.append(_El("ORD", prev.start, el.end, value=tail + el.value))
                continue
        merged.append(el)
    return merged


def _spoken_dates(text: str) -> Iterator[_Date]:
    elements = [e for e in _elements(text) if e is None or e.kind not in ("COMMA", "OF")]
    for i in range(len(elements)):
        for matcher in (_day_month_year, _month_day_year, _year_only):
            date = matcher(elements, i)
            if date is not None:
                yield date
                break


def _at(elements: list[_El | None], i: int, *kinds: str) -> _El | None:
    el = elements[i] if 0 <= i < len(elements) else None
    return el if el is not None and el.kind in kinds else None


def _day_value(el: _El) -> int | None:
    if el.kind == "ORD":
        return el.value
    digits = "".join(el.groups)
    return int(digits) if len(digits) <= 2 else None


def _day_month_year(elements: list[_El | None], i: int) -> _Date | None:
    j = i + 1 if _at(elements, i, "DAYMARK") else i
    day_el = _at(elements, j, "NUM", "ORD")
    if day_el is None:
        return None
    if day_el.kind == "NUM" and len(day_el.groups) >= 3 and j == i:
        return _numeric_groups(day_el)
    day = _day_value(day_el)
    k = j + 1 + (1 if _at(elements, j + 1, "MONTHMARK") else 0)
    month_el = _at(elements, k, "MONTH", "NUM", "ORD")
    if day is None or month_el is None or (month_el.kind != "MONTH" and k == j + 1 and day_el.kind != "ORD"):
        return None
    month, leftover = _month_value(month_el)
    if month is None:
        return None
    if leftover:
        return _make(day_el.start, month_el.end, day, month, int(leftover), "day-month-year")
    year_el = _year_element(elements, k + 1)
    if year_el is None:
        return None
    year = year_el.value if year_el.kind == "ORD" else int("".join(year_el.groups))
    return _make(day_el.start, year_el.end, day, month, year, "day-month-year")


def _month_value(el: _El) -> tuple[int | None, str]:
    """Month, and digits left over in the same number ('tháng hai tám chín' = February '89)."""
    if el.kind in ("MONTH", "ORD"):
        return (el.value if 1 <= el.value <= 12 else None), ""
    first = int(el.groups[0])
    rest = "".join(el.groups[1:])
    if 1 <= first <= 12 and len(rest) in (0, 2, 4):
        return first, rest
    return None, ""


def _year_element(elements: list[_El | None], k: int) -> _El | None:
    k += 1 if _at(elements, k, "YEARMARK") else 0
    el = _at(elements, k, "NUM", "ORD")
    if el is None:
        return None
    if el.kind == "NUM" and len("".join(el.groups)) not in (2, 4):
        return None
    mark = _at(elements, k + 1, "YEARMARK")  # "двенадцатого года": the span takes the word for "year"
    return el if mark is None else _El(el.kind, el.start, mark.end, el.groups, el.value)


def _month_day_year(elements: list[_El | None], i: int) -> _Date | None:
    month_el = _at(elements, i, "MONTH")
    day_el = _at(elements, i + 1, "NUM", "ORD")
    if month_el is None or day_el is None:
        return None
    if day_el.kind == "NUM" and len(day_el.groups) >= 2 and len("".join(day_el.groups[1:])) in (2, 4):
        digits = day_el.groups  # "june seventeen nineteen ninety" read as one number stream
        year = int("".join(digits[1:]))
        return _make(month_el.start, day_el.end, int(digits[0]), month_el.value, year, "month-day-year")
    day = _day_value(day_el)
    year_el = _year_element(elements, i + 2)
    if day is None or year_el is None:
        return None
    year = year_el.value if year_el.kind == "ORD" else int("".join(year_el.groups))
    return _make(month_el.start, year_el.end, day, month_el.value, year, "month-day-year")


def _numeric_groups(el: _El) -> _Date | None:
    """'двадцать девять одиннадцать семьдесят девять': day, month, year as spoken numbers."""
    groups = el.groups
    if len(groups) == 4 and len(groups[2] + groups[3]) == 4:
        groups = (groups[0], groups[1], groups[2] + groups[3])
    if len(groups) != 3 or len(groups[2]) not in (2, 4) or max(len(g) for g in groups[:2]) > 2:
        return None
    first, second, year = (int(g) for g in groups)
    return _make(el.start, el.end, first, second, year, "spoken digits") or _make(
        el.start, el.end, second, first, year, "spoken digits")


def _year_only(elements: list[_El | None], i: int) -> _Date | None:
    el = _at(elements, i, "NUM", "ORD")
    if el is None or (i > 0 and _at(elements, i - 1, "NUM", "ORD", "MONTH")):
        return None
    year = el.value if el.kind == "ORD" else int("".join(el.groups)) if len("".join(el.groups)) in (2, 4) else None
    return _make(el.start, el.end, None, None, year, "year") if year is not None else None


@register_recognizer("date_of_birth")
def make_date_of_birth_recognizer(settings: Mapping[str, Any]) -> DateOfBirthRecognizer:
    return DateOfBirthRecognizer(settings)
