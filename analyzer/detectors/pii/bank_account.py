"""BANK_ACCOUNT: IBANs, Russian 20-digit accounts and account numbers the speaker names as such.

Domestic account numbers have no public checksum (except Russian accounts
with the bank's BIK, checked here when the BIK is in the turn), so apart
from IBANs and the distinctive Russian 20-digit accounts the evidence is
the context: "số tài khoản"/"STK", "счёт", "账号", "account number", the
agent's question in the previous turn, or a bank name right before. A UK
sort code or a BIK identifies a bank branch, not a person, and is not
flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from stdnum import iban

from analyzer.detectors.pii._context import ContextInfo, context_info, turns_name
from analyzer.detectors.pii._spans import amount_like, date_like, run_bounds
from analyzer.detectors.pii.base import Candidate, TurnContext, register_recognizer
from analyzer.detectors.pii.numbers import DigitRun, digit_view

_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){2,8}(?![A-Za-z0-9])", re.IGNORECASE)
_BIK = re.compile(r"(?:бик|bik)\D{0,4}(\d{9})(?!\d)", re.IGNORECASE)
_RU_ACCOUNT_PREFIXES = ("40", "42", "30", "45", "47")
MIN_DIGITS, MAX_DIGITS = 6, 20


class BankAccountRecognizer:
    name = "bank_account"
    types = ("BANK_ACCOUNT",)

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        self.settings = dict(settings or {})

    def find(self, context: TurnContext) -> Iterable[Candidate]:
        ibans = list(_ibans(context))
        yield from ibans
        view = digit_view(context)
        biks = [m.group(1) for m in _BIK.finditer(context.text)]
        asked = turns_name(context, "bank_account", 1)
        for index, run in enumerate(view.runs):
            if any(c.start <= run.start < c.end for c in ibans) or amount_like(run) or date_like(run, context.text):
                continue
            if not MIN_DIGITS <= len(run.digits) <= MAX_DIGITS or run.plus:
                continue
            floor, ceiling = run_bounds(view, index)
            info = context_info(context, run.start, run.end, floor, ceiling)
            score, why = _score(run, info, biks, asked)
            if score is not None:
                yield Candidate(run.start, run.end, "BANK_ACCOUNT", score, self.name, why, run.digits)


def _ibans(context: TurnContext) -> Iterator[Candidate]:
    """Valid IBANs; one whose check digits fail is kept (lower score) only when called an account or IBAN."""
    for match in _IBAN.finditer(context.text):
        parts = match.group().split(" ")
        for size in range(len(parts), 1, -1):  # a trailing word may have been swallowed: shrink until valid
            value = "".join(parts[:size]).upper()
            if iban.is_valid(value):
                end = match.start() + len(" ".join(parts[:size]))
                yield Candidate(match.start(), end, "BANK_ACCOUNT", 0.96, "bank_account", "valid IBAN", value)
                break
        else:
            value = match.group().replace(" ", "").upper()
            named = context_info(context, match.start(), match.end()).near == "bank_account"
            if named and len(value) >= 15 and sum(ch.isdigit() for ch in value) >= 10:
                yield Candidate(match.start(), match.end(), "BANK_ACCOUNT", 0.6, "bank_account",
                                "IBAN (check digits fail)", value)


def _score(run: DigitRun, info: ContextInfo, biks: list[str], asked: bool) -> tuple[float | None, str]:
    digits = run.digits
    if info.other("bank_account"):
        return None, ""
    if len(digits) == 20 and digits.startswith(_RU_ACCOUNT_PREFIXES):
        if any(_ru_account_key_ok(bik, digits) for bik in biks):
            return 0.96, "Russian account, control key matches the BIK"
        return (0.92 if info.names("bank_account") else 0.78), "Russian 20-digit account"
    if info.near == "bank_account":
        return 0.9, "account number (named)"
    if info.near is None and (info.names("bank_account") or asked):
        return 0.82, "account number (asked for)"
    if info.near is None and "bank_name" in info.near_weak and len(digits) >= 8:
        return 0.8, "account number after a bank name"
    return None, ""


def _ru_account_key_ok(bik: str, account: str) -> bool:
    """Control key of a Russian account (Bank of Russia rules: 3 BIK digits + account, weights 7-1-3)."""
    value = bik[-3:] + account
    weights = (7, 1, 3) * 8
    return sum(int(d) * w % 10 for d, w in zip(value, weights, strict=False)) % 10 == 0


@register_recognizer("bank_account")
def make_bank_account_recognizer(settings: Mapping[str, Any]) -> BankAccountRecognizer:
    return BankAccountRecognizer(settings)
