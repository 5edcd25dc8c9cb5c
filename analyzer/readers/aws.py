"""AWS Transcribe JSON: `results.audio_segments[]` when present, else words from `results.items[]`
attributed to speakers via `speaker_label` on items or `results.speaker_labels.segments[]`."""

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


def _is_aws(data: Any) -> bool:
    if not is_object(data) or not is_object(data.get("results")):
        return False
    results = data["results"]
    has_words = isinstance(results.get("items"), list) or isinstance(results.get("audio_segments"), list)
    return has_words and ("transcripts" in results or "jobName" in data)


class AwsTranscribeReader:
    """Amazon Transcribe batch job output."""

    name = "aws"
    extensions: tuple[str, ...] = ()
    content_wins = True

    def sniff(self, text: str) -> bool:
        return _is_aws(try_json(text))

    def read(self, text: str, source: str, options: ReadOptions) -> Iterator[Conversation]:
        data = parse_json(text, source)
        with shape_guard(source, "AWS Transcribe JSON"):
            results = data["results"]
            segments = results.get("audio_segments")
            pieces = (
                _segment_pieces(segments) if segments and _has_speakers(segments) else _word_pieces(results)
            )
            conversation = make_conversation(
                str(data.get("jobName") or stem_of(source)),
                pieces,
                reader=self.name,
                source=source,
                options=options,
                language=language_code(results.get("language_code") or data.get("languageCode")),
            )
        yield conversation


def _has_speakers(segments: list[dict[str, Any]]) -> bool:
    return any(segment.get("speaker_label") for segment in segments)


def _segment_pieces(segments: list[dict[str, Any]]) -> list[Piece]:
    return [
        Piece(
            text_of(segment["transcript"]),
            _label(segment.get("speaker_label")),
            seconds(segment.get("start_time")),
            seconds(segment.get("end_time")),
        )
        for segment in segments
    ]


def _label(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _word_pieces(results: dict[str, Any]) -> list[Piece]:
    speakers = _speaker_by_start(results)
    words: list[Word] = []
    for item in results.get("items") or []:
        words.append(_word(item, speakers, words[-1] if words else None))
    return list(pieces_from_words(words))


def _word(item: dict[str, Any], speakers: dict[str, tuple[str, int]], previous: Word | None) -> Word:
    content = text_of(item["alternatives"][0]["content"])
    if item.get("type") == "punctuation":
        speaker, group = (previous.speaker, previous.group) if previous else (None, None)
        return Word(content, None, None, speaker, punctuation=True, group=group)
    start = item.get("start_time")
    speaker, group = speakers.get(str(start), (None, None))
    speaker = _label(item.get("speaker_label")) or speaker
    return Word(content, seconds(start), seconds(item.get("end_time")), speaker, group=group)


def _speaker_by_start(results: dict[str, Any]) -> dict[str, tuple[str, int]]:
    """Speakers are kept apart from words: map each word start time to its speaker and segment."""
    labels = results.get("speaker_labels")
    if not is_object(labels):
        return {}
    mapping: dict[str, tuple[str, int]] = {}
    for index, segment in enumerate(labels.get("segments") or []):
        for item in segment.get("items") or []:
            label = str(item.get("speaker_label") or segment["speaker_label"])
            mapping[str(item["start_time"])] = (label, index)
    return mapping
