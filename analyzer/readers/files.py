"""Expanding command-line input specs (files, folders, globs, `-`) into a deterministic file list."""

from __future__ import annotations

import glob
from collections.abc import Iterator, Sequence
from pathlib import Path

from analyzer.readers.base import ReadError
from analyzer.readers.registry import READERS

KNOWN_EXTENSIONS = frozenset(ext for reader in READERS.values() for ext in reader.extensions)


def iter_input_files(specs: Sequence[str]) -> Iterator[str]:
    """Each spec's files in sorted order, each file once.

    Named files and glob matches are always kept; inside folders, hidden entries and files
    without a transcript extension (a README, a spreadsheet) are skipped.
    """
    seen: set[str] = set()
    for spec in specs:
        if spec == "-":
            yield spec
            continue
        found = list(_expand(spec))
        if not found:
            raise ReadError(spec, "no such file, or no files match")
        for path in found:
            if path not in seen:
                seen.add(path)
                yield path


def _expand(spec: str) -> Iterator[str]:
    path = Path(spec)
    if path.is_dir():
        yield from _walk(path, set())
    elif path.exists():
        yield spec
    elif glob.has_magic(spec):
        yield from sorted(set(_glob(spec)), key=lambda name: Path(name).parts)


def _glob(spec: str) -> Iterator[str]:
    for match in glob.glob(spec, recursive=True):
        matched = Path(match)
        if matched.is_dir():
            yield from _walk(matched, set())
        elif matched.is_file():
            yield match


def _walk(folder: Path, visited: set[Path]) -> Iterator[str]:
    """Transcript files under `folder`, depth first in name order; dot-names are skipped."""
    real = folder.resolve()
    if real in visited:  # a symlink loop
        return
    visited.add(real)
    for child in sorted(folder.iterdir(), key=lambda p: p.name):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            yield from _walk(child, visited)
        elif child.is_file() and child.suffix.lower() in KNOWN_EXTENSIONS:
            yield str(child)
