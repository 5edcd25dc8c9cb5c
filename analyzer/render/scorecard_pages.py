"""Scorecard HTML: an index of agents and one page per agent, linked to the conversation pages.

Kept apart from `analyzer.scorecard` (the numbers) so the numbers can be
used from notebooks and CSV without Jinja, and the pages can change look
without touching how anything is counted.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.coaching import tip_for
from analyzer.model import TURN_CATEGORIES
from analyzer.render.charts import bar_chart, line_chart, stacked_bars
from analyzer.render.html import category_label, environment, page_name, write_conversation_pages
from analyzer.report.builder import report_filename, write_atomic

if TYPE_CHECKING:
    from analyzer.scorecard import Scorecard

CONVERSATIONS_DIR = "conversations"
LABELS = {c: category_label(c) for c in TURN_CATEGORIES}


def agent_page_name(agent_id: str) -> str:
    return "agent-" + report_filename(agent_id)[: -len(".json")] + ".html"


def write_pages(card: Scorecard, outdir: Path, *, conversation_pages: bool = True) -> list[Path]:
    """index.html, agent-*.html and (optionally) conversations/*.html; returns the paths written."""
    written = []
    if conversation_pages:
        written += write_conversation_pages(((Path(), r) for r in card.reports), outdir / CONVERSATIONS_DIR,
                                            back_link="../index.html")
    env = environment()
    index = outdir / "index.html"
    write_atomic(index, env.get_template("scorecard_index.html.j2").render(**index_context(card, conversation_pages)))
    written.append(index)
    for agent_id in card.agent_ids():
        path = outdir / agent_page_name(agent_id)
        context = agent_context(card, agent_id, conversation_pages)
        write_atomic(path, env.get_template("scorecard_agent.html.j2").render(**context))
        written.append(path)
    return written


def index_context(card: Scorecard, links: bool) -> dict[str, Any]:
    agents = _records(card.agents)
    for row in agents:
        row["page"] = agent_page_name(row["agent_id"])
    rates = {row["agent_id"]: {c: row[f"{c}_per_100"] for c in TURN_CATEGORIES} for row in agents}
    return {
        "title": "Agent scorecards",
        "agents": agents,
        "categories": TURN_CATEGORIES,
        "chart": stacked_bars(rates, TURN_CATEGORIES, LABELS, title="Flagged turns per 100 turns, by category"),
        "totals": {"conversations": len(card.conversations), "agents": len(agents),
                   "turns": int(card.conversations["turns"].sum())},
        "links": links,
    }


def agent_context(card: Scorecard, agent_id: str, links: bool) -> dict[str, Any]:
    row = _records(card.agents[card.agents["agent_id"] == agent_id])[0]
    weekly = _records(card.weekly[card.weekly["agent_id"] == agent_id])
    convs = card.conversations[card.conversations["agent_id"] == agent_id].sort_values(
        ["recorded_at", "conversation_id"], na_position="last")
    return {
        "title": f"Scorecard {agent_id}",
        "agent": row,
        "categories": TURN_CATEGORIES,
        "rates_chart": bar_chart({c: row[f"{c}_per_100"] for c in TURN_CATEGORIES}, LABELS,
                                 title="Flagged turns per 100 turns"),
        "trend_chart": line_chart([(w["week"], w["findings_per_100"]) for w in weekly],
                                  title="Flagged turns per 100 turns, by week"),
        "compliance_chart": line_chart([(w["week"], _percent(w["compliance_rate"])) for w in weekly],
                                       title="Disclaimer compliance, by week", unit="%", y_max=100,
                                       colour="#15803d"),
        "weekly": weekly,
        "by_disclaimer": _by_disclaimer(card, agent_id),
        "worst": [_worst_view(w, links) for w in _records(card.worst[card.worst["agent_id"] == agent_id])],
        "conversations": [_conversation_view(c, links) for c in _records(convs)],
        "links": links,
    }


def _by_disclaimer(card: Scorecard, agent_id: str) -> list[dict[str, Any]]:
    mine = card.disclaimers[(card.disclaimers["agent_id"] == agent_id) & card.disclaimers["required"]]
    rows = []
    for d_id, group in mine.groupby("id", sort=True):
        said = int(group["present"].sum())
        rows.append({"id": d_id, "label": category_label(str(d_id)), "required": len(group), "said": said,
                     "late": int((group["present"] & group["late"]).sum()), "rate": said / len(group)})
    return rows


def _worst_view(finding: dict[str, Any], links: bool) -> dict[str, Any]:
    href = f"{CONVERSATIONS_DIR}/{page_name(finding)}#turn-{finding['turn']}" if links else None
    tip = tip_for(finding["category"], finding.get("language"))
    return {**finding, "href": href, "tip": tip, "date": _day(finding.get("recorded_at"))}


def _conversation_view(conversation: dict[str, Any], links: bool) -> dict[str, Any]:
    href = f"{CONVERSATIONS_DIR}/{page_name(conversation)}" if links else None
    flagged = {c: conversation.get(c) or 0 for c in TURN_CATEGORIES}
    return {**conversation, "href": href, "flagged": flagged, "date": _day(conversation.get("recorded_at"))}


def _records(frame: Any) -> list[dict[str, Any]]:
    """DataFrame rows as dicts with NaN/NaT turned into None (templates test `is none`)."""
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _clean(value: Any) -> Any:
    try:
        import pandas as pd

        if value is None or (not isinstance(value, str | list | dict) and pd.isna(value)):
            return None
    except (TypeError, ValueError):
        return value
    return value


def _percent(rate: float | None) -> float | None:
    return None if rate is None or (isinstance(rate, float) and math.isnan(rate)) else round(100 * rate, 1)


def _day(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else ""
