"""Scoring on Spark, when one machine is not enough.

The same pipeline as `analyzer score`, run inside `mapInPandas`: each Python
worker of each executor builds the pipeline (and loads its models) once and
keeps it for every batch it is given. Input: a DataFrame with one canonical
conversation JSON per row (what `spark.read.text("calls/*.jsonl")` gives).
Output: the reports (JSON strings, byte-identical to single-machine reports),
the summary table and the findings table, as DataFrames.

    from analyzer.spark import score_dataframe
    result = score_dataframe(spark.read.text("s3://bucket/calls/*.jsonl"))
    result.summary.write.parquet("s3://bucket/out/summary")
    result.findings.write.parquet("s3://bucket/out/findings")

See README ("Spark") for the cluster command.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from analyzer.batch import FINDING_COLUMNS, PipelineSpec, finding_rows, summary_row
from analyzer.model import PII_TYPES, TURN_CATEGORIES, Conversation

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

REPORT_SCHEMA = "conversation_id string, status string, error string, report string"
SUMMARY_COLUMNS = (["conversation_id", "status", "error", "channel", "languages", "turns", "risk_score", "agent_id",
                    "metadata"] + list(TURN_CATEGORIES) + ["missing_disclaimers", "missing_disclaimer_count"]
                   + [f"pii_{t.lower()}" for t in PII_TYPES] + ["pii_total"])
_INTS = set(TURN_CATEGORIES) | {"turns", "risk_score", "missing_disclaimer_count", "pii_total"} | {
    f"pii_{t.lower()}" for t in PII_TYPES}
SUMMARY_SCHEMA = ", ".join(f"{c} {'int' if c in _INTS else 'string'}" for c in SUMMARY_COLUMNS)
_FINDING_TYPES = {"turn": "int", "start": "int", "end": "int", "risk_score": "int", "confidence": "double"}
FINDINGS_SCHEMA = ", ".join(f"{c} {_FINDING_TYPES.get(c, 'string')}" for c in FINDING_COLUMNS)

def analyse_json(text: str, spec: PipelineSpec) -> dict[str, Any]:
    """One canonical conversation JSON → a report row (never raises: a failure is a row)."""
    from analyzer.report import build_report, dumps_report

    conversation_id = None
    try:
        data = json.loads(text)
        conversation_id = str(data.get("id")) if isinstance(data, dict) and data.get("id") is not None else None
        pipeline = spec.build()  # once per executor Python process
        doc = pipeline(Conversation.from_dict(data, source="spark"))
        report = build_report(doc, profile=pipeline.profile, components=pipeline.names)
        if spec.redact:
            from analyzer.redact import redact_report

            report = redact_report(report)
        return {"conversation_id": report["conversation_id"], "status": "ok", "error": None,
                "report": dumps_report(report)}
    except Exception as error:  # noqa: BLE001 - a bad row must not fail the job
        return {"conversation_id": conversation_id, "status": "failed",
                "error": f"{type(error).__name__}: {error}", "report": None}


def _reports(batches: Iterator[pd.DataFrame], column: str, spec: PipelineSpec) -> Iterator[pd.DataFrame]:
    import pandas as pd

    for batch in batches:
        yield pd.DataFrame([analyse_json(text, spec) for text in batch[column]],
                           columns=["conversation_id", "status", "error", "report"])


def _summaries(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    import pandas as pd

    for batch in batches:
        rows = []
        for record in batch.to_dict("records"):
            if record["status"] != "ok":
                rows.append({"conversation_id": record["conversation_id"], "status": "failed",
                             "error": record["error"]})
                continue
            report = json.loads(record["report"])
            row = summary_row(report, "spark")
            row["metadata"] = json.dumps(report.get("metadata") or {}, ensure_ascii=False, sort_keys=True)
            rows.append(row)
        frame = pd.DataFrame(rows).reindex(columns=SUMMARY_COLUMNS)
        for column in _INTS:
            frame[column] = frame[column].astype("Int32")
        yield frame


def _findings(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    import pandas as pd

    for batch in batches:
        rows = [row for report in batch["report"].dropna() for row in finding_rows(json.loads(report))]
        frame = pd.DataFrame(rows, columns=FINDING_COLUMNS)
        for column in ("turn", "start", "end", "risk_score"):
            frame[column] = frame[column].astype("Int32")
        yield frame


@dataclass
class SparkResult:
    reports: DataFrame
    summary: DataFrame
    findings: DataFrame


def score_dataframe(conversations: DataFrame, column: str = "value", spec: PipelineSpec | None = None,
                    cache: bool = True) -> SparkResult:
    """Score a DataFrame of canonical conversation JSON strings (`column`)."""
    spec = spec or PipelineSpec()
    reports = conversations.select(column).mapInPandas(lambda it: _reports(it, column, spec), REPORT_SCHEMA)
    if cache:
        reports = reports.cache()  # analysis runs once; summary and findings are cheap projections of it
    return SparkResult(reports, reports.mapInPandas(_summaries, SUMMARY_SCHEMA),
                       reports.mapInPandas(_findings, FINDINGS_SCHEMA))
