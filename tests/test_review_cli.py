"""`analyzer review import | adduser | export` from the command line."""

from __future__ import annotations

import json

from click.testing import CliRunner

from analyzer.cli import main
from tests.review_factory import cheap_password_hashing, write_reports  # noqa: F401 - autouse fixture


def test_import_adduser_export(tmp_path):
    reports = write_reports(tmp_path / "reports")
    url = f"sqlite:///{tmp_path / 'review.sqlite'}"
    runner = CliRunner()
    first = runner.invoke(main, ["review", "import", "--reports", str(reports), "--db", url])
    assert first.exit_code == 0 and "imported 5 report(s)" in first.output
    again = runner.invoke(main, ["review", "import", "--reports", str(reports), "--db", url])
    assert "imported 0 report(s)" in again.output and "skipped 5" in again.output
    added = runner.invoke(main, ["review", "adduser", "alice", "--role", "reviewer", "--db", url, "--password-stdin"],
                          input="long enough secret\n")
    assert added.exit_code == 0, added.output
    duplicate = runner.invoke(main, ["review", "adduser", "alice", "--role", "lead", "--db", url, "--password-stdin"],
                              input="long enough secret\n")
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    short = runner.invoke(main, ["review", "adduser", "bob", "--role", "lead", "--db", url, "--password-stdin"],
                          input="short\n")
    assert short.exit_code != 0 and "at least 8" in short.output
    out = tmp_path / "decisions.jsonl"
    exported = runner.invoke(main, ["review", "export", "--db", url, "-o", str(out), "--all"])
    assert exported.exit_code == 0, exported.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 5 and all(t["labels"] == [] and t["review"] == [] for line in lines for t in line["turns"])


def test_default_database_sits_next_to_the_reports(tmp_path):
    reports = write_reports(tmp_path / "reports")
    result = CliRunner().invoke(main, ["review", "import", "--reports", str(reports)])
    assert result.exit_code == 0 and (reports / "review.sqlite").exists()
