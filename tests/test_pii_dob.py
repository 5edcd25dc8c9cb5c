"""DATE_OF_BIRTH: typed and spoken dates with birth context; other dates are not birth dates."""

from __future__ import annotations

import pytest

from tests.pii_numbers_support import last_turn


@pytest.mark.parametrize(
    ("language", "turns", "expected"),
    [
        ("vi", ["ngày sinh 12/04/1986 ạ"], "12/04/1986"),
        ("vi", ["chị sinh ngày mười bốn tháng hai năm tám chín"], "mười bốn tháng hai năm tám chín"),
        ("vi", ["em sinh ngày hai ba tháng chín tám bảy"], "hai ba tháng chín tám bảy"),
        ("vi", ["ngày sinh mười lăm tháng tư năm một chín chín mốt"], "mười lăm tháng tư năm một chín chín mốt"),
        ("vi", ["anh sinh năm 89"], "89"),
        ("ru", ["дата рождения 12.04.86"], "12.04.86"),
        ("ru", ["дата рождения ваша", "двенадцатое апреля восемьдесят шестого"],
         "двенадцатое апреля восемьдесят шестого"),
        ("ru", ["родилась двенадцатое четвёртого восемьдесят шестого"], "двенадцатое четвёртого восемьдесят шестого"),
        ("ru", ["его дата рождения", "третье сентября двенадцатого года"], "третье сентября двенадцатого года"),
        ("ru", ["дата рождения", "двадцать девять одиннадцать семьдесят девять"],
         "двадцать девять одиннадцать семьдесят девять"),
        ("ru", ["родился 1 мая 1990 года"], "1 мая 1990 года"),
        ("zh", ["出生日期是一九九零年三月十五号"], "一九九零年三月十五号"),
        ("zh", ["我生日是1990年3月15日"], "1990年3月15日"),
        ("zh", ["我生日是１９９０年３月１５日"], "１９９０年３月１５日"),
        ("zh", ["出生日期 1986-04-12"], "1986-04-12"),
        ("en", ["date of birth june seventeenth nineteen ninety"], "june seventeenth nineteen ninety"),
        ("en", ["can you verify your date of birth", "um March 3rd, 1984"], "March 3rd, 1984"),
        ("en", ["DOB 11/22/1979"], "11/22/1979"),
        ("en", ["Ken's date of birth please", "Fourth of October, 1960."], "Fourth of October, 1960"),
        ("en", ["he was born on the 4th of July 1976"], "4th of July 1976"),
    ],
)
def test_birth_dates_are_found(language: str, turns: list[str], expected: str) -> None:
    assert ("DATE_OF_BIRTH", expected) in last_turn(language, *turns)


@pytest.mark.parametrize(
    ("language", "turns"),
    [
        ("vi", ["hẹn anh ngày 12 tháng 5 năm 2024 nhé"]),
        ("vi", ["hợp đồng hết hạn ngày 12/04/2030"]),
        ("vi", ["năm 2019 em mua nhà"]),
        ("ru", ["встретимся двенадцатого апреля"]),
        ("ru", ["срок оплаты до 12.04.2024"]),
        ("ru", ["паспорт выдан 12.04.2010"]),
        ("zh", ["合同2019年3月15日签约"]),
        ("zh", ["还款日是2024年5月1号"]),
        ("en", ["the appointment is on March 3rd, 2024"]),
        ("en", ["in 2019 we moved"]),
        ("en", ["your policy started 01/02/2015"]),
        ("en", ["date of birth please", "the appointment is on March 3rd, 2024"]),
    ],
)
def test_other_dates_are_not_birth_dates(language: str, turns: list[str]) -> None:
    assert [k for k, _ in last_turn(language, *turns) if k == "DATE_OF_BIRTH"] == []
