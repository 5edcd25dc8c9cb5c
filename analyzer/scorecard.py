"""Agent scorecards: what to coach each agent on, from a folder of reports.

Why these measures: counts alone reward agents with short calls, so findings
are per 100 turns (a turn counts once per category, like the report's
`counts` and the evaluation); disclaimers are a rate of the required ones
that were said; the weekly trend shows whether coaching works; and the
worst sentences (most confident findings) are what a coach plays back in a
session. Sentences are always PII-masked here: scorecards are shared wider
than single transcripts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.model import TURN_CATEGORIES
from analyzer.tables import iter_reports, load_findings, load_reports

if TYPE_CHECKING:
    import pandas as pd

UNKNOWN_AGENT = "unknown"
TOP_SENTENCES = 10


class ScorecardError(ValueError):
    """A folder the scorecard cannot be built from."""


@dataclass
class Scorecard:
    """Per-agent tables; `agents` is what scorecard.csv holds."""

    agents: pd.DataFrame
    weekly: pd.DataFrame
    conversations: pd.DataFrame
    worst: pd.DataFrame
    disclaimers: pd.DataFrame
    reports: list[dict[str, Any]] = field(default_factory=list)

    def agent_ids(self) -> list[str]:
        return list(self.agents["agent_id"])


# --------------------------------------------------------------------------- loading


def load_disclaimers(folder: str | Path) -> pd.DataFrame:
    """One row per (conversation, disclaimer) with required/present/late; tables.py has no such table yet."""
    import pandas as pd

    rows = [{"conversation_id": report["conversation_id"], "id": d.get("id"), "required": bool(d.get("required")),
             "present": bool(d.get("present")), "late": bool(d.get("late"))}
            for _, report in iter_reports(folder) for d in report.get("disclaimers") or []]
    return pd.DataFrame(rows, columns=["conversation_id", "id", "required", "present", "late"])


def pii_index(reports: list[Mapping[str, Any]]) -> dict[tuple[str, int], list[tuple[int, int, str]]]:
    """(conversation, turn) → PII spans, to mask finding sentences."""
    index: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
    for report in reports:
        for span in report.get("pii") or []:
            key = (str(report["conversation_id"]), int(span["turn"]))
            index.setdefault(key, []).append((int(span["start"]), int(span["end"]), str(span["type"])))
    return {key: sorted(spans, key=lambda s: (s[0], -s[1])) for key, spans in index.items()}


def mask_findings(findings: pd.DataFrame, folder: str | Path) -> pd.DataFrame:
    """`load_findings` rows with `text` PII-masked ([PHONE]...), for notebooks and scorecards."""
    from analyzer.render.markup import mask_text

    spans = pii_index([report for _, report in iter_reports(folder)])
    masked = findings.copy()
    masked["text"] = [
        mask_text(text or "", spans.get((str(cid), int(turn)), []), int(start))
        for cid, turn, start, text in zip(findings["conversation_id"], findings["turn"], findings["start"],
                                          findings["text"], strict=True)
    ]
    return masked


# --------------------------------------------------------------------------- aggregation


def build_scorecard(folder: str | Path, top: int = TOP_SENTENCES) -> Scorecard:
    """Aggregate every report under `folder` per agent (`metadata.agent_id`)."""
    conversations = load_reports(folder)
    if conversations.empty:
        raise ScorecardError(f"no reports found in {folder}")
    conversations = _with_agent_and_week(conversations)
    disclaimers = load_disclaimers(folder).merge(conversations[["conversation_id", "agent_id", "week"]],
                                                 on="conversation_id", how="left")
    findings = mask_findings(load_findings(folder), folder)
    findings = findings.merge(conversations[["conversation_id", "agent_id", "report"]].rename(
        columns={"agent_id": "agent"}), on="conversation_id", how="left")
    findings["agent_id"] = findings.pop("agent")
    return Scorecard(
        agents=_agent_rows(conversations, disclaimers),
        weekly=_weekly_rows(conversations, disclaimers),
        conversations=conversations,
        worst=_worst(findings, top),
        disclaimers=disclaimers,
        reports=[report for _, report in iter_reports(folder)],
    )


def _with_agent_and_week(frame: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    frame = frame.copy()
    agent = frame["agent_id"] if "agent_id" in frame else pd.Series(None, index=frame.index, dtype="object")
    frame["agent_id"] = agent.fillna(UNKNOWN_AGENT).astype(str).replace("", UNKNOWN_AGENT)
    recorded = frame["recorded_at"] if "recorded_at" in frame else pd.Series(pd.NaT, index=frame.index)
    recorded = pd.to_datetime(recorded, errors="coerce", utc=True)
    frame["recorded_at"] = recorded
    frame["week"] = [_iso_week(value) for value in recorded]
    for category in TURN_CATEGORIES:
        frame[category] = frame.get(category, 0)
    return frame


def _iso_week(value: Any) -> str | None:
    """ISO week such as 2024-W18 (coaching is planned by week); None when the date is unknown."""
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    year, week, _ = value.isocalendar()
    return f"{year}-W{week:02d}"


def _rates(turns: int, counts: Mapping[str, int]) -> dict[str, float]:
    return {category: round(100 * counts[category] / turns, 2) if turns else 0.0 for category in TURN_CATEGORIES}


def _compliance(disclaimers: pd.DataFrame) -> dict[str, Any]:
    required = disclaimers[disclaimers["required"]]
    said = int(required["present"].sum())
    return {
        "disclaimers_required": len(required),
        "disclaimers_said": said,
        "disclaimers_late": int((required["present"] & required["late"]).sum()),
        "disclaimers_missing": len(required) - said,
        "compliance_rate": round(said / len(required), 4) if len(required) else None,
    }


def _agent_rows(conversations: pd.DataFrame, disclaimers: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for agent, group in conversations.groupby("agent_id", sort=True):
        turns = int(group["turns"].sum())
        counts = {c: int(group[c].sum()) for c in TURN_CATEGORIES}
        rates = _rates(turns, counts)
        row = {"agent_id": agent, "conversations": len(group), "turns": turns,
               "first_recorded": _date(group["recorded_at"].min()), "last_recorded": _date(group["recorded_at"].max()),
               "mean_risk": round(float(group["risk_score"].mean()), 1), "max_risk": int(group["risk_score"].max())}
        row |= {f"{c}_turns": counts[c] for c in TURN_CATEGORIES}
        row |= {f"{c}_per_100": rates[c] for c in TURN_CATEGORIES}
        row["findings_per_100"] = round(sum(rates.values()), 2)
        row |= _compliance(disclaimers[disclaimers["agent_id"] == agent])
        rows.append(row)
    return pd.DataFrame(rows).sort_values(["findings_per_100", "agent_id"], ascending=[False, True],
                                          ignore_index=True)


def _weekly_rows(conversations: pd.DataFrame, disclaimers: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    rows = []
    dated = conversations.dropna(subset=["week"])
    for (agent, week), group in dated.groupby(["agent_id", "week"], sort=True):
        turns = int(group["turns"].sum())
        rates = _rates(turns, {c: int(group[c].sum()) for c in TURN_CATEGORIES})
        mine = disclaimers[(disclaimers["agent_id"] == agent) & (disclaimers["week"] == week)]
        rows.append({"agent_id": agent, "week": week, "conversations": len(group), "turns": turns,
                     **{f"{c}_per_100": rates[c] for c in TURN_CATEGORIES},
                     "findings_per_100": round(sum(rates.values()), 2),
                     "compliance_rate": _compliance(mine)["compliance_rate"]})
    columns = ["agent_id", "week", "conversations", "turns", *(f"{c}_per_100" for c in TURN_CATEGORIES),
               "findings_per_100", "compliance_rate"]
    return pd.DataFrame(rows, columns=columns)


def _worst(findings: pd.DataFrame, top: int) -> pd.DataFrame:
    """Each agent's `top` most confident findings (ties: newest first), sentences already masked."""
    ordered = findings.sort_values(["agent_id", "confidence", "recorded_at", "conversation_id", "turn"],
                                   ascending=[True, False, False, True, True], na_position="last")
    return ordered.groupby("agent_id", sort=True).head(top).reset_index(drop=True)


def _date(value: Any) -> str | None:
    import pandas as pd

    return None if value is None or pd.isna(value) else value.strftime("%Y-%m-%d")


# --------------------------------------------------------------------------- output


def write_scorecard(folder: str | Path, outdir: Path, *, top: int = TOP_SENTENCES,
                    conversation_pages: bool = True) -> list[Path]:
    """scorecard.csv, scorecard_weekly.csv, index.html, one page per agent (and per conversation)."""
    from analyzer.render.scorecard_pages import write_pages

    card = build_scorecard(folder, top)
    outdir.mkdir(parents=True, exist_ok=True)
    csv_path, weekly_path = outdir / "scorecard.csv", outdir / "scorecard_weekly.csv"
    card.agents.to_csv(csv_path, index=False)
    card.weekly.to_csv(weekly_path, index=False)
    return [csv_path, weekly_path, *write_pages(card, outdir, conversation_pages=conversation_pages)]
