"""Encoders: the transformers backend on a tiny model the test builds itself, the cache, training with it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from analyzer.encoders import CachedEncoder, TransformersEncoder, load_encoder

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "sign", "today", "price", "goes", "up", "thank", "you",
         "your", "commission", "back", "give", "me", "part", "of", "time", "take", "a", "great", "smart", "client"]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1-layer BERT with random weights (seeded), saved like any local Hugging Face model."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-encoder")
    (folder / "vocab.txt").write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    BertTokenizerFast(vocab_file=str(folder / "vocab.txt"), do_lower_case=True).save_pretrained(folder)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(VOCAB), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=64)
    BertModel(config).save_pretrained(folder)
    return folder


def test_transformers_backend_loads_a_local_model_and_normalises(tiny_model: Path) -> None:
    encoder = TransformersEncoder(tiny_model)
    vectors = encoder.encode(["sign today the price goes up", "thank you", "sign today the price goes up"])
    assert vectors.shape == (3, 16) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors[0], vectors[2])
    assert not np.allclose(vectors[0], vectors[1])
    assert np.allclose(TransformersEncoder(tiny_model).encode(["thank you"]), vectors[1:2], atol=1e-6)


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="never downloaded"):
        TransformersEncoder(tmp_path / "nope")
    with pytest.raises(ValueError, match="unknown encoder"):
        load_encoder("bert-base-uncased")


def test_cache_returns_the_same_rows_and_bounds_its_size(tiny_model: Path) -> None:
    inner = TransformersEncoder(tiny_model)
    cached = CachedEncoder(inner, size=2)
    first = cached.encode(["sign today", "thank you", "give me part of your commission back"])
    assert len(cached._cache) == 2
    again = cached.encode(["sign today", "thank you"])
    assert np.allclose(first[:2], again)
    assert cached.encode([]).shape == (0, 16)


def test_training_runs_with_any_local_encoder(tiny_model: Path, tmp_path: Path) -> None:
    from analyzer.detectors.behaviour.train import train

    rows = []
    texts = {
        ("agent", "pressure"): ["sign today the price goes up", "sign today", "the price goes up sign today"],
        ("agent", "flattery"): ["a great smart client", "you smart client", "great client you"],
        ("agent", "rebate_offer"): ["give you part of my commission back", "commission back to you",
                                    "part of commission"],
        ("client", "rebate_request"): ["give me part of your commission", "your commission back", "commission back me"],
        ("agent", None): ["thank you", "take your time", "thank you take time"],
        ("client", None): ["thank you", "the price", "take a time"],
    }
    for (role, label), examples in texts.items():
        for k, text in enumerate(examples * 3):
            rows.append({"id": f"en-{len(rows):05d}", "lang": "en", "domain": "insurance", "style": "stt",
                         "role": role, "context": "" if k % 2 else "no thank you", "context_role": "client",
                         "text": f"{text} {k}", "labels": [label] if label else [], "hard_negative": ""})
    data = tmp_path / "tiny.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    card = train([data], tmp_path / "model", encoder_spec=f"transformers:{tiny_model}", folds=2, log=lambda _: None)
    assert card["examples"] == len(rows)
    assert set(card["fast"]["threshold"]) == {"flattery", "pressure", "rebate_request", "rebate_offer"}
    for name in ("model.json", "ngram_model.json", "ngram_weights.npz", "encoder_head.npz", "neighbours.npz"):
        assert (tmp_path / "model" / name).exists()
    again = train([data], tmp_path / "again", encoder_spec=f"transformers:{tiny_model}", folds=2, log=lambda _: None)
    assert again["fast"] == card["fast"] and again["encoder_head"] == card["encoder_head"]  # seeded: same results
