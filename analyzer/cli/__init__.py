"""The `analyzer` command line: one sub-command per job, each in its own module."""

from __future__ import annotations

import click

from analyzer import __version__
from analyzer.cli.evaluate import eval_command, langid_command
from analyzer.cli.policy import policy_group
from analyzer.cli.redact import redact_command
from analyzer.cli.render import render_command
from analyzer.cli.review import review_group
from analyzer.cli.score import score_command
from analyzer.cli.scorecard import scorecard_command
from analyzer.cli.show import show_command
from analyzer.cli.train import train_command

HELP = """Multilingual ethics and personal-data analyser for conversation transcripts
(Vietnamese, Russian, Chinese, English, mixed).

\b
Typical use:
  analyzer score data/samples -o out        # one report per conversation + summary.csv/.parquet
  analyzer show out/<conversation>.json     # read one annotated transcript in the terminal
  analyzer eval ../shared/eval/dev.jsonl    # precision/recall/F1 against a gold set

Run `analyzer COMMAND --help` for each command's options.
"""


@click.group(help=HELP, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="analyzer")
def main() -> None:
    pass


main.add_command(score_command)
main.add_command(eval_command)
main.add_command(langid_command)
main.add_command(show_command)
main.add_command(policy_group)
main.add_command(train_command)
main.add_command(review_group)
main.add_command(render_command)
main.add_command(scorecard_command)
main.add_command(redact_command)
