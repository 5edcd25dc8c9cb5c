"""One self-contained HTML page per conversation, for coaches and compliance reviewers.

Why self-contained: pages are mailed, archived and opened on machines with
no network, so CSS and JS are inlined and nothing is fetched. Personal data
is masked unless `show_pii` is asked for (compliance staff only); client
speaker names are replaced by their role for the same reason. The page is
built from the report alone (turns, findings, PII spans, disclaimers), so
any report that follows formats.md renders.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from analyzer.coaching import DISCLAIMER_IDS, normalize_language, tip_for
from analyzer.model import PII_TYPES, TURN_CATEGORIES
from analyzer.render.markup import mask_text, pii_spans_for_turn, turn_html
from analyzer.report.builder import report_filename

RISK_LEVELS = ((50, "high"), (25, "medium"), (0, "low"))
TOP_FINDINGS = 5


class RenderError(ValueError):
    """An input that is not a report the renderer can use."""


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("analyzer.render", "templates"), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html", "html.j2", "svg.j2"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["clock"] = clock
    env.filters["pct"] = lambda v: "–" if v is None else f"{100 * float(v):.0f}%"
    env.globals["category_label"] = category_label
    return env


def clock(seconds: float | None) -> str:
    """Seconds as m:ss or h:mm:ss, the way players show a recording's position."""
    if seconds is None:
        return ""
    total = int(seconds)
    hours, minutes, secs = total // 3600, total % 3600 // 60, total % 60
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def category_label(category: str) -> str:
    tip = tip_for(category, "en")
    return tip.label if tip else category.replace("_", " ")


def risk_level(score: int | float | None) -> str:
    score = score or 0
    return next(level for floor, level in RISK_LEVELS if score >= floor)


def page_name(report: Mapping[str, Any]) -> str:
    """The page's file name: the report's collision-free name with `.html`."""
    return report_filename(str(report["conversation_id"]))[: -len(".json")] + ".html"


# --------------------------------------------------------------------------- loading


def load_report(path: Path) -> dict[str, Any]:
    """One report file, checked to be a report (clear error otherwise)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RenderError(f"{path}: cannot read report ({error})") from error
    if not isinstance(data, dict) or not {"conversation_id", "findings", "turns"} <= data.keys():
        raise RenderError(f"{path}: not an analyzer report (needs conversation_id, findings and turns)")
    return data


def collect_reports(paths: Iterable[Path]) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Reports from files and folders, each once (folders are searched recursively; other JSON there is skipped)."""
    from analyzer.tables import iter_reports

    seen: set[Path] = set()
    for path in paths:
        found = ((p, r) for p, r in iter_reports(path) if "turns" in r) if path.is_dir() else [(path, None)]
        for report_path, report in found:
            if report_path.resolve() not in seen:
                seen.add(report_path.resolve())
                yield report_path, report if report is not None else load_report(report_path)


# --------------------------------------------------------------------------- view model


def conversation_context(report: Mapping[str, Any], *, show_pii: bool = False,
                         back_link: str | None = None) -> dict[str, Any]:
    """Everything the conversation template shows, computed once (templates stay logic-free)."""
    turns = report.get("turns") or []
    findings = list(enumerate(report.get("findings") or []))
    pii = report.get("pii") or []
    main_language = normalize_language((report.get("languages") or ["en"])[0])
    disclaimers = [_disclaimer_view(d, turns, main_language) for d in report.get("disclaimers") or []]
    speakers = _speaker_names(turns, show_pii)
    turn_views = [_turn_view(i, t, findings, pii, disclaimers, speakers, show_pii) for i, t in enumerate(turns)]
    return {
        "report": report,
        "title": str(report["conversation_id"]),
        "show_pii": show_pii,
        "back_link": back_link,
        "summary": _summary(report, findings, turns, pii, disclaimers),
        "disclaimers": disclaimers,
        "turns": turn_views,
        "categories": TURN_CATEGORIES,
        "metadata": report.get("metadata") or {},
        "pii_note": pii_note(len(pii), show_pii),
    }


def pii_note(spans: int, show_pii: bool) -> tuple[str, bool]:
    """What the header says about personal data, and whether to warn: masking only covers detected spans."""
    if show_pii:
        return "SHOWN (compliance view)", True
    if spans:
        return f"masked ({spans} detected spans)", False
    return "none detected: the text may still contain personal data the analyser missed", True


def _summary(report: Mapping[str, Any], findings: list[tuple[int, Mapping[str, Any]]], turns: list[Any],
             pii: list[Mapping[str, Any]], disclaimers: list[dict[str, Any]]) -> dict[str, Any]:
    score = report.get("risk_score")
    by_category = {c: sum(1 for _, f in findings if f["category"] == c) for c in TURN_CATEGORIES}
    top = sorted(findings, key=lambda item: -(item[1].get("confidence") or 0))[:TOP_FINDINGS]
    return {
        "risk_score": score,
        "risk_level": risk_level(score),
        "by_category": by_category,
        "flagged_turns": len({f["turn"] for _, f in findings}),
        "turns": len(turns),
        "missing": [d for d in disclaimers if d["status"] == "missing"],
        "late": [d for d in disclaimers if d["status"] == "late"],
        "pii_by_type": {t: n for t in PII_TYPES if (n := sum(1 for s in pii if s.get("type") == t))},
        "top": [_finding_quote(i, f, turns, pii) for i, f in top],
    }


def _finding_quote(index: int, finding: Mapping[str, Any], turns: list[Any], pii: list[Any]) -> dict[str, Any]:
    """A finding's sentence with PII always masked: quotes travel further than the transcript."""
    turn = finding["turn"]
    text = turns[turn]["text"] if turn < len(turns) else finding.get("text") or ""
    spans = pii_spans_for_turn(pii, turn, len(text))
    quote = mask_text(text[finding["start"]:finding["end"]], spans, finding["start"])
    return {"index": index, "turn": turn, "category": finding["category"],
            "confidence": finding.get("confidence"), "quote": quote}


def _speaker_names(turns: list[Mapping[str, Any]], show_pii: bool) -> dict[str | None, str]:
    """Speaker labels to print: agents keep theirs; others become `client 1`... unless PII is shown."""
    names: dict[str | None, str] = {}
    counters: dict[str, int] = {}
    for turn in turns:
        speaker, role = turn.get("speaker"), turn.get("role") or "other"
        if speaker in names:
            continue
        if show_pii or role == "agent":
            names[speaker] = speaker or role
        else:
            counters[role] = counters.get(role, 0) + 1
            names[speaker] = f"{role} {counters[role]}"
    return names


def _turn_view(index: int, turn: Mapping[str, Any], findings: list[tuple[int, Mapping[str, Any]]],
               pii: list[Mapping[str, Any]], disclaimers: list[dict[str, Any]], speakers: Mapping[str | None, str],
               show_pii: bool) -> dict[str, Any]:
    text = turn.get("text") or ""
    mine = [(i, f) for i, f in findings if f["turn"] == index]
    spans = pii_spans_for_turn(pii, index, len(text))
    language = turn.get("language")
    return {
        "index": index,
        "speaker": speakers.get(turn.get("speaker"), turn.get("speaker") or "?"),
        "role": turn.get("role") or "other",
        "language": language or "",
        "lang_attr": normalize_language(language) if language else "",
        "start": turn.get("start"),
        "end": turn.get("end"),
        "html": turn_html(text, mine, spans, show_pii=show_pii),
        "findings": [_finding_view(i, f, language) for i, f in mine],
        "categories": sorted({f["category"] for _, f in mine}),
        "said": [d for d in disclaimers if d["turn"] == index],
        "triggered": [d for d in disclaimers if d["trigger_turn"] == index and d["required"]],
    }


def _finding_view(index: int, finding: Mapping[str, Any], language: str | None) -> dict[str, Any]:
    explanation = finding.get("explanation") or {}
    return {
        "index": index,
        "category": finding["category"],
        "confidence": finding.get("confidence"),
        "evidence": finding.get("evidence") or "",
        "explanation": explanation if isinstance(explanation, Mapping) else {"note": explanation},
        "detector": finding.get("detector") or "",
        "tip": tip_for(finding["category"], language),
    }


def _disclaimer_view(d: Mapping[str, Any], turns: list[Mapping[str, Any]], main_language: str) -> dict[str, Any]:
    trigger, said = d.get("trigger_turn"), d.get("turn")
    language = main_language
    if trigger is not None and trigger < len(turns) and turns[trigger].get("language"):
        language = normalize_language(turns[trigger]["language"])
    return {
        "id": d["id"],
        "label": category_label(d["id"]) if d["id"] in DISCLAIMER_IDS else d["id"].replace("_", " "),
        "required": bool(d.get("required")),
        "present": bool(d.get("present")),
        "status": disclaimer_status(d),
        "trigger_turn": trigger,
        "turn": said,
        "trigger_evidence": d.get("trigger_evidence") or "",
        "evidence": d.get("evidence") or "",
        "tip": tip_for(d["id"], language),
    }


def disclaimer_status(d: Mapping[str, Any]) -> str:
    """`said`, `late`, `missing`, `said_unrequired` or `not_required`: the checklist's words."""
    if d.get("required"):
        if not d.get("present"):
            return "missing"
        return "late" if d.get("late") else "said"
    return "said_unrequired" if d.get("present") else "not_required"


# --------------------------------------------------------------------------- pages


def render_conversation(report: Mapping[str, Any], *, show_pii: bool = False, back_link: str | None = None) -> str:
    """The HTML page of one report."""
    context = conversation_context(report, show_pii=show_pii, back_link=back_link)
    context["generated"] = _generated_note(report)
    return environment().get_template("conversation.html.j2").render(**context)


def _generated_note(report: Mapping[str, Any]) -> str:
    """Which analyser made the report: pages stay byte-identical for the same report (no clock)."""
    analyzer = report.get("analyzer") or {}
    return f"analyzer {analyzer.get('version', '?')}, profile {analyzer.get('profile', '?')}"


def write_conversation_pages(reports: Iterable[tuple[Path, Mapping[str, Any]]], outdir: Path, *,
                             show_pii: bool = False, back_link: str | None = None) -> list[Path]:
    """One page per report in `outdir`; returns the pages written."""
    from analyzer.report.builder import write_atomic

    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for _, report in reports:
        path = outdir / page_name(report)
        write_atomic(path, render_conversation(report, show_pii=show_pii, back_link=back_link))
        written.append(path)
    return written

