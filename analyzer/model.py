"""The typed data model shared by every stage.

`Conversation` is what readers produce (formats.md, "Canonical conversation").
`AnnotatedConversation` is the one container every later stage annotates, in
the spirit of spaCy's `Doc`: annotators add layers (languages, sentences,
roles), detectors add findings and PII spans, policies add disclaimers. Turn
text is never rewritten, so every offset points into the original text.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["agent", "client", "other"]
ROLES: tuple[str, ...] = ("agent", "client", "other")
CHANNELS: tuple[str, ...] = ("call", "meeting", "chat")
LANGUAGES: tuple[str, ...] = ("vi", "ru", "zh", "en")
TURN_CATEGORIES: tuple[str, ...] = (
    "flattery",
    "pressure",
    "rebate_request",
    "rebate_offer",
    "pii_disclosure",
)
PII_TYPES: tuple[str, ...] = (
    "PERSON",
    "PHONE",
    "EMAIL",
    "ID_NUMBER",
    "CARD_NUMBER",
    "BANK_ACCOUNT",
    "ADDRESS",
    "DATE_OF_BIRTH",
)


class ConversationError(ValueError):
    """A conversation that does not satisfy the canonical contract."""


@dataclass(slots=True)
class Segment:
    """One timed piece of a turn, kept when consecutive segments are merged."""

    start: float | None
    end: float | None
    text_start: int
    text_end: int


@dataclass(slots=True)
class Turn:
    text: str
    speaker: str | None = None
    role: Role | None = None
    start: float | None = None
    end: float | None = None
    segments: list[Segment] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"speaker": self.speaker, "role": self.role}
        if self.start is not None:
            data["start"] = self.start
        if self.end is not None:
            data["end"] = self.end
        data["text"] = self.text
        if len(self.segments) > 1:
            data["segments"] = [
                {"start": s.start, "end": s.end, "text_start": s.text_start, "text_end": s.text_end}
                for s in self.segments
            ]
        data.update(self.extra)
        return data


@dataclass(slots=True)
class Conversation:
    id: str
    turns: list[Turn]
    channel: str | None = None
    language: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    source_format: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The canonical JSON shape of formats.md (a valid input file)."""
        data: dict[str, Any] = {"id": self.id}
        if self.channel is not None:
            data["channel"] = self.channel
        if self.language is not None:
            data["language"] = self.language
        if self.metadata:
            data["metadata"] = self.metadata
        data["turns"] = [turn.to_dict() for turn in self.turns]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str | None = None) -> Conversation:
        """Validate a canonical (or gold) dict; unknown turn keys are kept in `extra`."""
        if not isinstance(data, Mapping):
            raise ConversationError("a conversation must be a JSON object")
        if "id" not in data or data["id"] in (None, ""):
            raise ConversationError("missing required field 'id'")
        turns_data = data.get("turns")
        if not isinstance(turns_data, list):
            raise ConversationError("'turns' must be a list")
        channel = data.get("channel")
        if channel is not None and channel not in CHANNELS:
            raise ConversationError(f"unknown channel {channel!r} (expected one of {', '.join(CHANNELS)})")
        metadata = data.get("metadata") or {}
        if not isinstance(metadata, Mapping):
            raise ConversationError("'metadata' must be an object")
        turns = [_turn_from_dict(i, t) for i, t in enumerate(turns_data)]
        return cls(
            id=str(data["id"]),
            turns=turns,
            channel=channel,
            language=data.get("language"),
            metadata=dict(metadata),
            source=source,
        )


_TURN_KEYS = {"speaker", "role", "start", "end", "text", "segments"}


def _turn_from_dict(index: int, data: Any) -> Turn:
    if not isinstance(data, Mapping):
        raise ConversationError(f"turn {index} must be an object")
    text = data.get("text")
    if not isinstance(text, str):
        raise ConversationError(f"turn {index}: 'text' must be a string")
    role = data.get("role")
    if role is not None and role not in ROLES:
        raise ConversationError(f"turn {index}: unknown role {role!r} (expected agent, client or other)")
    speaker = data.get("speaker")
    turn = Turn(
        text=text,
        speaker=None if speaker is None else str(speaker),
        role=role,
        start=_seconds(data.get("start"), index, "start"),
        end=_seconds(data.get("end"), index, "end"),
        extra={k: v for k, v in data.items() if k not in _TURN_KEYS},
    )
    for seg in data.get("segments") or []:
        turn.segments.append(
            Segment(seg.get("start"), seg.get("end"), int(seg["text_start"]), int(seg["text_end"]))
        )
    return turn


def _seconds(value: Any, index: int, name: str) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ConversationError(f"turn {index}: '{name}' must be a number of seconds") from None
    if not math.isfinite(seconds):
        raise ConversationError(f"turn {index}: '{name}' must be finite")
    return seconds


# --------------------------------------------------------------------------- annotations


@dataclass(slots=True, frozen=True)
class Sentence:
    turn: int
    start: int
    end: int
    language: str | None = None


@dataclass(slots=True, frozen=True)
class RoleDecision:
    """How a speaker's role was decided, so a reviewer can check it."""

    speaker: str
    role: Role
    method: str  # "input", "mapping", "speaker_label", "evidence", "default"
    confidence: float
    evidence: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class PiiSpan:
    turn: int
    start: int
    end: int
    type: str
    confidence: float = 1.0
    detector: str = ""
    evidence: str = ""
    normalized: str | None = None


@dataclass(slots=True, frozen=True)
class Finding:
    category: str
    turn: int
    start: int
    end: int
    confidence: float
    evidence: str
    detector: str = ""
    explanation: Mapping[str, Any] | None = None


@dataclass(slots=True, frozen=True)
class DisclaimerResult:
    id: str
    required: bool
    present: bool
    trigger_turn: int | None = None
    turn: int | None = None
    late: bool = False
    trigger_evidence: str | None = None
    evidence: str | None = None


@dataclass(slots=True)
class AnnotatedConversation:
    """A conversation plus every layer the pipeline adds to it."""

    conversation: Conversation
    languages: list[str | None] = field(default_factory=list)
    language_sources: list[str] = field(default_factory=list)
    sentences: list[list[Sentence]] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    role_decisions: list[RoleDecision] = field(default_factory=list)
    pii: list[PiiSpan] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    disclaimers: list[DisclaimerResult] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def turns(self) -> list[Turn]:
        return self.conversation.turns

    def iter_sentences(self) -> Iterator[Sentence]:
        for turn_sentences in self.sentences:
            yield from turn_sentences

    def sentence_text(self, sentence: Sentence) -> str:
        return self.turns[sentence.turn].text[sentence.start : sentence.end]

    def role_of(self, turn_index: int) -> Role | None:
        if turn_index < len(self.roles):
            return self.roles[turn_index]
        return self.turns[turn_index].role
