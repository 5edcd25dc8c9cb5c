"""PERSON recognizer: names per language, STT and punctuated, and the near-misses it must skip."""

from __future__ import annotations

import pytest

from analyzer.detectors.pii.base import TurnContext
from analyzer.detectors.pii.person import PersonRecognizer
from analyzer.model import AnnotatedConversation, Conversation, Turn


def names(texts: list[tuple[str, str]], speakers: list[str] | None = None, language: str | None = None,
          turn: int = -1) -> list[str]:
    """Names found in one turn (the last by default) of a small conversation."""
    turns = [Turn(text=t, role=r, speaker=(speakers or [None] * len(texts))[i]) for i, (r, t) in enumerate(texts)]
    doc = AnnotatedConversation(Conversation(id="t", turns=turns, language=language))
    index = turn % len(turns)
    context = TurnContext(doc, index, language, turns[index].role)
    return [turns[index].text[c.start : c.end] for c in PersonRecognizer().find(context)]


@pytest.mark.parametrize(("text", "expected"), [
    ("здравствуйте татьяна петровна звоню по поводу полиса", ["татьяна петровна"]),
    ("Запишите: Кузнецова Светлана Игоревна, всё верно.", ["Кузнецова Светлана Игоревна"]),
    ("фамилия смирнов алексей викторович", ["смирнов алексей викторович"]),
    ("Спасибо, Дмитрий Олегович, до связи.", ["Дмитрий Олегович"]),
])
def test_russian_names(text: str, expected: list[str]) -> None:
    assert names([("agent", text)], language="ru") == expected


def test_russian_near_misses() -> None:
    assert names([("agent", "Добрый день, меня зовут Вадим, компания «Гарант»")], language="ru") == []
    assert names([("agent", "Как говорил Путин, всё будет хорошо.")], language="ru") == []
    assert names([("client", "я живу на улице Ленина в Самаре")], language="ru") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Chào anh Minh, em gọi từ ngân hàng.", ["Minh"]),
    ("Dạ em chào chị Nguyễn Thị Hoa ạ.", ["Nguyễn Thị Hoa"]),
    ("cô lan ơi cô đã nhận được hợp đồng chưa", ["lan"]),
    ("chu hai oi chu ky o day nhe", ["hai"]),
    ("họ tên là trần văn bình sinh năm tám mươi", ["trần văn bình"]),
])
def test_vietnamese_names(text: str, expected: list[str]) -> None:
    assert names([("agent", text)], language="vi") == expected


def test_vietnamese_near_misses() -> None:
    assert names([("agent", "Dạ em là Vy, bên bảo hiểm Bảo Tín ạ.")], language="vi") == []
    assert names([("agent", "chị vui lòng đọc giúp em số hợp đồng ạ")], language="vi") == []
    assert names([("agent", "anh yên tâm, hoa hồng bên em minh bạch")], language="vi") == []
    assert names([("client", "Nhà tôi ở Hà Nội, gần bệnh viện Việt Đức.")], language="vi") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("您好,请问是李先生吗?", ["李"]),
    ("王女士您好,张经理让我联系您。", ["王", "张"]),
    ("老王昨天也来了,小陈说他也想买。", ["王", "陈"]),
    ("我叫黄晓明,身份证后四位是1234。", ["黄晓明"]),
])
def test_chinese_names(text: str, expected: list[str]) -> None:
    assert names([("client", text)], language="zh") == expected


def test_chinese_near_misses() -> None:
    assert names([("agent", "您好,我是平安人寿的客服小周。")], language="zh") == []
    assert names([("agent", "谢谢您,这款康宁一生重疾险很受欢迎。")], language="zh") == []
    assert names([("agent", "马云说过,今天很残酷。")], language="zh") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Thanks, Sarah Miller, I have your file here.", ["Sarah Miller"]),
    ("I spoke to Mr. Okafor yesterday.", ["Okafor"]),
    ("yeah hi this is uh daniel brooks calling about my policy", ["daniel brooks"]),
    ("okay miss hernandez let me pull that up", ["hernandez"]),
])
def test_english_names(text: str, expected: list[str]) -> None:
    assert names([("client", text)], language="en") == expected


def test_english_near_misses() -> None:
    assert names([("agent", "Hi, this is Tyler with Crestline Auto.")], language="en") == []
    assert names([("agent", "Warren Buffett would tell you the same.")], language="en") == []
    assert names([("agent", "Our office is on Victoria Street near Wells Fargo.")], language="en") == []
    assert names([("agent", "Will you be home on Monday?")], language="en") == []


@pytest.mark.parametrize("text", [
    "if you wait you'll miss out on the bonus rate",
    "no worries good morning sir how can i help you today",
    "The offer ends tonight, sir. Do it now and it takes ten minutes.",
    "Thank you madam. Bank holidays are excluded from the count.",
    "don't miss this month's rate sign here",
])
def test_titles_do_not_make_ordinary_words_names(text: str) -> None:
    assert names([("agent", text)], language="en") == []


def test_speaker_name_is_a_hint() -> None:
    turns = [("agent", "Good morning."), ("client", "Morning."), ("agent", "So Nkechi, shall we start?")]
    assert names(turns, speakers=["Dana", "Nkechi", "Dana"], language="en") == ["Nkechi"]


def test_name_seen_earlier_is_recalled() -> None:
    turns = [("agent", "như chị quyên bên phòng kế toán đó"), ("client", "ơ quyên mua rồi à")]
    assert names(turns, language="vi") == ["quyên"]


def test_names_inside_email_are_left_to_the_email_recognizer() -> None:
    assert names([("client", "my email is sarah.miller@example.com")], language="en") == []
