"""Options shared by several commands, parsed once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from analyzer.model import ROLES

F = TypeVar("F", bound=Callable[..., Any])


def parse_pairs(values: Sequence[str], what: str) -> dict[str, str]:
    """`KEY=VALUE` pairs (repeatable, or comma-separated) into a dict."""
    pairs: dict[str, str] = {}
    for value in values:
        for item in value.split(","):
            if not item.strip():
                continue
            key, sep, val = item.partition("=")
            if not sep or not key.strip() or not val.strip():
                raise click.BadParameter(f"{item!r} is not {what}=VALUE")
            pairs[key.strip()] = val.strip()
    return pairs


def parse_roles(values: Sequence[str]) -> dict[str, str]:
    roles = parse_pairs(values, "SPEAKER")
    for speaker, role in roles.items():
        if role not in ROLES:
            raise click.BadParameter(f"role for {speaker!r} must be one of {', '.join(ROLES)}, not {role!r}")
    return roles


def pipeline_options(func: F) -> F:
    """--profile, --config, --policy and --role: the options that choose what the pipeline does."""
    func = click.option("--role", "roles", multiple=True, metavar="SPEAKER=ROLE",
                        help="Role of a speaker when the input has none (agent, client, other); "
                             "repeatable, e.g. --role Lan=agent --role Minh=client.")(func)
    func = click.option("--policy", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                        help="Disclaimer policy file (YAML) replacing the default; check it with "
                             "`analyzer policy check FILE`.")(func)
    func = click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                        help="Pipeline configuration file (TOML) replacing the built-in one.")(func)
    func = click.option("--profile", default="default", show_default=True,
                        help="Pipeline profile: 'default' (accurate) or 'fast' (throughput).")(func)
    return func
