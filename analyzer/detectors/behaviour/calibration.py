"""Calibrated confidences and decision thresholds, both chosen on out-of-fold scores.

Raw model scores are not probabilities; a reviewer reading "0.93" should be
right about 93% of the time. Platt scaling on cross-validated (out-of-fold)
scores of the training data does that, and the per-category threshold that
maximises F1 on those same scores is the decision point. The dev set is never
used here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


@dataclass(frozen=True)
class Platt:
    a: float
    b: float

    def __call__(self, scores: np.ndarray) -> np.ndarray:
        return sigmoid(self.a * np.asarray(scores, dtype=np.float64) + self.b)

    @classmethod
    def fit(cls, scores: np.ndarray, labels: np.ndarray) -> Platt:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=1e4, max_iter=1000).fit(np.asarray(scores).reshape(-1, 1), labels)
        return cls(float(model.coef_[0, 0]), float(model.intercept_[0]))


def f1_at(probabilities: np.ndarray, labels: np.ndarray, threshold: float) -> float:
    predicted = probabilities >= threshold
    tp = float(np.sum(predicted & (labels == 1)))
    fp = float(np.sum(predicted & (labels == 0)))
    fn = float(np.sum(~predicted & (labels == 1)))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def best_threshold(probabilities: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """(threshold, F1) maximising F1 on a 0.05..0.95 grid; ties go to the higher threshold (precision)."""
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    scores = [(f1_at(probabilities, labels, t), t) for t in grid]
    f1, threshold = max(scores)
    return float(threshold), float(f1)
