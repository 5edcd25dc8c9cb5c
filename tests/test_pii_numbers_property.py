"""Robustness of the structured-PII recognizers: offsets always inside the turn, no blow-up on huge turns."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.detectors.pii.base import TurnContext
from analyzer.detectors.pii.detector import load_recognizer
from analyzer.detectors.pii.numbers import DigitView
from analyzer.model import AnnotatedConversation, Conversation
from tests.pii_numbers_support import NUMBER_RECOGNIZERS, spans

_PIECES = st.sampled_from([
    "không", "chín", "một", "hai mươi", "mốt", "lẻ", "trăm", "năm", "tháng", "sinh ngày", "số tài khoản", "cccd",
    "восемь", "девятьсот", "двух", "собака", "точка", "телефон", "дата рождения", "апреля", "шестого",
    "幺", "三", "零", "十", "万", "年", "月", "号", "身份证", "艾特", "点", "手机",
    "oh", "double", "twenty", "hundred", "at", "dot", "com", "born", "march", "3rd", "card", "iban",
    "0912", "345", "678", "+7", "(921)", "4527", "9160", "3318", "7454", "GB53", "LOYD", "x@y.com", "@", "１２３",
    "\u200b", "-", ".", ",", " ", "\n", "X", "é", "\u0301",
])
_TEXT = st.one_of(
    st.lists(_PIECES, max_size=40).map(" ".join),
    st.lists(_PIECES, max_size=40).map("".join),
    st.text(max_size=200),
)


def _candidates(text: str, previous: str = "") -> list:
    turns = [{"text": previous}, {"text": text}]
    doc = AnnotatedConversation(Conversation.from_dict({"id": "p", "turns": turns}), languages=[None, None])
    context = TurnContext(doc, 1, None, None)
    return [c for name in NUMBER_RECOGNIZERS for c in load_recognizer(name).find(context)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT, previous=_TEXT)
def test_every_candidate_lies_within_its_turn(text: str, previous: str) -> None:
    for candidate in _candidates(text, previous):
        assert 0 <= candidate.start < candidate.end <= len(text)
        assert text[candidate.start : candidate.end]
        assert 0.0 <= candidate.score <= 1.0


@settings(max_examples=100, deadline=None)
@given(text=_TEXT)
def test_digit_spans_lie_within_the_text(text: str) -> None:
    view = DigitView.build(text)
    assert len(view.spans) == len(view.digits)
    for run in view.runs:
        assert 0 <= run.start < run.end <= len(text)
        assert all(0 <= s <= e <= len(text) for s, e in run.digit_spans())


def test_enormous_turns_stay_linear() -> None:
    pieces = ["số điện thoại 0912 345 678", "không chín một hai", "x@y.com", "1.", "a@", "一二三四五",
              "sinh ngày 1/2/1990"]
    text = (" ".join(pieces) + " ") * (100_000 // 80)
    began = time.perf_counter()
    found = _candidates(text)
    assert found and time.perf_counter() - began < 10


def test_zero_width_and_mixed_scripts() -> None:
    found = spans("zh", "我的手机是\u200b139\u200b1775\u200b2046,邮箱是abc@qq.com吗")
    assert (0, "PHONE", "139\u200b1775\u200b2046") in found
    assert (0, "EMAIL", "abc@qq.com") in found
