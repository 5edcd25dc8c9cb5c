"""Batch scoring: many inputs in, one report per conversation and a summary table out.

Nothing is silently dropped: every input file yields reports or a failure
row naming the file and why, and `BatchResult.check()` verifies that
inputs = reports + failures at the end.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzer.model import PII_TYPES, TURN_CATEGORIES, Conversation
from analyzer.pipeline import Pipeline
from analyzer.readers import ReadError, ReadOptions, read_bytes, read_path
from analyzer.report import build_report, dumps_report, report_filename, write_atomic

SUMMARY_BASENAME = "summary"


@dataclass
class BatchResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    files: int = 0

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["status"] != "ok"]

    @property
    def reports(self) -> int:
        return sum(1 for r in self.rows if r["status"] == "ok")

    def check(self) -> None:
        """Every input file is accounted for by at least one row (report or failure)."""
        sources = {r["source"] for r in self.rows}
        if len(sources) != self.files:
            raise AssertionError(f"{self.files} inputs but rows for {len(sources)}")


ProgressHook = Callable[[str, int], None]


def iter_conversations(source: str, options: ReadOptions) -> Iterator[Conversation]:
    if source == "-":
        yield from read_bytes(sys.stdin.buffer.read(), "<stdin>", options)
    else:
        yield from read_path(Path(source), options)


def score_files(
    sources: Iterable[str],
    outdir: Path,
    pipeline: Pipeline,
    read_options: ReadOptions | None = None,
    *,
    include_timings: bool = False,
    on_file_done: ProgressHook | None = None,
) -> BatchResult:
    """Score every source file, writing `<outdir>/<conversation id>.json` reports."""
    read_options = read_options or ReadOptions()
    result = BatchResult()
    seen: dict[str, str] = {}
    for source in sources:
        result.files += 1
        count, failed = 0, False
        try:
            for conversation in iter_conversations(source, read_options):
                count += 1
                result.rows.append(_score_one(conversation, source, outdir, pipeline, seen, include_timings))
        except ReadError as error:
            result.rows.append(failure_row(source, error.reason))
            failed = True
        if count == 0 and not failed:
            result.rows.append(failure_row(source, "no conversations in file"))
        if on_file_done:
            on_file_done(source, count)
    return result


def _score_one(conversation: Conversation, source: str, outdir: Path, pipeline: Pipeline,
               seen: dict[str, str], include_timings: bool) -> dict[str, Any]:
    if conversation.id in seen:
        return failure_row(source, f"duplicate conversation id (first seen in {seen[conversation.id]})",
                           conversation.id)
    seen[conversation.id] = source
    try:
        doc = pipeline(conversation, timed=include_timings)
        report = build_report(doc, profile=pipeline.profile, components=pipeline.names,
                              include_timings=include_timings)
    except Exception as error:  # noqa: BLE001 - one bad conversation must not stop the batch
        return failure_row(source, f"analysis failed: {type(error).__name__}: {error}", conversation.id)
    path = outdir / report_filename(conversation.id)
    write_atomic(path, dumps_report(report))
    return summary_row(report, source, path)


def failure_row(source: str, reason: str, conversation_id: str | None = None) -> dict[str, Any]:
    return {"source": source, "conversation_id": conversation_id, "status": "failed", "error": reason}


def summary_row(report: Mapping[str, Any], source: str, path: Path | None = None) -> dict[str, Any]:
    """One flat row per conversation, for pandas and spreadsheets."""
    counts = report.get("counts", {})
    row: dict[str, Any] = {
        "source": source,
        "conversation_id": report["conversation_id"],
        "status": "ok",
        "error": None,
        "report": str(path) if path else None,
        "format": (report.get("source") or {}).get("format"),
        "channel": report.get("channel"),
        "languages": ";".join(report.get("languages", [])),
        "turns": len(report.get("turns", [])),
        "risk_score": report.get("risk_score"),
    }
    for key, value in sorted((report.get("metadata") or {}).items()):
        if isinstance(value, str | int | float | bool) or value is None:
            row[key if key == "agent_id" else f"meta_{key}"] = value
    for category in TURN_CATEGORIES:
        row[category] = counts.get("findings", {}).get(category, 0)
    missing = [d["id"] for d in report.get("disclaimers", []) if d["required"] and not d["present"]]
    row["missing_disclaimers"] = ";".join(missing)
    row["missing_disclaimer_count"] = len(missing)
    for pii_type in PII_TYPES:
        row[f"pii_{pii_type.lower()}"] = counts.get("pii", {}).get(pii_type, 0)
    row["pii_total"] = sum(row[f"pii_{t.lower()}"] for t in PII_TYPES)
    return row


def write_summary(rows: list[dict[str, Any]], outdir: Path) -> list[Path]:
    """summary.csv and summary.parquet (one row per conversation or failed input)."""
    import pandas as pd

    frame = pd.DataFrame(rows)
    if "conversation_id" in frame:
        frame["conversation_id"] = frame["conversation_id"].astype("string")
    outdir.mkdir(parents=True, exist_ok=True)
    csv_path, parquet_path = outdir / f"{SUMMARY_BASENAME}.csv", outdir / f"{SUMMARY_BASENAME}.parquet"
    frame.to_csv(csv_path, index=False)
    frame.to_parquet(parquet_path, index=False)
    return [csv_path, parquet_path]
