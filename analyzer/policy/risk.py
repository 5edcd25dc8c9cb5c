"""The conversation's risk score, 0-100, from its findings and disclaimers.

Why this shape: the sum of weighted evidence grows without bound as findings
pile up, so it is squashed with `1 - exp(-total / scale)`; one confident
rebate offer alone scores about 58, a single pressure sentence about 26, and
many findings approach, but never pass, 100. Repeated sentences of one
category in one turn count once (the most confident), so a long turn is not
punished for being long. Weights live in `resources/risk.toml`.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from analyzer.model import DisclaimerResult, Finding

WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "resources" / "risk.toml"


@cache
def load_weights(path: Path = WEIGHTS_FILE) -> Mapping[str, Any]:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def risk_score(findings: Iterable[Finding], disclaimers: Iterable[DisclaimerResult],
               weights: Mapping[str, Any] | None = None) -> int:
    weights = weights or load_weights()
    strongest: dict[tuple[int, str], float] = {}
    for finding in findings:
        key = (finding.turn, finding.category)
        strongest[key] = max(strongest.get(key, 0.0), finding.confidence)
    total = sum(weights["category"].get(cat, 0.0) * conf for (_, cat), conf in strongest.items())
    for disclaimer in disclaimers:
        if disclaimer.required and not disclaimer.present:
            total += weights["disclaimer"]["missing"]
        elif disclaimer.late:
            total += weights["disclaimer"]["late"]
    return round(100 * (1 - math.exp(-total / weights["scale"])))
