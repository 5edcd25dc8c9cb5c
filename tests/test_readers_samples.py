"""Readers against the hand-written demo files in data/samples (one per supported format)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.readers import iter_input_files, read_path

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
EXPECTED = {
    ".txt": "text",
    ".vtt": "webvtt",
    ".srt": "srt",
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
}
JSON_PREFIXES = {"assemblyai": "assemblyai", "aws": "aws", "deepgram": "deepgram", "whisper": "whisper"}


def _expected(path: Path) -> str:
    if path.suffix == ".json":
        return JSON_PREFIXES.get(path.name.split("_", 1)[0], "canonical")
    return EXPECTED[path.suffix]


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="data/samples not present")
def test_every_sample_reads_with_the_right_reader() -> None:
    files = [Path(f) for f in iter_input_files([str(SAMPLES)])]
    assert files and all(f.suffix != ".md" for f in files)
    for path in files:
        conversations = list(read_path(path))
        assert conversations, path.name
        assert all(c.source_format == _expected(path) for c in conversations), path.name
        assert all(c.turns and all(t.text for t in c.turns) for c in conversations), path.name
        assert all(len({t.speaker for t in c.turns}) >= 2 for c in conversations), path.name
