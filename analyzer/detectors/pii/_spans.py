"""Small helpers shared by the number recognizers."""

from __future__ import annotations

import itertools

from analyzer.detectors.pii.numbers import DigitRun, DigitView


def run_bounds(view: DigitView, index: int) -> tuple[int, int]:
    """Where the previous run ends and the next one starts: context words beyond them label other numbers."""
    floor = view.runs[index - 1].end if index > 0 else 0
    ceiling = view.runs[index + 1].start if index + 1 < len(view.runs) else len(view.text)
    return floor, ceiling


def amount_like(run: DigitRun) -> bool:
    """'12 500 000', '2 tỷ', 'пятьдесят тысяч': a sum of money or a count, not an identifier."""
    if run.amount:
        return True
    groups = run.groups
    typed_thousands = len(groups) > 1 and not run.spoken and all(len(g.digits) == 3 for g in groups[1:])
    return typed_thousands and run.digits.endswith("000") and len(groups[0].digits) <= 3


def date_like(run: DigitRun, text: str) -> bool:
    """'12.04.1986', '2024-05-02': a typed date merged into one digit run is not an identifier."""
    groups = run.groups
    if len(groups) != 3 or run.spoken:
        return False
    sizes = [len(g.digits) for g in groups]
    gaps = {text[a.end : b.start].strip() for a, b in itertools.pairwise(groups)}
    if len(gaps) != 1 or gaps.pop() not in (".", "-", "/"):
        return False
    return (sizes[2] in (2, 4) and sizes[0] <= 2 and sizes[1] <= 2) or sizes == [4, 2, 2]
