"""ADDRESS recognizer: street addresses by language structure; cities and business addresses are not."""

from __future__ import annotations

import pytest

from analyzer.detectors.pii.address import AddressRecognizer, find_addresses
from analyzer.detectors.pii.base import TurnContext
from analyzer.model import AnnotatedConversation, Conversation, Turn


def spans(text: str) -> list[str]:
    return [text[s:e] for s, e, _ in find_addresses(text)]


def recognized(text: str) -> list[str]:
    doc = AnnotatedConversation(Conversation(id="t", turns=[Turn(text=text, role="client")]))
    return [text[c.start : c.end] for c in AddressRecognizer().find(TurnContext(doc, 0, None, "client"))]


@pytest.mark.parametrize(("text", "expected"), [
    ("Мой адрес: г. Казань, ул. Баумана, д. 12, кв. 7.", "ул. Баумана, д. 12, кв. 7"),
    ("живу тверь улица советская дом пять квартира двенадцать", "улица советская дом пять квартира двенадцать"),
    ("It's 742 Evergreen Terrace, Springfield, OR 97403.", "742 Evergreen Terrace, Springfield, OR 97403"),
    ("ship it to one two three north maple drive", "one two three north maple drive"),
    ("Flat 2, 15 Baker Street, London NW1 6XE", "15 Baker Street, London NW1 6XE"),
    ("Địa chỉ em là số 7 ngõ 15 phố Huế, quận Hai Bà Trưng nhé.", "số 7 ngõ 15 phố Huế, quận Hai Bà Trưng"),
    ("dia chi la so 25 duong le loi phuong ben thanh quan 1", "so 25 duong le loi phuong ben thanh quan 1"),
    ("寄到北京市朝阳区建国路88号3号楼1201室吧", "北京市朝阳区建国路88号3号楼1201室"),
])
def test_addresses(text: str, expected: str) -> None:
    found = spans(text)
    assert any(expected in f or (f in expected and len(f) > len(expected) / 2) for f in found), found


@pytest.mark.parametrize("text", [
    "I moved to Chicago last year.",
    "Я из Самары, а работаю в Москве.",
    "Nhà anh ở Đà Nẵng.",
    "我住在上海。",
    "We have 3 plans and 2 riders.",
])
def test_cities_alone_are_not_addresses(text: str) -> None:
    assert spans(text) == []


def test_business_address_is_not_flagged() -> None:
    assert recognized("Our branch office is at 200 Main Street, Springfield.") == []
    assert recognized("您可以去我们的营业厅,地址是中山路100号。") == []
