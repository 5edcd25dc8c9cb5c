"""Loading and validating a disclaimer policy file (YAML).

A compliance team edits or replaces the policy (`--policy FILE`) without
touching code, so every mistake must come back as a clear message naming
the disclaimer and the key, not as a stack trace in the middle of a batch.

A *matcher* is the unit of "what counts": a regular expression, or several
joined by ` && ` (or given as a YAML list) that must all occur in the same
sentence, in any order, which is how paraphrases are heard:
`записыва|запись && звон|разговор` accepts "звонок записывается" and
"ведётся запись разговора" alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analyzer.model import CHANNELS, LANGUAGES

DEFAULT_POLICY = Path(__file__).resolve().parent.parent / "resources" / "policy" / "default.yaml"

_TOP_KEYS = {"version", "name", "description", "languages", "disclaimers"}
_DISCLAIMER_KEYS = {"id", "description", "trigger", "present", "unless", "timing"}
_TRIGGER_KEYS = {"channel", "topics", "unless"}
_TIMING_KEYS = {"within_agent_turns", "before_trigger"}


class PolicyError(ValueError):
    """A policy file that cannot be used, with every problem found listed."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source, self.problems = source, problems
        super().__init__(f"{source}: invalid policy:\n  - " + "\n  - ".join(problems))


@dataclass(frozen=True)
class Matcher:
    """All `patterns` must match somewhere in one sentence."""

    patterns: tuple[re.Pattern[str], ...]

    def search(self, text: str) -> re.Match[str] | None:
        first = None
        for pattern in self.patterns:
            match = pattern.search(text)
            if match is None:
                return None
            first = first or match
        return first

    @property
    def source(self) -> str:
        return " + ".join(p.pattern for p in self.patterns)


Matchers = dict[str, tuple[Matcher, ...]]  # language → matchers


@dataclass(frozen=True)
class Trigger:
    channels: tuple[str, ...] = ()
    topics: Matchers = field(default_factory=dict)
    unless: Matchers = field(default_factory=dict)


@dataclass(frozen=True)
class Timing:
    within_agent_turns: int | None = None
    before_trigger: bool = False


@dataclass(frozen=True)
class DisclaimerRule:
    id: str
    description: str
    trigger: Trigger
    present: Matchers
    unless: Matchers
    timing: Timing


@dataclass(frozen=True)
class Policy:
    name: str
    version: str
    languages: tuple[str, ...]
    disclaimers: tuple[DisclaimerRule, ...]
    source: str


def load_policy(path: str | Path | None = None) -> Policy:
    path = Path(path) if path else DEFAULT_POLICY
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PolicyError(str(path), [f"cannot read: {error.strerror}"]) from None
    except yaml.YAMLError as error:
        raise PolicyError(str(path), [f"not valid YAML: {error}"]) from None
    return parse_policy(data, str(path))


def parse_policy(data: Any, source: str = "<policy>") -> Policy:
    problems: list[str] = []
    if not isinstance(data, dict):
        raise PolicyError(source, ["the file must hold a mapping with 'version' and 'disclaimers'"])
    _unknown(data, _TOP_KEYS, "policy", problems)
    languages = tuple(data.get("languages") or LANGUAGES)
    for lang in languages:
        if lang not in LANGUAGES:
            problems.append(f"languages: {lang!r} is not supported (supported: {', '.join(LANGUAGES)})")
    entries = data.get("disclaimers")
    if not isinstance(entries, list) or not entries:
        problems.append("'disclaimers' must be a non-empty list")
        entries = []
    rules, seen = [], set()
    for index, entry in enumerate(entries):
        rule = _parse_rule(entry, index, languages, problems)
        if rule and rule.id in seen:
            problems.append(f"disclaimer {rule.id!r} is defined twice")
        if rule:
            seen.add(rule.id)
            rules.append(rule)
    if "version" not in data:
        problems.append("missing 'version' (e.g. version: \"2026.1\") so reports say which policy was applied")
    if problems:
        raise PolicyError(source, problems)
    return Policy(str(data.get("name", "custom")), str(data["version"]), languages, tuple(rules), source)


def _parse_rule(entry: Any, index: int, languages: tuple[str, ...], problems: list[str]) -> DisclaimerRule | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        problems.append(f"disclaimers[{index}]: needs an 'id' (a name such as risk_warning)")
        return None
    where = f"disclaimer {entry['id']!r}"
    _unknown(entry, _DISCLAIMER_KEYS, where, problems)
    trigger = _parse_trigger(entry.get("trigger"), where, languages, problems)
    present = _matchers(entry.get("present"), f"{where}: present", languages, problems, required=True)
    unless = _matchers(entry.get("unless") or {}, f"{where}: unless", languages, problems, required=False)
    timing_data = entry.get("timing") or {}
    _unknown(timing_data, _TIMING_KEYS, f"{where}: timing", problems)
    within = timing_data.get("within_agent_turns")
    if within is not None and (not isinstance(within, int) or within < 1):
        problems.append(f"{where}: timing.within_agent_turns must be a positive whole number")
    timing = Timing(within, bool(timing_data.get("before_trigger", False)))
    return DisclaimerRule(entry["id"], str(entry.get("description", "")), trigger, present, unless, timing)


def _parse_trigger(data: Any, where: str, languages: tuple[str, ...], problems: list[str]) -> Trigger:
    if not isinstance(data, dict) or not (data.get("channel") or data.get("topics")):
        problems.append(f"{where}: 'trigger' needs 'channel' (a list such as [call]) and/or 'topics'")
        return Trigger()
    _unknown(data, _TRIGGER_KEYS, f"{where}: trigger", problems)
    channels = tuple(data.get("channel") or ())
    for channel in channels:
        if channel not in CHANNELS:
            problems.append(f"{where}: trigger channel {channel!r} is not one of {', '.join(CHANNELS)}")
    topics = _matchers(data.get("topics") or {}, f"{where}: trigger.topics", languages, problems,
                       required=bool(data.get("topics")))
    unless = _matchers(data.get("unless") or {}, f"{where}: trigger.unless", languages, problems, required=False)
    return Trigger(channels, topics, unless)


def _matchers(data: Any, where: str, languages: tuple[str, ...], problems: list[str], *, required: bool) -> Matchers:
    if not isinstance(data, dict):
        problems.append(f"{where}: must map each language ({', '.join(languages)}) to a list of patterns")
        return {}
    if required:
        for lang in languages:
            if not data.get(lang):
                problems.append(f"{where}: missing language {lang!r}")
    out: Matchers = {}
    for lang, items in data.items():
        if lang not in languages:
            problems.append(f"{where}: unknown language {lang!r}")
            continue
        if not isinstance(items, list):
            problems.append(f"{where}.{lang}: must be a list of patterns")
            continue
        out[lang] = tuple(m for i, item in enumerate(items) if (m := _matcher(item, f"{where}.{lang}[{i}]", problems)))
    return out


def _matcher(item: Any, where: str, problems: list[str]) -> Matcher | None:
    parts = item if isinstance(item, list) else str(item).split(" && ") if isinstance(item, str) else [item]
    compiled = []
    for part in parts:
        if not isinstance(part, str) or not part.strip():
            problems.append(f"{where}: a pattern must be a non-empty string (or a list of them)")
            return None
        try:
            compiled.append(re.compile(part, re.IGNORECASE))
        except re.error as error:
            problems.append(f"{where}: bad pattern {part!r}: {error}")
            return None
    return Matcher(tuple(compiled))


def _unknown(data: Any, allowed: set[str], where: str, problems: list[str]) -> None:
    if isinstance(data, dict):
        for key in sorted(set(data) - allowed):
            problems.append(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")
