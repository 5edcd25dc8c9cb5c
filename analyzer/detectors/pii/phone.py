"""PHONE: typed and spoken phone numbers, validated with `phonenumbers`.

Every digit run of the turn (numbers.py) is tried window by window against
the regions of the turn's language first, then the other supported regions
and international form. Validation, not the shape of the digits, decides:
a valid number is found even without context (lower score), a run that no
region accepts is not a phone, and a number labelled as something else
("số tài khoản", "ИНН", "订单号") is left to that reading.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any

import phonenumbers

from analyzer.detectors.pii._context import ContextInfo, context_info
from analyzer.detectors.pii._spans import amount_like, run_bounds
from analyzer.detectors.pii.base import Candidate, TurnContext, register_recognizer, resolve_overlaps
from analyzer.detectors.pii.numbers import DigitRun, digit_view

PRIMARY_REGIONS: dict[str | None, tuple[str, ...]] = {
    "vi": ("VN",),
    "ru": ("RU", "KZ", "BY"),
    "zh": ("CN", "TW", "HK", "MO", "SG"),
    "en": ("US", "GB", "AU", "CA", "SG", "IN", "NZ", "IE"),
}
ALL_REGIONS = ("VN", "RU", "CN", "TW", "HK", "US", "GB", "AU", "SG", "IN", "CA", "NZ", "IE", "KZ", "BY", "MO")
MIN_DIGITS, MAX_DIGITS = 7, 15


class PhoneRecognizer:
    name = "phone"
    types = ("PHONE",)

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        self.settings = dict(settings or {})

    def find(self, context: TurnContext) -> Iterable[Candidate]:
        view = digit_view(context)
        for index, run in enumerate(view.runs):
            floor, ceiling = run_bounds(view, index)
            candidates = self._candidates(context, run, floor, ceiling)
            yield from resolve_overlaps(candidates)

    def _candidates(self, context: TurnContext, run: DigitRun, floor: int, ceiling: int) -> Iterator[Candidate]:
        for window in run.windows(MIN_DIGITS, MAX_DIGITS):
            if amount_like(window):
                continue
            info = context_info(context, window.start, window.end, floor, ceiling)
            if _partial_typed(run, window) and info.near != "phone":
                continue
            reading = _validate(window, context.language)
            score = _score(reading, info, window)
            if score is not None:
                yield Candidate(window.start, window.end, "PHONE", score, self.name,
                                f"phone ({reading[0]})", reading[1])


def _partial_typed(run: DigitRun, window: DigitRun) -> bool:
    """Typed digit groups left over beside the window: the digits belong to something longer (an IBAN, a code).

    Spoken runs may carry a stray digit word ("... tám không" = "... 8, no?"), so they are not held to this.
    """
    left = [g for g in run.groups if g.end <= window.groups[0].start]
    right = [g for g in run.groups if g.start >= window.groups[-1].end]
    return any(not g.spoken for g in left + right)


def _validate(window: DigitRun, language: str | None) -> tuple[str, str | None]:
    return _validate_digits(window.digits, window.plus, language)


@lru_cache(maxsize=8192)
def _validate_digits(digits: str, plus: bool, language: str | None) -> tuple[str, str | None]:
    """('plus'|'primary'|'other'|'possible'|'invalid', E.164) for the best reading (cached: repeats are common)."""
    if plus:
        number = _parse("+" + digits, None)
        if number is not None and phonenumbers.is_valid_number(number):
            return "plus", _e164(number)
        return "invalid", None
    primary = PRIMARY_REGIONS.get(language, ALL_REGIONS)
    for kind, regions in (("primary", primary), ("other", ALL_REGIONS)):
        for region in regions:
            number = _parse(digits, region)
            if number is not None and phonenumbers.is_valid_number(number):
                return kind, _e164(number)
    if not digits.startswith("0") and len(digits) >= 10:
        number = _parse("+" + digits, None)
        if number is not None and phonenumbers.is_valid_number(number):
            return "other", _e164(number)
    for region in primary:
        number = _parse(digits, region)
        if number is not None and phonenumbers.is_possible_number(number):
            return "possible", None
    return "invalid", None


def _parse(digits: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return None


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_BASE = {"plus": 0.78, "primary": 0.7, "other": 0.55}


def _score(reading: tuple[str, str | None], info: ContextInfo, window: DigitRun) -> float | None:
    kind = reading[0]
    if kind == "invalid" or info.other("phone"):
        return None
    named = info.near == "phone" or (info.near is None and info.after == "phone")
    if kind == "possible":
        return 0.6 if named else None
    score = _BASE[kind]
    if named:
        score += 0.2
    elif "number" in info.near_weak or info.names("phone"):
        score += 0.12
    if window.spoken and not named and kind == "other":
        score -= 0.1
    return min(score, 0.97)


@register_recognizer("phone")
def make_phone_recognizer(settings: Mapping[str, Any]) -> PhoneRecognizer:
    return PhoneRecognizer(settings)
