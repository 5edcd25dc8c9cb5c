"""Shared pieces of every reader: the error, the options, the reader protocol and turn building.

Readers turn one decoded text into canonical `Conversation`s; everything they have in common
(how errors read, how timed pieces become turns, how ids and times are derived) lives here so
each format module stays small.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from analyzer.model import CHANNELS, ROLES, Conversation, Role, Segment, Turn

DEFAULT_MAX_BYTES = 512 * 1024**2
FIELDS: tuple[str, ...] = ("speaker", "role", "start", "end", "text", "conversation_id")


class ReadError(Exception):
    """An input that cannot be read; `str()` is one line a non-programmer can act on."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(source, reason)
        self.source = source
        self.reason = " ".join(reason.split())

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class ReadOptions:
    """How to read inputs; every field has a default that suits the common case."""

    format: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    merge_turns: bool = True
    max_bytes: int = DEFAULT_MAX_BYTES
    channel: str | None = None
    encoding: str | None = None

    def __post_init__(self) -> None:
        if self.channel is not None and self.channel not in CHANNELS:
            raise ValueError(f"unknown channel {self.channel!r} (expected one of {', '.join(CHANNELS)})")
        unknown = sorted(set(self.columns) - set(FIELDS))
        if unknown:
            raise ValueError(f"unknown column field(s) {', '.join(unknown)} (expected {', '.join(FIELDS)})")


@runtime_checkable
class Reader(Protocol):
    """One input format. `content_wins`: a positive `sniff` beats the file extension."""

    name: str
    extensions: tuple[str, ...]
    content_wins: bool

    def sniff(self, text: str) -> bool: ...

    def read(self, text: str, source: str, options: ReadOptions) -> Iterator[Conversation]: ...


@runtime_checkable
class StreamingReader(Reader, Protocol):
    """A reader that can consume lines one at a time, so huge files need not fit in memory."""

    def read_lines(
        self, lines: Iterable[str], source: str, options: ReadOptions
    ) -> Iterator[Conversation]: ...


@dataclass(slots=True)
class Piece:
    """One timed utterance as a format gives it, before consecutive pieces are merged into turns."""

    text: str
    speaker: str | None = None
    start: float | None = None
    end: float | None = None
    role: Role | None = None


def build_turns(pieces: Iterable[Piece], merge: bool) -> list[Turn]:
    """Turn pieces into turns; with `merge`, runs of one known speaker become one turn with segments."""
    groups: list[list[Piece]] = []
    for piece in pieces:
        piece.text = piece.text.strip()
        if not piece.text:
            continue
        last = groups[-1][-1] if groups else None
        if merge and last is not None and _same_voice(last, piece):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return [_turn_from_group(group) for group in groups]


def _same_voice(a: Piece, b: Piece) -> bool:
    return a.speaker is not None and a.speaker == b.speaker and a.role == b.role


def _turn_from_group(group: list[Piece]) -> Turn:
    first = group[0]
    turn = Turn(text=first.text, speaker=first.speaker, role=first.role, start=first.start, end=first.end)
    if len(group) == 1:
        return turn
    texts: list[str] = []
    offset = 0
    for piece in group:
        turn.segments.append(Segment(piece.start, piece.end, offset, offset + len(piece.text)))
        texts.append(piece.text)
        offset += len(piece.text) + 1
    turn.text = " ".join(texts)
    starts = [p.start for p in group if p.start is not None]
    ends = [p.end for p in group if p.end is not None]
    turn.start = starts[0] if starts else None
    turn.end = ends[-1] if ends else None
    return turn


def finish(conversation: Conversation, reader: str, source: str, options: ReadOptions) -> Conversation:
    """Stamp provenance and the default channel on a conversation a reader built."""
    conversation.source = source
    conversation.source_format = reader
    if conversation.channel is None:
        conversation.channel = options.channel
    return conversation


def make_conversation(
    conv_id: str,
    pieces: Iterable[Piece],
    *,
    reader: str,
    source: str,
    options: ReadOptions,
    language: str | None = None,
) -> Conversation:
    """Build a finished conversation from pieces (the common tail of every non-canonical reader)."""
    turns = build_turns(pieces, options.merge_turns)
    conversation = Conversation(id=conv_id, turns=turns, language=language)
    return finish(conversation, reader, source, options)


def stem_of(source: str) -> str:
    """The default conversation id: the file name without extension (`stdin` for `-`)."""
    stem = Path(source).stem if source not in ("", "-") else ""
    return stem or "stdin"


def numbered_id(source: str, index: int, total: int | None) -> str:
    """Id for the index-th (1-based) of several conversations in a file that gives none."""
    stem = stem_of(source)
    return stem if total == 1 else f"{stem}#{index}"


_TIMESTAMP = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)$")


def parse_timestamp(value: str) -> float | None:
    """Seconds from `hh:mm:ss(.mmm)`, `mm:ss(,mmm)` or a plain number; None when blank or unreadable."""
    value = value.strip()
    if not value:
        return None
    match = _TIMESTAMP.match(value)
    if match:
        hours, minutes, seconds = match.groups()
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds.replace(",", "."))
    try:
        number = float(value.replace(",", ".")) if value.count(",") <= 1 else math.nan
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def seconds(value: Any, scale: float = 1.0) -> float | None:
    """A finite number of seconds from a JSON number or numeric string (divided by `scale`)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("a time must be a number")
    number = float(value) / scale
    if not math.isfinite(number):
        raise ValueError("a time must be finite")
    return number


def role_of(value: Any) -> Role | None:
    """A canonical role from a loosely spelled one; None when it is not recognised."""
    text = str(value or "").strip().lower()
    if text in ROLES:
        return text  # type: ignore[return-value]
    return _ROLE_SYNONYMS.get(text)


_ROLE_SYNONYMS: dict[str, Role] = {
    "customer": "client",
    "caller": "client",
    "operator": "agent",
    "rep": "agent",
    "representative": "agent",
}

_LANGUAGE_NAMES = {"english": "en", "russian": "ru", "chinese": "zh", "vietnamese": "vi", "mandarin": "zh"}


def language_code(value: Any) -> str | None:
    """`en-US`, `en_us`, `english` → `en`; None when absent."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().lower()
    if text in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[text]
    return re.split(r"[-_]", text)[0] or None


_SHAPE_ERRORS = (KeyError, TypeError, AttributeError, IndexError, ValueError)


@contextmanager
def shape_guard(source: str, what: str) -> Iterator[None]:
    """Report malformed exports (a list where an object belongs, a text time) as a ReadError."""
    try:
        yield
    except ReadError:
        raise
    except _SHAPE_ERRORS as error:
        raise ReadError(source, f"unexpected {what} structure ({_describe(error)})") from None


def _describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing field {error.args[0]!r}" if error.args else "missing field"
    return str(error) or type(error).__name__


_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0002fa1f]")
_ATTACH = frozenset(".,!?;:%)]}»”’…。，！？；：、）」』】")
_SENTENCE_END = frozenset(".!?。！？…")


@dataclass(slots=True)
class Word:
    """One recognised word (or punctuation mark) of a speech-to-text export."""

    text: str
    start: float | None
    end: float | None
    speaker: str | None
    punctuation: bool = False
    group: int | None = None  # the export's own segment, when it has one


def join_words(words: Iterable[Word]) -> str:
    """Join words with spaces, punctuation attached, and no spaces between CJK characters."""
    out = ""
    for word in words:
        text = word.text.strip()
        if not text:
            continue
        if out and not _attaches(out, text, word.punctuation):
            out += " "
        out += text
    return out


def _attaches(before: str, text: str, punctuation: bool) -> bool:
    if punctuation or text[0] in _ATTACH:
        return True
    return bool(_CJK.match(before[-1]) and _CJK.match(text[0]))


def pieces_from_words(words: Iterable[Word]) -> Iterator[Piece]:
    """Group words into pieces at speaker or segment changes (and sentence ends when nobody is known)."""
    run: list[Word] = []
    for word in words:
        if run and not word.punctuation and (word.speaker, word.group) != (run[-1].speaker, run[-1].group):
            yield _piece_from_run(run)
            run = []
        run.append(word)
        if run[0].speaker is None and word.text.strip()[-1:] in _SENTENCE_END:
            yield _piece_from_run(run)
            run = []
    if run:
        yield _piece_from_run(run)


def _piece_from_run(run: list[Word]) -> Piece:
    starts = [w.start for w in run if w.start is not None]
    ends = [w.end for w in run if w.end is not None]
    return Piece(
        text=join_words(run),
        speaker=run[0].speaker,
        start=starts[0] if starts else None,
        end=ends[-1] if ends else None,
    )


def text_of(value: Any) -> str:
    """A transcript field as text: strings as they are, null as empty, anything else is malformed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    raise TypeError(f"expected text, found {type(value).__name__}")
