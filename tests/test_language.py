from __future__ import annotations

import pytest

from analyzer.annotators.language import LanguageAnnotator, conversation_languages, word_count


@pytest.fixture(scope="module")
def annotator() -> LanguageAnnotator:
    return LanguageAnnotator()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chào anh, hôm nay em gọi để tư vấn gói bảo hiểm sức khỏe cho gia đình mình ạ.", "vi"),
        ("dạ vâng em hiểu rồi để em kiểm tra lại hợp đồng cho anh nhé", "vi"),
        ("Добрый день, я звоню по поводу вашей заявки на кредит наличными.", "ru"),
        ("ну смотрите там ставка плавающая но в целом выходит недорого", "ru"),
        ("您好，我是平安保险的客户经理，想跟您介绍一下我们的新产品。", "zh"),
        ("嗯 那个 我再考虑考虑 回头给你打电话", "zh"),
        ("我們這個方案的保費是每個月三千元，您覺得怎麼樣？", "zh"),
        ("Good morning, I'm calling about the renewal of your home insurance policy.", "en"),
        ("um yeah so i was wondering if you could lower the premium a bit", "en"),
    ],
)
def test_turn_language_in_each_language(annotator: LanguageAnnotator, text: str, expected: str) -> None:
    languages, sources = annotator.detect_turns([text])
    assert languages == [expected]
    assert sources == ["detected"]


@pytest.mark.parametrize(
    ("context", "short", "expected"),
    [
        ("Anh có muốn đăng ký gói này ngay hôm nay không ạ?", "vâng", "vi"),
        ("Вам удобно сейчас говорить, это займёт пару минут?", "да", "ru"),
        ("这个产品的保障范围您都清楚了吗？", "好的", "zh"),
        ("Shall I send the documents to your email address then?", "ok", "en"),
    ],
)
def test_short_turns_inherit_from_context(annotator: LanguageAnnotator, context: str, short: str,
                                          expected: str) -> None:
    languages, sources = annotator.detect_turns([context, short])
    assert languages == [expected, expected]
    assert sources == ["detected", "context"]


def test_mixed_conversation_keeps_each_turns_language(annotator: LanguageAnnotator) -> None:
    texts = [
        "Chào chị, em là Lan bên công ty bảo hiểm, em gọi để tư vấn gói tiết kiệm ạ.",
        "Sorry, can we speak English? My Vietnamese is not very good.",
        "Of course, no problem. This plan pays a fixed amount every year.",
        "Вы знаете, у меня уже есть полис в другой компании.",
    ]
    languages, _ = annotator.detect_turns(texts)
    assert languages == ["vi", "en", "en", "ru"]
    assert conversation_languages(languages, texts)[0] == "en"
    assert set(conversation_languages(languages, texts)) == {"vi", "en", "ru"}


def test_conversation_prior_rescues_vietnamese_without_diacritics(annotator: LanguageAnnotator) -> None:
    texts = [
        "Dạ em chào anh, em gọi từ ngân hàng về khoản vay mua nhà của anh ạ.",
        "Ừ em nói đi, anh đang nghe đây.",
        "Lãi suất bên em hiện tại là tám phần trăm một năm, cố định trong hai năm đầu.",
        "cam on em nhe de anh hoi lai vo anh da",
    ]
    languages, _ = annotator.detect_turns(texts)
    assert languages[-1] == "vi"


def test_detection_is_deterministic(annotator: LanguageAnnotator) -> None:
    texts = ["ok so what do you think", "ну да", "好的好的", "vâng ạ"] * 3
    assert annotator.detect_turns(texts) == LanguageAnnotator().detect_turns(texts)


def test_word_count_counts_chinese_by_character_pairs() -> None:
    assert word_count("好的") == 1
    assert word_count("我想了解一下") == 3
    assert word_count("ok 好的 да") == 3


def test_all_selectable_detectors_agree_on_clear_text() -> None:
    for name in ("py3langid", "lingua", "langdetect"):
        languages, _ = LanguageAnnotator(detector=name).detect_turns(
            ["Добрый день, я звоню по поводу вашей заявки на кредит наличными."])
        assert languages == ["ru"], name


def test_unknown_detector_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown language detector"):
        LanguageAnnotator(detector="nope")
