"""`pii_disclosure`: the agent reveals personal data of someone who is not the client.

The detector first works out who is on the client's side: the client-side speaker labels,
every name the client's side says before the agent does (themselves, family, friends: reading
their data back is not disclosure), and the names the agent greets or keeps addressing the
client with. A name the agent brings in that is none of these is a third party; an agent
sentence naming one is flagged when it (or the next sentence of the turn) carries personal
content: money, a policy or loan, health, private life, contact details (cue words in
`resources/<lang>/disclosure.toml`), or another PII span of the turn.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from analyzer.detectors.pii._names import fold, nfc_lower
from analyzer.language_resources import load_resource, resource_languages
from analyzer.model import AnnotatedConversation, Finding, PiiSpan, Sentence
from analyzer.pipeline import registry

CATEGORY = "pii_disclosure"
RESOURCE = "disclosure"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PATRONYMIC = re.compile(r"(?:вна|вич|ична|ич)$")
_GREETING_TURNS = 1
_ADDRESS_TURNS = 3
_FOLLOWING_SENTENCES = 2
_TAG_CHARS = 24  # a confirmation question ends the sentence ("..., right?", "... phải không ạ", "...对吗")


@cache
def _cue_pattern() -> re.Pattern[str]:
    """All languages' cue words as one pattern: turns mix languages."""
    cues = {nfc_lower(w) for lang in resource_languages(RESOURCE)
            for words in load_resource(lang, RESOURCE).get("cues", {}).values() for w in words}
    parts = [re.escape(c) if _HAN.search(c) else r"(?<![^\W_])" + re.escape(c)
             for c in sorted(cues, key=len, reverse=True)]
    return re.compile("|".join(parts))


@cache
def _readback_pattern() -> re.Pattern[str]:
    """Confirmation questions of every language: the agent reading the client's data back to them."""
    cues = {nfc_lower(w) for lang in resource_languages(RESOURCE)
            for w in load_resource(lang, RESOURCE).get("readback", {}).get("cues", [])}
    return re.compile("|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True)))


@dataclass(frozen=True)
class _Mention:
    turn: int
    start: int
    end: int
    key: frozenset[str]
    text: str


def name_key(name: str) -> frozenset[str]:
    """Comparable parts of a name: Chinese as a whole, other scripts by word (patronymics aside)."""
    name = fold(name)
    if _HAN.search(name):
        return frozenset({name})
    return frozenset(w for w in name.split() if len(w) > 1 and not _PATRONYMIC.search(w))


class PiiDisclosureDetector:
    """Agent sentences that pair a third party's name with their personal data (taxonomy)."""

    name = CATEGORY

    def __init__(self, min_confidence: float = 0.5) -> None:
        self.min_confidence = min_confidence

    def detect(self, doc: AnnotatedConversation) -> Iterator[Finding]:
        spans = _pii_spans(doc)
        mentions = _person_mentions(doc, spans)
        client_side = _client_side(doc, mentions)
        for mention in mentions:
            if doc.role_of(mention.turn) != "agent" or _known(mention.key, client_side):
                continue
            finding = self._judge(doc, mention, spans)
            if finding is not None and finding.confidence >= self.min_confidence:
                yield finding

    def _judge(self, doc: AnnotatedConversation, mention: _Mention, spans: list[PiiSpan]) -> Finding | None:
        sentences = _window(doc, mention)
        if _is_readback(doc, sentences):
            return None
        start, end = sentences[0].start, sentences[-1].end
        text = doc.turns[mention.turn].text
        others = [s for s in spans if s.turn == mention.turn and s.type != "PERSON" and start <= s.start < end]
        cues = sorted({m.group() for m in _cue_pattern().finditer(nfc_lower(text[start:end]))})
        if not others and not cues:
            return None
        confidence = 0.9 if others else 0.8
        return Finding(
            category=CATEGORY, turn=mention.turn, start=start, end=end, confidence=confidence,
            evidence=f"third party named with {', '.join(s.type for s in others) or 'personal details'}",
            detector=self.name,
            explanation={"third_party_spans": [{"start": mention.start, "end": mention.end, "type": "PERSON"}]
                         + [{"start": s.start, "end": s.end, "type": s.type} for s in others],
                         "cues": len(cues)},
        )


def _is_readback(doc: AnnotatedConversation, sentences: list[Sentence]) -> bool:
    """The name's sentence is a confirmation question ("... người nhận là chị X phải không ạ") and nothing
    about anyone's data follows it: the agent is reading the client's own details back (taxonomy)."""
    first = nfc_lower(doc.sentence_text(sentences[0]))
    if not _readback_pattern().search(first[-_TAG_CHARS:]):
        return False
    return not any(_cue_pattern().search(nfc_lower(doc.sentence_text(s))) for s in sentences[1:])


def _window(doc: AnnotatedConversation, mention: _Mention) -> list[Sentence]:
    """The sentence holding the name and the next ones of the turn (the data often follows)."""
    turn_sentences = doc.sentences[mention.turn] if mention.turn < len(doc.sentences) else []
    text = doc.turns[mention.turn].text
    if not turn_sentences:
        return [Sentence(mention.turn, 0, len(text))]
    index = next((i for i, s in enumerate(turn_sentences) if s.start <= mention.start < s.end), 0)
    return list(turn_sentences[index : index + 1 + _FOLLOWING_SENTENCES])


# --------------------------------------------------------------------------- who is who


def _pii_spans(doc: AnnotatedConversation) -> list[PiiSpan]:
    """PII spans from the `pii` detector; without one, the person recognizer's own."""
    if doc.pii:
        return list(doc.pii)
    from analyzer.detectors.pii.base import TurnContext
    from analyzer.detectors.pii.person import PersonRecognizer

    recognizer = PersonRecognizer()
    spans = []
    for index in range(len(doc.turns)):
        context = TurnContext(doc, index, None, doc.role_of(index))
        spans += [PiiSpan(index, c.start, c.end, c.type, c.score, c.recognizer) for c in recognizer.find(context)]
    return spans


def _person_mentions(doc: AnnotatedConversation, spans: list[PiiSpan]) -> list[_Mention]:
    mentions = []
    for span in sorted(spans, key=lambda s: (s.turn, s.start)):
        if span.type == "PERSON":
            text = doc.turns[span.turn].text[span.start : span.end]
            mentions.append(_Mention(span.turn, span.start, span.end, name_key(text), text))
    return [m for m in mentions if m.key]


def _client_side(doc: AnnotatedConversation, mentions: list[_Mention]) -> set[str]:
    """Name parts that belong to the client's side of the conversation."""
    from analyzer.detectors.pii.person import _label_names

    known: set[str] = set()
    for index, turn in enumerate(doc.turns):
        if doc.role_of(index) != "agent":
            known |= {part for label in _label_names(turn.speaker) for part in name_key(label)}
    agent_turns = sorted({i for i in range(len(doc.turns)) if doc.role_of(i) == "agent"})
    greeting = set(agent_turns[:_GREETING_TURNS])
    said_by_agent: set[str] = set()
    uses: dict[str, set[int]] = {}
    for mention in mentions:
        if doc.role_of(mention.turn) != "agent":
            known |= mention.key - said_by_agent
            continue
        said_by_agent |= mention.key
        if mention.turn in greeting:
            known |= mention.key
        for part in mention.key:
            uses.setdefault(part, set()).add(mention.turn)
    known |= {part for part, turns in uses.items() if len(turns) >= _ADDRESS_TURNS}
    return known


def _known(key: frozenset[str], client_side: set[str]) -> bool:
    if any(_HAN.search(k) for k in key):
        return any(k in client_side or any(_same_person(k, c) for c in client_side if _HAN.search(c)) for k in key)
    return bool(key & client_side)


def _same_person(name: str, known: str) -> bool:
    """"张" (from "张女士") and "张慧敏", or "何佳怡" and "何佳怡女士": one name extends the other."""
    return name == known or (len(name) == 1 and known.startswith(name)) or (len(known) >= 2 and name.startswith(known))


@registry.register(CATEGORY)
def make_pii_disclosure(settings: Mapping[str, Any]) -> PiiDisclosureDetector:
    return PiiDisclosureDetector(**settings)
