"""The `pii` detector: runs the configured recognizers on every turn and settles overlaps."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from analyzer.detectors.pii.base import RECOGNIZERS, Candidate, Recognizer, TurnContext, resolve_overlaps
from analyzer.model import AnnotatedConversation, PiiSpan
from analyzer.pipeline import registry

DEFAULT_RECOGNIZERS = ("email", "phone", "card", "bank_account", "id_number", "date_of_birth", "address", "person")
RECOGNIZER_MODULES = {
    "email": "analyzer.detectors.pii.email",
    "phone": "analyzer.detectors.pii.phone",
    "card": "analyzer.detectors.pii.card",
    "bank_account": "analyzer.detectors.pii.bank_account",
    "id_number": "analyzer.detectors.pii.id_number",
    "date_of_birth": "analyzer.detectors.pii.date_of_birth",
    "address": "analyzer.detectors.pii.address",
    "person": "analyzer.detectors.pii.person",
}


def load_recognizer(name: str, settings: Mapping[str, Any] | None = None) -> Recognizer:
    if name not in RECOGNIZERS and name in RECOGNIZER_MODULES:
        importlib.import_module(RECOGNIZER_MODULES[name])
    if name not in RECOGNIZERS:
        raise ValueError(f"unknown PII recognizer {name!r}; known: {', '.join(sorted(RECOGNIZER_MODULES))}")
    return RECOGNIZERS[name](settings or {})


class PiiDetector:
    """Every personal-data span in every turn, whoever says it (taxonomy: PII table)."""

    name = "pii"

    def __init__(self, recognizers: Sequence[str] = DEFAULT_RECOGNIZERS, min_score: float = 0.5,
                 settings: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.recognizers = [load_recognizer(n, (settings or {}).get(n)) for n in recognizers]
        self.min_score = min_score

    def detect(self, doc: AnnotatedConversation) -> Iterator[PiiSpan]:
        for index in range(len(doc.turns)):
            context = TurnContext(doc, index, _at(doc.languages, index), doc.role_of(index))
            for c in self.find(context):
                yield PiiSpan(index, c.start, c.end, c.type, round(c.score, 4), c.recognizer, c.evidence, c.normalized)

    def find(self, context: TurnContext) -> list[Candidate]:
        found = [c for r in self.recognizers for c in r.find(context)]
        text_length = len(context.text)
        valid = [c for c in found if 0 <= c.start < c.end <= text_length and c.score >= self.min_score]
        return resolve_overlaps(valid)


def _at(values: Sequence[Any], index: int) -> Any:
    return values[index] if index < len(values) else None


@registry.register("pii")
def make_pii_detector(settings: Mapping[str, Any]) -> PiiDetector:
    return PiiDetector(**settings)
