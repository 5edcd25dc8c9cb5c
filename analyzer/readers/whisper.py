"""OpenAI Whisper and WhisperX JSON: `segments[]` with `start`, `end`, `text` and, after WhisperX
diarisation, `speaker` (`SPEAKER_00`) on segments or words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from analyzer.model import Conversation
from analyzer.readers.base import (
    Piece,
    ReadOptions,
    language_code,
    make_conversation,
    seconds,
    shape_guard,
    stem_of,
    text_of,
)
from analyzer.readers.jsonutil import is_object, parse_json, try_json


def _is_whisper(data: Any) -> bool:
    if not is_object(data) or not isinstance(data.get("segments"), list) or "turns" in data:
        return False
    segments = data["segments"]
    if not segments:
        return "text" in data
    return all(is_object(s) and "text" in s and ("start" in s or "end" in s) for s in segments[:5])


class WhisperReader:
    """Whisper / WhisperX `.json` output."""

    name = "whisper"
    extensions: tuple[str, ...] = ()
    content_wins = True

    def sniff(self, text: str) -> bool:
        return _is_whisper(try_json(text))

    def read(self, text: str, source: str, options: ReadOptions) -> Iterator[Conversation]:
        data = parse_json(text, source)
        with shape_guard(source, "Whisper JSON"):
            pieces = [_piece(segment) for segment in data["segments"]] or [Piece(text_of(data.get("text")))]
            conversation = make_conversation(
                stem_of(source),
                pieces,
                reader=self.name,
                source=source,
                options=options,
                language=language_code(data.get("language")),
            )
        yield conversation


def _piece(segment: dict[str, Any]) -> Piece:
    return Piece(
        text_of(segment["text"]),
        _speaker(segment),
        seconds(segment.get("start")),
        seconds(segment.get("end")),
    )


def _speaker(segment: dict[str, Any]) -> str | None:
    """The segment's speaker, else the one most of its words were given."""
    speaker = segment.get("speaker")
    if speaker is not None:
        return str(speaker)
    words = segment.get("words") or []
    votes = Counter(str(w["speaker"]) for w in words if is_object(w) and w.get("speaker") is not None)
    return votes.most_common(1)[0][0] if votes else None
