"""Vietnamese names: honorific + name ("anh Minh", "chị Nguyễn Thị Hoa"), full names, name cues.

Vietnamese given names are everyday syllables, so a syllable counts as a name only with
structure around it: a kinship honorific before it (the span excludes the honorific), a
surname before it, a cue such as "tên là", or a capital letter mid-sentence. Speech-to-text
output often drops diacritics; a turn without any is matched against folded lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from analyzer.detectors.pii._names import (
    Hit,
    Token,
    cue_set,
    fold,
    in_not_names,
    name_lists,
    preceded_by,
    sentence_initial,
    tokens,
)

_VI_MARKS = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
_MAX_NAME = 4


@dataclass(frozen=True)
class _Sets:
    given: frozenset[str]
    surnames: frozenset[str]
    ambiguous: frozenset[str]
    honorifics: frozenset[str]
    agent_self: frozenset[str]
    compounds: frozenset[str]
    particles: frozenset[str]
    stop: frozenset[str]
    not_before: frozenset[str]


@cache
def _sets(folded: bool) -> _Sets:
    lists = name_lists("vi")
    norm = fold if folded else (lambda w: w)

    def conv(items: frozenset[str] | list[str]) -> frozenset[str]:
        return frozenset(norm(w) for w in items)

    ambiguous = conv(lists.ambiguous) | (conv(cue_set("vi", "folded_common")) if folded else frozenset())
    return _Sets(
        given=conv(lists.given), surnames=conv(lists.surnames), ambiguous=ambiguous,
        honorifics=conv(cue_set("vi", "honorifics")), agent_self=conv(cue_set("vi", "agent_self")),
        compounds=conv(cue_set("vi", "compounds")), particles=conv(cue_set("vi", "particles")),
        stop=conv(cue_set("vi", "stop")), not_before=conv(cue_set("vi", "not_person_before")),
    )


def has_vietnamese_marks(text: str) -> bool:
    return any(ch in _VI_MARKS for ch in text.lower())


@dataclass
class _Turn:
    text: str
    words: list[Token]
    keys: list[str]
    cased: bool
    agent: bool
    sets: _Sets
    folded: bool = False


def find(text: str, cased: bool, agent: bool) -> list[Hit]:
    folded = not has_vietnamese_marks(text)
    sets = _sets(folded)
    words = tokens(text)
    keys = [fold(w.text) if folded else w.lower for w in words]
    turn = _Turn(text, words, keys, cased, agent, sets, folded)
    hits: list[Hit] = []
    i = 0
    while i < len(words):
        hit, used = _honorific(turn, i) or _full_name(turn, i) or _cued(turn, i) or _capital(turn, i) or (None, 1)
        if hit is not None:
            hits.append(hit)
        i += used
    return hits


def _name_run(turn: _Turn, i: int, allow_surname: bool) -> int:
    """How many words from `i` can be parts of a name (given syllables, a leading surname)."""
    count = 0
    for j in range(i, min(i + _MAX_NAME, len(turn.words))):
        key = turn.keys[j]
        part = key in turn.sets.given or (allow_surname and j == i and key in turn.sets.surnames)
        if not part or key in turn.sets.stop or (turn.cased and not turn.words[j].capitalised):
            break
        if j > i and turn.text[turn.words[j - 1].end : turn.words[j].start] != " ":
            break
        if j + 1 < len(turn.words) and f"{key} {turn.keys[j + 1]}" in turn.sets.compounds:
            break
        count += 1
    return count


def _honorific(turn: _Turn, i: int) -> tuple[Hit | None, int] | None:
    if turn.keys[i] not in turn.sets.honorifics or i + 1 >= len(turn.words):
        return None
    if turn.text[turn.words[i].end : turn.words[i + 1].start] != " ":
        return None
    count = _name_run(turn, i + 1, allow_surname=True)
    if count == 0:
        return None
    first, last = turn.words[i + 1], turn.words[i + count]
    if turn.agent and turn.keys[i] in turn.sets.agent_self:
        return None, count + 1  # "em Vy" said by the agent: the agent's own name
    if count == 1 and not _clear_single(turn, i + 1):
        return None
    score = 0.88 if count > 1 or turn.keys[i + 1] not in turn.sets.ambiguous else 0.75
    return Hit(first.start, last.end, score, "vi:honorific", single=count == 1), count + 1


def _clear_single(turn: _Turn, j: int) -> bool:
    """One syllable after an honorific: an everyday word ("chị mai") needs an end or a particle after it."""
    if turn.keys[j] not in turn.sets.ambiguous or turn.cased:
        return True
    if turn.folded:  # without diacritics an everyday syllable is too likely ("a dang o ngoai")
        return j + 1 < len(turn.words) and turn.keys[j + 1] == "oi"  # ... unless called out: "chu hai oi"
    after = turn.text[turn.words[j].end :].lstrip(" ")
    return not after or not after[0].isalpha() or (j + 1 < len(turn.words) and turn.keys[j + 1] in turn.sets.particles)


def _full_name(turn: _Turn, i: int) -> tuple[Hit, int] | None:
    if turn.keys[i] not in turn.sets.surnames or (turn.cased and not turn.words[i].capitalised):
        return None
    count = _name_run(turn, i + 1, allow_surname=False)
    if turn.folded and not turn.cased:
        return None
    if count < (1 if turn.cased else 2) or (i > 0 and turn.keys[i - 1] in turn.sets.not_before):
        return None
    start, end = turn.words[i].start, turn.words[i + count].end
    if in_not_names(turn.text[start:end], name_lists("vi")):
        return None
    return Hit(start, end, 0.9, "vi:full"), count + 1


def _cued(turn: _Turn, i: int) -> tuple[Hit, int] | None:
    if not preceded_by(turn.text, turn.words[i].start, name_lists("vi").cue_list("name_cues")):
        return None
    count = _name_run(turn, i, allow_surname=True)
    if count == 0 or (count == 1 and not turn.cased and turn.keys[i] in turn.sets.ambiguous):
        return None
    return Hit(turn.words[i].start, turn.words[i + count - 1].end, 0.85, "vi:cue", single=count == 1), count


def _capital(turn: _Turn, i: int) -> tuple[Hit, int] | None:
    """A lone capitalised given name mid-sentence ("Hạnh bên Samsung"), not part of a capitalised run."""
    word = turn.words[i]
    if not turn.cased or not word.capitalised or turn.keys[i] not in turn.sets.given:
        return None
    if sentence_initial(turn.text, word.start) or _capital_neighbour(turn, i - 1) or _capital_neighbour(turn, i + 1):
        return None
    if i + 1 < len(turn.words) and f"{turn.keys[i]} {turn.keys[i + 1]}" in turn.sets.compounds:
        return None
    if in_not_names(word.text, name_lists("vi")):
        return None
    return Hit(word.start, word.end, 0.7, "vi:capital", single=True), 1


def _capital_neighbour(turn: _Turn, j: int) -> bool:
    """A capitalised word next to it makes a multi-word proper name (a place, a company)."""
    if not 0 <= j < len(turn.words):
        return False
    word = turn.words[j]
    return word.capitalised and not sentence_initial(turn.text, word.start)
