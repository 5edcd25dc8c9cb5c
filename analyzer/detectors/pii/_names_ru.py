"""Russian names: pymorphy3 tags `Name`, `Surn` and `Patr` on any case form, even in lower case.

Runs of name-tagged words form one span ("серов артём андреевич"). A patronymic or a
first name + surname pair is strong evidence; a surname alone counts only when capitalised
mid-sentence or after a title, because many surnames are also common words or streets.
"""

from __future__ import annotations

import re
from functools import cache

from analyzer.detectors.pii._names import Hit, NameLists, Token, cue_set, name_lists, sentence_initial, tokens

_CYRILLIC = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
_MIN_SCORE = 0.1


@cache
def _morph():  # type: ignore[no-untyped-def]
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@cache
def word_class(word: str) -> str:
    """`N` first name, `n` first name that is also a common word, `P` patronymic, `S` surname, `` none."""
    parses = _morph().parse(word)
    lists = name_lists("ru")
    top = parses[0].tag
    tags = {g for p in parses if p.score >= _MIN_SCORE for g in ("Name", "Surn", "Patr") if g in p.tag}
    if "Patr" in tags and "Patr" in top:
        return "P"
    if "Name" in top or word in lists.given:
        ambiguous = word in lists.ambiguous or ("Name" not in top and word not in lists.given)
        return "n" if ambiguous else "N"
    if "Name" in tags:
        return "n"
    if "Surn" in tags or _surname_lemma(word, lists):
        return "S"
    return ""


def _surname_lemma(word: str, lists: NameLists) -> bool:
    return any(p.normal_form in lists.surnames for p in _morph().parse(word)[:3])


def find(text: str, cased: bool) -> list[Hit]:
    words = tokens(text, _CYRILLIC)
    lists = name_lists("ru")
    stop = cue_set("ru", "stop")
    classes = ["" if t.lower in stop or (cased and not t.capitalised) else word_class(t.lower) for t in words]
    hits: list[Hit] = []
    for run in _runs(text, words, classes):
        hit = _judge(text, [words[i] for i in run], [classes[i] for i in run], cased, lists)
        if hit is not None:
            hits.append(hit)
    return hits


def _runs(text: str, words: list[Token], classes: list[str]) -> list[list[int]]:
    """Consecutive name-class words separated by spaces only (a comma ends a name)."""
    runs: list[list[int]] = []
    for i, cls in enumerate(classes):
        if not cls:
            continue
        joined = runs and runs[-1][-1] == i - 1 and text[words[i - 1].end : words[i].start].strip() == ""
        if joined:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _judge(text: str, run: list[Token], classes: list[str], cased: bool, lists: NameLists) -> Hit | None:
    run, classes = _trim(run, classes)
    if not run:
        return None
    start, end = run[0].start, run[-1].end
    mid_capital = cased and all(t.capitalised for t in run) and not sentence_initial(text, start)
    before = _previous_word(text, start)
    if before in cue_set("ru", "not_person_before"):
        return None
    kinds = set(classes)
    if "P" in kinds or ({"N", "n"} & kinds and "S" in kinds and (len(run) > 1)):
        return Hit(start, end, 0.92, "ru:full")
    if len(run) > 1 and kinds <= {"N", "n"}:
        run, classes = run[:1], classes[:1]  # two first names in a row: keep the first
        end = run[0].end
    return _single(text, run[0], classes[0], cased, mid_capital, before, lists)


def _single(text: str, token: Token, cls: str, cased: bool, mid_capital: bool, before: str,
            lists: NameLists) -> Hit | None:
    titled = before in cue_set("ru", "titles")
    if cls == "N" and (not cased or token.capitalised):
        return Hit(token.start, token.end, 0.85, "ru:given", single=True)
    if cls == "n" and (mid_capital or titled or (cased and token.capitalised)):
        return Hit(token.start, token.end, 0.75, "ru:given?", single=True)
    if cls == "S" and (titled or (mid_capital and "Surn" in _morph().parse(token.lower)[0].tag)):
        return Hit(token.start, token.end, 0.8, "ru:surname")
    return None


def _trim(run: list[Token], classes: list[str]) -> tuple[list[Token], list[str]]:
    """Drop a trailing or leading lone surname-candidate that follows two full name parts."""
    while len(run) > 3:
        run, classes = run[:-1], classes[:-1]
    return run, classes


def _previous_word(text: str, start: int) -> str:
    words = text[:start].rstrip(" ,").split()
    return words[-1].lower().rstrip(".") if words else ""
