"""Readers: every format in every language, merge behaviour, ids, detection and file expansion."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from analyzer.model import Conversation
from analyzer.readers import READERS, ReadError, ReadOptions, detect_format, read_bytes, read_path

FIXTURES = Path(__file__).parent / "fixtures" / "readers"


@dataclass(frozen=True)
class Snippet:
    """A short agent/client exchange: two agent utterances, then one client reply."""

    lang: str
    agent: str
    client: str
    a1: str
    a2: str
    c1: str


SNIPPETS = {
    "vi": Snippet(
        "vi",
        "Lan",
        "Minh",
        "Chào anh, cuộc gọi này được ghi âm.",
        "Em gọi từ ngân hàng ABC.",
        "Vâng, chào em.",
    ),
    "ru": Snippet(
        "ru",
        "Анна",
        "Игорь",
        "Здравствуйте, разговор записывается.",
        "Я звоню из банка Восток.",
        "Да, добрый день.",
    ),
    "zh": Snippet(
        "zh", "王经理", "李先生", "您好，本次通话将被录音。", "我是平安银行的客服。", "好的，你好。"
    ),
    "en": Snippet(
        "en", "Olivia", "Tom", "Hello, this call is recorded.", "I am calling from Acme Bank.", "Yes, hello."
    ),
}
LANGS = list(SNIPPETS)
# (speaker index, text attribute, start, end): the three utterances of every fixture.
TIMES = ((0.0, 2.0), (2.5, 4.0), (4.5, 6.25))


def utterances(s: Snippet) -> list[tuple[str, str, float, float]]:
    speakers = (s.agent, s.agent, s.client)
    texts = (s.a1, s.a2, s.c1)
    return [(sp, tx, st, en) for sp, tx, (st, en) in zip(speakers, texts, TIMES, strict=True)]


def hms(seconds: float, sep: str = ".") -> str:
    whole = int(seconds)
    millis = round((seconds - whole) * 1000)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}{sep}{millis:03d}"


def tokens(text: str) -> list[str]:
    """Words and punctuation marks, the way speech-to-text services list them."""
    return re.findall(r"\w+|[^\w\s]", text)


def timed(items: list[str], start: float, end: float) -> list[tuple[str, float, float]]:
    step = (end - start) / len(items)
    return [
        (item, round(start + i * step, 3), round(start + (i + 1) * step, 3)) for i, item in enumerate(items)
    ]


# ------------------------------------------------------------------ fixture builders per format


def build_canonical(s: Snippet) -> tuple[str, str]:
    turns = [{"speaker": sp, "text": tx, "start": st, "end": en} for sp, tx, st, en in utterances(s)]
    return "call.json", json.dumps(
        {"id": f"{s.lang}-1", "language": s.lang, "turns": turns}, ensure_ascii=False
    )


def build_text(s: Snippet) -> tuple[str, str]:
    lines = [f"[{hms(st)[:8]}] {sp}: {tx}" for sp, tx, st, _ in utterances(s)]
    return "call.txt", "\n".join(lines) + "\n"


def build_webvtt_teams(s: Snippet) -> tuple[str, str]:
    cues = [
        f"{i}\n{hms(st)} --> {hms(en)}\n<v {sp}>{tx}</v>"
        for i, (sp, tx, st, en) in enumerate(utterances(s), 1)
    ]
    return "call.vtt", "WEBVTT\n\nNOTE created by Teams\n\n" + "\n\n".join(cues) + "\n"


def build_webvtt_zoom(s: Snippet) -> tuple[str, str]:
    cues = [f"{hms(st)[3:]} --> {hms(en)[3:]}\n{sp}: <i>{tx}</i>" for sp, tx, st, en in utterances(s)]
    return "call.vtt", "WEBVTT\n\n" + "\n\n".join(cues) + "\n"


def build_srt(s: Snippet) -> tuple[str, str]:
    cues = [
        f"{i}\n{hms(st, ',')} --> {hms(en, ',')}\n{sp}: {tx}"
        for i, (sp, tx, st, en) in enumerate(utterances(s), 1)
    ]
    return "call.srt", "\n\n".join(cues) + "\n"


def build_csv(s: Snippet) -> tuple[str, str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Speaker", "Start_Time", "End_Time", "Utterance"])
    for sp, tx, st, en in utterances(s):
        writer.writerow([sp, hms(st), en, tx])
    return "call.csv", out.getvalue()


def build_tsv(s: Snippet) -> tuple[str, str]:
    rows = ["participant\tbegin\tstop\ttranscript"]
    rows += [f"{sp}\t{st}\t{hms(en)}\t{tx}" for sp, tx, st, en in utterances(s)]
    return "call.tsv", "\n".join(rows) + "\n"


def build_whisper(s: Snippet) -> tuple[str, str]:
    segments = [
        {"id": i, "start": st, "end": en, "text": f" {tx}", "speaker": f"SPEAKER_0{int(sp == s.client)}"}
        for i, (sp, tx, st, en) in enumerate(utterances(s))
    ]
    data = {"text": " ".join(u[1] for u in utterances(s)), "segments": segments, "language": s.lang}
    return "whisper.json", json.dumps(data, ensure_ascii=False)


def _aws_items(s: Snippet) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    items: list[dict[str, Any]] = []
    label_segments: list[dict[str, Any]] = []
    for sp, tx, st, en in utterances(s):
        label = f"spk_{int(sp == s.client)}"
        words = [t for t in tokens(tx) if re.match(r"\w", t)]
        times = iter(timed(words, st, en))
        seg_items = []
        for token in tokens(tx):
            if not re.match(r"\w", token):
                items.append(
                    {"type": "punctuation", "alternatives": [{"confidence": "0.0", "content": token}]}
                )
                continue
            word, ws, we = next(times)
            item = {"start_time": str(ws), "end_time": str(we), "speaker_label": label}
            seg_items.append(item)
            items.append({**{k: v for k, v in item.items() if k != "speaker_label"}, "type": "pronunciation",
                          "alternatives": [{"confidence": "0.99", "content": word}]})  # fmt: skip
        label_segments.append(
            {"start_time": str(st), "end_time": str(en), "speaker_label": label, "items": seg_items}
        )
    return items, label_segments


def build_aws(s: Snippet) -> tuple[str, str]:
    items, label_segments = _aws_items(s)
    results = {
        "transcripts": [{"transcript": " ".join(u[1] for u in utterances(s))}],
        "speaker_labels": {"speakers": 2, "segments": label_segments},
        "items": items,
    }
    data = {"jobName": f"job-{s.lang}", "accountId": "1", "status": "COMPLETED", "results": results}
    return "aws.json", json.dumps(data, ensure_ascii=False)


def build_aws_audio_segments(s: Snippet) -> tuple[str, str]:
    segments = [
        {"id": i, "transcript": tx, "start_time": str(st), "end_time": str(en),
         "speaker_label": f"spk_{int(sp == s.client)}", "items": []}
        for i, (sp, tx, st, en) in enumerate(utterances(s))
    ]  # fmt: skip
    results = {
        "transcripts": [{"transcript": ""}],
        "items": [],
        "audio_segments": segments,
        "language_code": "x",
    }
    data = {"jobName": f"job-{s.lang}", "status": "COMPLETED", "results": results}
    return "aws.json", json.dumps(data, ensure_ascii=False)


def _deepgram_words(s: Snippet) -> list[dict[str, Any]]:
    words = []
    for sp, tx, st, en in utterances(s):
        pieces = re.findall(r"\S+", tx) if s.lang != "zh" else re.findall(r"\w+[^\w\s]*", tx)
        for piece, ws, we in timed(pieces, st, en):
            bare = re.sub(r"[^\w]", "", piece).lower()
            words.append({"word": bare, "punctuated_word": piece, "start": ws, "end": we,
                          "speaker": int(sp == s.client)})  # fmt: skip
    return words


def build_deepgram(s: Snippet) -> tuple[str, str]:
    alternative = {"transcript": "", "words": _deepgram_words(s)}
    channel = {"alternatives": [alternative], "detected_language": s.lang}
    data = {"metadata": {"request_id": f"req-{s.lang}"}, "results": {"channels": [channel]}}
    return "deepgram.json", json.dumps(data, ensure_ascii=False)


def build_deepgram_utterances(s: Snippet) -> tuple[str, str]:
    utterances_ = [
        {"start": st, "end": en, "transcript": tx, "speaker": int(sp == s.client), "channel": 0}
        for sp, tx, st, en in utterances(s)
    ]
    channel = {"alternatives": [{"transcript": "", "words": []}], "detected_language": s.lang}
    data = {
        "metadata": {"request_id": f"req-{s.lang}"},
        "results": {"channels": [channel], "utterances": utterances_},
    }
    return "deepgram.json", json.dumps(data, ensure_ascii=False)


def build_assemblyai(s: Snippet) -> tuple[str, str]:
    utterances_ = [
        {"speaker": "AB"[int(sp == s.client)], "start": int(st * 1000), "end": int(en * 1000), "text": tx}
        for sp, tx, st, en in utterances(s)
    ]
    data = {"id": f"aai-{s.lang}", "status": "completed", "text": "", "utterances": utterances_,
            "language_code": s.lang}  # fmt: skip
    return "aai.json", json.dumps(data, ensure_ascii=False)


# builder → (format, expected id, agent label, client label); None label = the snippet's names.
BUILDERS = {
    build_canonical: ("canonical", "{lang}-1", None, None),
    build_text: ("text", "call", None, None),
    build_webvtt_teams: ("webvtt", "call", None, None),
    build_webvtt_zoom: ("webvtt", "call", None, None),
    build_srt: ("srt", "call", None, None),
    build_csv: ("csv", "call", None, None),
    build_tsv: ("csv", "call", None, None),
    build_whisper: ("whisper", "whisper", "SPEAKER_00", "SPEAKER_01"),
    build_aws: ("aws", "job-{lang}", "spk_0", "spk_1"),
    build_aws_audio_segments: ("aws", "job-{lang}", "spk_0", "spk_1"),
    build_deepgram: ("deepgram", "req-{lang}", "Speaker 0", "Speaker 1"),
    build_deepgram_utterances: ("deepgram", "req-{lang}", "Speaker 0", "Speaker 1"),
    build_assemblyai: ("assemblyai", "aai-{lang}", "A", "B"),
}
HAS_TIMES = {b for b in BUILDERS if b is not build_text}


def read_one(name: str, content: str | bytes, options: ReadOptions | None = None) -> Conversation:
    data = content.encode("utf-8") if isinstance(content, str) else content
    conversations = read_bytes(data, name, options)
    assert len(conversations) == 1
    return conversations[0]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("builder", list(BUILDERS), ids=lambda b: b.__name__.removeprefix("build_"))
def test_each_format_each_language(builder: Any, lang: str) -> None:
    s = SNIPPETS[lang]
    name, content = builder(s)
    fmt, conv_id, agent, client = BUILDERS[builder]
    conversation = read_one(name, content)
    assert conversation.source_format == fmt
    assert conversation.source == name
    assert conversation.id == conv_id.format(lang=lang)
    merged = fmt != "canonical"  # canonical turns are never merged (gold labels index them)
    turns = conversation.turns
    if not merged:
        assert [t.text for t in turns] == [s.a1, s.a2, s.c1]
        return
    assert [t.speaker for t in turns] == [agent or s.agent, client or s.client]
    if builder is build_deepgram:  # words only: the two agent utterances are not told apart
        joined = s.a1 + ("" if lang == "zh" else " ") + s.a2  # no space between CJK words
        assert [t.text for t in turns] == [joined, s.c1]
        assert turns[0].segments == turns[1].segments == []
        return
    assert [t.text for t in turns] == [f"{s.a1} {s.a2}", s.c1]
    assert turns[1].segments == []
    assert [(seg.text_start, seg.text_end) for seg in turns[0].segments] == [
        (0, len(s.a1)),
        (len(s.a1) + 1, len(s.a1) + 1 + len(s.a2)),
    ]
    if builder in HAS_TIMES:
        assert (turns[0].start, turns[0].end, turns[1].start, turns[1].end) == pytest.approx(
            (0, 4.0, 4.5, 6.25)
        )
        assert [t for g in turns[0].segments for t in (g.start, g.end)] == pytest.approx([0, 2.0, 2.5, 4.0])
    else:
        assert (turns[0].start, turns[1].start) == (0.0, 4.0)


@pytest.mark.parametrize(
    "builder", [b for b in BUILDERS if b is not build_canonical], ids=lambda b: b.__name__
)
def test_merge_turns_off_keeps_every_segment(builder: Any) -> None:
    s = SNIPPETS["en"]
    name, content = builder(s)
    conversation = read_one(name, content, ReadOptions(merge_turns=False))
    expected = [f"{s.a1} {s.a2}", s.c1] if builder is build_deepgram else [s.a1, s.a2, s.c1]
    assert [t.text for t in conversation.turns] == expected
    assert all(t.segments == [] for t in conversation.turns)


def test_language_and_channel_options() -> None:
    name, content = build_whisper(SNIPPETS["ru"])
    conversation = read_one(name, content, ReadOptions(channel="call"))
    assert (conversation.language, conversation.channel) == ("ru", "call")
    canonical = json.dumps({"id": "x", "channel": "chat", "turns": []})
    assert read_one("x.json", canonical, ReadOptions(channel="call")).channel == "chat"


def test_whisper_language_names_and_word_speakers() -> None:
    words = [{"word": "Hi", "start": 0, "end": 1, "speaker": "SPEAKER_01"}]
    data = {"language": "english", "segments": [{"start": 0, "end": 1, "text": " Hi", "words": words}]}
    conversation = read_one("w.json", json.dumps(data))
    assert conversation.language == "en"
    assert conversation.turns[0].speaker == "SPEAKER_01"


# ------------------------------------------------------------------ canonical and JSON Lines


def test_canonical_list_and_missing_ids() -> None:
    items = [{"turns": [{"text": "a"}]}, {"id": "named", "turns": []}]
    conversations = read_bytes(json.dumps(items).encode(), "batch.json")
    assert [c.id for c in conversations] == ["batch#1", "named"]
    single = read_one("solo.json", json.dumps({"turns": [{"text": "a"}]}))
    assert single.id == "solo"


def test_gold_jsonl_keeps_labels_and_pii() -> None:
    gold = {
        "id": "g1", "channel": "call", "language": "ru",
        "turns": [{"speaker": "Анна", "role": "agent", "text": "Меня зовут Анна.", "labels": ["pressure"],
                   "pii": [{"start": 11, "end": 15, "type": "PERSON"}]}],
        "disclaimers": {"required": ["recording_notice"], "present": [], "missing": ["recording_notice"]},
    }  # fmt: skip
    lines = (
        json.dumps(gold, ensure_ascii=False) + "\n\n" + json.dumps({**gold, "id": "g2"}, ensure_ascii=False)
    )
    conversations = read_bytes(lines.encode(), "gold.jsonl")
    assert [c.id for c in conversations] == ["g1", "g2"]
    turn = conversations[0].turns[0]
    assert turn.extra == {"labels": ["pressure"], "pii": [{"start": 11, "end": 15, "type": "PERSON"}]}
    assert conversations[0].source_format == "jsonl"


def test_jsonl_bad_line_names_line_after_yielding_earlier(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    good = json.dumps({"id": "a", "turns": []})
    path.write_text(f'{good}\n{good}\n{{"id": "c", "tur\n', encoding="utf-8")
    seen: list[str] = []
    with pytest.raises(ReadError, match=r"line 3: not valid JSON") as info:
        for conversation in read_path(path):
            seen.append(conversation.id)
    assert seen == ["a", "a"]
    assert info.value.source == str(path)


def test_jsonl_is_streamed_without_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import analyzer.readers.api as api

    monkeypatch.setattr(api, "_HEAD", 64)
    path = tmp_path / "big.jsonl"
    lines = [
        json.dumps({"id": f"c{i}", "turns": [{"speaker": "Лан", "text": "Dạ vâng 好的"}]}) for i in range(50)
    ]
    path.write_text("\r\n".join(lines), encoding="utf-8")
    conversations = list(read_path(path, ReadOptions(max_bytes=100)))
    assert [c.id for c in conversations] == [f"c{i}" for i in range(50)]
    assert conversations[0].turns[0].text == "Dạ vâng 好的"


def test_jsonl_streamed_utf16(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import analyzer.readers.api as api

    monkeypatch.setattr(api, "_HEAD", 64)
    path = tmp_path / "big.ndjson"
    lines = [
        json.dumps({"id": f"c{i}", "turns": [{"text": "Здравствуйте"}]}, ensure_ascii=False) for i in range(5)
    ]
    path.write_bytes("\n".join(lines).encode("utf-16"))
    assert [c.turns[0].text for c in read_path(path)] == ["Здравствуйте"] * 5


# ------------------------------------------------------------------ plain text


def test_text_layouts_and_continuations() -> None:
    content = (
        "Cuộc gọi ngày 2/5\n"
        "AGENT: Good morning.\n"
        "\n"
        "  This call is recorded.\n"
        "00:01:02 CLIENT: Hi.\n"
        "(00:05) Лан: Да.\n"
        "[00:00:07.500 - 00:00:09] 王经理：您好\n"
        "Chị Lan (VPBank): Dạ, em chào anh.\n"
    )
    conversation = read_one("t.txt", content)
    speakers = [t.speaker for t in conversation.turns]
    assert speakers == [None, "AGENT", "CLIENT", "Лан", "王经理", "Chị Lan (VPBank)"]
    assert conversation.turns[1].text == "Good morning. This call is recorded."
    assert [t.start for t in conversation.turns[2:5]] == [62.0, 5.0, 7.5]
    assert conversation.turns[4].end == 9.0
    assert conversation.turns[4].text == "您好"


def test_text_without_speaker_lines_is_an_error() -> None:
    with pytest.raises(ReadError, match="no speaker lines"):
        read_bytes(b"Just some notes.\nNothing else here, at 10:30.\n", "notes.txt")


# ------------------------------------------------------------------ WebVTT and SRT details


def test_webvtt_styling_identifiers_and_multiple_voices() -> None:
    content = (
        "WEBVTT - Teams\n\nSTYLE\n::cue { color: red }\n\n"
        "a1b2-c3\n00:00:01.000 --> 00:00:03.000 align:start\n"
        "<v.loud Lan Nguyen><b>Chào</b> <c.yellow>anh</c> &amp; chị</v>\n\n"
        "00:03.500 --> 00:05.000\n<v Minh>Vâng.</v><v Lan Nguyen>Dạ.</v>\n"
    )
    conversation = read_one("m.vtt", content)
    assert [(t.speaker, t.text) for t in conversation.turns] == [
        ("Lan Nguyen", "Chào anh & chị"),
        ("Minh", "Vâng."),
        ("Lan Nguyen", "Dạ."),
    ]
    assert conversation.turns[1].start == 3.5


def test_srt_brackets_dashes_and_no_speaker() -> None:
    content = (
        "1\n00:00:01,000 --> 00:00:02,000\n[Анна] Добрый день.\n\n"
        "2\n00:00:02,500 --> 00:00:04,000\n- Как дела?\n- <i>Хорошо.</i>\n\n"
        "3\n00:00:04,000 --> 00:00:05,000\nПросто текст\nна двух строках.\n"
    )
    conversation = read_one("s.srt", content)
    assert [(t.speaker, t.text) for t in conversation.turns] == [
        ("Анна", "Добрый день."),
        (None, "Как дела?"),
        (None, "Хорошо."),
        (None, "Просто текст на двух строках."),
    ]


# ------------------------------------------------------------------ CSV / TSV


def test_csv_conversation_column_roles_and_seconds() -> None:
    content = (
        "call_id;Role;Speaker;start;end;Text\n"
        "c1;agent;Lan;0;1.5;Chào anh.\n"
        "c2;customer;Tom;0,5;2;Hello.\n"
        "c1;client;Minh;2;3;Vâng.\n"
        'c1;client;Minh;3;4;"Dạ; em nghe."\n'
    )
    conversations = read_bytes(content.encode(), "calls.csv")
    assert [c.id for c in conversations] == ["c1", "c2"]
    c1 = conversations[0]
    assert [(t.role, t.text) for t in c1.turns] == [("agent", "Chào anh."), ("client", "Vâng. Dạ; em nghe.")]
    assert conversations[1].turns[0].role == "client"
    assert conversations[1].turns[0].start == 0.5


def test_csv_custom_columns_and_missing_text_column() -> None:
    content = "who said,what,when\nLan,Chào anh.,00:00:01\n"
    with pytest.raises(
        ReadError, match="CSV has no text column; found columns: who said, what, when; use --columns"
    ):
        read_bytes(content.encode(), "odd.csv")
    options = ReadOptions(columns={"text": "What", "speaker": "who said", "start": "WHEN"})
    conversation = read_one("odd.csv", content, options)
    assert (conversation.turns[0].speaker, conversation.turns[0].text, conversation.turns[0].start) == (
        "Lan",
        "Chào anh.",
        1.0,
    )
    with pytest.raises(ReadError, match="column 'nope' \\(for text\\) not found"):
        read_bytes(content.encode(), "odd.csv", ReadOptions(columns={"text": "nope"}))


def test_csv_bad_time_is_reported_by_row() -> None:
    with pytest.raises(ReadError, match="row 3: cannot read start time"):
        read_bytes(b"speaker,start,text\nA,1,hi\nB,soon,hello\n", "t.csv")


# ------------------------------------------------------------------ AWS / Deepgram / AssemblyAI details


def test_aws_without_speakers_splits_sentences() -> None:
    items = [
        {
            "type": "pronunciation",
            "start_time": "0.0",
            "end_time": "0.4",
            "alternatives": [{"content": "Hello"}],
        },
        {"type": "punctuation", "alternatives": [{"content": "."}]},
        {
            "type": "pronunciation",
            "start_time": "0.5",
            "end_time": "0.9",
            "alternatives": [{"content": "Bye"}],
        },
    ]
    data = {"jobName": "j", "results": {"transcripts": [{"transcript": "Hello. Bye"}], "items": items}}
    conversation = read_one("a.json", json.dumps(data))
    assert [(t.speaker, t.text, t.start) for t in conversation.turns] == [
        (None, "Hello.", 0.0),
        (None, "Bye", 0.5),
    ]


def test_deepgram_stereo_channels_without_diarisation() -> None:
    def channel(words: list[tuple[str, float]]) -> dict[str, Any]:
        return {"alternatives": [{"words": [{"word": w, "start": t, "end": t + 0.4} for w, t in words]}]}

    agent = channel([("Здравствуйте.", 0.0), ("Слушаю", 2.0), ("вас.", 2.5)])
    client = channel([("Добрый", 1.0), ("день.", 1.4)])
    data = {"metadata": {"request_id": "r"}, "results": {"channels": [agent, client]}}
    conversation = read_one("d.json", json.dumps(data, ensure_ascii=False))
    assert [(t.speaker, t.text) for t in conversation.turns] == [
        ("Channel 0", "Здравствуйте."),
        ("Channel 1", "Добрый день."),
        ("Channel 0", "Слушаю вас."),
    ]


def test_assemblyai_words_without_utterances() -> None:
    words = [{"text": "您好", "start": 0, "end": 500}, {"text": "。", "start": 500, "end": 600}]
    data = {"id": "t1", "status": "completed", "utterances": None, "words": words, "audio_duration": 1}
    conversation = read_one("a.json", json.dumps(data, ensure_ascii=False))
    assert [(t.text, t.start, t.end) for t in conversation.turns] == [("您好。", 0.0, 0.6)]


# ------------------------------------------------------------------ detection


@pytest.mark.parametrize(
    ("builder", "name", "expected"),
    [
        (build_webvtt_teams, "meeting.txt", "webvtt"),
        (build_srt, "subs.txt", "srt"),
        (build_whisper, "out.json", "whisper"),
        (build_aws, "x.txt", "aws"),
        (build_deepgram, "x.json", "deepgram"),
        (build_assemblyai, "x.json", "assemblyai"),
        (build_canonical, "x.data", "canonical"),
        (build_csv, "x.txt", "csv"),
        (build_tsv, "x", "csv"),
        (build_text, "x.csv", "text"),
    ],
)
def test_content_beats_extension(builder: Any, name: str, expected: str) -> None:
    _, content = builder(SNIPPETS["en"])
    assert detect_format(content, name) == expected
    assert detect_format(content.encode("utf-16"), name) == expected
    assert read_one(name, content).source_format == expected


def test_forced_format_and_unknown_format() -> None:
    _, content = build_text(SNIPPETS["en"])
    with pytest.raises(ReadError, match="unknown format 'docx'; known formats: webvtt, srt"):
        read_bytes(content.encode(), "x.txt", ReadOptions(format="docx"))
    with pytest.raises(ReadError, match="not a WebVTT file"):
        read_bytes(content.encode(), "x.txt", ReadOptions(format="vtt"))
    assert read_one("x.log", content, ReadOptions(format="TXT")).source_format == "text"


def test_registry_readers_follow_the_protocol() -> None:
    from analyzer.readers import Reader

    assert set(READERS) == {
        "webvtt", "srt", "canonical", "whisper", "aws", "deepgram", "assemblyai", "jsonl", "csv", "text",
    }  # fmt: skip
    assert all(isinstance(reader, Reader) and reader.name == name for name, reader in READERS.items())


def test_read_path_sets_source_and_stem_id(tmp_path: Path) -> None:
    _, content = build_webvtt_zoom(SNIPPETS["vi"])
    path = tmp_path / "meeting-07.vtt"
    path.write_text(content.replace("\n", "\r\n"), encoding="utf-8")
    (conversation,) = list(read_path(path))
    assert (conversation.id, conversation.source, conversation.source_format) == (
        "meeting-07",
        str(path),
        "webvtt",
    )
    assert conversation.turns[0].text == f"{SNIPPETS['vi'].a1} {SNIPPETS['vi'].a2}"


def test_fixture_files_read(tmp_path: Path) -> None:
    conversation = read_one("x", (FIXTURES / "ru_call_koi8r.txt").read_bytes())
    assert [t.speaker for t in conversation.turns] == ["Оператор", "Клиент", "Оператор"]
    assert conversation.turns[2].text.startswith("Спасибо")
