"""The `behaviour` detector: flattery, pressure, rebate requests and offers, per sentence.

Each sentence of an agent or client turn (and the whole turn, when it has
several sentences) is scored with the previous turn as context. Modes:

* `fast`: the n-gram model alone;
* `cascade` (default): the n-gram model, then the encoder head only for
  sentences the n-gram model is unsure about (band chosen by CV) and for
  whole multi-sentence turns in which the n-gram model sees anything;
* `encoder`: the encoder head alone (for comparison).

Role rules are applied before scoring, not after: flattery, pressure and
rebate_offer are only looked for in agent turns, rebate_request only in
client-side turns. Every finding carries a calibrated confidence and
evidence a reviewer understands: the lexicon entry that fired, else the
n-grams that weighed most, plus, where the encoder decided (its embedding
is at hand), the nearest training examples.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from analyzer.detectors.behaviour.calibration import Platt
from analyzer.detectors.behaviour.data import CATEGORIES, allowed_categories
from analyzer.detectors.behaviour.encoder_head import EncoderHead, pair_features
from analyzer.detectors.behaviour.lexicon import lexicon_cues
from analyzer.detectors.behaviour.ngram_model import NgramModel
from analyzer.detectors.behaviour.train import MODEL_DIR, to_encoder, whole_turns_to_read
from analyzer.model import AnnotatedConversation, Finding
from analyzer.pipeline import registry

MODES = ("fast", "cascade", "encoder")


class ModelMissingError(FileNotFoundError):
    def __init__(self, directory: Path) -> None:
        super().__init__(f"no trained behaviour model in {directory}; run `analyzer train` (see README)")


@dataclass(frozen=True)
class Unit:
    """A scoring unit: one sentence, or a whole multi-sentence turn."""

    turn: int
    start: int
    end: int
    text: str
    context: str
    categories: frozenset[str]
    whole_turn: bool


class BehaviourModels:
    """The trained artefacts of `models/behaviour/`, loaded once and shared."""

    def __init__(self, directory: Path = MODEL_DIR, encoder_spec: str | None = None) -> None:
        if not (directory / "model.json").exists():
            raise ModelMissingError(directory)
        self.directory = directory
        self.card: dict[str, Any] = json.loads((directory / "model.json").read_text())
        self.ngram = NgramModel.load(directory)
        self.encoder_spec = encoder_spec or self.card["encoder"]

    def platt(self, model: str, category: str) -> Platt:
        a, b = self.card[model]["platt"][category]
        return Platt(a, b)

    @cached_property
    def head(self) -> EncoderHead:
        return EncoderHead.load(self.directory)

    @cached_property
    def encoder(self) -> Any:
        from analyzer.encoders import load_encoder

        return load_encoder(self.encoder_spec)

    @cached_property
    def neighbours(self) -> tuple[np.ndarray, list[dict[str, Any]]]:
        vectors = np.load(self.directory / "neighbours.npz")["vectors"].astype(np.float32)
        with open(self.directory / "neighbours.jsonl", encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle]
        return vectors, rows


_SHARED: dict[tuple[str, str | None], BehaviourModels] = {}


def shared_models(directory: Path = MODEL_DIR, encoder_spec: str | None = None) -> BehaviourModels:
    key = (str(directory), encoder_spec)
    if key not in _SHARED:
        _SHARED[key] = BehaviourModels(directory, encoder_spec)
    return _SHARED[key]


class BehaviourDetector:
    name = "behaviour"

    def __init__(self, mode: str = "cascade", model_dir: str | None = None, encoder: str | None = None,
                 neighbours: int = 2) -> None:
        if mode not in MODES:
            raise ValueError(f"behaviour mode must be one of {', '.join(MODES)}, not {mode!r}")
        self.mode, self.neighbours = mode, neighbours
        self.models = shared_models(Path(model_dir) if model_dir else MODEL_DIR, encoder)
        self.key = "fast" if mode == "fast" else "encoder_head" if mode == "encoder" else "cascade"

    def detect(self, doc: AnnotatedConversation) -> Iterator[Finding]:
        units = list(_units(doc))
        if not units:
            return
        probabilities, used_encoder = self.score(units)
        thresholds = self.models.card[self.key]["threshold"]
        yield from self._findings(doc, units, probabilities, used_encoder, thresholds)

    def score(self, units: list[Unit]) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated probabilities (units × categories) and which cells the encoder decided."""
        models = self.models
        texts, contexts = [u.text for u in units], [u.context for u in units]
        allowed = np.array([[c in u.categories for c in CATEGORIES] for u in units])
        fast = np.zeros(allowed.shape)
        if self.mode != "encoder":
            raw = models.ngram.decision(texts, contexts)
            fast = np.column_stack([models.platt("fast", c)(raw[c]) for c in CATEGORIES]) * allowed
        if self.mode == "fast":
            return fast, np.zeros(allowed.shape, dtype=bool)
        if self.mode == "encoder":
            need = allowed.copy()
        else:
            need = allowed & encoder_cells(units, fast, models.card["cascade"])
        rows = np.flatnonzero(need.any(axis=1))
        encoder = np.zeros(allowed.shape)
        if len(rows):
            features = pair_features(models.encoder.encode([texts[i] for i in rows]),
                                     models.encoder.encode([contexts[i] for i in rows]))
            raw = models.head.decision(features)
            encoder[rows] = np.column_stack([models.platt("encoder_head", c)(raw[c]) for c in CATEGORIES])
        if self.mode == "encoder":
            return encoder * allowed, need
        return np.where(need, (fast + encoder) / 2, fast), need

    def _findings(self, doc: AnnotatedConversation, units: list[Unit], probabilities: np.ndarray,
                  used_encoder: np.ndarray, thresholds: Mapping[str, float]) -> Iterator[Finding]:
        by_turn: dict[int, list[int]] = {}
        for index, unit in enumerate(units):
            by_turn.setdefault(unit.turn, []).append(index)
        for indices in by_turn.values():
            sentences = [i for i in indices if not units[i].whole_turn]
            whole = [i for i in indices if units[i].whole_turn]
            for c, category in enumerate(CATEGORIES):
                threshold = thresholds[category]
                hits = [(i, float(probabilities[i, c])) for i in sentences if probabilities[i, c] >= threshold]
                if not hits and whole and probabilities[whole[0], c] >= threshold:
                    # the turn as a whole shows it: point at its strongest sentence, with the turn's confidence
                    strongest = max(sentences, key=lambda i: (probabilities[i, c], -i))
                    hits = [(strongest, float(probabilities[whole[0], c]))]
                for i, confidence in hits:
                    yield self._finding(doc, units[i], category, confidence, bool(used_encoder[i, c]))

    def _finding(self, doc: AnnotatedConversation, unit: Unit, category: str, confidence: float,
                 used_encoder: bool) -> Finding:
        language = doc.languages[unit.turn] if unit.turn < len(doc.languages) else None
        lexicon = lexicon_cues(unit.text, language, category)
        ngrams = self.models.ngram.cues(unit.text, unit.context, category)
        explanation: dict[str, Any] = {"model": self.mode, "decided_by": "encoder" if used_encoder else "ngram",
                                       "lexicon": lexicon, "ngram_cues": ngrams}
        if self.mode != "fast" and self.neighbours and used_encoder:
            explanation["nearest_training_examples"] = self._neighbours(unit, category)
        if lexicon:
            evidence = f"{category} cue: " + "; ".join(f"“{cue}”" for cue in lexicon)
        else:
            evidence = f"{category}: weighed by " + ", ".join(f"“{g}”" for g in ngrams) if ngrams else category
        return Finding(category, unit.turn, unit.start, unit.end, round(confidence, 4), evidence,
                       f"behaviour.{self.mode}", explanation)

    def _neighbours(self, unit: Unit, category: str) -> list[dict[str, Any]]:
        vectors, rows = self.models.neighbours
        query = self.models.encoder.encode([unit.text])[0]
        similarity = vectors @ query
        order = [i for i in np.argsort(-similarity, kind="stable") if category in rows[i]["labels"]]
        return [{"id": rows[i]["id"], "text": rows[i]["text"], "similarity": round(float(similarity[i]), 3)}
                for i in order[: self.neighbours]]


def encoder_cells(units: Sequence[Unit], fast: np.ndarray, settings: Mapping[str, Any]) -> np.ndarray:
    """Cells (units × categories) the cascade hands to the encoder: the fast model's unsure band, and,
    for models trained with `whole_turns`, every category of a whole turn in which the fast model
    gives any category (on any of the turn's units) at least the band's lower edge."""
    band = settings["band"]
    read_whole = None
    if settings.get("whole_turns"):
        strongest: dict[int, float] = {}
        for unit, value in zip(units, fast.max(axis=1), strict=True):
            strongest[unit.turn] = max(strongest.get(unit.turn, 0.0), float(value))
        read_whole = whole_turns_to_read(np.array([u.whole_turn for u in units], dtype=bool),
                                         np.array([strongest[u.turn] for u in units]), band[0])
    return to_encoder(fast, band, read_whole)


def _units(doc: AnnotatedConversation) -> Iterator[Unit]:
    for index, turn in enumerate(doc.turns):
        categories = allowed_categories(doc.role_of(index))
        if not categories or not turn.text.strip():
            continue
        context = doc.turns[index - 1].text if index else ""
        sentences = doc.sentences[index] if index < len(doc.sentences) else []
        spans = [(s.start, s.end) for s in sentences] or [(0, len(turn.text))]
        for start, end in spans:
            yield Unit(index, start, end, turn.text[start:end], context, categories, False)
        if len(spans) > 1:
            yield Unit(index, 0, len(turn.text), turn.text, context, categories, True)


@registry.register("behaviour")
def make_behaviour_detector(settings: Mapping[str, Any]) -> BehaviourDetector:
    return BehaviourDetector(**settings)
