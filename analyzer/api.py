"""The Python API: the same flow the CLI runs, for notebooks and services."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from analyzer.model import Conversation
from analyzer.pipeline import Pipeline


def load_pipeline(profile: str = "default", config: Path | None = None,
                  roles: Mapping[str, str] | None = None, policy: Path | None = None) -> Pipeline:
    """Build a pipeline from a profile.

    `roles` maps speaker names to roles (used where the input gives none);
    `policy` replaces the default disclaimer policy file.
    """
    overrides: dict[str, dict[str, Any]] = {}
    if roles:
        overrides["roles"] = {"mapping": dict(roles)}
    if policy:
        overrides["disclaimers"] = {"policy": str(policy)}
    return Pipeline.from_config(profile, config, overrides)


def analyze(conversation: Conversation | Mapping[str, Any], pipeline: Pipeline | None = None) -> dict[str, Any]:
    """Analyse one conversation (a `Conversation` or a canonical dict) and return its report."""
    from analyzer.report import build_report

    if not isinstance(conversation, Conversation):
        conversation = Conversation.from_dict(conversation)
    pipeline = pipeline or load_pipeline()
    return build_report(pipeline(conversation), profile=pipeline.profile, components=pipeline.names)


def read_conversations(path: str | Path, **options: Any) -> Iterator[Conversation]:
    """Read every conversation in a transcript file of any supported format."""
    from analyzer.readers import ReadOptions, read_path

    return read_path(Path(path), ReadOptions(**options))
