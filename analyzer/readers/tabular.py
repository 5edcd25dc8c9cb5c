"""CSV and TSV transcripts: one row per utterance, columns found by name (or named by the user).

An optional conversation/call id column splits one file into several conversations, kept in
order of first appearance.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from analyzer.model import Conversation
from analyzer.readers.base import (
    Piece,
    ReadError,
    ReadOptions,
    make_conversation,
    parse_timestamp,
    role_of,
    stem_of,
)

SYNONYMS: dict[str, tuple[str, ...]] = {
    "text": ("text", "utterance", "transcript", "content", "message", "sentence", "body", "phrase"),
    "speaker": (
        "speaker", "speaker_label", "speaker_name", "participant", "name", "author", "sender", "from", "who",
    ),
    "role": ("role", "speaker_role", "party", "side"),
    "start": ("start", "start_time", "begin", "begin_time", "starttime", "start_sec", "start_seconds", "time",
              "timestamp", "offset"),
    "end": ("end", "end_time", "stop", "stop_time", "endtime", "end_sec", "end_seconds", "finish"),
    "conversation_id": ("conversation_id", "call_id", "conversation", "call", "session_id", "dialog_id",
                        "dialogue_id", "chat_id", "meeting_id", "transcript_id"),
}  # fmt: skip
_DELIMITERS = ",\t;|"


@dataclass(slots=True)
class _Table:
    columns: dict[str, str]  # our field → the file's header
    rows: list[dict[str, str]]


def _key(name: str) -> str:
    return "_".join(name.strip().strip("\ufeff").lower().replace("-", " ").split())


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The delimiter from the header line; comma when the sniffer cannot tell."""
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=_DELIMITERS)
    except csv.Error:
        return csv.excel_tab if header.count("\t") > header.count(",") else csv.excel


def _header(text: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text.split("\n", 1)[0]), _dialect(text)), [])
    except csv.Error:
        return []


def find_columns(header: list[str], chosen: dict[str, str], source: str) -> dict[str, str]:
    """Map our fields to header names: the user's choice first, then known synonyms."""
    by_key = {_key(name): name for name in header if name}
    columns: dict[str, str] = {}
    for field_name, wanted in chosen.items():
        if _key(wanted) not in by_key:
            raise ReadError(source, f"column {wanted!r} (for {field_name}) not found; {_found(header)}")
        columns[field_name] = by_key[_key(wanted)]
    for field_name, names in SYNONYMS.items():
        if field_name not in columns:
            hit = next((by_key[n] for n in names if n in by_key and by_key[n] not in columns.values()), None)
            if hit is not None:
                columns[field_name] = hit
    return columns


def _found(header: list[str]) -> str:
    return f"found columns: {', '.join(name for name in header if name) or '(none)'}"


class TabularReader:
    """CSV/TSV with a header row; the delimiter is sniffed."""

    name = "csv"
    extensions: tuple[str, ...] = (".csv", ".tsv", ".tab")
    content_wins = False

    def sniff(self, text: str) -> bool:
        header = _header(text)
        return len(header) > 1 and "text" in find_columns(header, {}, "")

    def read(self, text: str, source: str, options: ReadOptions) -> Iterator[Conversation]:
        table = _table(text, source, options)
        for conv_id, rows in _groups(table, source).items():
            pieces = [_piece(row, number, table.columns, source) for number, row in rows]
            yield make_conversation(conv_id, pieces, reader=self.name, source=source, options=options)


def _table(text: str, source: str, options: ReadOptions) -> _Table:
    reader = csv.DictReader(io.StringIO(text), dialect=_dialect(text))
    try:
        header = list(reader.fieldnames or [])
        columns = find_columns(header, options.columns, source)
        if "text" not in columns:
            raise ReadError(source, f"CSV has no text column; {_found(header)}; use --columns text=...")
        return _Table(columns, list(reader))
    except csv.Error as error:
        raise ReadError(source, f"not valid CSV near row {reader.line_num}: {error}") from None


def _groups(table: _Table, source: str) -> dict[str, list[tuple[int, dict[str, str]]]]:
    """Rows per conversation id (row numbers kept for error messages)."""
    id_column = table.columns.get("conversation_id")
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for number, row in enumerate(table.rows, 2):
        conv_id = (row.get(id_column) or "").strip() if id_column else ""
        groups.setdefault(conv_id or stem_of(source), []).append((number, row))
    return groups


def _piece(row: dict[str, str], number: int, columns: dict[str, str], source: str) -> Piece:
    def cell(field_name: str) -> str:
        value = row.get(columns[field_name]) if field_name in columns else None
        return value if isinstance(value, str) else ""

    speaker = cell("speaker").strip() or None
    return Piece(
        text=cell("text"),
        speaker=speaker,
        start=_time(cell("start"), "start", number, source),
        end=_time(cell("end"), "end", number, source),
        role=role_of(cell("role")),
    )


def _time(value: str, what: str, number: int, source: str) -> float | None:
    if not value.strip():
        return None
    parsed = parse_timestamp(value)
    if parsed is None:
        raise ReadError(
            source, f"row {number}: cannot read {what} time {value[:20]!r} (expected hh:mm:ss or seconds)"
        )
    return parsed
