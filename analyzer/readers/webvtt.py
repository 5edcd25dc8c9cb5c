"""WebVTT captions: Teams-style `<v Name>` voice tags and Zoom-style `Name: text` prefixes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from analyzer.model import Conversation
from analyzer.readers.base import Piece, ReadError, ReadOptions, make_conversation, stem_of
from analyzer.readers.cues import Cue, blocks, cue_from_block, strip_markup
from analyzer.readers.text import split_label

_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>")
_SKIPPED_BLOCKS = ("WEBVTT", "NOTE", "STYLE", "REGION")


class WebVttReader:
    """WebVTT (`.vtt`), recognised by its `WEBVTT` header whatever the extension."""

    name = "webvtt"
    extensions: tuple[str, ...] = (".vtt", ".webvtt")
    content_wins = True

    def sniff(self, text: str) -> bool:
        return text.lstrip("\ufeff \t\n").startswith("WEBVTT")

    def read(self, text: str, source: str, options: ReadOptions) -> Iterator[Conversation]:
        if not self.sniff(text):
            raise ReadError(source, "not a WebVTT file (it must start with 'WEBVTT')")
        pieces = [piece for cue in _cues(text) for piece in _cue_pieces(cue)]
        yield make_conversation(stem_of(source), pieces, reader=self.name, source=source, options=options)


def _cues(text: str) -> Iterator[Cue]:
    for block in blocks(text):
        if block[0].strip().split(" ")[0] in _SKIPPED_BLOCKS:
            continue
        cue = cue_from_block(block)
        if cue is not None:
            yield cue


def _cue_pieces(cue: Cue) -> Iterator[Piece]:
    """One piece per voice in the cue (usually one)."""
    payload = " ".join(line.strip() for line in cue.lines)
    parts = _VOICE.split(payload)
    if len(parts) == 1:
        speaker, text = split_label(strip_markup(payload).strip())
        yield Piece(text, speaker, cue.start, cue.end)
        return
    if strip_markup(parts[0]).strip():
        yield Piece(strip_markup(parts[0]), None, cue.start, cue.end)
    for voice, body in zip(parts[1::2], parts[2::2], strict=True):
        speaker = (voice or "").strip() or None
        yield Piece(strip_markup(body), speaker, cue.start, cue.end)
