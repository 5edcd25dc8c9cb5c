"""Deepgram pre-recorded JSON: `results.utterances[]` when present, else the words of
`results.channels[0].alternatives[0]` grouped by their `speaker`."""

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


def _is_deepgram(data: Any) -> bool:
    if not is_object(data) or not is_object(data.get("results")):
        return False
    results = data["results"]
    return isinstance(results.get("channels"), list) or isinstance(results.get("utterances"), list)


class DeepgramReader:
    """Deepgram `/v1/listen` responses."""

    name = "deepgram"
    extensions: tuple[str, ...] = ()
    content_wins = True

    def sniff(self, text: str) -> bool:
        return _is_deepgram(try_json(text))

    def read(self, text: str, source: str, options: ReadOptions) -> Iterator[Conversation]:
        data = parse_json(text, source)
        with shape_guard(source, "Deepgram JSON"):
            results = data["results"]
            utterances = results.get("utterances")
            pieces = [_utterance(u) for u in utterances] if utterances else _word_pieces(results)
            metadata = data.get("metadata") if is_object(data.get("metadata")) else {}
            conversation = make_conversation(
                str(metadata.get("request_id") or stem_of(source)),
                pieces,
                reader=self.name,
                source=source,
                options=options,
                language=_language(results),
            )
        yield conversation


def _speaker(value: Any) -> str | None:
    return None if value is None else f"Speaker {value}"


def _utterance(utterance: dict[str, Any]) -> Piece:
    return Piece(
        text_of(utterance["transcript"]),
        _speaker(utterance.get("speaker")),
        seconds(utterance.get("start")),
        seconds(utterance.get("end")),
    )


def _word_pieces(results: dict[str, Any]) -> list[Piece]:
    """Words of every channel in time order; stereo calls without diarisation name the channel."""
    channels = results.get("channels") or []
    words: list[Word] = []
    for index, channel in enumerate(channels):
        label = f"Channel {index}" if len(channels) > 1 else None
        words += [_word(w, label) for w in channel["alternatives"][0].get("words") or []]
    if len(channels) > 1:
        words.sort(key=lambda w: (w.start is None, w.start or 0.0))
    if not words and channels:
        return [Piece(text_of(channels[0]["alternatives"][0].get("transcript")))]
    return list(pieces_from_words(words))


def _word(word: dict[str, Any], channel: str | None) -> Word:
    speaker = _speaker(word.get("speaker")) or channel
    text = text_of(word.get("punctuated_word") or word["word"])
    return Word(text, seconds(word.get("start")), seconds(word.get("end")), speaker)


def _language(results: dict[str, Any]) -> str | None:
    channels = results.get("channels") or []
    return language_code(channels[0].get("detected_language")) if channels else None
