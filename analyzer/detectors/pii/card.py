"""CARD_NUMBER: full payment card numbers (13-19 digits), checked with the Luhn algorithm.

A Luhn-valid run with a card-like issuer prefix is a card even without
context; a Luhn-invalid run is kept only when the speaker calls it a card
(a misheard digit in a read-out card number is still personal data), with
a lower score. The last four digits alone ("ending 4931", "đuôi 4931",
"尾号4931") identify no card and are not a CARD_NUMBER: the taxonomy flags
payment card numbers, and four digits are too short to be one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from stdnum import luhn

from analyzer.detectors.pii._context import ContextInfo, context_info, turns_name
from analyzer.detectors.pii._spans import amount_like, run_bounds
from analyzer.detectors.pii.base import Candidate, TurnContext, register_recognizer, resolve_overlaps
from analyzer.detectors.pii.numbers import DigitRun, digit_view

MIN_DIGITS, MAX_DIGITS = 13, 19
# issuer prefixes: Visa 4, Mastercard 51-55/22-27, Amex 34/37, UnionPay 62, JCB 35, Mir 220, Discover 6011/65, Maestro
_ISSUERS = ("4", "51", "52", "53", "54", "55", "22", "23", "24", "25", "26", "27", "34", "37", "62", "35", "60", "65",
            "50", "56", "57", "58", "63", "67", "36", "30", "38", "81", "97")


class CardRecognizer:
    name = "card"
    types = ("CARD_NUMBER",)

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        self.settings = dict(settings or {})

    def find(self, context: TurnContext) -> Iterable[Candidate]:
        view = digit_view(context)
        for index, run in enumerate(view.runs):
            floor, ceiling = run_bounds(view, index)
            yield from resolve_overlaps(self._candidates(context, run, floor, ceiling))

    def _candidates(self, context: TurnContext, run: DigitRun, floor: int, ceiling: int) -> Iterator[Candidate]:
        for window in run.windows(MIN_DIGITS, MAX_DIGITS):
            if amount_like(window) or window.plus:
                continue
            info = context_info(context, window.start, window.end, floor, ceiling)
            valid = luhn.is_valid(window.digits)
            score = _score(window.digits, valid, info, turns_name(context, "card", 2))
            if score is not None:
                evidence = "Luhn-valid card number" if valid else "card number (Luhn check fails)"
                yield Candidate(window.start, window.end, "CARD_NUMBER", score, self.name, evidence, window.digits)


def _score(digits: str, valid: bool, info: ContextInfo, asked: bool) -> float | None:
    if info.other("card"):
        return None
    if valid:
        if info.names("card") or asked:
            return 0.95
        return 0.86 if digits.startswith(_ISSUERS) else 0.6
    if len(digits) not in (13, 15, 16, 18, 19):
        return None
    if info.near == "card":
        return 0.62
    return 0.55 if info.near is None and (info.after == "card" or asked) else None


@register_recognizer("card")
def make_card_recognizer(settings: Mapping[str, Any]) -> CardRecognizer:
    return CardRecognizer(settings)
