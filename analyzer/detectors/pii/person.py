"""PERSON: private persons' names in Russian, Vietnamese, Chinese and English turns.

Each script has its own finder (`_names_ru`, `_names_vi`, `_names_zh`, `_names_en`), because
what makes a word a name differs: morphology in Russian, honorifics in Vietnamese, surname +
title in Chinese, lists and capitals in English. Two conversation-level hints follow: the
client side's speaker labels, and any name found with strong evidence in another turn ("chị
hồng" earlier makes a later bare "hồng" a name too). Not flagged: the agent's own first-name
introduction, and public figures, places and brands listed in `names/not_names.txt`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from analyzer.detectors.pii import _names_en, _names_ru, _names_vi, _names_zh
from analyzer.detectors.pii._names import (
    Hit,
    cue_set,
    fold,
    in_not_names,
    is_cased,
    name_lists,
    nfc_lower,
    preceded_by,
    tokens,
)
from analyzer.detectors.pii.base import Candidate, TurnContext, register_recognizer
from analyzer.model import AnnotatedConversation

TYPE = "PERSON"
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ]")
_GENERIC_LABEL = re.compile(
    r"^(?:speaker|spk|client|customer|caller|agent|operator|rep|advisor|adviser|unknown|guest|"
    r"khách|khách hàng|nhân viên|lễ tân|tư vấn|cskh|tổng đài|"
    r"клиент|оператор|менеджер|агент|консультант|"
    r"用户|客户|客服|顾问|置业顾问|在线客服|坐席|经理)(?:[\s_#-]*\d+)?$",
    re.IGNORECASE,
)
_MEMORY_SCORE = 0.78
_SPEAKER_SCORE = 0.9


@dataclass
class _Memory:
    """What one conversation teaches: names on the client side, the agent's names, names seen."""

    agent_names: set[str] = field(default_factory=set)
    speaker_names: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    turn_hits: dict[int, list[Hit]] = field(default_factory=dict)


class PersonRecognizer:
    """Names of private persons, whoever says them (taxonomy: PII table, `PERSON`)."""

    name = "person"
    types: tuple[str, ...] = (TYPE,)

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        self.use_speakers = bool((settings or {}).get("speaker_hints", True))
        self._doc: AnnotatedConversation | None = None
        self._memory = _Memory()

    def find(self, context: TurnContext) -> Iterable[Candidate]:
        memory = self._memory_for(context.doc)
        hits = list(memory.turn_hits.get(context.turn, []))
        hits += [h for h in self._recalled(context, memory) if not _overlaps_any(h, hits)]
        for hit in hits:
            yield Candidate(hit.start, hit.end, TYPE, hit.score, self.name, evidence=hit.rule)

    # ----------------------------------------------------------------- conversation memory

    def _memory_for(self, doc: AnnotatedConversation) -> _Memory:
        if doc is not self._doc:
            self._doc = doc
            self._memory = self._learn(doc)
        return self._memory

    def _learn(self, doc: AnnotatedConversation) -> _Memory:
        memory = _Memory()
        for index, turn in enumerate(doc.turns):
            names = _label_names(turn.speaker)
            target = memory.agent_names if doc.role_of(index) == "agent" else memory.speaker_names
            target.update(names)
        if not self.use_speakers:
            memory.speaker_names.clear()
        memory.speaker_names -= memory.agent_names
        for index, turn in enumerate(doc.turns):
            agent = doc.role_of(index) == "agent"
            found = find_names(turn.text, _language(doc, index), agent)
            hits = [h for h in found if _keep(turn.text, h, agent, memory)]
            memory.turn_hits[index] = hits
            for hit in hits:
                memory.seen.update(_remembered(turn.text, hit))
        memory.seen = {n for n in memory.seen if n and n not in memory.agent_names}
        return memory

    def _recalled(self, context: TurnContext, memory: _Memory) -> list[Hit]:
        agent = context.role == "agent"
        found = _mentions(context.text, memory.speaker_names, _SPEAKER_SCORE, "speaker")
        found += _mentions(context.text, memory.seen - memory.speaker_names, _MEMORY_SCORE, "memory")
        return [h for h in found if _keep(context.text, h, agent, memory)]


register_recognizer("person")(PersonRecognizer)


# --------------------------------------------------------------------------- finding


def find_names(text: str, language: str | None, agent: bool = False) -> list[Hit]:
    """Every name the script-specific finders see in one text (no conversation hints)."""
    cased = is_cased(text)
    hits: list[Hit] = []
    if _CYRILLIC.search(text):
        hits += _names_ru.find(text, cased)
    if _HAN.search(text):
        hits += _names_zh.find(text, agent)
    if _LATIN.search(text):
        vietnamese = language == "vi" or (language is None and _names_vi.has_vietnamese_marks(text))
        hits += _names_vi.find(text, cased, agent) if vietnamese else _names_en.find(text, cased)
    return _dedupe(hits)


def _dedupe(hits: list[Hit]) -> list[Hit]:
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (-h.score, -(h.end - h.start), h.start)):
        if not _overlaps_any(hit, kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def _overlaps_any(hit: Hit, others: Iterable[Hit]) -> bool:
    return any(hit.start < o.end and o.start < hit.end for o in others)


def _language(doc: AnnotatedConversation, index: int) -> str | None:
    if index < len(doc.languages) and doc.languages[index]:
        return doc.languages[index]
    return doc.conversation.language


# --------------------------------------------------------------------------- filters


def _keep(text: str, hit: Hit, agent: bool, memory: _Memory) -> bool:
    """Drop the agent's own introduction, names of public figures, places and brands, acronyms
    and parts of e-mail addresses (the e-mail recognizer owns those)."""
    name = text[hit.start : hit.end]
    if (len(name) > 1 and name.isupper() and not _HAN.search(name)) or _in_email(text, hit):
        return False
    if agent and hit.single and (nfc_lower(name) in memory.agent_names or _after_self_intro(text, hit.start)):
        return False
    return not any(in_not_names(name, name_lists(lang)) for lang in ("en", "ru", "vi", "zh"))


def _in_email(text: str, hit: Hit) -> bool:
    left = text[: hit.start].split()[-1:] or [""]
    right = text[hit.end :].split()[:1] or [""]
    glued = text[hit.start - 1 : hit.start] in "._-@" and hit.start > 0 and not text[hit.start - 1].isspace()
    glued = glued or (text[hit.end : hit.end + 1] in (".", "_", "-", "@") and text[hit.end + 1 : hit.end + 2].isalnum())
    spoken = {nfc_lower(left[0]), nfc_lower(right[0])} & cue_set("en", "email_words")
    return glued or bool(spoken) or "@" in text[max(0, hit.start - 40) : hit.start].split(" ")[-1]


def _after_self_intro(text: str, start: int) -> bool:
    return preceded_by(text, start, _self_intro_cues(), window=1)


@cache
def _self_intro_cues() -> list[str]:
    cues = {c for lang in ("en", "ru", "vi", "zh") for c in name_lists(lang).cue_list("self_intro")}
    return sorted(cues, key=lambda c: (-len(c), c))


def _remembered(text: str, hit: Hit) -> set[str]:
    """Keys under which a found name is recalled later: the whole name and its parts.

    Vietnamese middle syllables ("Thị", "Văn") are everyday words, so only the last syllable
    (the given name) of a Vietnamese name is kept; one Chinese character alone is never kept.
    """
    name = nfc_lower(text[hit.start : hit.end])
    if _HAN.search(name):
        return {name} if len(name) >= 2 else set()
    words = name.split()
    parts = words[-1:] if hit.rule.startswith("vi:") else words
    return {name} | {w for w in parts if len(w) > 2}


def _label_names(label: str | None) -> set[str]:
    """Names in a speaker label: "Chú Hải" → {"hải"}, "Ngọc (CSKH)" → {"ngọc"}, "SPEAKER_01" → {}."""
    if not label:
        return set()
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", label).strip()
    if not text or _GENERIC_LABEL.match(text):
        return set()
    if _HAN.search(text):
        return {text} if len(text) >= 2 and not _zh_title_label(text) else set()
    titles = cue_set("vi", "honorifics") | cue_set("en", "titles") | cue_set("ru", "titles")
    words = [w.text for w in tokens(text) if nfc_lower(w.text).rstrip(".") not in titles]
    names = {nfc_lower(w) for w in words if len(w) > 1}
    if len(words) > 1:
        names.add(nfc_lower(" ".join(words)))
    return names


def _zh_title_label(text: str) -> bool:
    """"林先生", "周母": a surname plus a title or kinship word, not a full name."""
    return any(text.endswith(t) for t in cue_set("zh", "titles") | {"母", "父", "妻", "夫"})


# --------------------------------------------------------------------------- recalled mentions


def _mentions(text: str, names: set[str], score: float, rule: str) -> list[Hit]:
    hits: list[Hit] = []
    plain = text.isascii()
    haystack = fold(text) if plain else nfc_lower(text)
    if len(haystack) != len(text):
        return hits  # case mapping changed the length (rare ligatures): offsets would not map back
    for name in names:
        if _HAN.search(name):
            hits += [Hit(m.start(), m.end(), score, rule) for m in re.finditer(re.escape(name), text)]
            continue
        key = fold(name) if plain else name
        pattern = re.compile(r"(?<![^\W_])" + re.escape(key) + r"(?![^\W_])")
        for match in pattern.finditer(haystack):
            if _plausible_mention(text, match.start(), match.end(), name):
                hits.append(Hit(match.start(), match.end(), score, rule, single=" " not in name))
    return hits


def _plausible_mention(text: str, start: int, end: int, name: str) -> bool:
    """A recalled name that is also an everyday word needs a capital or an honorific before it."""
    if _vi_compound(text, start, end):
        return False
    plain = text.isascii()
    ambiguous = any(name in name_lists(lang).ambiguous or (plain and fold(name) in _folded_ambiguous(lang))
                    for lang in ("en", "ru", "vi"))
    if not ambiguous:
        return True
    if is_cased(text):
        return text[start].isupper()
    titles = cue_set("vi", "honorifics") | cue_set("en", "titles") | cue_set("ru", "titles")
    return preceded_by(text, start, sorted(titles, key=len, reverse=True))


@cache
def _folded_ambiguous(language: str) -> frozenset[str]:
    return frozenset(fold(w) for w in name_lists(language).ambiguous)


def _vi_compound(text: str, start: int, end: int) -> bool:
    """"hoa hồng" is a commission, not Ms Hồng: a listed compound around the word."""
    before = text[:start].split()[-1:] or [""]
    after = text[end:].split()[:1] or [""]
    compounds = cue_set("vi", "compounds")
    word = nfc_lower(text[start:end])
    return f"{nfc_lower(before[0])} {word}" in compounds or f"{word} {nfc_lower(after[0])}" in compounds
