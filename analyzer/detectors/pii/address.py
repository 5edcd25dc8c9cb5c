"""ADDRESS: street addresses of private persons, by each language's address structure.

An address is recognised by its parts, not by a gazetteer: a house number (digits or spoken
number words), a street word ("улица", "Avenue", "đường", "路"), house/flat parts ("дом",
"квартира", "Apt", "室") and area words ("phường", "quận", "区"). A city name alone is not an
address. An address introduced as a branch or office ("our office at ...") is a business's, so
it is not flagged. The structure words live in `resources/<lang>/pii_names.toml` (`[address]`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from analyzer.detectors.pii._lexicon import lexicon
from analyzer.detectors.pii._names import fold, nfc_lower
from analyzer.detectors.pii._names_vi import has_vietnamese_marks
from analyzer.detectors.pii.base import Candidate, TurnContext, register_recognizer
from analyzer.language_resources import load_resource

TYPE = "ADDRESS"
_SCORE = 0.92
_BUSINESS_WINDOW = 30
_TOKEN = re.compile(r"\d+(?:[/.-]\d+)*[A-Za-zА-Яа-я]?(?![\w])|[^\W\d_]+(?:[-'’][^\W\d_]+)*|[#,.;!?:]")
_SENTENCE_END = {".", "!", "?", ";"}


@dataclass(frozen=True, slots=True)
class Tok:
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return nfc_lower(self.text).rstrip(".")

    @property
    def digits(self) -> bool:
        return self.text[:1].isdigit()


@cache
def _words(language: str, key: str) -> frozenset[str]:
    return frozenset(nfc_lower(w) for w in load_resource(language, "pii_names").get("address", {}).get(key, []))


def _tokens(text: str) -> list[Tok]:
    return [Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _is_number(toks: list[Tok], i: int) -> bool:
    """Digits or a number word; a weak one ("oh", "không") only next to a clear number."""
    if not 0 <= i < len(toks):
        return False
    strength = _strength(toks[i])
    return strength == 2 or (strength == 1 and 2 in (_strength_at(toks, i - 1), _strength_at(toks, i + 1)))


def _strength_at(toks: list[Tok], i: int) -> int:
    return _strength(toks[i]) if 0 <= i < len(toks) else 0


def _strength(tok: Tok) -> int:
    """2: surely a number, 1: a weak number word, 0: not a number."""
    if tok.digits:
        return 2
    word = lexicon().lookup(tok.key)
    if word is None:
        return 0
    return 1 if word.weak else 2


def _number_run(toks: list[Tok], i: int, limit: int = 6) -> int:
    """How many tokens from `i` spell one number ("сто шесть", "four four one seven", "17а")."""
    count = 0
    while count < limit and _is_number(toks, i + count):
        count += 1
    return count


class AddressRecognizer:
    """Street addresses in Russian, English, Vietnamese and Chinese (taxonomy: PII table, `ADDRESS`)."""

    name = "address"
    types: tuple[str, ...] = (TYPE,)

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        self.score = float((settings or {}).get("score", _SCORE))

    def find(self, context: TurnContext) -> Iterable[Candidate]:
        text = context.text
        spans = find_addresses(text)
        for start, end, rule in spans:
            if not _business(text, start):
                yield Candidate(start, end, TYPE, self.score, self.name, evidence=rule)


register_recognizer("address")(AddressRecognizer)


def find_addresses(text: str) -> list[tuple[int, int, str]]:
    """(start, end, rule) of every address-shaped span; overlapping finds keep the longest."""
    toks = _tokens(text)
    found = _ru(toks) + _en(text, toks) + _vi(text, toks) + _zh(text)
    kept: list[tuple[int, int, str]] = []
    for span in sorted(found, key=lambda s: (s[0] - s[1], s[0])):
        if all(span[1] <= k[0] or k[1] <= span[0] for k in kept):
            kept.append(span)
    return sorted(kept)


def _business(text: str, start: int) -> bool:
    before = nfc_lower(text[max(0, start - _BUSINESS_WINDOW) : start])
    words = _words("en", "business") | _words("ru", "business") | _words("vi", "business") | _words("zh", "business")
    return any(w in before for w in words)


# --------------------------------------------------------------------------- Russian


def _ru(toks: list[Tok]) -> list[tuple[int, int, str]]:
    toks = [t for t in toks if t.text != "."]  # "ул. Баумана, д. 12": abbreviation points
    spans = []
    streets, houses = _words("ru", "street_types"), _words("ru", "house")
    for i, tok in enumerate(toks):
        if tok.key in streets and i + 1 < len(toks) and not toks[i + 1].digits and toks[i + 1].key not in houses:
            name_end = _ru_street_name(toks, i + 1)
            end = _ru_house_parts(toks, name_end)
            if end > name_end:
                start = _ru_city_before(toks, i)
                spans.append((toks[start].start, toks[end - 1].end, "ru:street"))
        elif tok.key == "на" and i > 0 and toks[i - 1].key in {"дом", "живу", "живём", "живем", "квартира"}:
            count = _number_run(toks, i + 2)
            if i + 2 < len(toks) and toks[i + 1].text.isalpha() and count:
                end = _ru_house_parts(toks, i + 2 + count)
                spans.append((toks[i + 1].start, toks[max(end, i + 2 + count) - 1].end, "ru:дом на"))
    return spans


def _ru_street_name(toks: list[Tok], i: int) -> int:
    houses = _words("ru", "house")
    j = i
    while j < len(toks) and j - i < 3 and _wordlike(toks[j]) and toks[j].key not in houses and not _is_number(toks, j):
        j += 1
    return j


def _ru_house_parts(toks: list[Tok], i: int) -> int:
    """Past "дом 5 корпус 2 квартира 41" (or a bare number right after the street)."""
    houses = _words("ru", "house")
    end = i
    j = i
    while j < len(toks):
        if toks[j].text == ",":
            j += 1
            continue
        if toks[j].key in houses and _number_run(toks, j + 1):
            j += 1 + _number_run(toks, j + 1)
        elif j == i and _number_run(toks, j):
            j += _number_run(toks, j)
        else:
            break
        end = j
    return end


def _ru_city_before(toks: list[Tok], i: int) -> int:
    """Include "самара" / "г. Самара" right before the street word."""
    settlements = _words("ru", "settlement")
    j = i - 1
    if j >= 0 and toks[j].text == ",":
        j -= 1
    if j >= 0 and toks[j].text.isalpha() and _geo(toks[j].key):
        if j - 1 >= 0 and toks[j - 1].key in settlements:
            return j - 1
        return j
    return i


@cache
def _geo(word: str) -> bool:
    from analyzer.detectors.pii._names_ru import _morph

    return any("Geox" in p.tag for p in _morph().parse(word)[:2])


# --------------------------------------------------------------------------- English


def _en(text: str, toks: list[Tok]) -> list[tuple[int, int, str]]:
    spans = []
    streets = _words("en", "street_types")
    for i, tok in enumerate(toks):
        if tok.key not in streets:
            continue
        start = _en_start_before(text, toks, i)
        end = i + 1
        if start is None:
            start, end = _en_prefix_street(toks, i)
            if start is None:
                continue
        end = _en_tail(text, toks, end)
        spans.append((toks[start].start, toks[end - 1].end, "en:street"))
    return spans


def _en_start_before(text: str, toks: list[Tok], i: int) -> int | None:
    """NUMBER [DIRECTION] NAME{1,4} STREET-TYPE: the index of the number's first token."""
    cased = any(ch.isupper() for ch in text)
    j = i - 1
    names = 0
    while j >= 0 and names < 4 and _en_name_word(toks[j]) and not _is_number(toks, j):
        if cased and not toks[j].text[:1].isupper():
            return None
        names += 1
        j -= 1
    if names == 0 or not _is_number(toks, j):
        return None
    while j - 1 >= 0 and _is_number(toks, j - 1):
        j -= 1
    return j


def _en_prefix_street(toks: list[Tok], i: int) -> tuple[int | None, int]:
    """NUMBER "heol/rue" NAME{1,3} (Welsh and French street words come first)."""
    if toks[i].key not in {"heol", "rue", "ffordd", "stryd"} or not _is_number(toks, i - 1):
        return None, i + 1
    start = i - 1
    while start - 1 >= 0 and _is_number(toks, start - 1):
        start -= 1
    end = i + 1
    while end < len(toks) and end - i <= 3 and _en_name_word(toks[end]) and not _is_number(toks, end):
        end += 1
    return start, end


def _en_name_word(tok: Tok) -> bool:
    return _wordlike(tok) and tok.key not in _words("en", "stop")


def _en_tail(text: str, toks: list[Tok], end: int) -> int:
    """Past ", Apt 3R", ", Chicago", ", IL 60614" and UK postcodes after the street."""
    units, states = _words("en", "units"), _words("en", "us_states")
    j = end
    for _ in range(8):
        k = j + 1 if j < len(toks) and toks[j].text == "," else j
        if k >= len(toks):
            break
        if (toks[k].key in units or toks[k].text == "#") and k + 1 < len(toks):
            j = k + 2
        elif (toks[k].digits and len(toks[k].text) == 5) or _uk_postcode(toks, k):
            j = k + _uk_postcode(toks, k) if _uk_postcode(toks, k) else k + 1
        elif toks[k].key in states or (k > j and toks[k].text[:1].isupper() and toks[k].text.isalpha()):
            j = k + 1
        elif not _cased(text) and k == j and _en_name_word(toks[k]) and _spoken_tail(toks, k + 1):
            j = k + 1 + _spoken_postcode(toks, k + 1)
            break
        else:
            break
    return j


def _cased(text: str) -> bool:
    return any(ch.isupper() for ch in text)


def _spoken_postcode(toks: list[Tok], i: int) -> int:
    """"c f fourteen six r g": single letters and number words of a spoken postcode."""
    count = 0
    while i + count < len(toks) and (len(toks[i + count].key) == 1 or _is_number(toks, i + count)):
        count += 1
    return count if count >= 3 else 0


def _spoken_tail(toks: list[Tok], i: int) -> bool:
    """A lower-case city is taken only at the end of the turn or before a spoken postcode."""
    return i >= len(toks) or toks[i].text in _SENTENCE_END or toks[i].text == "," or bool(_spoken_postcode(toks, i))


_UK_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")


def _uk_postcode(toks: list[Tok], k: int) -> int:
    if k + 1 < len(toks) and _UK_POSTCODE.match(toks[k].text) and re.match(r"^\d[A-Z]{2}$", toks[k + 1].text):
        return 2
    return 0


# --------------------------------------------------------------------------- Vietnamese

_MAX_VI = 20


def _vi(text: str, toks: list[Tok]) -> list[tuple[int, int, str]]:
    spans = []
    if not has_vietnamese_marks(text):  # speech-to-text without diacritics: compare folded words
        toks = [Tok(fold(t.text), t.start, t.end) for t in toks]
    streets, areas = _vi_words("street_words"), _vi_words("area_words")
    i = 0
    while i < len(toks):
        house = _vi_house(toks, i)
        if not house and toks[i].key not in streets:
            i += 1
            continue
        end, parts = _vi_extend(text, toks, i + house, streets, areas)
        parts += 1 if house else 0
        if parts >= 2 and end > i:
            spans.append((toks[i].start, toks[end - 1].end, "vi:address"))
            i = end
        else:
            i += 1
    return spans


@cache
def _vi_words(key: str) -> frozenset[str]:
    words = _words("vi", key)
    return words | {fold(w) for w in words}


def _vi_house(toks: list[Tok], i: int) -> int:
    """"số 45", "số mười tám" or a bare "12/3" before a capitalised street name: tokens used."""
    if toks[i].key in ("số", "so") and _number_run(toks, i + 1):
        return 1 + _number_run(toks, i + 1)
    if toks[i].digits and "/" in toks[i].text and i + 1 < len(toks) and toks[i + 1].text[:1].isupper():
        return 1
    return 0


def _vi_extend(text: str, toks: list[Tok], j: int, streets: frozenset[str], areas: frozenset[str]) -> tuple[int, int]:
    """Walk right over street, area, number and name words; return the end and the parts seen."""
    cased = any(ch.isupper() for ch in text)
    parts, end, since_part = 0, j, 0
    while j < len(toks) and j - end < _MAX_VI:
        tok = toks[j]
        if tok.text in _SENTENCE_END or tok.key in _vi_words("stop"):
            break
        if tok.text == ",":
            j += 1
            continue
        pair = f"{tok.key} {toks[j + 1].key}" if j + 1 < len(toks) else ""
        if pair in streets or pair in areas:
            parts, since_part, j = parts + 1, 0, j + 2
        elif tok.key in streets or tok.key in areas:
            parts, since_part, j = parts + 1, 0, j + 1
        elif _is_number(toks, j):
            j += 1
        elif tok.text[:1].isupper() if cased else since_part < 6:
            since_part, j = since_part + 1, j + 1
        else:
            break
        end = j
    return end, parts


# --------------------------------------------------------------------------- Chinese

_NUM = "0-9０-９零〇一二三四五六七八九十百千两兩"
_HAN = "\u4e00-\u9fff"
_ZH_ROAD = re.compile(
    rf"(?:[{_HAN}]{{2,3}}(?:省|市|自治区)|[{_HAN}]{{2,4}}(?:区|區|县|縣|镇|鎮|街道))*"
    rf"[{_HAN}]{{1,8}}?(?:路|街|大道|巷|弄|胡同)[{_NUM}]+(?:号|號)"
    rf"(?:[{_HAN}{_NUM}A-Za-z]{{0,8}}?[{_NUM}A-Za-z]+(?:栋|棟|幢|座|号楼|號樓|楼|樓|单元|單元|层|層|室|户|戶))*"
)
_ZH_ESTATE = re.compile(
    rf"[{_HAN}]{{2,6}}(?:小区|小區|社区|社區|花园|花園|公寓|大厦|大廈|新村|家园|家園)"
    rf"(?:[{_NUM}A-Za-z]+(?:栋|棟|幢|座|号楼|號樓|楼|樓|单元|單元|层|層|室|户|戶)){{2,}}"
)
_ZH_LEADING = set("是为為在到住址的还還就也即:：")


def _zh(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for pattern, rule in ((_ZH_ROAD, "zh:road"), (_ZH_ESTATE, "zh:estate")):
        for match in pattern.finditer(text):
            start = match.start()
            while start < match.end() and text[start] in _ZH_LEADING:
                start += 1
            spans.append((start, match.end(), rule))
    return spans


def _wordlike(tok: Tok) -> bool:
    return tok.text.replace("-", "").replace("'", "").isalpha()
