"""`analyzer score`: transcripts in, reports and a summary table out."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from analyzer.cli.options import parse_pairs, parse_roles, pipeline_options

HELP = """Score transcripts: write one report JSON per conversation into OUTDIR, plus
summary.csv and summary.parquet (one row per conversation or failed input).

INPUT may be files, folders (read recursively), globs ('calls/**/*.vtt') or '-'
for standard input. Formats are detected from extension and content: canonical
JSON/JSON Lines, plain text, WebVTT, SRT, CSV/TSV, Whisper/WhisperX, AWS
Transcribe, Deepgram and AssemblyAI JSON.

\b
Examples:
  analyzer score data/samples -o out
  analyzer score calls/*.csv -o out --columns speaker=Agent Name,text=Utterance
  analyzer score call.txt -o out --role Lan=agent --role Minh=client --channel call

Exit status: 0 when every input was scored, 1 when some failed (listed in the
summary with the reason), 2 for a usage error.
"""


@click.command("score", help=HELP)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the reports and the summary (created if needed).")
@pipeline_options
@click.option("--format", "input_format", help="Force an input format instead of detecting it.")
@click.option("--columns", multiple=True, metavar="FIELD=COLUMN",
              help="CSV/TSV column names for speaker, role, start, end, text (e.g. text=Utterance).")
@click.option("--channel", type=click.Choice(["call", "meeting", "chat"]),
              help="Channel to assume when the input does not say.")
@click.option("--encoding", help="Force a text encoding (detected by default).")
@click.option("--no-merge", is_flag=True, help="Keep consecutive segments of one speaker as separate turns.")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: all cores). Results are identical for any count.")
@click.option("--threads", type=click.IntRange(min=1), default=None,
              help="Native threads per worker (default: cores ÷ workers, so the cores are shared, not oversubscribed).")
@click.option("--resume", is_flag=True,
              help="Continue an interrupted run into the same OUTDIR: conversations already reported are skipped.")
@click.option("--redact", is_flag=True, help="Write reports without raw personal data (spans masked as [TYPE]).")
@click.option("--timings", is_flag=True, help="Add per-stage timings to reports (breaks byte-identical output).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def score_command(inputs: Sequence[str], outdir: Path, profile: str, config: Path | None, policy: Path | None,
                  roles: Sequence[str],
                  input_format: str | None, columns: Sequence[str], channel: str | None, encoding: str | None,
                  no_merge: bool, workers: int | None, threads: int | None, resume: bool, redact: bool, timings: bool,
                  quiet: bool) -> None:
    import os

    from analyzer.batch import PipelineSpec, default_threads, limit_threads, score_files, write_tables
    from analyzer.pipeline import ConfigError
    from analyzer.readers import ReadError, ReadOptions, iter_input_files

    err = Console(stderr=True, highlight=False)
    read_options = ReadOptions(format=input_format, columns=parse_pairs(columns, "FIELD"), channel=channel,
                               encoding=encoding, merge_turns=not no_merge)
    spec = PipelineSpec(profile, str(config) if config else None, tuple(sorted(parse_roles(roles).items())),
                        str(policy) if policy else None, redact)
    workers = workers or os.cpu_count() or 1
    threads = threads or default_threads(workers)
    if workers == 1:
        limit_threads(threads)  # the run is in-process: cap threads before the fail-fast build loads the models
    try:
        spec.build()  # fail fast on a bad profile, config or policy, before any worker starts
        sources = list(iter_input_files(inputs))
    except (ConfigError, ReadError, ValueError) as error:
        raise click.UsageError(str(error)) from error

    with _progress(err, quiet) as progress:
        task = progress.add_task("scoring", total=len(sources), conversations=0)

        def advance(_source: str, conversations: int) -> None:
            done = progress.tasks[task].fields["conversations"] + conversations
            progress.update(task, advance=1, conversations=done)

        try:
            result = score_files(sources, outdir, spec, read_options, workers=workers, threads=threads,
                                 resume=resume, include_timings=timings, on_file_done=advance)
        except KeyboardInterrupt:
            err.print(f"[yellow]interrupted[/yellow]: finished reports are kept; continue with "
                      f"`analyzer score ... -o {outdir} --resume`", soft_wrap=True)
            sys.exit(130)
    result.check()
    paths = write_tables(result, outdir)
    for row in result.failed:
        name = f"{row['source']} [{row['conversation_id']}]" if row["conversation_id"] else row["source"]
        err.print(f"[red]error[/red]: {name}: {row['error']}")
    resumed = f" ({result.skipped} already done, resumed)" if result.skipped else ""
    err.print(f"{result.reports} report(s){resumed}, {len(result.failed)} failure(s) from {result.files} input(s) "
              f"→ {outdir}  (summary: {', '.join(p.name for p in paths)})", soft_wrap=True)
    sys.exit(1 if result.failed else 0)


class ConversationRateColumn(ProgressColumn):
    """Conversations per second: files vary in size, conversations are the unit of work."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.fields.get("conversations", 0) / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:.1f} conv/s")


def _progress(console: Console, quiet: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("files · {task.fields[conversations]} conversations ·"), ConversationRateColumn(),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=console, disable=quiet or not console.is_terminal,
    )
