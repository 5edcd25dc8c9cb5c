"""What a PII recognizer is: one entity family, found in one turn's text.

Like Presidio's recognizers, each owns its patterns, the context words that
raise confidence (in `resources/<lang>/pii.toml`, not in code) and a
validation step (checksums through `phonenumbers` / `python-stdnum`). Unlike
Presidio, a recognizer instance serves every language, because turns mix them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from analyzer.model import AnnotatedConversation


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible span: offsets into the turn text, a score in [0, 1] and why."""

    start: int
    end: int
    type: str
    score: float
    recognizer: str
    evidence: str = ""
    normalized: str | None = None


@dataclass
class TurnContext:
    """What a recognizer may know about the turn it reads (never mutated by recognizers)."""

    doc: AnnotatedConversation
    turn: int
    language: str | None
    role: str | None
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.doc.turns[self.turn].text

    def neighbour_text(self, offset: int) -> str:
        index = self.turn + offset
        return self.doc.turns[index].text if 0 <= index < len(self.doc.turns) else ""


class Recognizer(Protocol):
    name: str
    types: tuple[str, ...]

    def find(self, context: TurnContext) -> Iterable[Candidate]: ...


RecognizerFactory = Callable[[Mapping[str, Any]], Recognizer]
RECOGNIZERS: dict[str, RecognizerFactory] = {}


def register_recognizer(name: str) -> Callable[[RecognizerFactory], RecognizerFactory]:
    def decorator(factory: RecognizerFactory) -> RecognizerFactory:
        if name in RECOGNIZERS:
            raise ValueError(f"recognizer {name!r} is already registered")
        RECOGNIZERS[name] = factory
        return factory

    return decorator


def resolve_overlaps(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Keep the best candidate where spans overlap: higher score, then longer, then earlier.

    Overlaps are real conflicts (a card number also parses as a phone number; several
    windows of one digit run compete); the validated, context-supported reading carries
    the higher score. Used within a recognizer and across recognizers alike.
    """
    ranked = sorted(candidates, key=lambda c: (-c.score, -(c.end - c.start), c.start, c.type))
    kept: list[Candidate] = []
    for candidate in ranked:
        if all(candidate.end <= k.start or k.end <= candidate.start for k in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda c: (c.start, c.end))
