"""`analyzer scorecard`: a folder of reports in, per-agent coaching scorecards (HTML + CSV) out."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

HELP = """Aggregate the reports under REPORTS_DIR per agent (metadata.agent_id) and
write to OUTDIR: index.html (all agents), agent-<id>.html (findings per 100
turns by category, disclaimer compliance, weekly trend by recorded_at, the
sentences to discuss with what to say instead), conversations/*.html (the
transcript pages they link to), scorecard.csv (one row per agent) and
scorecard_weekly.csv. Sentences are always shown with personal data masked.

\b
Example:
  analyzer score data/samples -o out/samples
  analyzer scorecard out/samples -o out/scorecard
"""


@click.command("scorecard", help=HELP)
@click.argument("reports_dir", metavar="REPORTS_DIR", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the scorecard (created if needed).")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1),
              help="Sentences to discuss per agent (the most confident findings).")
@click.option("--no-conversation-pages", is_flag=True, help="Do not render the linked conversation pages.")
def scorecard_command(reports_dir: Path, outdir: Path, top: int, no_conversation_pages: bool) -> None:
    from analyzer.scorecard import ScorecardError, write_scorecard

    try:
        paths = write_scorecard(reports_dir, outdir, top=top, conversation_pages=not no_conversation_pages)
    except ScorecardError as error:
        raise click.ClickException(str(error)) from error
    agents = sum(1 for p in paths if p.name.startswith("agent-"))
    Console(stderr=True, highlight=False).print(f"wrote scorecards for {agents} agents to {outdir / 'index.html'}")
