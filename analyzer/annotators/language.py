"""Language of every turn, restricted to the product's languages.

Measured on the dev set's turns of three words or more (README, `analyzer
langid`): lingua and py3langid, both restricted to {vi, ru, zh, en}, beat
langdetect (which cannot be restricted) by a wide margin; with the context
rules lingua is the most accurate, deterministic and fast enough, so it is
the default; py3langid and langdetect (seeded) stay selectable.

Two context rules on top of the per-turn detector:

* very short turns ("да", "ok", "vâng", "好的") carry almost no signal, so they
  inherit the language of the speaker's previous turn, else of the
  conversation;
* an uncertain turn is re-weighted by the conversation's own language mix
  (a prior), which rescues Vietnamese typed without diacritics from looking
  English while leaving truly English turns English.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from analyzer.model import LANGUAGES, AnnotatedConversation
from analyzer.pipeline import registry

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

Scorer = Callable[[str], dict[str, float]]


def word_count(text: str) -> int:
    """Words for Latin/Cyrillic; for Chinese, two characters count as a word."""
    cjk = len(_CJK.findall(text))
    other = len(_WORD.findall(_CJK.sub(" ", text)))
    return other + (cjk + 1) // 2


@cache
def _py3langid() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def score_py3langid(text: str) -> dict[str, float]:
    return {lang: float(p) for lang, p in _py3langid().rank(text)}


@cache
def _lingua() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    languages = [Language.VIETNAMESE, Language.RUSSIAN, Language.CHINESE, Language.ENGLISH]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def score_lingua(text: str) -> dict[str, float]:
    values = _lingua().compute_language_confidence_values(text)
    return {value.language.iso_code_639_1.name.lower(): value.value for value in values}


def score_langdetect(text: str) -> dict[str, float]:
    """langdetect cannot be restricted; unknown languages fold into 'other'."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        guesses = detect_langs(text)
    except LangDetectException:
        return {}
    scores: dict[str, float] = {}
    for guess in guesses:
        lang = "zh" if guess.lang.startswith("zh") else guess.lang
        if lang in LANGUAGES:
            scores[lang] = scores.get(lang, 0.0) + guess.prob
    return scores


SCORERS: dict[str, Scorer] = {
    "py3langid": score_py3langid,
    "lingua": score_lingua,
    "langdetect": score_langdetect,
}


class LanguageAnnotator:
    """Fills `doc.languages` (one code per turn) and `doc.language_sources`."""

    name = "language"

    def __init__(
        self,
        detector: str = "lingua",
        min_words: int = 3,
        prior_weight: float = 1.0,
        confident: float = 0.9,
    ) -> None:
        if detector not in SCORERS:
            raise ValueError(f"unknown language detector {detector!r}; choose from {', '.join(SCORERS)}")
        self.score = SCORERS[detector]
        self.min_words = min_words
        self.prior_weight = prior_weight
        self.confident = confident

    def __call__(self, doc: AnnotatedConversation) -> None:
        texts = [turn.text for turn in doc.turns]
        languages, sources = self.detect_turns(texts, hint=doc.conversation.language)
        doc.languages, doc.language_sources = languages, sources

    def detect_turns(self, texts: Sequence[str], hint: str | None = None) -> tuple[list[str | None], list[str]]:
        scores = [self.score(t) if word_count(t) >= self.min_words else None for t in texts]
        prior = self._prior(scores, hint)
        languages: list[str | None] = []
        sources: list[str] = []
        for turn_scores in scores:
            if turn_scores:
                languages.append(self._decide(turn_scores, prior))
                sources.append("detected")
            else:
                languages.append(None)
                sources.append("context")
        _inherit_short_turns(languages, prior)
        return languages, sources

    def _prior(self, scores: Sequence[dict[str, float] | None], hint: str | None) -> dict[str, float]:
        """Share of each language among the confidently detected turns (add-one smoothed)."""
        counts: Counter[str] = Counter()
        for turn_scores in scores:
            if turn_scores:
                best, p = max(turn_scores.items(), key=lambda kv: (kv[1], kv[0]))
                if p >= self.confident:
                    counts[best] += 1
        if hint in LANGUAGES:
            counts[hint] += 1
        total = sum(counts.values()) + len(LANGUAGES)
        return {lang: (counts[lang] + 1) / total for lang in LANGUAGES}

    def _decide(self, turn_scores: Mapping[str, float], prior: Mapping[str, float]) -> str:
        def posterior(lang: str) -> float:
            likelihood = max(turn_scores.get(lang, 0.0), 1e-9)
            return math.log(likelihood) + self.prior_weight * math.log(prior[lang])

        return max(sorted(LANGUAGES), key=posterior)


def _inherit_short_turns(languages: list[str | None], prior: Mapping[str, float]) -> None:
    """Short turns take the previous turn's language (else the next one, else the conversation's)."""
    fallback = max(sorted(prior), key=lambda lang: prior[lang])
    previous: str | None = None
    for i, lang in enumerate(languages):
        if lang is None:
            following = next((x for x in languages[i + 1 :] if x is not None), None)
            languages[i] = previous or following or fallback
        previous = languages[i]


def conversation_languages(languages: Sequence[str | None], texts: Sequence[str], min_share: float = 0.05) -> list[str]:
    """Languages of a conversation, by share of text, most used first."""
    weights: Counter[str] = Counter()
    for lang, text in zip(languages, texts, strict=True):
        if lang:
            weights[lang] += max(word_count(text), 1)
    total = sum(weights.values())
    if not total:
        return []
    ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
    return [lang for i, (lang, w) in enumerate(ranked) if i == 0 or w / total >= min_share]


@registry.register("language")
def make_language_annotator(settings: Mapping[str, Any]) -> LanguageAnnotator:
    return LanguageAnnotator(**settings)
