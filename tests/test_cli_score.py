"""End to end: `analyzer score` on the bundled samples and on bad input; `analyzer show`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from analyzer.cli import main
from analyzer.readers import iter_input_files, read_path
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def scored_samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    result = CliRunner().invoke(main, ["score", str(SAMPLES), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def test_every_sample_conversation_gets_one_report(scored_samples: Path) -> None:
    expected = {c.id for f in iter_input_files([str(SAMPLES)]) if not f.endswith(".md")
                for c in read_path(Path(f))}
    reports = {json.loads(p.read_text())["conversation_id"] for p in scored_samples.glob("*.json")}
    assert reports == expected


def test_samples_cover_every_language_and_format(scored_samples: Path) -> None:
    reports = [json.loads(p.read_text()) for p in scored_samples.glob("*.json")]
    languages = {lang for r in reports for lang in r["languages"]}
    formats = {r["source"]["format"] for r in reports}
    assert {"vi", "ru", "zh", "en"} <= languages
    assert {"canonical", "jsonl", "text", "webvtt", "srt", "csv", "whisper", "aws", "deepgram", "assemblyai"} <= formats
    assert any(len(r["languages"]) > 1 for r in reports), "a mixed-language sample"


def test_summary_table_opens_in_pandas(scored_samples: Path) -> None:
    summary = pd.read_parquet(scored_samples / "summary.parquet")
    csv = pd.read_csv(scored_samples / "summary.csv")
    assert len(summary) == len(csv) == len(list(scored_samples.glob("*.json")))
    assert (summary["status"] == "ok").all()
    for column in ("conversation_id", "languages", "risk_score", "pressure", "pii_total", "missing_disclaimers"):
        assert column in summary


def test_reports_are_byte_identical_across_runs(scored_samples: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert CliRunner().invoke(main, ["score", str(SAMPLES), "-o", str(again), "-q"]).exit_code == 0
    for first in scored_samples.glob("*.json"):
        assert (again / first.name).read_bytes() == first.read_bytes(), first.name


def test_bad_inputs_are_listed_and_the_batch_goes_on(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text("Agent: Hello, how can I help?\nClient: Hi.\n", encoding="utf-8")
    (inputs / "broken.json").write_text('{"id": "x", "turns": [', encoding="utf-8")
    (inputs / "empty.txt").write_text("", encoding="utf-8")
    (inputs / "binary.srt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (inputs / "z_dupe.json").write_text(json.dumps({"id": "good", "turns": []}), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["score", str(inputs), "-o", str(out), "-q", "--profile", "fast"])
    assert result.exit_code == 1
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["source"].map(lambda s: Path(s).name)) == {p.name for p in inputs.iterdir()}
    failed = summary[summary["status"] == "failed"]
    failed = failed.set_index(failed["source"].map(lambda s: Path(s).name))
    assert set(failed.index) == {"broken.json", "empty.txt", "binary.srt", "z_dupe.json"}
    assert "duplicate conversation id" in failed.loc["z_dupe.json", "error"]
    for name in ("broken.json", "empty.txt", "binary.srt"):
        assert f"{name}" in result.output  # one clear line per failure, naming the file
    assert len(list(out.glob("*.json"))) == 1


def test_unknown_input_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["score", str(tmp_path / "nope-*.txt"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2


def test_stdin_input(tmp_path: Path) -> None:
    conversation = {"id": "from-stdin", "turns": [{"speaker": "A", "text": "Здравствуйте, чем могу помочь?"}]}
    result = CliRunner().invoke(main, ["score", "-", "-o", str(tmp_path), "-q", "--profile", "fast"],
                                input=json.dumps(conversation))
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "from-stdin.json").read_text())["languages"] == ["ru"]


def test_role_mapping_option(tmp_path: Path) -> None:
    transcript = tmp_path / "call.txt"
    transcript.write_text("Lan: Dạ em chào anh ạ.\nMinh: Chào em.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(transcript), "-o", str(tmp_path / "o"), "-q", "--profile", "fast",
                                       "--role", "Minh=agent", "--role", "Lan=client"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "o" / "call.json").read_text())
    assert [(r["speaker"], r["role"], r["method"]) for r in report["roles"]] == [
        ("Lan", "client", "mapping"), ("Minh", "agent", "mapping")]


def test_show_masks_personal_data_by_default(scored_samples: Path) -> None:
    report_path = next(p for p in sorted(scored_samples.glob("*.json")) if json.loads(p.read_text())["turns"])
    result = CliRunner().invoke(main, ["show", str(report_path)])
    assert result.exit_code == 0, result.output
    report = json.loads(report_path.read_text())
    assert report["conversation_id"] in result.output
    for span in report["pii"]:
        assert f"[{span['type']}]" in result.output


def test_help_teaches() -> None:
    result = CliRunner().invoke(main, ["score", "--help"])
    assert "Examples" in result.output and "--role" in result.output and "Exit status" in result.output


def test_redacted_reports_carry_no_personal_data(scored_samples: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["score", str(SAMPLES), "-o", str(tmp_path), "-q", "--redact"])
    assert result.exit_code == 0, result.output
    checked = 0
    for plain_path in scored_samples.glob("*.json"):
        plain = json.loads(plain_path.read_text())
        redacted = json.loads((tmp_path / plain_path.name).read_text())
        for span in plain["pii"]:
            turn = redacted["turns"][span["turn"]]["text"]
            findings = " ".join(f["text"] for f in redacted["findings"] if f["turn"] == span["turn"])
            assert span["text"] not in turn + findings, (plain_path.name, span["type"])
            checked += 1
    assert checked > 20
