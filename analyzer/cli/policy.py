"""`analyzer policy`: inspect and validate disclaimer policy files."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("policy")
def policy_group() -> None:
    """Disclaimer policies: validate a file before a batch uses it."""


@policy_group.command("check")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
def check_command(path: Path | None) -> None:
    """Validate PATH (default: the built-in policy) and list its disclaimers.

    Exit status 1 with every problem listed (unknown keys, missing languages,
    bad patterns) when the file cannot be used.
    """
    from analyzer.policy.policy_file import PolicyError, load_policy

    try:
        policy = load_policy(path)
    except PolicyError as error:
        raise click.ClickException(str(error)) from error
    languages = ", ".join(policy.languages)
    click.echo(f"{policy.source}: policy {policy.name!r} version {policy.version}, languages {languages}")
    for rule in policy.disclaimers:
        trigger = "channel " + ",".join(rule.trigger.channels) if rule.trigger.channels else "topics"
        timing = []
        if rule.timing.within_agent_turns:
            timing.append(f"within first {rule.timing.within_agent_turns} agent turns")
        if rule.timing.before_trigger:
            timing.append("before its trigger")
        suffix = f"; timing: {', '.join(timing)}" if timing else ""
        click.echo(f"  {rule.id}: required by {trigger}; {sum(len(v) for v in rule.present.values())} "
                   f"phrasings{suffix}")
