"""`analyzer redact`: transcripts in, the same transcripts with personal data masked out."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from analyzer.cli.options import parse_roles

if TYPE_CHECKING:
    from analyzer.pipeline import Pipeline
    from analyzer.readers import ReadOptions

HELP = """Redact transcripts: write each INPUT to OUTDIR with every personal-data span
(names, phone numbers, e-mails, ID/card/account numbers, addresses, dates of birth)
replaced by its type in brackets, e.g. [PERSON], [PHONE].

Canonical JSON/JSON Lines, plain text, WebVTT, SRT and CSV/TSV keep their own format
and file name; everything but the masked spans stays byte-identical. The JSON exports
of speech-to-text services (Whisper, AWS Transcribe, Deepgram, AssemblyAI) are written
as canonical JSON (<name>.json), and so is any file whose redacted copy does not read
back cleanly. Speaker labels are kept as they are.

\b
Examples:
  analyzer redact calls/ -o redacted
  analyzer redact call.vtt --config my_pipeline.toml -o redacted

Exit status: 0 when every input was redacted, 1 when some failed.
"""

PIPELINE = ("language", "sentences", "roles", "pii")


@click.command("redact", help=HELP)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the redacted files (created if needed).")
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Pipeline configuration (TOML); its [components.pii] settings choose the recognizers.")
@click.option("--role", "roles", multiple=True, metavar="SPEAKER=ROLE", help="Role of a speaker (repeatable).")
@click.option("--format", "input_format", help="Force an input format instead of detecting it.")
@click.option("--encoding", help="Force a text encoding (detected by default).")
def redact_command(inputs: Sequence[str], outdir: Path, config: Path | None, roles: Sequence[str],
                   input_format: str | None, encoding: str | None) -> None:
    from analyzer.readers import ReadError, ReadOptions, iter_input_files

    err = Console(stderr=True, highlight=False)
    options = ReadOptions(format=input_format, encoding=encoding, merge_turns=False)
    try:
        pipeline = build_pipeline(config, parse_roles(roles))
        sources = list(iter_input_files(inputs))
    except (ReadError, ValueError) as error:
        raise click.UsageError(str(error)) from error
    outdir.mkdir(parents=True, exist_ok=True)
    failures = 0
    used: set[str] = set()
    for source in sources:
        try:
            name, kind = redact_file(Path(source), outdir, pipeline, options, used)
            err.print(f"{source} → {outdir / name} ({kind})", soft_wrap=True)
        except (ReadError, OSError, UnicodeError) as error:
            failures += 1
            err.print(f"[red]error[/red]: {error}", soft_wrap=True)
    sys.exit(1 if failures else 0)


def build_pipeline(config: Path | None, roles: dict[str, str] | None = None) -> Pipeline:
    """Annotators plus the `pii` detector, with settings from the configuration file."""
    from analyzer.pipeline import Pipeline, load_config, registry

    settings = load_config(config).get("components", {})
    components = []
    for name in PIPELINE:
        merged = dict(settings.get(name, {}))
        if name == "roles" and roles:
            merged["mapping"] = dict(roles)
        components.append(registry.create(name, merged))
    return Pipeline(components, profile="redact")


def redact_file(path: Path, outdir: Path, pipeline: Pipeline, options: ReadOptions, used: set[str]) -> tuple[str, str]:
    """Redact one file into `outdir`; returns the written name and how it was written."""
    from analyzer.readers import ReadError, read_bytes
    from analyzer.readers.encoding import decode
    from analyzer.redact import check_redacted, output_name, redact_source

    data = path.read_bytes()
    text = decode(data, str(path), options.encoding)
    conversations = read_bytes(data, path.name, options)
    if not conversations:
        raise ReadError(str(path), "no conversation found")
    source_format = conversations[0].source_format or "canonical"
    spans = [pipeline(c).pii for c in conversations]
    result = redact_source(text, source_format, conversations, spans)
    if result.in_place:
        try:
            ok = check_redacted(conversations, read_bytes(result.text.encode("utf-8"), path.name, options), spans)
        except ReadError:
            ok = False
        if not ok:
            result = redact_source(text, source_format, conversations, spans, in_place=False)
    name = _unique(output_name(path, result.format, result.in_place), used)
    (outdir / name).write_bytes(_encode_like(result.text, data) if result.in_place else result.text.encode())
    return name, "same format" if result.in_place else f"{result.format} JSON"


def _encode_like(text: str, original: bytes) -> bytes:
    """Back to the original's byte form: its BOM, its line endings, its encoding."""
    from analyzer.readers.encoding import detect_encoding

    if b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    encoding = detect_encoding(original) or "utf-8"
    try:
        body = text.encode(encoding)
    except (UnicodeError, LookupError):
        body = text.encode("utf-8")
    if encoding == "utf-8-sig" or (original.startswith(b"\xef\xbb\xbf") and not body.startswith(b"\xef\xbb\xbf")):
        return b"\xef\xbb\xbf" + body.removeprefix(b"\xef\xbb\xbf")
    return body


def _unique(name: str, used: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    candidate, number = name, 1
    while candidate in used:
        number += 1
        candidate = f"{stem}-{number}.{suffix}" if dot else f"{name}-{number}"
    used.add(candidate)
    return candidate
