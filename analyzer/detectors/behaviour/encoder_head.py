"""The accurate behaviour model: a small MLP over sentence-encoder embeddings.

Input: the sentence's embedding, the previous turn's embedding and their
element-wise product (so "asks again right after a no" is a learnable
interaction), → 4 sigmoid outputs, one per category. Trained with torch
(fixed seeds, deterministic algorithms); inference is plain numpy on the
saved weights, so scoring needs no torch at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analyzer.detectors.behaviour.data import CATEGORIES


def pair_features(text_vectors: np.ndarray, context_vectors: np.ndarray) -> np.ndarray:
    return np.hstack([text_vectors, context_vectors, text_vectors * context_vectors]).astype(np.float32)


@dataclass
class TrainSettings:
    hidden: int = 256
    dropout: float = 0.2
    epochs: int = 40
    batch_size: int = 64
    learning_rate: float = 1e-3
    weight_decay: float = 1e-4
    seed: int = 13


@dataclass
class EncoderHead:
    settings: TrainSettings = field(default_factory=TrainSettings)
    weights: dict[str, np.ndarray] = field(default_factory=dict)

    def fit(self, features: np.ndarray, labels: np.ndarray, masks: np.ndarray) -> EncoderHead:
        """`labels`, `masks`: (n, 4) 0/1; a category's loss counts only where its mask is 1 (role rules)."""
        import torch

        s = self.settings
        torch.manual_seed(s.seed)
        torch.use_deterministic_algorithms(True)
        generator = torch.Generator().manual_seed(s.seed)
        x, y, m = (torch.from_numpy(a.astype(np.float32)) for a in (features, labels, masks))
        positives = (y * m).sum(0)
        negatives = ((1 - y) * m).sum(0)
        pos_weight = (negatives / positives.clamp(min=1)).clamp(max=10)
        model = torch.nn.Sequential(torch.nn.Linear(x.shape[1], s.hidden), torch.nn.ReLU(),
                                    torch.nn.Dropout(s.dropout), torch.nn.Linear(s.hidden, y.shape[1]))
        optimiser = torch.optim.AdamW(model.parameters(), lr=s.learning_rate, weight_decay=s.weight_decay)
        loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight, reduction="none")
        for _ in range(s.epochs):
            model.train()
            for batch in torch.randperm(len(x), generator=generator).split(s.batch_size):
                optimiser.zero_grad()
                loss = (loss_fn(model(x[batch]), y[batch]) * m[batch]).sum() / m[batch].sum().clamp(min=1)
                loss.backward()
                optimiser.step()
        first, second = model[0], model[3]
        self.weights = {"w1": first.weight.detach().numpy().T.copy(), "b1": first.bias.detach().numpy().copy(),
                        "w2": second.weight.detach().numpy().T.copy(), "b2": second.bias.detach().numpy().copy()}
        return self

    def decision(self, features: np.ndarray) -> dict[str, np.ndarray]:
        w = self.weights
        hidden = np.maximum(features @ w["w1"] + w["b1"], 0.0)
        logits = hidden @ w["w2"] + w["b2"]
        return {c: logits[:, i] for i, c in enumerate(CATEGORIES)}

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(directory / "encoder_head.npz", **self.weights)
        (directory / "encoder_head.json").write_text(json.dumps(self.settings.__dict__, indent=1) + "\n")

    @classmethod
    def load(cls, directory: Path) -> EncoderHead:
        settings = TrainSettings(**json.loads((directory / "encoder_head.json").read_text()))
        arrays = np.load(directory / "encoder_head.npz")
        return cls(settings, {k: arrays[k] for k in arrays.files})
