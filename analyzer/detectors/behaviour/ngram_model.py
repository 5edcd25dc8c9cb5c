"""The fast behaviour model: character and word n-grams, one linear classifier per category.

No encoder, so it runs at thousands of sentences per second on one core.
Character n-grams (`char_wb`) see through Vietnamese without diacritics,
Russian inflection and Chinese without word boundaries alike; the previous
turn is hashed into its own feature space so "after a refusal" is visible.
Text is normalised first (`style_invariant`) so that the same words give the
same features whether a transcript is punctuated, speech-to-text with spaces
between Chinese phrases, or run together without any.
The trained artefact is plain data: hashing parameters in JSON, the non-zero
weights in a compressed `.npz` (no pickle).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils import murmurhash3_32

from analyzer.detectors.behaviour.data import CATEGORIES

TEXT_CHARS = {"analyzer": "char_wb", "ngram_range": (2, 5), "n_features": 2**19}
TEXT_WORDS = {"analyzer": "word", "ngram_range": (1, 2), "n_features": 2**17, "token_pattern": r"(?u)\b\w+\b"}
CONTEXT_CHARS = {"analyzer": "char_wb", "ngram_range": (2, 4), "n_features": 2**17}
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# CJK runs are left to the character n-grams: a "word" there would be a whole run-together turn
STYLE_INVARIANT_WORDS = f"[^\\W{_CJK}]+"
# punctuation (Unicode category P*, Basic Multilingual Plane) → space; apostrophes vanish: don't = dont
_PUNCTUATION: dict[int, str | None] = {
    **{cp: " " for cp in range(0x10000) if unicodedata.category(chr(cp))[0] == "P"},
    **dict.fromkeys(map(ord, "'’ʼ`"), None),
}
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)  # the character and the word vectorizer each ask for the same text in turn
def style_invariant(text: str) -> str:
    """Lowercase, full-width forms folded, punctuation dropped, no spaces between CJK characters.

    Speech-to-text output and written transcripts of the same words then share
    their n-grams: Chinese ASR may put spaces between phrases or none at all,
    and a comma or a full stop must not decide whether "今天最后一天 您就办了吧"
    looks like the training data.
    """
    kept = unicodedata.normalize("NFKC", text).lower().translate(_PUNCTUATION)
    return _SPACES.sub(" ", _SPACE_BETWEEN_CJK.sub("", kept)).strip()


@dataclass(frozen=True)
class Featurizer:
    """Text n-grams ⊕ word n-grams ⊕ previous-turn n-grams (context weighted down)."""

    context_weight: float = 0.5
    normalise: bool = True  # `style_invariant` first (models trained before it have False)

    def _vectorizers(self) -> tuple[HashingVectorizer, HashingVectorizer, HashingVectorizer]:
        common: dict = {"alternate_sign": False, "norm": "l2", "lowercase": True, "dtype": np.float32}
        words = TEXT_WORDS
        if self.normalise:
            common["preprocessor"] = style_invariant
            words = {**TEXT_WORDS, "token_pattern": STYLE_INVARIANT_WORDS}
        return (HashingVectorizer(**TEXT_CHARS, **common), HashingVectorizer(**words, **common),
                HashingVectorizer(**CONTEXT_CHARS, **common))

    def transform(self, texts: Sequence[str], contexts: Sequence[str]) -> sp.csr_matrix:
        chars, words, context = self._vectorizers()
        return sp.hstack([chars.transform(texts), words.transform(texts),
                          context.transform(contexts) * self.context_weight], format="csr")

    @property
    def n_features(self) -> int:
        return TEXT_CHARS["n_features"] + TEXT_WORDS["n_features"] + CONTEXT_CHARS["n_features"]

    def describe(self, index: int) -> str:
        """Which block a feature index belongs to (for explanations)."""
        if index < TEXT_CHARS["n_features"]:
            return "chars"
        return "words" if index < TEXT_CHARS["n_features"] + TEXT_WORDS["n_features"] else "context"


class NgramModel:
    """One logistic regression per category over `Featurizer` features."""

    def __init__(self, featurizer: Featurizer | None = None, c: float = 4.0) -> None:
        self.featurizer = featurizer or Featurizer()
        self.c = c
        self.weights: dict[str, sp.csr_matrix] = {}
        self.bias: dict[str, float] = {}

    def fit(self, texts: Sequence[str], contexts: Sequence[str], labels: dict[str, np.ndarray],
            masks: dict[str, np.ndarray]) -> NgramModel:
        """`labels[c]` is 0/1 per example; `masks[c]` selects the examples a category is trained on (role rules)."""
        features = self.featurizer.transform(texts, contexts)
        for category in CATEGORIES:
            rows = np.flatnonzero(masks[category])
            y = labels[category][rows]
            if y.min() == y.max():
                raise ValueError(f"category {category!r} needs positive and negative examples")
            model = LogisticRegression(C=self.c, solver="liblinear", class_weight="balanced", max_iter=2000,
                                       random_state=0)
            model.fit(features[rows], y)
            self.weights[category] = sp.csr_matrix(model.coef_.astype(np.float32))
            self.bias[category] = float(model.intercept_[0])
        return self

    def decision(self, texts: Sequence[str], contexts: Sequence[str]) -> dict[str, np.ndarray]:
        features = self.featurizer.transform(texts, contexts)
        return {c: (features @ self.weights[c].T).toarray().ravel() + self.bias[c] for c in self.weights}

    def cues(self, text: str, context: str, category: str, top: int = 3) -> list[str]:
        """The text's character/word n-grams that pushed hardest toward `category`."""
        chars, words, _ = self.featurizer._vectorizers()
        weights = self._dense(category)
        scored: dict[str, float] = {}
        offset = 0
        for vectorizer in (chars, words):
            for gram in set(vectorizer.build_analyzer()(text)):
                weight = float(weights[offset + _hash_index(gram, vectorizer.n_features)])
                key = gram.strip()
                scored[key] = max(scored.get(key, weight), weight)
            offset += vectorizer.n_features
        best = sorted((g for g in scored if scored[g] > 0 and len(g) > 2), key=lambda g: (-scored[g], g))
        return _drop_contained(best)[:top]

    def _dense(self, category: str) -> np.ndarray:
        """Dense weights for explanations (computed once per category)."""
        cache = self.__dict__.setdefault("_dense_weights", {})
        if category not in cache:
            cache[category] = self.weights[category].toarray().ravel()
        return cache[category]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        arrays = {}
        for category, matrix in self.weights.items():
            arrays[f"{category}.indices"] = matrix.indices.astype(np.int32)
            arrays[f"{category}.values"] = matrix.data.astype(np.float32)
        np.savez_compressed(directory / "ngram_weights.npz", **arrays)
        meta = {"context_weight": self.featurizer.context_weight, "normalise": self.featurizer.normalise,
                "c": self.c, "bias": self.bias,
                "text_chars": TEXT_CHARS, "text_words": TEXT_WORDS, "context_chars": CONTEXT_CHARS}
        (directory / "ngram_model.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")

    @classmethod
    def load(cls, directory: Path) -> NgramModel:
        meta = json.loads((directory / "ngram_model.json").read_text())
        model = cls(Featurizer(meta["context_weight"], meta.get("normalise", False)), meta["c"])
        arrays = np.load(directory / "ngram_weights.npz")
        n = model.featurizer.n_features
        for category, bias in meta["bias"].items():
            indices, values = arrays[f"{category}.indices"], arrays[f"{category}.values"]
            model.weights[category] = sp.csr_matrix((values, indices, [0, len(indices)]), shape=(1, n))
            model.bias[category] = bias
        return model


def _hash_index(token: str, n_features: int) -> int:
    """The column HashingVectorizer gives `token` (same murmurhash, seed 0)."""
    return abs(murmurhash3_32(token, seed=0)) % n_features


def _drop_contained(grams: list[str]) -> list[str]:
    kept: list[str] = []
    for gram in grams:
        if not any(gram in k or k in gram for k in kept):
            kept.append(gram)
    return kept
