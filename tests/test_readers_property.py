"""Property and fuzz tests: readers round-trip canonical data and never fail with a stray exception."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.model import Conversation, Turn
from analyzer.readers import Piece, ReadError, ReadOptions, build_turns, read_bytes

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

texts = st.text(max_size=40)
speakers = st.none() | st.text(min_size=1, max_size=12)
times = st.none() | st.floats(min_value=0, max_value=1e5, allow_nan=False)
turns = st.builds(
    Turn,
    text=texts,
    speaker=speakers,
    role=st.sampled_from([None, "agent", "client", "other"]),
    start=times,
    end=times,
)
conversations = st.builds(
    Conversation,
    id=st.text(min_size=1, max_size=20),
    turns=st.lists(turns, max_size=6),
    channel=st.sampled_from([None, "call", "meeting", "chat"]),
    language=st.sampled_from([None, "vi", "ru", "zh", "en"]),
)


@FAST
@given(st.lists(conversations, min_size=1, max_size=3), st.sampled_from(["json", "jsonl"]))
def test_canonical_round_trip(items: list[Conversation], kind: str) -> None:
    dicts = [c.to_dict() for c in items]
    if kind == "json":
        payload = json.dumps(dicts if len(dicts) > 1 else dicts[0], ensure_ascii=False)
    else:
        payload = "\n".join(json.dumps(d, ensure_ascii=False) for d in dicts)
    read = read_bytes(payload.encode("utf-8"), f"batch.{kind}")
    assert [c.to_dict() for c in read] == dicts


@FAST
@given(
    st.lists(st.builds(Piece, text=texts, speaker=st.sampled_from([None, "A", "B"]), start=times, end=times))
)
def test_merged_segments_slice_turn_text(pieces: list[Piece]) -> None:
    originals = [p.text.strip() for p in pieces if p.text.strip()]
    merged = build_turns([Piece(p.text, p.speaker, p.start, p.end) for p in pieces], merge=True)
    recovered: list[str] = []
    for turn in merged:
        if not turn.segments:
            recovered.append(turn.text)
            continue
        assert turn.segments[0].text_start == 0 and turn.segments[-1].text_end == len(turn.text)
        recovered += [turn.text[s.text_start : s.text_end] for s in turn.segments]
    assert recovered == originals


label = st.sampled_from(["Lan", "Анна", "王经理", "AGENT", "Speaker 1"])
line = st.one_of(
    st.builds(lambda n, t: f"{n}: {t}", label, texts.filter(lambda t: "\n" not in t and "\r" not in t)),
    st.builds(lambda n, t: f"{n}：{t}", label, st.text(alphabet="好的您是。，", min_size=1, max_size=10)),
)


@FAST
@given(st.lists(line, min_size=1, max_size=8))
def test_text_reader_segments_slice_turn_text(lines: list[str]) -> None:
    try:
        conversations = read_bytes("\n".join(lines).encode(), "t.txt")
    except ReadError:
        return
    for conversation in conversations:
        for turn in conversation.turns:
            for segment in turn.segments:
                assert turn.text[segment.text_start : segment.text_end].strip()
                assert segment.text_end <= len(turn.text)


NAMES = ["x.txt", "x.json", "x.jsonl", "x.csv", "x.tsv", "x.vtt", "x.srt", "x", "-"]


@FAST
@given(st.binary(max_size=400), st.sampled_from(NAMES))
def test_any_bytes_read_or_read_error(data: bytes, name: str) -> None:
    _read_or_error(data, name)


@FAST
@given(
    st.text(max_size=300), st.sampled_from(NAMES), st.sampled_from(["utf-8", "utf-16", "cp1251", "gb18030"])
)
def test_any_text_read_or_read_error(text: str, name: str, encoding: str) -> None:
    _read_or_error(text.encode(encoding, errors="ignore"), name)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)
KEYS = [
    "turns", "segments", "results", "utterances", "words", "items", "channels", "alternatives", "text",
    "start", "end", "speaker", "transcript", "audio_segments", "speaker_labels", "id", "jobName",
]  # fmt: skip
shaped = st.recursive(
    json_values,
    lambda children: (
        st.dictionaries(st.sampled_from(KEYS), children, max_size=4) | st.lists(children, max_size=3)
    ),
    max_leaves=20,
)


@FAST
@given(shaped)
def test_json_shaped_like_exports_read_or_read_error(value: Any) -> None:
    _read_or_error(json.dumps(value).encode(), "x.json")


@FAST
@given(
    st.lists(st.lists(st.sampled_from(["Speaker", "text", "start", "a", "", "1", "x:y", '"'])), max_size=5)
)
def test_csv_like_read_or_read_error(rows: list[list[str]]) -> None:
    _read_or_error("\n".join(",".join(row) for row in rows).encode(), "x.csv")


def _read_or_error(data: bytes, name: str) -> None:
    try:
        result = read_bytes(data, name, ReadOptions(max_bytes=10_000))
    except ReadError as error:
        assert error.reason and "\n" not in str(error)
        return
    assert all(isinstance(c, Conversation) for c in result)
