"""Canonical conversation JSON (one object or a list) and JSON Lines (one conversation per line).

The canonical shape is also the gold-set shape, so `labels`/`pii` on turns are kept (`Turn.extra`)
and conversation-level extras such as `disclaimers` are ignored. Turns are never merged here:
gold labels refer to turn positions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from analyzer.model import Conversation, ConversationError
from analyzer.readers.base import ReadError, ReadOptions, finish, numbered_id
from analyzer.readers.jsonutil import first_line, is_object, parse_json, try_json


def _is_conversation(value: Any) -> bool:
    return is_object(value) and isinstance(value.get("turns"), list)


def to_conversation(
    data: Any, source: str, options: ReadOptions, *, index: int, total: int | None, reader: str, where: str
) -> Conversation:
    """Validate one canonical dict, filling a missing id from the file name."""
    if not is_object(data):
        raise ReadError(source, f"{where}: a conversation must be a JSON object")
    if data.get("id") in (None, ""):
        data = {**data, "id": numbered_id(source, index, total)}
    try:
        conversation = Conversation.from_dict(data, source=source)
    except (ConversationError, TypeError, KeyError, ValueError, AttributeError) as error:
        raise ReadError(source, f"{where}: {error}") from None
    return finish(conversation, reader, source, options)


class CanonicalReader:
    """One canonical conversation object, or a JSON array of them."""

    name = "canonical"
    extensions: tuple[str, ...] = (".json",)
    content_wins = True

    def sniff(self, text: str) -> bool:
        data = try_json(text)
        if isinstance(data, list):
            return bool(data) and all(_is_conversation(item) for item in data)
        return _is_conversation(data)

    def read(self, text: str, source: str, options: ReadOptions) -> Iterator[Conversation]:
        data = parse_json(text, source)
        if isinstance(data, Mapping) and "turns" not in data:
            raise ReadError(source, _UNKNOWN_JSON)
        items = data if isinstance(data, list) else [data]
        for index, item in enumerate(items, 1):
            where = f"conversation {index}" if isinstance(data, list) else "conversation"
            yield to_conversation(
                item, source, options, index=index, total=len(items), reader=self.name, where=where
            )


_UNKNOWN_JSON = (
    "JSON is not a known transcript format (expected a canonical conversation with 'turns', "
    "or Whisper, AWS Transcribe, Deepgram or AssemblyAI output)"
)


class JsonLinesReader:
    """JSON Lines: one canonical conversation per line, read lazily so size is unlimited."""

    name = "jsonl"
    extensions: tuple[str, ...] = (".jsonl", ".ndjson")
    content_wins = True

    def sniff(self, text: str) -> bool:
        return _is_conversation(try_json(first_line(text)))

    def read(self, text: str, source: str, options: ReadOptions) -> Iterator[Conversation]:
        return self.read_lines(text.split("\n"), source, options)

    def read_lines(self, lines: Iterable[str], source: str, options: ReadOptions) -> Iterator[Conversation]:
        count = 0
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            count += 1
            data = _parse_line(line, number, source)
            where = f"line {number}"
            yield to_conversation(
                data, source, options, index=count, total=None, reader=self.name, where=where
            )
        if count == 0:
            raise ReadError(source, "empty file")


def _parse_line(line: str, number: int, source: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        message = error.msg[:1].lower() + error.msg[1:]
        reason = f"line {number}: not valid JSON at column {error.colno}: {message}"
        raise ReadError(source, reason) from None
    except RecursionError:
        raise ReadError(source, f"line {number}: JSON nested too deeply") from None
