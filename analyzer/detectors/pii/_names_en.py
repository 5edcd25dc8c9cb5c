"""English (and other Latin-script) names: given-name and surname lists, titles, capitals.

In cased text a listed given name must be capitalised, and one that is also an everyday word
("Will", "Grace") must not open the sentence. In lower-case speech-to-text output a listed,
unambiguous given name is enough. A title ("Mr.", "mister", "Dr") makes the next word a name.
"""

from __future__ import annotations

import re

from analyzer.detectors.pii._names import Hit, NameLists, Token, cue_set, name_lists, sentence_initial, tokens

_LATIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+(?:-[A-Za-zÀ-ÖØ-öø-ÿ]+)*")


def _key(token: Token) -> str:
    return token.lower.removesuffix("'s").removesuffix("’s")


def find(text: str, cased: bool) -> list[Hit]:
    lists = name_lists("en")
    words = tokens(text, _LATIN)
    hits: list[Hit] = []
    i = 0
    while i < len(words):
        hit, used = _titled(text, words, i, cased, lists) or _given(text, words, i, cased, lists) or (None, 1)
        if hit is not None:
            hits.append(hit)
        i += used
    return hits


def _titled(text: str, words: list[Token], i: int, cased: bool, lists: NameLists) -> tuple[Hit, int] | None:
    """`Mr. Okafor`, `mister hughes`, `Dr Jane Smith`: the words after the title."""
    if _key(words[i]) not in cue_set("en", "titles") or i + 1 >= len(words):
        return None
    gap = text[words[i].end : words[i + 1].start].strip()
    following = words[i + 1]
    if gap and not (gap == "." and _key(words[i]) in cue_set("en", "abbreviated_titles")):
        return None  # "Mr. Okafor" yes; "sir. Do it today" is a sentence end, not a title
    if _key(following) in cue_set("en", "stop"):
        return None
    if cased and not following.capitalised:
        return None
    if not cased and _key(following) not in lists.given | lists.surnames:
        return None  # lower-case STT: "miss out", "sir how can i help" are not names
    end = i + 1
    if _key(following) in lists.given and end + 1 < len(words) and _surname_like(words[end + 1], cased, lists):
        end += 1
    return Hit(following.start, words[end].end, 0.9, "en:title"), end + 1


def _given(text: str, words: list[Token], i: int, cased: bool, lists: NameLists) -> tuple[Hit, int] | None:
    token = words[i]
    key = _key(token)
    if key not in lists.given or key in cue_set("en", "stop"):
        return None
    if cased and not token.capitalised:
        return None
    has_surname = i + 1 < len(words) and _surname_like(words[i + 1], cased, lists) and _adjacent(text, words, i)
    if _after_is_not_person(words, i + (2 if has_surname else 1), lists):
        return None
    if not has_surname and not _plausible_alone(text, token, key, cased, lists):
        return None
    end = i + 1 if has_surname else i
    if has_surname:
        return Hit(token.start, words[end].end, 0.92, "en:full"), end + 1
    return Hit(token.start, token.end, 0.8, "en:given", single=True), 1


def _plausible_alone(text: str, token: Token, key: str, cased: bool, lists: NameLists) -> bool:
    if key in lists.ambiguous:
        return cased and not sentence_initial(text, token.start)
    return True


def _surname_like(token: Token, cased: bool, lists: NameLists) -> bool:
    key = _key(token)
    if key in cue_set("en", "stop") or key in cue_set("en", "not_person_after"):
        return False
    if cased:
        return token.capitalised and len(key) > 1 and not token.text.isupper()
    return key in lists.surnames and key not in lists.ambiguous and key not in lists.given


def _adjacent(text: str, words: list[Token], i: int) -> bool:
    return text[words[i].end : words[i + 1].start] in (" ", "\u00a0")


def _after_is_not_person(words: list[Token], j: int, lists: NameLists) -> bool:
    """`Victoria Street`, `Jackson Life`: the word after a name makes it a street or company."""
    return j < len(words) and _key(words[j]) in cue_set("en", "not_person_after")
