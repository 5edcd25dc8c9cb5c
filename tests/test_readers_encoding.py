"""Readers: encodings are detected (not assumed), and bad input fails with a clear ReadError."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from analyzer.readers import ReadError, ReadOptions, decode, iter_input_files, read_bytes, read_path
from analyzer.readers.api import human_size

RU = (
    "[00:00:01] Оператор: Здравствуйте! Это банк Восток, разговор записывается.\n"
    "[00:00:05] Клиент: Добрый день. Я хотел бы узнать про кредит наличными.\n"
    "[00:00:09] Оператор: Конечно. Назовите, пожалуйста, дату рождения.\n"
)
ZH_SIMPLIFIED = (
    "[00:00:01] 王经理：您好，这里是平安银行客服中心，本次通话将被录音。\n"
    "[00:00:05] 李先生：你好，我想咨询一下理财产品的收益。\n"
    "[00:00:09] 王经理：好的，请问您的风险承受能力如何？\n"
)
ZH_TRADITIONAL = (
    "[00:00:01] 王經理：您好，這裡是平安銀行客服中心，本次通話將被錄音。\n"
    "[00:00:05] 李先生：你好，我想諮詢一下理財產品的收益。\n"
    "[00:00:09] 王經理：好的，請問您的風險承受能力如何？\n"
)
CASES = [
    *(
        (RU, enc)
        for enc in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1251", "koi8_r", "cp866")
    ),
    *((ZH_SIMPLIFIED, enc) for enc in ("utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk")),
    *((ZH_TRADITIONAL, enc) for enc in ("utf-8-sig", "utf-16", "big5", "gb18030")),
]


def _texts(data: bytes) -> list[tuple[str | None, str, float | None]]:
    (conversation,) = read_bytes(data, "call.txt")
    return [(t.speaker, t.text, t.start) for t in conversation.turns]


@pytest.mark.parametrize(("text", "encoding"), CASES, ids=[f"{t[12:15]}-{e}" for t, e in CASES])
def test_same_transcript_in_every_encoding_reads_identically(text: str, encoding: str) -> None:
    assert _texts(text.encode(encoding)) == _texts(text.encode("utf-8"))
    assert decode(text.replace("\n", "\r\n").encode(encoding), "x") == text


def test_forced_encoding() -> None:
    data = RU.encode("cp866")
    assert _texts(data) == _texts(RU.encode())
    (conversation,) = read_bytes(data, "x.txt", ReadOptions(encoding="cp866"))
    assert conversation.turns[0].speaker == "Оператор"
    with pytest.raises(ReadError, match="not valid utf-8 text at byte"):
        read_bytes(data, "x.txt", ReadOptions(encoding="utf-8"))
    with pytest.raises(ReadError, match="unknown encoding name 'klingon'"):
        read_bytes(data, "x.txt", ReadOptions(encoding="klingon"))


def test_no_unicode_normalisation() -> None:
    decomposed = "Lan: Chào anh\u0300.\n"  # a combining accent stays as it is
    (conversation,) = read_bytes(decomposed.encode(), "x.txt")
    assert conversation.turns[0].text == "Chào anh\u0300."


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "x.txt", "empty file"),
        (b" \r\n\t\n", "x.json", "empty file"),
        (b"\xef\xbb\xbf  \n", "x.txt", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.txt", r"binary file \(PNG image\), not a transcript"),
        (b"PK\x03\x04\x14\x00\x00\x00", "x.csv", r"binary file \(ZIP archive or Office document\)"),
        (b"abc\x00\x01\x02\x00\xff\xfe\x00\x00\x10", "x.txt", "binary file, not a transcript"),
        (bytes(range(128, 256)) * 4, "x.txt", "unknown text encoding"),
        (
            b'{"id": "a",\n  "turns": [\n    {"text": "x"\n  ]}',
            "x.json",
            "not valid JSON at line 4, column 3",
        ),
        (b'{"id": "a", "turns": [{"text": "x"}]', "x.jsonl", "not valid JSON at line 1, column 37"),
        (b'{"id": "a", "turns": []}\n{"id": "b", "tur', "x.jsonl", "line 2: not valid JSON at column 13"),
        (b'{"id": "a", "turns": []}\n[1, 2]\n', "x.jsonl", "line 2: a conversation must be a JSON object"),
        (b'{"hello": "world"}', "x.json", "JSON is not a known transcript format"),
        (b"[1, 2, 3]", "x.json", "conversation 1: a conversation must be a JSON object"),
        (b'{"id": "a", "turns": [{"text": 5}]}', "x.json", "conversation: turn 0: 'text' must be a string"),
        (b'{"id": "a", "channel": "fax", "turns": []}', "x.json", "unknown channel 'fax'"),
        (b'{"segments": [{"start": "soon", "end": 1, "text": "hi"}]}', "x.json", "unexpected Whisper JSON"),
        (
            b'{"jobName": "j", "results": {"items": [{"type": "x"}]}}',
            "x.json",
            "unexpected AWS Transcribe JSON",
        ),
        (b'{"results": {"channels": [{}]}}', "x.json", "unexpected Deepgram JSON structure"),
        (
            b'{"id": "t", "utterances": [{"speaker": "A"}]}',
            "x.json",
            r"AssemblyAI JSON structure \(missing field",
        ),
        (b"just prose, no labels at all\n", "x.txt", "no speaker lines found"),
        (b"just prose, no labels at all\n", "x.srt", "no subtitle cues found"),
        (b"WEBVTT\n\n00:01.000 --> 00:02.000\nLan: hi\n", "x.vtt", None),
        (b"[" * 100_000, "x.json", "nested too deeply"),
    ],
)
def test_bad_input_is_a_clear_read_error(data: bytes, name: str, reason: str | None) -> None:
    if reason is None:  # the control case: the same shape, well formed
        assert read_bytes(data, name)
        return
    with pytest.raises(ReadError, match=reason) as info:
        read_bytes(data, name)
    assert info.value.source == name
    assert str(info.value) == f"{name}: {info.value.reason}"
    assert "\n" not in str(info.value)


def test_webvtt_without_cues_is_empty_and_srt_without_header_is_explained() -> None:
    (conversation,) = read_bytes(b"WEBVTT\n\nNOTE nothing said\n", "x.vtt")
    assert conversation.turns == []
    (conversation,) = read_bytes(b"1\n00:00:01,000 --> 00:00:02,000\n", "x.srt")
    assert conversation.turns == []
    with pytest.raises(ReadError, match="no subtitle cues found"):
        read_bytes(b"hello\n", "x.srt", ReadOptions(format="srt"))


def test_over_size_limit(tmp_path: Path) -> None:
    data = ("Lan: " + "Chào anh. " * 50 + "\n").encode()
    with pytest.raises(
        ReadError, match=r"file too large \(556 bytes, limit 100 bytes; split it or use JSON Lines\)"
    ):
        read_bytes(data, "x.txt", ReadOptions(max_bytes=100))
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    with pytest.raises(ReadError, match="file too large"):
        list(read_path(path, ReadOptions(max_bytes=100)))
    jsonl = (json.dumps({"id": "a", "turns": [{"text": "x" * 200}]}) + "\n").encode()
    assert len(read_bytes(jsonl, "x.jsonl", ReadOptions(max_bytes=100))) == 1


def test_human_sizes() -> None:
    assert human_size(int(2.1 * 1024**3)) == "2.1 GB"
    assert human_size(512 * 1024**2) == "512 MB"
    assert human_size(1536) == "1.5 KB"


def test_read_error_is_one_line_and_picklable() -> None:
    error = ReadError("calls/a.txt", "not valid JSON\nat line 3")
    assert str(error) == "calls/a.txt: not valid JSON at line 3"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.source, copy.reason) == (error.source, error.reason)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="file not found"):
        list(read_path(tmp_path / "nope.txt"))
    with pytest.raises(ReadError, match="is a folder"):
        list(read_path(tmp_path))


def test_options_are_validated() -> None:
    with pytest.raises(ValueError, match="unknown channel 'fax'"):
        ReadOptions(channel="fax")
    with pytest.raises(ValueError, match="unknown column field"):
        ReadOptions(columns={"words": "x"})


# ------------------------------------------------------------------ iter_input_files


def test_iter_input_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for rel in ("b/2.txt", "b/1.vtt", "a.json", ".hidden/x.txt", "b/.secret.txt", "b/c/3.srt", "b/README.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("Lan: Chào anh.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert list(iter_input_files(["."])) == ["a.json", "b/1.vtt", "b/2.txt", "b/c/3.srt"]
    assert list(iter_input_files(["b", "-", "a.json", "b/2.txt"])) == [
        "b/1.vtt",
        "b/2.txt",
        "b/c/3.srt",
        "-",
        "a.json",
    ]
    assert list(iter_input_files(["**/*.txt"])) == ["b/2.txt"]
    assert list(iter_input_files(["b/**"])) == ["b/1.vtt", "b/2.txt", "b/README.md", "b/c/3.srt"]
    assert list(iter_input_files(["b/README.md", "b/*.md"])) == ["b/README.md"]  # named: kept
    with pytest.raises(ReadError, match=r"^nothing\*\.csv: no such file, or no files match$"):
        list(iter_input_files(["nothing*.csv"]))
