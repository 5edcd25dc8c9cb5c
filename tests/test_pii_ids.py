"""CARD_NUMBER, BANK_ACCOUNT and ID_NUMBER in vi, ru, zh, en, with checksums and near-misses."""

from __future__ import annotations

import pytest

from analyzer.detectors.pii._checksums import nino_is_valid, nric_is_valid, snils_is_valid, taiwan_id_is_valid
from tests.pii_numbers_support import last_turn

# --------------------------------------------------------------------------- cards


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "card number is 4527 9160 3318 7454", "4527 9160 3318 7454"),
        ("en", "it's 4111-1111-1111-1111", "4111-1111-1111-1111"),
        ("vi", "số thẻ của anh là bốn một một một một một một một một một một một một một một một",
         "bốn một một một một một một một một một một một một một một một"),
        ("ru", "номер карты 2200 1533 8846 0215", "2200 1533 8846 0215"),
        ("zh", "卡号６２５９ ０８３１ ４４２７ ５５１９", "６２５９ ０８３１ ４４２７ ５５１９"),
    ],
)
def test_cards_are_found(language: str, text: str, expected: str) -> None:
    assert ("CARD_NUMBER", expected) in last_turn(language, text)


def test_luhn_invalid_card_with_context_is_kept_with_lower_score() -> None:
    from analyzer.detectors.pii.detector import PiiDetector
    from analyzer.model import AnnotatedConversation, Conversation

    turns = [{"text": "card number 4527 9160 3318 7454"}, {"text": "card number 4527 9160 3318 7455"}]
    doc = AnnotatedConversation(Conversation.from_dict({"id": "x", "turns": turns}), languages=["en", "en"])
    valid, invalid = PiiDetector(["card"]).detect(doc)
    assert invalid.type == "CARD_NUMBER" and invalid.confidence < valid.confidence


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "the card ending 4931"),
        ("vi", "thẻ đuôi 4931 phải không anh"),
        ("zh", "尾号4931的卡"),
        ("en", "4527 9160 3318 7455"),  # Luhn fails and nothing calls it a card
        ("en", "order number 4111 1111 1111 1111"),
    ],
)
def test_card_near_misses(language: str, text: str) -> None:
    assert [k for k, _ in last_turn(language, text) if k == "CARD_NUMBER"] == []


# --------------------------------------------------------------------------- bank accounts


@pytest.mark.parametrize(
    ("language", "turns", "expected"),
    [
        ("en", ["the account is GB53 LOYD 3096 2817 4650 93."], "GB53 LOYD 3096 2817 4650 93"),
        ("en", ["iban de89 3704 0044 0532 0130 00"], "de89 3704 0044 0532 0130 00"),
        ("ru", ["Вот: 40817810100487215539, БИК 044525974."], "40817810100487215539"),
        ("ru", ["расчётный счёт 40702810900000012345"], "40702810900000012345"),
        ("vi", ["STK của em là 1903 3882 0145 10 Techcombank"], "1903 3882 0145 10"),
        ("vi", ["số tài khoản nhận lương của anh", "một chín không ba ba tám tám hai không một bốn năm"],
         "một chín không ba ba tám tám hai không một bốn năm"),
        ("zh", ["工行的 账号是 零二零零 二一六二 零一零二 三四五六 七八九"],
         "零二零零 二一六二 零一零二 三四五六 七八九"),
        ("en", ["sort code 20-00-00, account number 12345678"], "12345678"),
        ("en", ["iban GB00 LOYD 3096 2817 4650 93"], "GB00 LOYD 3096 2817 4650 93"),  # check digits fail: kept
    ],
)
def test_accounts_are_found(language: str, turns: list[str], expected: str) -> None:
    assert ("BANK_ACCOUNT", expected) in last_turn(language, *turns)


def test_sort_code_and_bik_alone_are_not_accounts() -> None:
    found = last_turn("en", "sort code 20-00-00, account number 12345678")
    assert ("BANK_ACCOUNT", "20-00-00") not in found
    assert ("BANK_ACCOUNT", "044525974") not in last_turn("ru", "счёт 40817810100487215539, БИК 044525974")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("vi", "chuyển khoản 2 tỷ 500 triệu"),
        ("ru", "на счёт пятьдесят тысяч рублей"),
        ("zh", "账户里有三百万"),
        ("en", "my account has been open since 2019"),
        ("en", "reference GB00 LOYD 3096 2817 4650 93"),
    ],
)
def test_account_near_misses(language: str, text: str) -> None:
    assert [k for k, _ in last_turn(language, text) if k == "BANK_ACCOUNT"] == []


# --------------------------------------------------------------------------- identity numbers


@pytest.mark.parametrize(
    ("language", "turns", "expected"),
    [
        ("vi", ["cccd 079092013391"], "079092013391"),
        ("vi", ["căn cước là không ba một không tám bảy không không năm sáu một chín"],
         "không ba một không tám bảy không không năm sáu một chín"),
        ("vi", ["số chứng minh nhân dân 123456789"], "123456789"),
        ("ru", ["паспорт серия 45 10 номер 123456"], "45 10 номер 123456"),
        ("ru", ["и паспорт серия номер", "тридцать шесть ноль восемь пятьсот двенадцать триста сорок семь"],
         "тридцать шесть ноль восемь пятьсот двенадцать триста сорок семь"),
        ("ru", ["ИНН 7734 902 156 04"], "7734 902 156 04"),
        ("ru", ["мне нужен ИНН", "семь-семь-три-четыре, девять-ноль-два, один-пять-шесть, ноль-четыре"],
         "семь-семь-три-четыре, девять-ноль-два, один-пять-шесть, ноль-четыре"),
        ("ru", ["Вот карточка: 126-487-395 90."], "126-487-395 90"),
        ("zh", ["身份证是三二零一零二一九九零零三一五二八四八"], "三二零一零二一九九零零三一五二八四八"),
        ("zh", ["身份证 11010519491231002X"], "11010519491231002X"),
        ("zh", ["440305198807214429"], "440305198807214429"),
        ("zh", ["身分證是A227391585。"], "A227391585"),
        ("en", ["my ssn is 078-05-1121"], "078-05-1121"),
        ("en", ["NI is JT 48 29 17 C, thanks"], "JT 48 29 17 C"),
        ("en", ["TFN's 439 172 061."], "439 172 061"),
        ("en", ["nric S1234567D"], "S1234567D"),
    ],
)
def test_ids_are_found(language: str, turns: list[str], expected: str) -> None:
    assert ("ID_NUMBER", expected) in last_turn(language, *turns)


def test_invalid_checksum_with_context_is_kept_with_lower_score() -> None:
    from analyzer.detectors.pii.detector import PiiDetector
    from analyzer.model import AnnotatedConversation, Conversation

    turns = [{"text": "身份证 320102199003152848"}, {"text": "身份证 320102199003152847"}]
    doc = AnnotatedConversation(Conversation.from_dict({"id": "x", "turns": turns}), languages=["zh", "zh"])
    valid, invalid = PiiDetector(["id_number"]).detect(doc)
    assert invalid.type == "ID_NUMBER" and invalid.confidence < valid.confidence


def test_birth_date_inside_resident_id_is_not_a_separate_date() -> None:
    found = last_turn("zh", "出生日期在身份证上 320102199003152848")
    assert found == [("ID_NUMBER", "320102199003152848")]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("vi", "mã hợp đồng 079092013391"),
        ("vi", "079092013391"),  # twelve digits and nobody says it is an ID
        ("ru", "номер полиса 4510123456"),
        ("ru", "89161234567"),
        ("zh", "订单号320102199003152847"),
        ("en", "order 123-45-6789 shipped"),
    ],
)
def test_id_near_misses(language: str, text: str) -> None:
    assert [k for k, _ in last_turn(language, text) if k == "ID_NUMBER"] == []


def test_checksums() -> None:
    assert snils_is_valid("12648739590") and not snils_is_valid("12648739591")
    assert taiwan_id_is_valid("A123456789") and not taiwan_id_is_valid("A123456788")
    assert nric_is_valid("S1234567D") and not nric_is_valid("S1234567A")
    assert nino_is_valid("JT 48 29 17 C") and not nino_is_valid("GB 12 34 56 A")
