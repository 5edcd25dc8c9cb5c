"""`analyzer show`: an annotated transcript in the terminal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.text import Text

CATEGORY_STYLES = {
    "flattery": "bold magenta",
    "pressure": "bold red",
    "rebate_request": "bold yellow",
    "rebate_offer": "bold bright_yellow",
    "pii_disclosure": "bold cyan",
}
ROLE_STYLES = {"agent": "blue", "client": "green", "other": "white"}


@click.command("show")
@click.argument("report_path", metavar="REPORT", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--show-pii", is_flag=True, help="Print personal data as said (masked as [TYPE] by default).")
@click.option("--only-flagged", is_flag=True, help="Print only the turns with findings.")
def show_command(report_path: Path, show_pii: bool, only_flagged: bool) -> None:
    """Print REPORT (a report JSON from `analyzer score`) as a coloured transcript:
    findings highlighted in their category's colour, personal data masked, the
    disclaimer checklist and the risk score on top."""
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
        turns = report["turns"]
    except (ValueError, KeyError, TypeError) as error:
        raise click.ClickException(f"{report_path}: not an analyzer report ({error})") from error
    console = Console(highlight=False)
    console.print(render_header(report))
    flagged = {f["turn"] for f in report.get("findings", [])}
    for index, turn in enumerate(turns):
        if only_flagged and index not in flagged:
            continue
        console.print(render_turn(report, index, turn, show_pii))


def render_header(report: dict[str, Any]) -> Text:
    header = Text()
    header.append(f"{report['conversation_id']}", style="bold")
    header.append(f"  channel={report.get('channel') or '?'}  languages={','.join(report.get('languages', []))}")
    header.append(f"  risk={report.get('risk_score')}\n", style="bold red" if report.get("risk_score", 0) >= 50 else "")
    for d in report.get("disclaimers", []):
        if not d["required"]:
            continue
        mark, style = ("✔ said", "green") if d["present"] else ("✘ missing", "red")
        where = f" at turn {d['turn']}" if d.get("turn") is not None else ""
        late = " (late)" if d.get("late") else ""
        header.append(f"  {mark}{late} {d['id']}{where} (required from turn {d['trigger_turn']})\n", style=style)
    counts = report.get("counts", {}).get("findings", {})
    listed = ", ".join(f"{k}: {v}" for k, v in counts.items() if v)
    header.append(f"  findings: {listed or 'none'}\n")
    return header


def render_turn(report: dict[str, Any], index: int, turn: dict[str, Any], show_pii: bool) -> Text:
    text = turn["text"]
    out = Text()
    when = f" {_clock(turn['start'])}" if turn.get("start") is not None else ""
    role = turn.get("role") or "?"
    out.append(f"[{index}]{when} ", style="dim")
    out.append(f"{turn.get('speaker') or '?'} ({role}, {turn.get('language') or '?'}): ",
               style=ROLE_STYLES.get(role, ""))
    body = Text(text)
    for finding in (f for f in report.get("findings", []) if f["turn"] == index):
        body.stylize(CATEGORY_STYLES.get(finding["category"], "bold"), finding["start"], finding["end"])
    spans = sorted((s for s in report.get("pii", []) if s["turn"] == index), key=lambda s: -s["start"])
    for span in spans:
        if show_pii:
            body.stylize("underline", span["start"], span["end"])
        else:
            body = body[: span["start"]] + Text(f"[{span['type']}]", style="reverse") + body[span["end"] :]
    out.append_text(body)
    for finding in (f for f in report.get("findings", []) if f["turn"] == index):
        out.append(f"\n      ↳ {finding['category']} {finding['confidence']:.2f}: {finding.get('evidence', '')}",
                   style=CATEGORY_STYLES.get(finding["category"], ""))
    return out


def _clock(seconds: float) -> str:
    total = int(seconds)
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"
