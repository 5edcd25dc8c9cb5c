"""Which cells the cascade hands to the encoder, at training time and at scoring time (no models needed)."""

from __future__ import annotations

import numpy as np

from analyzer.detectors.behaviour.data import CATEGORIES
from analyzer.detectors.behaviour.detector import Unit, encoder_cells
from analyzer.detectors.behaviour.train import cascade, choose_band, whole_turns_to_read

AGENT = frozenset({"flattery", "pressure", "rebate_offer"})
BAND = {"band": [0.1, 0.9]}


def unit(turn: int, whole: bool = False) -> Unit:
    return Unit(turn, 0, 1, "x", "", AGENT, whole)


def probabilities(*rows: tuple[float, ...]) -> np.ndarray:
    return np.array(rows, dtype=float)


def test_whole_turns_are_read_only_where_the_fast_model_sees_something() -> None:
    multi = np.array([True, True, False])
    fast = probabilities((0.0, 0.3, 0.0, 0.0), (0.0, 0.05, 0.0, 0.0), (0.0, 0.99, 0.0, 0.0))
    assert whole_turns_to_read(multi, fast.max(axis=1), 0.1).tolist() == [True, False, False]


def test_cascade_without_whole_turn_reading_keeps_to_the_band() -> None:
    units = [unit(0), unit(0), unit(0, whole=True)]
    fast = probabilities((0.0, 0.5, 0.0, 0.0), (0.0, 0.0, 0.0, 0.0), (0.95, 0.0, 0.0, 0.0))
    cells = encoder_cells(units, fast, BAND)
    assert cells.tolist() == [[False, True, False, False], [False] * 4, [False] * 4]


def test_whole_turn_of_a_signalled_turn_goes_to_the_encoder_in_every_category() -> None:
    # turn 0: one sentence looks like pressure → its whole-turn unit is read; turn 1 shows nothing → not read
    units = [unit(0), unit(0), unit(0, whole=True), unit(1), unit(1), unit(1, whole=True)]
    fast = probabilities((0.0, 0.97, 0.0, 0.0), (0.0,) * 4, (0.0, 0.99, 0.0, 0.0),
                         (0.02, 0.0, 0.0, 0.0), (0.0,) * 4, (0.0,) * 4)
    cells = encoder_cells(units, fast, {**BAND, "whole_turns": True})
    assert cells[2].all()
    assert not cells[[0, 1, 3, 4, 5]].any()


def test_training_combines_routed_rows_whatever_the_fast_confidence() -> None:
    fast = probabilities((0.0, 0.02, 0.0, 0.95))
    encoder = probabilities((0.0, 0.9, 0.0, 0.9))
    combined, sent = cascade(fast, encoder, (0.1, 0.9), np.array([True]))
    assert sent.all() and np.allclose(combined, (fast + encoder) / 2)
    combined, sent = cascade(fast, encoder, (0.1, 0.9))
    assert not sent.any() and np.allclose(combined, fast)


def test_band_choice_records_whole_turn_reading_and_its_cost_apart() -> None:
    rng = np.random.default_rng(0)
    n = 200
    labels = (rng.random((n, len(CATEGORIES))) < 0.3).astype(np.int8)
    masks = np.ones_like(labels)
    fast = np.clip(labels * 0.7 + rng.random(labels.shape) * 0.3, 0, 1)
    encoder = np.clip(labels * 0.6 + rng.random(labels.shape) * 0.4, 0, 1)
    multi = rng.random(n) < 0.5
    plain = choose_band(fast, encoder, labels, masks, max_fraction=1.0)
    routed = choose_band(fast, encoder, labels, masks, max_fraction=1.0, multi_sentence=multi)
    assert not plain["whole_turns"] and plain["whole_turn_fraction"] == 0.0
    assert routed["whole_turns"] and 0 < routed["whole_turn_fraction"] <= multi.mean()
    assert set(routed["threshold"]) == set(CATEGORIES)
