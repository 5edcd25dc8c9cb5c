"""EMAIL: typed (also glued to Chinese text) and spoken addresses."""

from __future__ import annotations

import pytest

from tests.pii_numbers_support import last_turn


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("zh", "邮箱是abc@qq.com吗", "abc@qq.com"),
        ("zh", "我邮箱是 joyce.he@globaltalent-hr.com,手机", "joyce.he@globaltalent-hr.com"),
        ("ru", "Почта — laptev.maks@yandex.ru.", "laptev.maks@yandex.ru"),
        ("en", "send it to priya.n@natarajanfoods.co.uk please", "priya.n@natarajanfoods.co.uk"),
        ("vi", "email anh là nam_hoang-82@yahoo.com.vn nhé", "nam_hoang-82@yahoo.com.vn"),
        ("en", "john dot smith at gmail dot com", "john dot smith at gmail dot com"),
        ("en", "my email is mary at example dot org", "mary at example dot org"),
        ("vi", "email là thao chấm nguyen tám chín a còng gmail chấm com",
         "thao chấm nguyen tám chín a còng gmail chấm com"),
        ("vi", "mail em la lan cham pham a cong yahoo cham com", "lan cham pham a cong yahoo cham com"),
        ("ru", "почта зуев точка николай шестьдесят восемь собака гмейл точка ком",
         "зуев точка николай шестьдесят восемь собака гмейл точка ком"),
        ("ru", "пишите на ivanov собака mail точка ру", "ivanov собака mail точка ру"),
        ("zh", "邮箱是 wanglei 艾特 163 点 com", "wanglei 艾特 163 点 com"),
        ("zh", "邮箱 zhang艾特qq点com", "zhang艾特qq点com"),
    ],
)
def test_addresses_are_found(language: str, text: str, expected: str) -> None:
    assert ("EMAIL", expected) in last_turn(language, text)


@pytest.mark.parametrize(
    "text",
    [
        "we met at the office dot com party",
        "i'll be at home dot com",
        "the meeting is at five",
        "price @ 5 dollars",
        "a@b",
    ],
)
def test_near_misses_are_not_addresses(text: str) -> None:
    assert [k for k, _ in last_turn("en", text) if k == "EMAIL"] == []


def test_normalized_spoken_address() -> None:
    from analyzer.detectors.pii.base import TurnContext
    from analyzer.detectors.pii.email import EmailRecognizer
    from analyzer.model import AnnotatedConversation, Conversation

    text = "gareth dot hughes sixty one at btinternet dot com"
    doc = AnnotatedConversation(Conversation.from_dict({"id": "x", "turns": [{"text": text}]}), languages=["en"])
    (candidate,) = EmailRecognizer().find(TurnContext(doc, 0, "en", None))
    assert candidate.normalized == "gareth.hughes61@btinternet.com"
