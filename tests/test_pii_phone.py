"""PHONE: typed and spoken numbers in vi, ru, zh, en; near-misses that are not phones."""

from __future__ import annotations

import pytest

from tests.pii_numbers_support import last_turn, spans


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("vi", "số điện thoại của em là 0912 345 678 ạ", "0912 345 678"),
        ("vi", "sđt không chín tám bảy sáu năm bốn ba hai một nhé", "không chín tám bảy sáu năm bốn ba hai một"),
        ("vi", "em gọi số khong chin ba mot hai ba bon nam sau bay", "khong chin ba mot hai ba bon nam sau bay"),
        ("vi", "số anh 0936.205.884", "0936.205.884"),
        ("ru", "мой телефон восемь девятьсот шестнадцать триста два сорок семь девятнадцать",
         "восемь девятьсот шестнадцать триста два сорок семь девятнадцать"),
        ("ru", "запишите: +7 (921) 448-07-63", "+7 (921) 448-07-63"),
        ("ru", "плюс семь девятьсот двадцать семь пятьсот пятнадцать ноль восемь шестьдесят два",
         "плюс семь девятьсот двадцать семь пятьсот пятнадцать ноль восемь шестьдесят два"),
        ("zh", "我的手机是一三九一二七六五五零八", "一三九一二七六五五零八"),
        ("zh", "电话幺三八 零零一三 八零零零", "幺三八 零零一三 八零零零"),
        ("zh", "手機0932-518-406", "0932-518-406"),
        ("zh", "手机 １３９ １７７５ ２０４６", "１３９ １７７５ ２０４６"),
        ("en", "my cell is 415-555-0192", "415-555-0192"),
        ("en", "call me on oh seven seven double four one two three four five six",
         "oh seven seven double four one two three four five six"),
        ("en", "the mobile's 0412 738 556", "0412 738 556"),
        ("en", "reach me at +44 20 7946 0958", "+44 20 7946 0958"),
    ],
)
def test_phone_numbers_are_found(language: str, text: str, expected: str) -> None:
    assert ("PHONE", expected) in last_turn(language, text)


def test_valid_number_without_context_is_found_with_lower_score() -> None:
    from analyzer.detectors.pii.detector import PiiDetector
    from analyzer.model import AnnotatedConversation, Conversation

    turns = [{"text": "0912 345 678"}, {"text": "số điện thoại 0912 345 678"}]
    conv = Conversation.from_dict({"id": "x", "turns": turns})
    doc = AnnotatedConversation(conv, languages=["vi", "vi"])
    found = list(PiiDetector(["phone"]).detect(doc))
    assert len(found) == 2 and found[0].confidence < found[1].confidence


def test_a_stray_digit_word_after_the_number_is_left_out() -> None:
    expected = [("PHONE", "không chín một hai ba bốn năm sáu bảy tám")]
    assert last_turn("vi", "số em không chín một hai ba bốn năm sáu bảy tám không") == expected
    assert last_turn("vi", "số em là không chín một hai ba bốn năm sáu bảy tám đúng không") == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("vi", "giá căn hộ là 2 tỷ 500 triệu"),
        ("vi", "phí là 12 500 000 đồng mỗi năm"),
        ("vi", "mã đơn hàng 0912345678"),
        ("vi", "lãi suất 7,5 phần trăm, kỳ hạn 12 tháng"),
        ("ru", "взнос пятьдесят тысяч рублей в месяц"),
        ("ru", "номер договора 89161234567"),
        ("ru", "встретимся в 10:30, индекс 119021"),
        ("zh", "保费三百万,保单号13800138000"),
        ("zh", "一共两千五百块"),
        ("en", "the premium is 1,250,000 dollars"),
        ("en", "your policy number is 4155550192"),
        ("en", "we have 1234 customers since 2019"),
        ("en", "the code is 123456"),
        ("en", "call me at 555"),
    ],
)
def test_near_misses_are_not_phones(language: str, text: str) -> None:
    assert [k for k, _ in last_turn(language, text) if k == "PHONE"] == []


def test_account_named_number_is_not_a_phone() -> None:
    assert last_turn("vi", "số tài khoản 0987654321 ạ") == [("BANK_ACCOUNT", "0987654321")]


def test_question_in_previous_turn_counts_as_context() -> None:
    found = spans("vi", "anh cho em xin số điện thoại", "không chín tám bảy hai tám một năm ba không")
    assert (1, "PHONE", "không chín tám bảy hai tám một năm ba không") in found


def test_number_split_across_turns_gives_no_wrong_offsets() -> None:
    turns = ("my number is four one five five five", "five zero one nine two")
    for turn, _, text in spans("en", *turns):
        assert text and text in turns[turn]  # reporting it as missing is fine; wrong offsets are not
