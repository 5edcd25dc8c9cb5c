"""AssemblyAI transcript JSON: `utterances[]` (speaker `A`, `B`, … and times in milliseconds), or
its `words[]` when speaker labels were not requested."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from analyzer.model import Conversation
from analyzer.readers.base import (
    Piece,
    ReadOptions,
    Word,
    language_code,
    make_conversation,
    pieces_from_words,
    seconds,
    shape_guard,
    stem_of,
    text_of,
)
from analyzer.readers.jsonutil import is_object, parse_json, try_json

_MS = 1000.0


def _is_assemblyai(data: Any) -> bool:
    if not is_object(data) or "results" in data or "segments" in data or "turns" in data:
        return False
    has_utterances = isinstance(data.get("utterances"), list)
    has_words = isinstance(data.get("words"), list) and ("audio_duration" in data or "status" in data)
    return has_utterances or has_words


class AssemblyAiReader:
    """AssemblyAI `/v2/transcript` responses."""

    name = "assemblyai"
    extensions: tuple[str, ...] = ()
    content_wins = True

    def sniff(self, text: str) -> bool:
        return _is_assemblyai(try_json(text))

    def read(self, text: str, source: str, options: ReadOptions) -> Iterator[Conversation]:
        data = parse_json(text, source)
        with shape_guard(source, "AssemblyAI JSON"):
            utterances = data.get("utterances")
            pieces = [_utterance(u) for u in utterances] if utterances else _word_pieces(data)
            conversation = make_conversation(
                str(data.get("id") or stem_of(source)),
                pieces,
                reader=self.name,
                source=source,
                options=options,
                language=language_code(data.get("language_code")),
            )
        yield conversation


def _speaker(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _utterance(utterance: dict[str, Any]) -> Piece:
    return Piece(
        text_of(utterance["text"]),
        _speaker(utterance.get("speaker")),
        seconds(utterance.get("start"), _MS),
        seconds(utterance.get("end"), _MS),
    )


def _word_pieces(data: dict[str, Any]) -> list[Piece]:
    words = [
        Word(
            text_of(w["text"]),
            seconds(w.get("start"), _MS),
            seconds(w.get("end"), _MS),
            _speaker(w.get("speaker")),
        )
        for w in data.get("words") or []
    ]
    if not words and data.get("text"):
        return [Piece(text_of(data["text"]))]
    return list(pieces_from_words(words))
