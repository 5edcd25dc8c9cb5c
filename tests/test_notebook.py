"""The batch-analysis notebook runs top to bottom on a folder of reports."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.report_factory import batch, write_reports

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "batch_analysis.ipynb"
SAMPLES = ROOT / "data" / "samples"


def sample_reports(folder: Path) -> int:
    """Score data/samples into `folder` as `analyzer score` does; 0 when the readers cannot (yet) read them."""
    try:
        from analyzer.api import load_pipeline
        from analyzer.batch import score_files
    except ImportError:
        return 0
    result = score_files([str(p) for p in sorted(SAMPLES.iterdir())], folder, load_pipeline())
    return result.reports


def run_notebook(reports_dir: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("REPORTS_DIR", str(reports_dir))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})
    client.execute()
    return notebook


def _outputs(notebook: object) -> str:
    texts = []
    for cell in notebook.cells:  # type: ignore[attr-defined]
        for output in cell.get("outputs", []):
            texts.append(str(output.get("text", "")) + str(output.get("data", {}).get("text/plain", "")))
    return "\n".join(texts)


def test_notebook_runs_on_sample_reports_or_generated_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    if sample_reports(folder) == 0:
        write_reports(folder, batch(weeks=2))
    notebook = run_notebook(folder, monkeypatch)
    text = _outputs(notebook)
    assert "conversations" in text and "Traceback" not in text
    assert os.environ.get("REPORTS_DIR") == str(folder)


def test_notebook_runs_on_generated_reports_with_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_reports(tmp_path, batch(weeks=2))
    text = _outputs(run_notebook(tmp_path, monkeypatch))
    assert "A-17" in text and ("[PHONE]" in text or "[PERSON]" in text)
