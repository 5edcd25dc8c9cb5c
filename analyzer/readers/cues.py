"""Cue blocks shared by WebVTT and SubRip: blank-line separated, one `start --> end` timing line."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from analyzer.readers.base import parse_timestamp

_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
_TAG = re.compile(r"<[^>\n]*>")
_ASS_TAG = re.compile(r"\{\\[^}]*\}")


@dataclass(slots=True)
class Cue:
    """One timed cue: its payload lines still carry markup."""

    start: float | None
    end: float | None
    lines: list[str]


def timing(line: str) -> re.Match[str] | None:
    return _TIMING.match(line)


def blocks(text: str) -> Iterator[list[str]]:
    """Non-empty blocks of lines separated by blank lines."""
    block: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def cue_from_block(block: list[str]) -> Cue | None:
    """The cue in a block (its identifier line skipped), or None when the block has no timing line."""
    for index, line in enumerate(block[:2]):
        match = timing(line)
        if match:
            start, end = parse_timestamp(match["start"]), parse_timestamp(match["end"])
            return Cue(start, end, block[index + 1 :])
    return None


def strip_markup(text: str) -> str:
    """Drop styling tags (`<i>`, `<c.x>`, `{\\an8}`) and decode entities such as `&amp;`."""
    return html.unescape(_ASS_TAG.sub("", _TAG.sub("", text))).replace("\u200e", "").replace("\u200f", "")
