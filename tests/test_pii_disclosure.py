"""pii_disclosure: the agent reveals a third party's data; the client's own data read back is not."""

from __future__ import annotations

import pytest

from analyzer.detectors.pii_disclosure import PiiDisclosureDetector, name_key
from analyzer.model import AnnotatedConversation, Conversation, Turn
from analyzer.pipeline import registry


def flagged(turns: list[tuple[str, str, str]], language: str) -> list[int]:
    """Turn indexes flagged, running the detector alone (it calls the person recognizer itself)."""
    conversation = Conversation(id="t", language=language,
                                turns=[Turn(text=t, role=r, speaker=s) for s, r, t in turns])  # type: ignore[arg-type]
    doc = AnnotatedConversation(conversation)
    return sorted({f.turn for f in PiiDisclosureDetector().detect(doc)})


def test_registered() -> None:
    assert isinstance(registry.create("pii_disclosure", {}), PiiDisclosureDetector)


@pytest.mark.parametrize(("language", "turns", "expected"), [
    ("en", [("Sam", "agent", "Hi, is this Laura?"), ("Laura", "client", "Yes."),
            ("Sam", "agent", "Your neighbour Frank Dobson took the same plan, his premium is ninety a month.")], [2]),
    ("ru", [("Олег", "agent", "алло светлана андреевна добрый день"), ("Светлана", "client", "да слушаю"),
            ("Олег", "agent", "вот валентина петровна морозова из вашего дома взяла ипотеку платёж сорок тысяч")],
     [2]),
    ("vi", [("Lan", "agent", "Chào anh Tuấn ạ."), ("Tuấn", "client", "Chào em."),
            ("Lan", "agent", "Chị Đỗ Thu Trang tầng trên vừa vay 500 triệu bên em đó anh.")], [2]),
    ("zh", [("顾问", "agent", "刘先生您好。"), ("刘先生", "client", "你好。"),
            ("顾问", "agent", "您楼上的郑海涛上个月刚买了这款,年交保费三万。")], [2]),
])
def test_third_party_data_is_flagged(language: str, turns: list[tuple[str, str, str]], expected: list[int]) -> None:
    assert flagged(turns, language) == expected


def test_client_data_read_back_is_not_disclosure() -> None:
    turns = [("Dana", "agent", "Can I have your full name?"),
             ("Kofi", "client", "Kofi Mensah, and my wife Abena Mensah is on the policy too."),
             ("Dana", "agent", "Thanks. So Abena Mensah pays the premium from her account, right?")]
    assert flagged(turns, "en") == []


def test_name_without_personal_content_is_not_disclosure() -> None:
    turns = [("Sam", "agent", "Hi, is this Laura?"), ("Laura", "client", "Yes."),
             ("Sam", "agent", "My colleague Frank Dobson will call you tomorrow.")]
    assert flagged(turns, "en") == []


def test_public_figure_is_not_disclosure() -> None:
    turns = [("Sam", "agent", "Hi Laura."), ("Laura", "client", "Hi."),
             ("Sam", "agent", "Warren Buffett bought the same index fund for millions.")]
    assert flagged(turns, "en") == []


def test_name_key_ignores_patronymics() -> None:
    assert name_key("Наталья Сергеевна Гурьева") == frozenset({"наталья", "гурьева"})


@pytest.mark.parametrize(("language", "turns"), [
    ("vi", [("Speaker 0", "agent", "dạ em chào chị ạ"), ("Speaker 1", "client", "ừ em"),
            ("Speaker 0", "agent", "dạ đơn hàng giao cho người nhận là chị Hoàng Thị Mai phải không ạ")]),
    ("en", [("A", "agent", "Hello, thanks for calling."), ("B", "client", "Hi, it's about my parcel."),
            ("A", "agent", "The order for two hundred dollars is addressed to Rachel Nguyen, is that right?")]),
    ("ru", [("A", "agent", "Здравствуйте."), ("B", "client", "Добрый день."),
            ("A", "agent", "Договор на триста тысяч оформлен на Кравцову Анну Сергеевну, верно?")]),
    ("zh", [("A", "agent", "您好。"), ("B", "client", "你好。"),
            ("A", "agent", "这份保单的投保人是周晓燕女士，对吗？")]),
])
def test_confirmation_question_reads_back_the_clients_own_data(language: str,
                                                               turns: list[tuple[str, str, str]]) -> None:
    assert flagged(turns, language) == []


def test_a_question_about_a_third_party_followed_by_their_data_is_still_flagged() -> None:
    turns = [("A", "agent", "Chào anh Tuấn ạ."), ("B", "client", "Chào em."),
             ("A", "agent", "Anh biết chị Đỗ Thu Trang tầng trên đúng không ạ? Chị ấy vừa vay 500 triệu bên em.")]
    assert flagged(turns, "vi") == [2]
