"""The disclaimer policy: which disclaimers a conversation required, and whether the agent said them.

Only agent sentences count, for triggers and for presence alike: a client
asking "is it guaranteed?" neither triggers nor satisfies anything. A
sentence that matches a disclaimer's `unless` patterns (negated or
contradicted wording: "this is not just general information") never counts
as saying it. See `resources/policy/default.yaml` for the rules as data.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyzer.model import AnnotatedConversation, DisclaimerResult, Sentence
from analyzer.pipeline import registry
from analyzer.policy.policy_file import DisclaimerRule, Matchers, Policy, load_policy


@dataclass(frozen=True)
class Hit:
    sentence: Sentence
    text: str
    pattern: str


def matches(matchers: Matchers, text: str) -> str | None:
    """The first matcher (of any language: turns mix languages) found in `text`, as its pattern."""
    for language_matchers in matchers.values():
        for matcher in language_matchers:
            if matcher.search(text):
                return matcher.source
    return None


class DisclaimerAnnotator:
    """Fills `doc.disclaimers`: one result per disclaimer of the policy in force."""

    name = "disclaimers"

    def __init__(self, policy: str | Path | Policy | None = None) -> None:
        self.policy = policy if isinstance(policy, Policy) else load_policy(policy)

    def __call__(self, doc: AnnotatedConversation) -> None:
        agent_sentences = list(_agent_sentences(doc))
        agent_turns = sorted({s.turn for s, _ in agent_sentences} | _agent_turns(doc))
        doc.disclaimers = [self.evaluate(rule, doc, agent_sentences, agent_turns) for rule in self.policy.disclaimers]

    def evaluate(self, rule: DisclaimerRule, doc: AnnotatedConversation,
                 agent_sentences: list[tuple[Sentence, str]], agent_turns: list[int]) -> DisclaimerResult:
        trigger = _trigger(rule, doc, agent_sentences, agent_turns)
        said = _first_hit(rule.present, rule.unless, agent_sentences)
        required = trigger is not None
        late = bool(required and said and _is_late(rule, said.sentence.turn, trigger, agent_turns))
        return DisclaimerResult(
            id=rule.id,
            required=required,
            present=said is not None,
            trigger_turn=trigger.sentence.turn if trigger and trigger.sentence.turn >= 0 else None,
            turn=said.sentence.turn if said else None,
            late=late,
            trigger_evidence=(trigger.text if trigger else None),
            evidence=said.text if said else None,
        )


def _agent_turns(doc: AnnotatedConversation) -> set[int]:
    return {i for i in range(len(doc.turns)) if doc.role_of(i) == "agent"}


def _agent_sentences(doc: AnnotatedConversation) -> Iterator[tuple[Sentence, str]]:
    """Agent sentences, each read together with the next one of its turn.

    Speech-to-text has no punctuation, so clause splitting is a guess; a two-sentence
    window keeps "...chắc chắn | còn giảm" one statement, and the hit is reported at the
    window's first sentence.
    """
    for i, turn in enumerate(doc.turns):
        if doc.role_of(i) != "agent":
            continue
        sentences = doc.sentences[i] if i < len(doc.sentences) else [Sentence(i, 0, len(turn.text))]
        for k, sentence in enumerate(sentences):
            end = sentences[k + 1].end if k + 1 < len(sentences) else sentence.end
            yield sentence, turn.text[sentence.start : end]


def _trigger(rule: DisclaimerRule, doc: AnnotatedConversation, agent_sentences: list[tuple[Sentence, str]],
             agent_turns: list[int]) -> Hit | None:
    channel = doc.conversation.channel
    if channel and channel in rule.trigger.channels:
        first = agent_turns[0] if agent_turns else 0
        return Hit(Sentence(first, 0, 0), f"channel is {channel}", "channel")
    if rule.trigger.topics:
        return _first_hit(rule.trigger.topics, rule.trigger.unless, agent_sentences)
    return None


def _first_hit(present: Matchers, unless: Matchers, sentences: list[tuple[Sentence, str]]) -> Hit | None:
    for sentence, text in sentences:
        pattern = matches(present, text)
        if pattern and not matches(unless, text):
            return Hit(sentence, text, pattern)
    return None


def _is_late(rule: DisclaimerRule, said_turn: int, trigger: Hit, agent_turns: list[int]) -> bool:
    timing = rule.timing
    if timing.within_agent_turns is not None:
        allowed = agent_turns[: timing.within_agent_turns]
        if said_turn not in allowed:
            return True
    return timing.before_trigger and said_turn > trigger.sentence.turn


@registry.register("disclaimers")
def make_disclaimer_annotator(settings: Mapping[str, Any]) -> DisclaimerAnnotator:
    return DisclaimerAnnotator(**settings)
