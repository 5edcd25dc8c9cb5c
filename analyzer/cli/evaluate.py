"""`analyzer eval` and `analyzer langid`: measure the pipeline on a gold set."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from analyzer.cli.options import parse_roles, pipeline_options

EVAL_HELP = """Run the pipeline on a gold set (JSON Lines, formats.md) and print precision,
recall and F1 per category, PII type, disclaimer and language, scored exactly as
the reference scorer does, then language-identification accuracy per language.

\b
Example:
  analyzer eval ../shared/eval/dev.jsonl --reports out/dev --json out/dev-scores.json
"""


@click.command("eval", help=EVAL_HELP)
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pipeline_options
@click.option("--reports", "reports_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write the reports here (then `score_reports.py GOLD DIR` gives the same table).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the figures as JSON (same rows as the reference scorer, plus language accuracy).")
@click.option("--min-words", default=3, show_default=True, help="Shortest turn counted in language accuracy.")
@click.option("--show-text", is_flag=True, help="Print the text of turns detected in another language.")
def eval_command(gold: Path, profile: str, config: Path | None, policy: Path | None, roles: tuple[str, ...],
                 reports_dir: Path | None,
                 json_out: Path | None, min_words: int, show_text: bool) -> None:
    from analyzer.api import load_pipeline
    from analyzer.evaluation import format_table, language_accuracy, read_gold, score, table_rows
    from analyzer.model import Conversation
    from analyzer.report import build_report, dumps_report, report_filename, write_atomic

    gold_convs = read_gold(gold)
    pipeline = load_pipeline(profile, config, parse_roles(roles), policy)
    reports: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    for data in gold_convs:
        doc = pipeline(Conversation.from_dict(data, source=str(gold)))
        report = build_report(doc, profile=pipeline.profile, components=pipeline.names)
        reports[report["conversation_id"]] = report
        if reports_dir:
            write_atomic(reports_dir / report_filename(report["conversation_id"]), dumps_report(report))
    seconds = time.perf_counter() - started
    table = score(gold_convs, reports)
    click.echo(format_table(table))
    accuracy = language_accuracy(gold_convs, reports, min_words)
    _print_language_accuracy(accuracy, gold_convs if show_text else None, min_words)
    turns = sum(len(c["turns"]) for c in gold_convs)
    click.echo(f"{len(gold_convs)} conversations, {turns} turns in {seconds:.1f}s "
               f"({turns / seconds if seconds else 0:.0f} turns/s), profile {pipeline.profile}")
    if json_out:
        payload = {"rows": table_rows(table), "language_accuracy": [
            {"language": a.language, "turns": a.turns, "correct": a.correct, "accuracy": round(a.accuracy, 4),
             "others": [list(o) for o in a.others]} for a in accuracy]}
        json_out.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _print_language_accuracy(accuracy: list[Any], gold: list[dict[str, Any]] | None, min_words: int) -> None:
    click.echo(f"\nlanguage of turns with {min_words}+ words = the conversation's language")
    for acc in accuracy:
        click.echo(f"  {acc.language:<4} {acc.correct:>4}/{acc.turns:<4} {acc.accuracy:.4f}")
    others = accuracy[-1].others
    if others:
        click.echo("  turns detected in another language (check: some really are):")
        texts = {str(c["id"]): c["turns"] for c in gold or []}
        for conv_id, turn, detected in others:
            text = f"  {texts[conv_id][turn]['text'][:80]!r}" if gold else ""
            click.echo(f"    {conv_id} turn {turn}: {detected}{text}")


LANGID_HELP = """Compare the language detectors on a gold set's turns: accuracy per language for
turns of MIN_WORDS+ words, raw and with the context rules (short-turn inheritance
and the conversation prior), and turns per second.
"""


@click.command("langid", help=LANGID_HELP)
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--min-words", default=3, show_default=True)
def langid_command(gold: Path, min_words: int) -> None:
    from analyzer.annotators.language import SCORERS, LanguageAnnotator, word_count
    from analyzer.evaluation import read_gold

    convs = read_gold(gold)
    table = Table("detector", "mode", *sorted({c["language"] for c in convs}), "all", "turns/s")
    for name in SCORERS:
        raw, context, speed = _measure(LanguageAnnotator(detector=name, prior_weight=1.0), convs, min_words,
                                       word_count)
        for mode, counts in (("raw", raw), ("context", context)):
            cells = [f"{ok}/{n} {ok / n:.4f}" for ok, n in counts.values()]
            table.add_row(name, mode, *cells, f"{speed:.0f}" if mode == "raw" else "")
    Console(width=140).print(table)


def _measure(annotator: Any, convs: list[dict[str, Any]], min_words: int,
             word_count: Any) -> tuple[dict[str, list[int]], dict[str, list[int]], float]:
    langs = [*sorted({c["language"] for c in convs}), "all"]
    raw = {lang: [0, 0] for lang in langs}
    context = {lang: [0, 0] for lang in langs}
    seconds, scored = 0.0, 0
    annotator.score("warm up: load the model before timing")
    for conv in convs:
        texts = [t["text"] for t in conv["turns"]]
        started = time.perf_counter()
        plain = [max(s.items(), key=lambda kv: kv[1])[0] if (s := annotator.score(t)) else None for t in texts]
        seconds += time.perf_counter() - started
        scored += len(texts)
        smoothed, _ = annotator.detect_turns(texts)
        for text, p, s in zip(texts, plain, smoothed, strict=True):
            if word_count(text) < min_words:
                continue
            for lang in (conv["language"], "all"):
                raw[lang][1] += 1
                context[lang][1] += 1
                raw[lang][0] += p == conv["language"]
                context[lang][0] += s == conv["language"]
    return raw, context, scored / seconds if seconds else 0.0
