"""`analyzer eval` must agree with the reference scorer on the same reports."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from analyzer.cli import main
from analyzer.evaluation import Counts, format_table, read_gold, score, table_rows
from tests.conftest import DEV_SET, REFERENCE_SCORER, needs_shared

CATEGORIES = ["flattery", "pressure", "rebate_request", "rebate_offer", "pii_disclosure"]
PII = ["PERSON", "PHONE", "EMAIL", "ID_NUMBER", "CARD_NUMBER", "BANK_ACCOUNT", "ADDRESS", "DATE_OF_BIRTH"]
DISCLAIMERS = ["recording_notice", "general_information", "risk_warning", "commission_disclosure"]


def random_report(conv: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Predictions that are partly right, partly wrong: every scoring branch gets exercised."""
    findings, pii = [], []
    for i, turn in enumerate(conv["turns"]):
        for label in turn.get("labels", []):
            if rng.random() < 0.6:
                findings.append({"category": label, "turn": i, "start": 0, "end": 1})
        if rng.random() < 0.05:
            findings.append({"category": rng.choice(CATEGORIES), "turn": i, "start": 0, "end": 1})
        for span in turn.get("pii", []):
            if rng.random() < 0.7:
                kind = span["type"] if rng.random() < 0.9 else rng.choice(PII)
                pii.append({"turn": i, "start": span["start"] + 1, "end": span["end"] + 2, "type": kind})
        if rng.random() < 0.05:
            pii.append({"turn": i, "start": 0, "end": 3, "type": rng.choice(PII)})
    disclaimers = [{"id": d, "required": rng.random() < 0.7, "present": rng.random() < 0.5,
                    "trigger_turn": None, "turn": None} for d in DISCLAIMERS]
    return {"conversation_id": conv["id"], "findings": findings, "pii": pii, "disclaimers": disclaimers}


def reference_rows(gold: Path, reports_dir: Path, tmp_path: Path) -> list[dict[str, Any]]:
    out = tmp_path / "reference.json"
    subprocess.run([sys.executable, str(REFERENCE_SCORER), str(gold), str(reports_dir), "--json", str(out)],
                   check=True, capture_output=True)
    return json.loads(out.read_text())["rows"]


@needs_shared(REFERENCE_SCORER)
@needs_shared(DEV_SET)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_scores_equal_reference_scorer_on_random_reports(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    gold = read_gold(DEV_SET)
    reports = {c["id"]: random_report(c, rng) for c in gold if rng.random() < 0.9}  # some reports missing
    for conv_id, report in reports.items():
        (tmp_path / f"{conv_id}.json").write_text(json.dumps(report), encoding="utf-8")
    assert table_rows(score(gold, reports)) == reference_rows(DEV_SET, tmp_path, tmp_path)


@needs_shared(REFERENCE_SCORER)
@needs_shared(DEV_SET)
def test_eval_command_agrees_with_reference_on_its_own_reports(tmp_path: Path) -> None:
    reports_dir, ours = tmp_path / "reports", tmp_path / "ours.json"
    result = CliRunner().invoke(main, ["eval", str(DEV_SET), "--reports", str(reports_dir), "--json", str(ours)])
    assert result.exit_code == 0, result.output
    assert "language of turns" in result.output
    assert json.loads(ours.read_text())["rows"] == reference_rows(DEV_SET, reports_dir, tmp_path)
    assert len(list(reports_dir.glob("*.json"))) == len(read_gold(DEV_SET))


def test_precision_recall_edge_cases_follow_the_reference() -> None:
    assert Counts().prf() == (1.0, 1.0, 1.0)
    assert Counts(fn=2).prf() == (0.0, 0.0, 0.0)
    assert Counts(fp=1).prf() == (0.0, 1.0, 0.0)
    assert Counts(tp=1, fp=1, fn=0).prf() == (0.5, 1.0, 2 / 3)


def test_table_layout_matches_the_reference_columns() -> None:
    gold = [{"id": "a", "language": "en", "turns": [{"text": "x", "labels": ["pressure"], "pii": []}]}]
    text = format_table(score(gold, {"a": {"findings": [{"turn": 0, "category": "pressure"}]}}))
    lines = text.splitlines()
    assert lines[0].split() == ["area", "name", "en", "all"]
    assert any(line.split()[:4] == ["category", "pressure", "1.00", "1.00/1.00"] for line in lines)
    assert lines[-1] == "cells: F1 precision/recall"
