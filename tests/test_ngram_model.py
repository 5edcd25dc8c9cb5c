"""The fast model's featurizer: style-invariant n-grams, and artefacts that round-trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.detectors.behaviour.data import CATEGORIES
from analyzer.detectors.behaviour.ngram_model import Featurizer, NgramModel, style_invariant

SAME_WORDS = [
    ("这个活动今天是最后一天了,名额真的不多,您就办了吧。", "这个活动今天是最后一天了 名额真的不多 您就办了吧"),
    ("这个活动今天是最后一天了,名额真的不多,您就办了吧。", "这个活动今天是最后一天了名额真的不多您就办了吧"),
    ("Sign TODAY, okay? It's the last slot.", "sign today okay its the last slot"),
    ("Ну, давайте — сразу оформим!", "ну давайте сразу оформим"),
    ("Dạ, anh ơi: chỉ còn hôm nay thôi ạ.", "dạ anh ơi chỉ còn hôm nay thôi ạ"),
    ("ｔｏｄａｙ　ＯＮＬＹ", "today only"),
]


@pytest.mark.parametrize(("written", "spoken"), SAME_WORDS)
def test_punctuated_and_speech_to_text_styles_share_their_features(written: str, spoken: str) -> None:
    featurizer = Featurizer()
    a, b = featurizer.transform([written], [""]), featurizer.transform([spoken], [""])
    assert (a != b).nnz == 0


def test_without_normalisation_the_styles_differ() -> None:
    """The reason for `style_invariant`: run-together Chinese shares few n-grams with the spaced form."""
    written, spoken = SAME_WORDS[0]
    featurizer = Featurizer(normalise=False)
    assert (featurizer.transform([written], [""]) != featurizer.transform([spoken], [""])).nnz > 0


def test_chinese_runs_give_no_word_features_latin_words_inside_them_do() -> None:
    featurizer = Featurizer()
    words = featurizer._vectorizers()[1].build_analyzer()
    assert words("您就办了吧") == []
    assert words("您OK吧 这个app") == ["ok", "app", "ok app"]


@given(st.text(max_size=80))
def test_style_invariant_is_idempotent_and_never_grows_whitespace(text: str) -> None:
    once = style_invariant(text)
    assert style_invariant(once) == once
    assert "  " not in once and once == once.strip()


def test_a_model_round_trips_through_its_artefacts(tmp_path: Path) -> None:
    texts = ["sign today or lose it", "have a nice day", "give me part of your commission", "thanks a lot",
             "you are so smart", "see you thursday", "I'll send you two thousand", "here is the form"]
    labels = {c: np.array([i % 4 == k for i in range(8)], dtype=np.int8) for k, c in enumerate(CATEGORIES)}
    masks = {c: np.ones(8, dtype=np.int8) for c in CATEGORIES}
    model = NgramModel().fit(texts, [""] * 8, labels, masks)
    model.save(tmp_path)
    loaded = NgramModel.load(tmp_path)
    assert loaded.featurizer == model.featurizer
    for category in CATEGORIES:
        np.testing.assert_array_equal(loaded.decision(texts, [""] * 8)[category],
                                      model.decision(texts, [""] * 8)[category])


def test_models_saved_before_normalisation_load_without_it(tmp_path: Path) -> None:
    masks = {c: np.ones(4, dtype=np.int8) for c in CATEGORIES}
    labels = {c: np.array([1, 0, 1, 0], dtype=np.int8) for c in CATEGORIES}
    NgramModel(Featurizer(normalise=False)).fit(["a b", "c d", "a e", "f d"], [""] * 4, labels, masks).save(tmp_path)
    meta = tmp_path / "ngram_model.json"
    meta.write_text(meta.read_text().replace('"normalise": false,', ""))
    assert NgramModel.load(tmp_path).featurizer.normalise is False
