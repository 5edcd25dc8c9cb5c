from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.annotators.language import word_count
from analyzer.annotators.sentences import split_sentences


def pieces(text: str, language: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, language)]


def test_english_punctuation_minds_abbreviations_and_decimals() -> None:
    text = "Hello Mr. Smith. The rate is 3.5% this year! Is that fixed? Yes."
    assert pieces(text, "en") == ["Hello Mr. Smith.", "The rate is 3.5% this year!", "Is that fixed?", "Yes."]


def test_russian_punctuation_and_abbreviations() -> None:
    text = "Адрес: г. Москва, ул. Ленина, д. 5. Всё верно? Да, верно."
    assert pieces(text, "ru") == ["Адрес: г. Москва, ул. Ленина, д. 5.", "Всё верно?", "Да, верно."]


def test_vietnamese_punctuation() -> None:
    text = "Dạ em chào anh. Anh có khỏe không ạ? Em gọi từ công ty bảo hiểm."
    assert pieces(text, "vi") == ["Dạ em chào anh.", "Anh có khỏe không ạ?", "Em gọi từ công ty bảo hiểm."]


def test_chinese_full_width_punctuation_without_spaces() -> None:
    text = "您好。今天外面好热，要不要先喝点冰的？好的！"
    assert pieces(text, "zh") == ["您好。", "今天外面好热，要不要先喝点冰的？", "好的！"]


@pytest.mark.parametrize(
    ("language", "text", "marker"),
    [
        ("ru", "ну смотрите программа у нас хорошая там доходность стабильная по прошлым годам и клиенты довольны "
               "но вот решать надо прямо сегодня потому что завтра условия уже поменяются и такого не будет", "но"),
        ("vi", "dạ thì là bên em có gói tiết kiệm này rất phù hợp với gia đình mình anh chị tham khảo thử "
               "nhưng mà chỉ còn hôm nay thôi anh ơi mai là hết suất rồi đó anh quyết luôn đi", "nhưng mà"),
        ("en", "yeah so the plan covers hospital stays and outpatient visits for the whole family every year "
               "but honestly you need to sign today because tomorrow the price goes up for everyone", "but"),
        ("zh", "这个产品的保障范围很全面住院门诊都可以报销每年还有体检服务我们很多客户都觉得很划算"
               "但是名额只剩两个了今天不签的话明天就没有了您要抓紧时间决定", "但是"),
    ],
)
def test_long_unpunctuated_turns_split_into_clauses(language: str, text: str, marker: str) -> None:
    parts = pieces(text, language)
    assert len(parts) >= 2
    assert all(word_count(p) <= 20 for p in parts)
    assert any(p.startswith(marker) for p in parts[1:])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["vi", "ru", "zh", "en", None]))
def test_offsets_always_slice_the_turn_in_order(text: str, language: str | None) -> None:
    spans = split_sentences(text, language)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end].strip() == text[start:end]
        previous_end = end
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(covered.split()) == "".join(text.split())
