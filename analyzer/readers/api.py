"""Reading files and byte strings into conversations: size limits, decoding, detection, streaming."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from analyzer.model import Conversation
from analyzer.readers.base import ReadError, ReadOptions, StreamingReader
from analyzer.readers.encoding import check_not_binary, decode, detect_encoding
from analyzer.readers.jsonutil import forget_parsed
from analyzer.readers.registry import READERS, detect_reader, reader_for_extension, reader_named

_HEAD = 1024 * 1024


def read_path(path: Path, options: ReadOptions | None = None) -> Iterator[Conversation]:
    """Conversations in one file (`-` is standard input); JSON Lines is streamed lazily."""
    options = options or ReadOptions()
    source = str(path)
    if source == "-":
        yield from read_bytes(sys.stdin.buffer.read(), "-", options)
        return
    with _open(path, source) as handle:
        head = handle.read(_HEAD)
        at_end = len(head) < _HEAD
        streaming = _streaming_reader(head, path.name, source, options, at_end=at_end)
        if streaming is not None:
            handle.seek(0)
            yield from streaming.read_lines(_lines(handle, head, source, options), source, options)
            return
        size = path.stat().st_size
        if not at_end and size > options.max_bytes:
            raise ReadError(source, too_large(size, options.max_bytes))
        data = head + handle.read()
    yield from _iter_bytes(data, source, options)


def read_bytes(data: bytes, name: str, options: ReadOptions | None = None) -> list[Conversation]:
    """Conversations in an in-memory file (e.g. standard input); `name` gives the extension and id."""
    return list(_iter_bytes(data, name, options or ReadOptions()))


def _iter_bytes(data: bytes, name: str, options: ReadOptions) -> Iterator[Conversation]:
    """Conversations as the reader yields them, so earlier ones arrive before a later error."""
    if (
        len(data) > options.max_bytes
        and _streaming_reader(data[:_HEAD], name, name, options, at_end=False) is None
    ):
        raise ReadError(name, too_large(len(data), options.max_bytes))
    text = decode(data, name, options.encoding)
    reader = reader_named(options.format, name) if options.format else detect_reader(text, name)
    try:
        yield from reader.read(text, name, options)
    finally:
        forget_parsed()


def too_large(size: int, limit: int) -> str:
    return f"file too large ({human_size(size)}, limit {human_size(limit)}; split it or use JSON Lines)"


def human_size(size: float) -> str:
    """`2.1 GB`, `512 MB`, `40 bytes`: sizes as people say them."""
    if size < 1024:
        return f"{int(size)} bytes"
    for unit in ("KB", "MB", "GB", "TB"):
        size /= 1024
        if size < 1024 or unit == "TB":
            break
    return f"{size:.0f} {unit}" if size == int(size) else f"{size:.1f} {unit}"


def _open(path: Path, source: str) -> BinaryIO:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise ReadError(source, "file not found") from None
    except IsADirectoryError:
        raise ReadError(source, "is a folder, not a file") from None
    except PermissionError:
        raise ReadError(source, "permission denied") from None
    except OSError as error:
        raise ReadError(source, f"cannot open ({error.strerror or error})") from None


def _streaming_reader(
    head: bytes, name: str, source: str, options: ReadOptions, *, at_end: bool
) -> StreamingReader | None:
    """The JSON Lines reader when the file should be streamed rather than read whole."""
    if options.format:
        reader = reader_named(options.format, source)
        return reader if isinstance(reader, StreamingReader) else None
    if at_end:
        return None  # small enough to detect from the whole content
    check_not_binary(head, source)
    text = head.decode(detect_encoding(head, partial=True) or "utf-8", errors="ignore")
    jsonl = READERS["jsonl"]
    first, _, rest = text.lstrip("\ufeff").partition("\n")
    by_extension = reader_for_extension(name) is jsonl
    looks_jsonl = jsonl.sniff(first) and rest.lstrip().startswith("{")
    if (by_extension and (not rest or jsonl.sniff(first))) or looks_jsonl:
        return jsonl if isinstance(jsonl, StreamingReader) else None
    return None


def _lines(handle: BinaryIO, head: bytes, source: str, options: ReadOptions) -> Iterator[str]:
    """Decoded lines of a file being streamed; a decoding failure names the line."""
    encoding = options.encoding or detect_encoding(head, partial=True)
    if encoding is None:
        raise ReadError(source, "unknown text encoding (save it as UTF-8, or name the encoding)")
    try:
        stream = io.TextIOWrapper(handle, encoding=encoding, newline=None)
    except LookupError:
        raise ReadError(source, f"unknown encoding name {encoding!r}") from None
    number = 0
    try:
        for number, line in enumerate(stream, 1):
            yield line.removeprefix("\ufeff") if number == 1 else line
    except UnicodeDecodeError:
        raise ReadError(source, f"line {number + 1}: not valid {encoding} text") from None
    finally:
        stream.detach()
