"""Shared fixtures: paths to the shared contract and small conversations in each language."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEV_SET = SHARED / "eval" / "dev.jsonl"
REFERENCE_SCORER = SHARED / "tools" / "score_reports.py"
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="session")
def default_pipeline():
    from analyzer.api import load_pipeline

    return load_pipeline()


def needs_shared(path: Path) -> pytest.MarkDecorator:
    return pytest.mark.skipif(not path.exists(), reason=f"{path} not present (shared/ sits beside the repo)")
