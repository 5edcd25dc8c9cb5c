"""Agent or client: the role of every turn, and how it was decided.

Most categories concern only the agent, so a wrong role silently hides or
invents findings; every decision is therefore reported with its method.
Order of authority, per speaker:

1. ``input``: roles given in the transcript itself;
2. ``mapping``: the user's ``--role NAME=ROLE`` on the command line;
3. ``speaker_label``: a speaker named like a role ("AGENT", "Клиент", "客服");
4. ``evidence``: cue phrases (introducing a company, asking for personal
   data, proposing products) from every language's `resources/<lang>/roles.toml`,
   plus the default disclaimer policy's wordings (recording notices, risk
   warnings... are said by agents); the speaker with the most agent evidence
   is the agent, the others clients;
5. ``default``: no evidence at all — the first speaker is taken as the agent
   (outbound calls open with the agent), with low confidence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from analyzer.language_resources import load_resource, resource_languages
from analyzer.model import ROLES, AnnotatedConversation, Role, RoleDecision
from analyzer.pipeline import registry
from analyzer.policy.policy_file import Matcher


@dataclass(frozen=True)
class _Cues:
    agent_labels: frozenset[str]
    client_labels: frozenset[str]
    agent: tuple[re.Pattern[str], ...]
    client: tuple[re.Pattern[str], ...]


@cache
def _cues() -> _Cues:
    agent_labels: set[str] = set()
    client_labels: set[str] = set()
    agent: list[re.Pattern[str]] = []
    client: list[re.Pattern[str]] = []
    for lang in resource_languages("roles"):
        data = load_resource(lang, "roles")
        agent_labels |= {label.casefold() for label in data.get("agent_labels", [])}
        client_labels |= {label.casefold() for label in data.get("client_labels", [])}
        agent += [re.compile(cue, re.IGNORECASE) for cue in data.get("agent_cues", [])]
        client += [re.compile(cue, re.IGNORECASE) for cue in data.get("client_cues", [])]
    return _Cues(frozenset(agent_labels), frozenset(client_labels), tuple(agent), tuple(client))


@cache
def _disclaimer_wordings() -> tuple[Matcher, ...]:
    from analyzer.policy.policy_file import load_policy

    return tuple(m for rule in load_policy().disclaimers for ms in rule.present.values() for m in ms)


def _label_role(speaker: str) -> Role | None:
    name = re.sub(r"[\s_\-]*\d+$", "", speaker.casefold()).strip()
    cues = _cues()
    if name in cues.agent_labels:
        return "agent"
    if name in cues.client_labels:
        return "client"
    return None


class RoleAnnotator:
    """Fills `doc.roles` (one per turn) and `doc.role_decisions` (one per speaker)."""

    name = "roles"

    def __init__(self, mapping: Mapping[str, str] | None = None) -> None:
        for speaker, role in (mapping or {}).items():
            if role not in ROLES:
                raise ValueError(f"role for {speaker!r} must be agent, client or other, not {role!r}")
        self.mapping = {k.casefold(): v for k, v in (mapping or {}).items()}

    def __call__(self, doc: AnnotatedConversation) -> None:
        speakers = list(dict.fromkeys(turn.speaker or "" for turn in doc.turns))
        decisions = {s: d for s in speakers if (d := self._given(doc, s)) is not None}
        undecided = [s for s in speakers if s not in decisions]
        if undecided:
            decisions.update(self._infer(doc, undecided, decisions))
        doc.role_decisions = [decisions[s] for s in speakers]
        doc.roles = [turn.role or decisions[turn.speaker or ""].role for turn in doc.turns]

    def _given(self, doc: AnnotatedConversation, speaker: str) -> RoleDecision | None:
        given = Counter(t.role for t in doc.turns if (t.speaker or "") == speaker and t.role)
        if given:
            role = max(sorted(given), key=lambda r: given[r])
            return RoleDecision(speaker, role, "input", 1.0)
        if speaker.casefold() in self.mapping:
            return RoleDecision(speaker, self.mapping[speaker.casefold()], "mapping", 1.0)  # type: ignore[arg-type]
        label = _label_role(speaker)
        if label:
            return RoleDecision(speaker, label, "speaker_label", 0.95, (speaker,))
        return None

    def _infer(
        self, doc: AnnotatedConversation, undecided: list[str], decided: Mapping[str, RoleDecision]
    ) -> dict[str, RoleDecision]:
        evidence = {s: _evidence(doc, s) for s in undecided}
        net = {s: len(a) - len(c) for s, (a, c) in evidence.items()}
        has_agent = any(d.role == "agent" for d in decided.values())
        ranked = sorted(undecided, key=lambda s: (-net[s], undecided.index(s)))
        agent = None if has_agent else ranked[0]
        out = {}
        for speaker in undecided:
            agent_cues, client_cues = evidence[speaker]
            role: Role = "agent" if speaker == agent else "client"
            if any(net.values()) or has_agent:
                margin = net[speaker] - max((net[o] for o in undecided if o != speaker), default=0)
                confidence = min(0.99, 0.6 + 0.1 * abs(margin))
                cues = agent_cues if role == "agent" else client_cues
                out[speaker] = RoleDecision(speaker, role, "evidence", round(confidence, 2), tuple(cues[:5]))
            else:
                out[speaker] = RoleDecision(speaker, role, "default", 0.5)
        return out


def _evidence(doc: AnnotatedConversation, speaker: str) -> tuple[list[str], list[str]]:
    """Cue patterns (not transcript text, which may hold personal data) matched in a speaker's turns."""
    cues = _cues()
    agent: list[str] = []
    client: list[str] = []
    for turn in doc.turns:
        if (turn.speaker or "") != speaker:
            continue
        agent += [p.pattern for p in cues.agent if p.search(turn.text)]
        agent += [f"disclaimer: {m.source[:40]}" for m in _disclaimer_wordings() if m.search(turn.text)]
        client += [p.pattern for p in cues.client if p.search(turn.text)]
    return agent, client


@registry.register("roles")
def make_role_annotator(settings: Mapping[str, Any]) -> RoleAnnotator:
    return RoleAnnotator(**settings)
