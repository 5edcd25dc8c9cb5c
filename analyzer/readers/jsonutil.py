"""JSON parsing shared by the JSON-based readers, with errors worded for people."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from analyzer.readers.base import ReadError


class JsonProblem(ValueError):
    """Why a text is not JSON, already phrased for a ReadError reason."""


@lru_cache(maxsize=2)
def _parse(text: str) -> Any:
    """Parse once per text: several readers sniff the same document."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        message = error.msg[:1].lower() + error.msg[1:]
        raise JsonProblem(f"not valid JSON at line {error.lineno}, column {error.colno}: {message}") from None
    except RecursionError:
        raise JsonProblem("JSON nested too deeply") from None


def forget_parsed() -> None:
    """Drop cached documents once a file is read, so a large one is not kept alive."""
    _parse.cache_clear()


def first_line(text: str) -> str:
    """The first non-blank line, found without splitting the whole (possibly huge) text."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].strip():
            return text[start:end]
        start = end + 1
    return ""


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def parse_json(text: str, source: str) -> Any:
    """The parsed document, or a ReadError naming line and column."""
    try:
        return _parse(text)
    except JsonProblem as problem:
        raise ReadError(source, str(problem)) from None


def try_json(text: str) -> Any:
    """The parsed document, or None when the text is not JSON (for sniffing)."""
    if not looks_like_json(text):
        return None
    try:
        return _parse(text)
    except JsonProblem:
        return None


def is_object(value: Any) -> bool:
    return isinstance(value, dict)


def object_list(value: Any) -> bool:
    """A non-empty list of objects, the usual shape of segments, items and utterances."""
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)
