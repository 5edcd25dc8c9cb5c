"""Checksums python-stdnum lacks: Russian SNILS, Taiwan national ID, Singapore NRIC/FIN, UK NINO shape."""

from __future__ import annotations

import re

_TW_LETTERS = {ch: value for ch, value in zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True)}
_NINO = re.compile(r"(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]")


def snils_is_valid(digits: str) -> bool:
    """SNILS: 9 digits weighted 9..1, sum mod 101 (100 and 101 give 00) equals the last two digits."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(9, 0, -1), strict=True))
    return total % 101 % 100 == int(digits[9:])


def taiwan_id_is_valid(value: str) -> bool:
    """Taiwan national ID: letter (region) + gender digit + 8 digits, weighted sum mod 10 is 0."""
    value = value.upper()
    if len(value) != 10 or value[0] not in _TW_LETTERS or not value[1:].isdigit() or value[1] not in "1289":
        return False
    code = _TW_LETTERS[value[0]]
    total = code // 10 + (code % 10) * 9 + sum(int(d) * w for d, w in zip(value[1:9], range(8, 0, -1), strict=True))
    return (total + int(value[9])) % 10 == 0


def nric_is_valid(value: str) -> bool:
    """Singapore NRIC/FIN: S/T/F/G + 7 digits + check letter."""
    value = value.upper()
    if len(value) != 9 or value[0] not in "STFG" or not value[1:8].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(value[1:8], (2, 7, 6, 5, 4, 3, 2), strict=True))
    total += 4 if value[0] in "TG" else 0
    letters = "JZIHGFEDCBA" if value[0] in "ST" else "XWUTRQPNMLK"
    return letters[total % 11] == value[8]


def nino_is_valid(value: str) -> bool:
    """UK National Insurance number: two prefix letters (some pairs never issued), 6 digits, suffix A-D."""
    return _NINO.fullmatch(value.upper().replace(" ", "")) is not None
