"""Reports as pandas tables: one row per conversation, or one row per finding.

The notebook, the scorecard and analysts' own scripts read reports through
these functions rather than parsing JSON by hand, so a change of the report
format is absorbed in one place.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.batch import FINDING_COLUMNS, finding_rows, summary_row

if TYPE_CHECKING:
    import pandas as pd


def iter_reports(folder: str | Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every report JSON under `folder` (recursively, sorted), skipping files that are not reports."""
    for path in sorted(Path(folder).rglob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and "conversation_id" in data and "findings" in data:
            yield path, data


def load_reports(folder: str | Path) -> pd.DataFrame:
    """One row per conversation: id, languages, metadata (agent_id...), risk, counts, PII, disclaimers."""
    import pandas as pd

    rows = [summary_row(report, (report.get("source") or {}).get("path") or "", path)
            for path, report in iter_reports(folder)]
    frame = pd.DataFrame(rows)
    if "recorded_at" in frame:
        frame["recorded_at"] = pd.to_datetime(frame["recorded_at"], errors="coerce", utc=True)
    if "meta_recorded_at" in frame:
        frame["recorded_at"] = pd.to_datetime(frame.pop("meta_recorded_at"), errors="coerce", utc=True)
    return frame


def load_findings(folder: str | Path) -> pd.DataFrame:
    """One row per finding, with the conversation's metadata and the turn's speaker and language."""
    import pandas as pd

    rows = [row for _, report in iter_reports(folder) for row in finding_rows(report)]
    frame = pd.DataFrame(rows, columns=FINDING_COLUMNS)
    frame["recorded_at"] = pd.to_datetime(frame["recorded_at"], errors="coerce", utc=True)
    return frame
