"""SubRip subtitles: numbered cues, `hh:mm:ss,mmm` times, speakers from `Name:` or `[Name]` prefixes.

A cue of `- ` dialogue dashes holds several speakers; their names are unknown, so each line
becomes its own piece with no speaker (and is therefore never merged with its neighbours).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from analyzer.model import Conversation
from analyzer.readers.base import Piece, ReadError, ReadOptions, make_conversation, stem_of
from analyzer.readers.cues import Cue, blocks, cue_from_block, strip_markup
from analyzer.readers.text import split_label

_FIRST_CUE = re.compile(r"^\s*\d+\s*\n\s*(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}\s*-->")
_BRACKET = re.compile(r"^\[(?P<name>[^\]]{1,40})\]\s*(?P<text>\S.*)$")
_DASH = re.compile(r"^[-–—]\s+")


class SrtReader:
    """SubRip (`.srt`), recognised by a numbered first cue with a timing line."""

    name = "srt"
    extensions: tuple[str, ...] = (".srt",)
    content_wins = True

    def sniff(self, text: str) -> bool:
        return bool(_FIRST_CUE.match(text.lstrip("\ufeff")))

    def read(self, text: str, source: str, options: ReadOptions) -> Iterator[Conversation]:
        cues = [cue for block in blocks(text) if (cue := cue_from_block(block)) is not None]
        if not cues:
            raise ReadError(source, "no subtitle cues found (expected '00:00:01,000 --> 00:00:04,000' lines)")
        pieces = [piece for cue in cues for piece in _cue_pieces(cue)]
        yield make_conversation(stem_of(source), pieces, reader=self.name, source=source, options=options)


def _cue_pieces(cue: Cue) -> Iterator[Piece]:
    lines = [strip_markup(line).strip() for line in cue.lines]
    lines = [line for line in lines if line]
    if len(lines) > 1 and all(_DASH.match(line) for line in lines):
        for line in lines:
            yield _piece(_DASH.sub("", line), cue)
        return
    yield _piece(" ".join(_DASH.sub("", line) for line in lines), cue)


def _piece(text: str, cue: Cue) -> Piece:
    bracket = _BRACKET.match(text)
    if bracket:
        return Piece(bracket["text"], bracket["name"].strip(), cue.start, cue.end)
    speaker, body = split_label(text)
    return Piece(body, speaker, cue.start, cue.end)
