"""Plain-text transcripts: `Name: text` lines, optionally behind a `[00:01:02]` style timestamp.

Any speaker label is accepted (`AGENT`, `Лан`, `王经理`, full-width colon `：`); lines without a
label continue the previous turn. The label is kept as the speaker; roles are left to the
role annotator, which knows the label vocabulary of every language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from analyzer.model import Conversation
from analyzer.readers.base import Piece, ReadError, ReadOptions, make_conversation, parse_timestamp, stem_of

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_STAMP = (
    rf"(?:\[(?P<b1>{_TIME})(?:\s*[-–]\s*(?P<b2>{_TIME}))?\]"
    rf"|\((?P<p1>{_TIME})(?:\s*[-–]\s*(?P<p2>{_TIME}))?\)"
    rf"|(?P<t1>{_TIME})(?:\s*(?:-|–|-->)\s*(?P<t2>{_TIME}))?)"
)
_LABEL = r"(?P<label>[^\W\d][\w\u0300-\u036f .'’()#&/-]{0,39}?|\d+[\w .'’#-]{0,38}[^\W\d])"
_LINE = re.compile(rf"^\s*(?:{_STAMP}\s*)?{_LABEL}\s*(?::(?=\s|$)|：)\s*(?P<text>.*)$")
_MAX_LABEL_WORDS = 5
_SNIFF_CHARS = 64 * 1024


def _speaker_line(line: str) -> re.Match[str] | None:
    """A `Name: text` line, or None for a continuation line."""
    match = _LINE.match(line)
    if match is None or len(match["label"].split()) > _MAX_LABEL_WORDS:
        return None
    return match


def _times(match: re.Match[str]) -> tuple[float | None, float | None]:
    start = match["b1"] or match["p1"] or match["t1"]
    end = match["b2"] or match["p2"] or match["t2"]
    return (parse_timestamp(start) if start else None, parse_timestamp(end) if end else None)


class TextReader:
    """`Name: text` transcripts (the fallback when nothing more specific matches)."""

    name = "text"
    extensions: tuple[str, ...] = (".txt", ".text")
    content_wins = False

    def sniff(self, text: str) -> bool:
        return any(_speaker_line(line) for line in text[:_SNIFF_CHARS].split("\n")[:200])

    def read(self, text: str, source: str, options: ReadOptions) -> Iterator[Conversation]:
        pieces = _pieces(text)
        if not any(piece.speaker is not None for piece in pieces):
            raise ReadError(
                source,
                "no speaker lines found (expected lines like 'Name: text'); not a known transcript format",
            )
        yield make_conversation(stem_of(source), pieces, reader=self.name, source=source, options=options)


def _pieces(text: str) -> list[Piece]:
    pieces: list[Piece] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        match = _speaker_line(line)
        if match is not None:
            start, end = _times(match)
            pieces.append(Piece(match["text"].strip(), match["label"].strip(), start, end))
        elif pieces:
            pieces[-1].text = f"{pieces[-1].text} {line.strip()}".strip()
        else:
            pieces.append(Piece(line.strip()))
    return pieces


def split_label(line: str) -> tuple[str | None, str]:
    """`Name: text` → (`Name`, `text`); (None, line) when the line carries no speaker label."""
    match = _speaker_line(line)
    if match is None or match["b1"] or match["p1"] or match["t1"]:
        return None, line
    return match["label"].strip(), match["text"]
