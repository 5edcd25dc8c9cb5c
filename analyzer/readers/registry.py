"""The reader registry and format detection.

Detection order: a confident content match (`content_wins`) for the extension's own reader,
then any confident reader in registry order, then the extension's reader, then the weaker
sniffers (CSV, plain text). Content beats a lying extension; the extension breaks ties.
"""

from __future__ import annotations

from pathlib import PurePath

from analyzer.readers.assemblyai import AssemblyAiReader
from analyzer.readers.aws import AwsTranscribeReader
from analyzer.readers.base import Reader, ReadError
from analyzer.readers.canonical import CanonicalReader, JsonLinesReader
from analyzer.readers.deepgram import DeepgramReader
from analyzer.readers.encoding import decode
from analyzer.readers.jsonutil import forget_parsed, looks_like_json
from analyzer.readers.srt import SrtReader
from analyzer.readers.tabular import TabularReader
from analyzer.readers.text import TextReader
from analyzer.readers.webvtt import WebVttReader
from analyzer.readers.whisper import WhisperReader

READERS: dict[str, Reader] = {
    reader.name: reader
    for reader in (
        WebVttReader(),
        SrtReader(),
        CanonicalReader(),
        WhisperReader(),
        AwsTranscribeReader(),
        DeepgramReader(),
        AssemblyAiReader(),
        JsonLinesReader(),
        TabularReader(),
        TextReader(),
    )
}

ALIASES: dict[str, str] = {
    "json": "canonical",
    "ndjson": "jsonl",
    "vtt": "webvtt",
    "subrip": "srt",
    "tsv": "csv",
    "tabular": "csv",
    "txt": "text",
    "whisperx": "whisper",
    "transcribe": "aws",
    "aws-transcribe": "aws",
    "assembly": "assemblyai",
}


def reader_named(name: str, source: str) -> Reader:
    """The reader for a user-given format name (aliases such as `vtt` or `tsv` accepted)."""
    key = name.strip().lower()
    reader = READERS.get(ALIASES.get(key, key))
    if reader is None:
        known = ", ".join(READERS)
        raise ReadError(source, f"unknown format {name!r}; known formats: {known}")
    return reader


def reader_for_extension(name: str) -> Reader | None:
    suffix = PurePath(name).suffix.lower()
    return next((r for r in READERS.values() if suffix and suffix in r.extensions), None)


def detect_reader(text: str, name: str) -> Reader:
    """The reader for decoded `text` (see the module docstring for the order)."""
    by_extension = reader_for_extension(name)
    if by_extension is not None and by_extension.content_wins and by_extension.sniff(text):
        return by_extension
    for reader in READERS.values():
        if reader.content_wins and reader.sniff(text):
            return reader
    if by_extension is not None and by_extension.sniff(text):
        return by_extension
    for reader in READERS.values():
        if not reader.content_wins and reader.sniff(text):
            return reader
    return _fallback(text, by_extension)


def _fallback(text: str, by_extension: Reader | None) -> Reader:
    """Nothing matched: the reader whose error message will explain best why."""
    if looks_like_json(text):
        return READERS["canonical"]
    return by_extension or READERS["text"]


def detect_format(data: bytes | str, name: str) -> str:
    """The name of the reader for `data` (bytes are decoded first)."""
    text = decode(data, name) if isinstance(data, bytes) else data
    try:
        return detect_reader(text, name).name
    finally:
        forget_parsed()
