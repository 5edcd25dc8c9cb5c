"""Chinese names: surname + title ("陈女士", span "陈"), 小/老 + surname, full names (jieba `nr`).

jieba's `nr` tag alone is noisy ("谢谢", "明白"), so a full name must start with a listed
surname, be two to four characters, and not be followed by a product, company or place word.
A title or a 小/老 prefix marks a surname alone; an agent's "我是小周" is their own name.
"""

from __future__ import annotations

import logging
import re
from functools import cache

from analyzer.detectors.pii._names import Hit, cue_set, in_not_names, name_lists

_HAN = re.compile(r"[\u4e00-\u9fff]")
_FUNCTION_CHARS = set(
    "您你我他她它的了吗呢啊吧耶喔哦嘛呀是在有和与就都也还又很这那哪谁么个们着过被把给让对说說讲講问問叫去来來买買卖賣要想会會能"
)
_SELF_WINDOW = 14


@cache
def _jieba():  # type: ignore[no-untyped-def]
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.posseg.dt.initialize()
    return jieba


def _tagged(text: str) -> list[tuple[str, str]]:
    """jieba words with POS tags, at segmentation speed where possible.

    `jieba.posseg` tags unknown words with a pure-Python Viterbi pass (~200 turns/s),
    while plain `jieba.cut` finds the words with its HMM ~40× faster. Words in jieba's
    dictionary keep their dictionary tag; only a text where the HMM found a new word
    starting with a listed surname (a possible name) pays for posseg's tagging.
    """
    jieba = _jieba()
    tags = jieba.posseg.dt.word_tag_tab
    words = list(jieba.cut(text))
    if any(w not in tags and 2 <= len(w) <= 4 and _surname_at(w, 0) for w in words):
        return [(w.word, w.flag) for w in jieba.posseg.cut(text)]
    return [(w, tags.get(w, "x")) for w in words]


def _surname_at(text: str, i: int) -> int:
    """Length of a listed surname starting at `i` (compound surnames first), 0 if none."""
    surnames = name_lists("zh").surnames
    if len(text[i : i + 2]) == 2 and text[i : i + 2] in surnames:
        return 2
    return 1 if text[i : i + 1] in surnames else 0


def find(text: str, agent: bool) -> list[Hit]:
    if not _HAN.search(text):
        return []
    pieces = _tagged(text)
    starts = _starts(pieces)
    hits = _titled(text, starts, agent) + _full_names(text, pieces, starts, agent) + _cued(text)
    return hits


def _starts(pieces: list[tuple[str, str]]) -> dict[int, tuple[str, str]]:
    offsets: dict[int, tuple[str, str]] = {}
    position = 0
    for word, flag in pieces:
        offsets[position] = (word, flag)
        position += len(word)
    return offsets


def _titled(text: str, starts: dict[int, tuple[str, str]], agent: bool) -> list[Hit]:
    titles = sorted(cue_set("zh", "titles"), key=len, reverse=True)
    prefixes = cue_set("zh", "prefixes")
    hits: list[Hit] = []
    for i in range(len(text)):
        size = _surname_at(text, i)
        if not size:
            continue
        after = text[i + size :]
        titled = i in starts and any(after.startswith(t) for t in titles) and not _is_word(text, i, starts)
        prefixed = i > 0 and text[i - 1] in prefixes and (i - 1) in starts and not _is_word(text, i - 1, starts)
        if prefixed and agent and _self_intro(text, i - 1):
            continue
        if titled or (prefixed and _prefix_pair_ok(text, i, size)):
            hits.append(Hit(i, i + size, 0.88 if titled else 0.8, "zh:title" if titled else "zh:prefix"))
    return hits


def _is_word(text: str, i: int, starts: dict[int, tuple[str, str]]) -> bool:
    """The characters from `i` form a listed non-name word ("谢谢", "老公")."""
    word = starts.get(i, ("", ""))[0]
    return word in name_lists("zh").ambiguous


def _prefix_pair_ok(text: str, i: int, size: int) -> bool:
    pair = text[i - 1 : i + size + 1]
    return pair not in name_lists("zh").ambiguous and text[i - 1 : i + size] not in name_lists("zh").ambiguous


def _self_intro(text: str, i: int) -> bool:
    window = text[max(0, i - _SELF_WINDOW) : i]
    return any(cue in window for cue in cue_set("zh", "self_intro"))


def _full_names(text: str, pieces: list[tuple[str, str]], starts: dict[int, tuple[str, str]], agent: bool) -> list[Hit]:
    hits: list[Hit] = []
    position = 0
    for index, (word, flag) in enumerate(pieces):
        candidate, flag = _merged(pieces, index)
        own = agent and _self_intro(text, position) and len(candidate) <= 2
        if flag.startswith("nr") and _is_full_name(text, position, candidate) and not own:
            hits.append(Hit(position, position + len(candidate), 0.85, "zh:nr"))
        position += len(word)
    return hits


def _merged(pieces: list[tuple[str, str]], index: int) -> tuple[str, str]:
    """jieba splits "王淑芬" as "王" + "淑芬" and tags "郑" + "海涛" as place + name: join them."""
    word, flag = pieces[index]
    if len(word) != _surname_at(word, 0) or index + 1 >= len(pieces):
        return word, flag
    following, next_flag = pieces[index + 1]
    if 1 <= len(following) <= 2 and (next_flag.startswith("nr") or (flag == "nr" and next_flag.startswith("n"))):
        return word + following, "nr"
    return word, flag


def _is_full_name(text: str, position: int, name: str) -> bool:
    lists = name_lists("zh")
    size = _surname_at(name, 0)
    given = name[size:]
    if not size or not 1 <= len(given) <= 2 or name in lists.ambiguous or in_not_names(name, lists):
        return False
    if any(ch in _FUNCTION_CHARS or not _HAN.match(ch) for ch in given):
        return False
    rest = text[position + len(name) :]
    suffixes = cue_set("zh", "not_person_after")
    return name[-1] not in suffixes and not any(rest.startswith(w) for w in suffixes)


def _cued(text: str) -> list[Hit]:
    """`我叫王淑芬`, `姓名张三`, `叫徐静对吧`: a surname + one or two given-name characters after a cue."""
    lists = name_lists("zh")
    hits: list[Hit] = []
    for cue in cue_set("zh", "name_cues"):
        for match in re.finditer(re.escape(cue) + r"[:： ]?", text):
            i = match.end()
            size = _surname_at(text, i)
            if not size:
                continue
            count = 0
            while count < 2 and text[i + size + count : i + size + count + 1] in lists.given:
                count += 1
            if count:
                hits.append(Hit(i, i + size + count, 0.82, "zh:cue"))
    return hits
