"""`analyzer render`: report JSON in, one self-contained HTML page (and optionally PDF) per conversation out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console

HELP = """Render REPORT files (or folders of them, searched recursively) as one
self-contained HTML page per conversation in OUTDIR: the transcript with
speaker, role, time and language per turn, every finding highlighted in its
category's colour with evidence, confidence and what to say instead, the
disclaimer checklist linked to the turns, and the risk summary on top.

Personal data is masked as [PHONE], [PERSON]... and client names are replaced
by their role; --show-pii shows them (compliance staff only).

\b
Examples:
  analyzer render out/samples -o out/pages
  analyzer render out/samples/call-17.json -o out/pages --pdf
"""


@click.command("render", help=HELP)
@click.argument("reports", nargs=-1, required=True, metavar="REPORT...",
                type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the pages (created if needed).")
@click.option("--show-pii", is_flag=True, help="Show personal data as said (masked by default).")
@click.option("--pdf", is_flag=True, help="Also write a PDF per page, printed by headless Chromium.")
def render_command(reports: Sequence[Path], outdir: Path, show_pii: bool, pdf: bool) -> None:
    from analyzer.render import (
        PdfError,
        RenderError,
        collect_reports,
        pages_to_pdfs,
        require_chromium,
        write_conversation_pages,
    )

    console = Console(stderr=True, highlight=False)
    try:
        chromium = require_chromium() if pdf else None
        pages = write_conversation_pages(collect_reports(reports), outdir, show_pii=show_pii)
        if not pages:
            raise RenderError("no reports found in " + ", ".join(str(p) for p in reports))
        if chromium:
            pages_to_pdfs(pages, chromium)
    except (RenderError, PdfError) as error:
        raise click.ClickException(str(error)) from error
    what = "pages and PDFs" if pdf else "pages"
    console.print(f"wrote {len(pages)} {what} to {outdir}" + (" (personal data SHOWN)" if show_pii else ""))
