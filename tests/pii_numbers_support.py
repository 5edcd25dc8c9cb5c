"""Run structured-PII recognizers on a few turns and return what they found, as text."""

from __future__ import annotations

from analyzer.detectors.pii.detector import PiiDetector
from analyzer.model import AnnotatedConversation, Conversation

NUMBER_RECOGNIZERS = ("email", "phone", "card", "bank_account", "id_number", "date_of_birth")


def spans(language: str | None, *turns: str, recognizers: tuple[str, ...] = NUMBER_RECOGNIZERS) -> list[tuple]:
    """(turn, type, covered text) for every span the `pii` detector keeps."""
    conversation = Conversation.from_dict({"id": "t", "turns": [{"text": t, "role": "client"} for t in turns]})
    doc = AnnotatedConversation(conversation, languages=[language] * len(turns))
    detector = PiiDetector(recognizers)
    return [(s.turn, s.type, turns[s.turn][s.start : s.end]) for s in detector.detect(doc)]


def last_turn(language: str | None, *turns: str) -> list[tuple[str, str]]:
    """(type, text) found in the last turn (earlier turns give the question context)."""
    return [(kind, text) for turn, kind, text in spans(language, *turns) if turn == len(turns) - 1]
