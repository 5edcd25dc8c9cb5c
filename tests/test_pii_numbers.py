"""Spoken and typed digits: DigitView and its map back to the original text."""

from __future__ import annotations

import pytest

from analyzer.detectors.pii.numbers import DigitView


def runs(text: str) -> list[tuple[str, str]]:
    return [(r.digits, text[r.start : r.end]) for r in DigitView.build(text).runs]


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        # Vietnamese: digit by digit, tens, hundreds, colloquial forms, no diacritics
        ("không chín một hai ba bốn", "091234"),
        ("hai mươi ba", "23"),
        ("hai mốt", "21"),
        ("ba tư", "34"),
        ("mười lăm", "15"),
        ("năm mươi nhăm", "55"),
        ("một trăm lẻ năm", "105"),
        ("chín trăm linh hai", "902"),
        ("hai nghìn không trăm mười lăm", "2015"),
        ("khong chin mot hai", "0912"),
        # Russian: digits, teens, tens, hundreds in several cases and genders
        ("восемь девятьсот шестнадцать триста два сорок семь девятнадцать", "89163024719"),
        ("двух тысяч", "2000"),
        ("одна", None),
        ("ноль нуль пять", "005"),
        ("двести пять", "205"),
        # Chinese: digit by digit, 幺/两/〇, units, traditional, full-width digits
        ("幺三八零零一二", "1380012"),
        ("一九九〇", "1990"),
        ("十五", "15"),
        ("二十三", "23"),
        ("三百零五", "305"),
        ("１２３ ４５６", "123456"),
        # English: oh, double/triple, compounds
        ("oh seven seven double four", "07744"),
        ("triple nine", "999"),
        ("nine hundred and twelve", "912"),
        ("twenty one", "21"),
        ("nineteen ninety", "1990"),
        ("zero o one", "001"),
    ],
)
def test_spoken_numbers(text: str, digits: str | None) -> None:
    found = runs(text)
    if digits is None:
        assert found == []
    else:
        assert [d for d, _ in found] == [digits]


def test_typed_separators_join_one_run() -> None:
    assert runs("call +7 (921) 448-07-63 now") == [("79214480763", "+7 (921) 448-07-63")]
    assert runs("0987.654.321") == [("0987654321", "0987.654.321")]
    assert runs("0912\u200b345\u200b678") == [("0912345678", "0912\u200b345\u200b678")]


def test_plus_word_is_part_of_the_span() -> None:
    text = "плюс семь девятьсот двадцать семь"
    run = DigitView.build(text).runs[0]
    assert run.plus and text[run.start : run.end] == text


def test_weak_words_alone_are_not_numbers() -> None:
    assert runs("oh I see, đúng không anh") == []


def test_commas_only_join_spoken_groups() -> None:
    assert [d for d, _ in runs("семь-семь-три-четыре, девять-ноль-два")] == ["7734902"]
    assert [d for d, _ in runs("0936 205 884, 0987 111 222")] == ["0936205884", "0987111222"]


def test_amounts_are_marked() -> None:
    for text in ("пятьдесят тысяч рублей", "2 tỷ", "三百万", "$ 5000", "twenty percent"):
        assert all(r.amount for r in DigitView.build(text).runs), text


def test_offsets_map_back_to_original_text() -> None:
    text = "số của em là không chín một hai, ba bốn năm sáu bảy tám nhé"
    view = DigitView.build(text)
    run = view.runs[0]
    start, end = run.span_of(0, len(run.digits))
    assert text[start:end] == "không chín một hai, ba bốn năm sáu bảy tám"
    assert len(view.spans) == len(view.digits)
    assert all(text[s:e] for s, e in run.digit_spans())


def test_windows_are_group_aligned_and_bounded() -> None:
    run = DigitView.build("0913 482 557 2").runs[0]
    windows = {w.digits for w in run.windows(7, 11)}
    assert "0913482557" in windows and "9134825" not in windows


def test_nfd_text_keeps_offsets() -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "số không chín một")
    found = runs(text)
    assert found and found[0][0] == "091"
