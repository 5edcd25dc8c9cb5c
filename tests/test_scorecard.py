"""Agent scorecards: the numbers, the masking, the files and their links."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import main
from analyzer.model import TURN_CATEGORIES
from analyzer.scorecard import ScorecardError, build_scorecard, write_scorecard
from tests.report_factory import batch, make_report, write_reports


@pytest.fixture(scope="module")
def reports_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    write_reports(folder, batch(weeks=3))
    return folder


def _expected(agent: str) -> dict[str, float]:
    """Per-100-turn rates and compliance recomputed straight from the reports."""
    mine = [r for r in batch(weeks=3) if r["metadata"]["agent_id"] == agent]
    turns = sum(len(r["turns"]) for r in mine)
    flagged = {c: sum(len({f["turn"] for f in r["findings"] if f["category"] == c}) for r in mine)
               for c in TURN_CATEGORIES}
    required = [d for r in mine for d in r["disclaimers"] if d["required"]]
    return {**{c: round(100 * n / turns, 2) for c, n in flagged.items()},
            "compliance": round(sum(d["present"] for d in required) / len(required), 4), "turns": turns}


def test_rates_per_100_turns_and_compliance(reports_dir: Path) -> None:
    card = build_scorecard(reports_dir)
    assert sorted(card.agent_ids()) == ["A-17", "A-21"]
    for row in card.agents.to_dict("records"):
        expected = _expected(row["agent_id"])
        assert row["turns"] == expected["turns"]
        assert row["compliance_rate"] == expected["compliance"]
        for category in TURN_CATEGORIES:
            assert row[f"{category}_per_100"] == expected[category]


def test_weekly_trend_uses_iso_weeks(reports_dir: Path) -> None:
    weekly = build_scorecard(reports_dir).weekly
    assert set(weekly["week"]) == {"2024-W18", "2024-W19", "2024-W20", "2024-W21"}
    assert weekly.groupby("agent_id")["conversations"].sum().to_dict() == {"A-17": 6, "A-21": 6}


def test_worst_sentences_are_most_confident_and_masked(reports_dir: Path) -> None:
    worst = build_scorecard(reports_dir, top=5).worst
    assert worst.groupby("agent_id").size().max() == 5
    for _, group in worst.groupby("agent_id"):
        assert list(group["confidence"]) == sorted(group["confidence"], reverse=True)
    every = build_scorecard(reports_dir, top=100).worst
    pii_values = {s["text"] for r in batch(weeks=3) for s in r["pii"]}
    assert not any(value in text for text in every["text"] for value in pii_values)
    assert every["text"].str.contains(r"\[PERSON\]|\[PHONE\]").any()


def test_files_and_links(reports_dir: Path, tmp_path: Path) -> None:
    paths = write_scorecard(reports_dir, tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in paths}
    assert {"scorecard.csv", "scorecard_weekly.csv", "index.html", "agent-A-17.html", "agent-A-21.html"} <= names
    with open(tmp_path / "scorecard.csv", encoding="utf-8") as handle:
        assert {row["agent_id"] for row in csv.DictReader(handle)} == {"A-17", "A-21"}
    pii_values = {s["text"] for r in batch(weeks=3) for s in r["pii"]}
    for page in tmp_path.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not any(value in html for value in pii_values), f"{page.name} shows personal data"
        assert "<svg" in html or page.parent.name == "conversations"
        for target, anchor in re.findall(r'href="([^"#]+\.html)(?:#([\w-]+))?"', html):
            linked = (page.parent / target).resolve()
            assert linked.exists(), f"{page.name} links to missing {target}"
            assert not anchor or f'id="{anchor}"' in linked.read_text(encoding="utf-8")


def test_reports_without_agent_or_date(tmp_path: Path) -> None:
    report = make_report("en", conversation_id="anon")
    report["metadata"] = {}
    write_reports(tmp_path / "r", [report])
    card = build_scorecard(tmp_path / "r")
    assert card.agent_ids() == ["unknown"] and card.weekly.empty
    write_scorecard(tmp_path / "r", tmp_path / "out")
    assert "no trend" in (tmp_path / "out" / "agent-unknown.html").read_text(encoding="utf-8")


def test_cli(reports_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["scorecard", str(reports_dir), "-o", str(tmp_path / "sc"), "--top", "3"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "sc" / "index.html").exists() and "2 agents" in result.output
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["scorecard", str(tmp_path / "empty"), "-o", str(tmp_path / "x")])
    assert result.exit_code == 1 and "no reports" in result.output
    with pytest.raises(ScorecardError):
        build_scorecard(tmp_path / "empty")
