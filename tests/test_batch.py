"""Batch scoring: workers, resume after an interruption, tables, and Spark matching one machine."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from analyzer.batch import JOURNAL, PipelineSpec, score_files, write_tables
from analyzer.readers import iter_input_files, read_path
from analyzer.tables import load_findings, load_reports
from tests.conftest import SAMPLES

IN_CI = os.environ.get("CI") == "true"


def sample_files() -> list[str]:
    return list(iter_input_files([str(SAMPLES)]))


def report_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.json"))}


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("w1")
    result = score_files(sample_files(), out, PipelineSpec(), workers=1)
    result.check()
    write_tables(result, out)
    return out


def test_results_identical_whatever_the_worker_count(one_worker: Path, tmp_path: Path) -> None:
    result = score_files(sample_files(), tmp_path, PipelineSpec(), workers=2)
    write_tables(result, tmp_path)
    assert report_bytes(tmp_path) == report_bytes(one_worker)
    assert len(result.peak_rss_mb) == 2  # two worker processes did the work
    assert (tmp_path / "findings.csv").read_bytes() == (one_worker / "findings.csv").read_bytes()
    ours, theirs = (pd.read_csv(d / "summary.csv").drop(columns="report") for d in (tmp_path, one_worker))
    pd.testing.assert_frame_equal(ours, theirs)


def test_resume_skips_finished_conversations_and_redoes_the_rest(one_worker: Path, tmp_path: Path) -> None:
    files = sample_files()
    first = score_files(files[:5], tmp_path, PipelineSpec(), workers=1)
    done_before = {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("*.json")}
    # simulate a kill: a torn journal line and a leftover temp file
    with open(tmp_path / JOURNAL, "a", encoding="utf-8") as journal:
        journal.write('{"row": {"source": "x", "conv')
    (tmp_path / ".half.json.tmp").write_text("{", encoding="utf-8")
    resumed = score_files(files, tmp_path, PipelineSpec(), workers=1, resume=True)
    resumed.check()
    assert resumed.skipped == first.reports
    assert all(p.stat().st_mtime_ns == done_before[p.name] for p in tmp_path.glob("*.json") if p.name in done_before)
    assert report_bytes(tmp_path) == report_bytes(one_worker)
    assert resumed.reports + len(resumed.failed) == len(resumed.rows)


def test_resume_retries_failures(tmp_path: Path) -> None:
    source = tmp_path / "in" / "call.json"
    source.parent.mkdir()
    source.write_text('{"id": "c1", "turns": [', encoding="utf-8")
    out = tmp_path / "out"
    assert score_files([str(source)], out, PipelineSpec()).failed
    source.write_text(json.dumps({"id": "c1", "turns": [{"speaker": "A", "text": "Hello there."}]}), encoding="utf-8")
    again = score_files([str(source)], out, PipelineSpec(), resume=True)
    assert not again.failed and again.reports == 1


def test_tables_load_through_the_api(one_worker: Path) -> None:
    summary = load_reports(one_worker)
    assert len(summary) == len(list(one_worker.glob("*.json")))
    assert {"conversation_id", "risk_score", "agent_id", "languages"} <= set(summary.columns)
    findings = load_findings(one_worker)
    assert len(findings) == len(pd.read_parquet(one_worker / "findings.parquet"))


def spark_session():
    pyspark = pytest.importorskip("pyspark", reason="pyspark not installed") if not IN_CI else __import__("pyspark")
    if shutil.which("java") is None:
        if IN_CI:
            pytest.fail("java is required for the Spark test in CI")
        pytest.skip("java not installed")
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # workers must use this environment (pyarrow, the analyzer)
    return (SparkSession.builder.master("local[2]").appName("analyzer-test")
            .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate()), pyspark


def test_spark_matches_single_machine_reports(one_worker: Path) -> None:
    from analyzer.spark import score_dataframe

    spark, _ = spark_session()
    try:
        lines = [json.dumps(c.to_dict(), ensure_ascii=False) for f in sample_files() for c in read_path(Path(f))]
        frame = spark.createDataFrame([(line,) for line in lines], "value string").repartition(3)
        result = score_dataframe(frame)
        rows = result.reports.collect()
        summary = result.summary.toPandas()
        findings = result.findings.toPandas()
    finally:
        spark.stop()
    assert {r.status for r in rows} == {"ok"}
    local = {json.loads(b)["conversation_id"]: json.loads(b) for b in report_bytes(one_worker).values()}
    for row in rows:
        ours = json.loads(row.report)
        expected = local[row.conversation_id]
        ours["source"] = expected["source"]  # Spark input carries no file path
        assert ours == expected, row.conversation_id
    assert sorted(summary["conversation_id"]) == sorted(local)
    assert len(findings) == sum(len(r["findings"]) for r in local.values())


def test_limit_threads_caps_loaded_and_later_native_pools() -> None:
    """Workers share the cores: a worker's BLAS/OpenMP pools must not each start one thread per core."""
    import subprocess

    code = ("import json, os, numpy, sklearn.linear_model\n"
            "from threadpoolctl import threadpool_info\n"
            "from analyzer.batch import limit_threads\n"
            "limit_threads(1)\n"
            "print(json.dumps([os.environ['OMP_NUM_THREADS'], [p['num_threads'] for p in threadpool_info()]]))")
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    omp, pools = json.loads(done.stdout)
    assert omp == "1" and pools and set(pools) == {1}
