"""Redaction: files keep their format and every byte outside the masked spans; reports lose raw PII."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.cli.redact import build_pipeline, redact_file
from analyzer.readers import ReadOptions, read_path
from analyzer.redact import redact_report, redact_text

SECRET_NAME = "Sarah Miller"
SECRET_ADDRESS = "742 Evergreen Terrace"

FILES = {
    "call.txt": f"Agent: Hi, is this {SECRET_NAME}?\nClient: Yes, I live at {SECRET_ADDRESS}.\n",
    "call.vtt": ("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Agent>Hi, is this " + SECRET_NAME + "?\n\n"
                 "00:00:03.500 --> 00:00:06.000\n<v Client>Yes, I live at " + SECRET_ADDRESS + ".\n"),
    "call.srt": ("1\n00:00:01,000 --> 00:00:03,000\nAgent: Hi, is this " + SECRET_NAME + "?\n\n"
                 "2\n00:00:03,500 --> 00:00:06,000\nClient: Yes, I live at " + SECRET_ADDRESS + ".\n"),
    "call.csv": (f'speaker,role,text\nDana,agent,"Hi, is this {SECRET_NAME}?"\n'
                 f'Sam,client,"I live at {SECRET_ADDRESS}."\n'),
    "call.json": ('{"id": "c1", "turns": [{"speaker": "Dana", "role": "agent", "text": "Hi, is this '
                  + SECRET_NAME + '?"}, {"speaker": "Sam", "role": "client", "text": "I live at '
                  + SECRET_ADDRESS + '."}]}\n'),
    "calls.jsonl": ('{"id": "c1", "turns": [{"role": "agent", "text": "Hi, is this ' + SECRET_NAME + '?"}]}\n'
                    '{"id": "c2", "turns": [{"role": "client", "text": "I live at ' + SECRET_ADDRESS + '."}]}\n'),
}


@pytest.fixture(scope="module")
def pipeline():  # type: ignore[no-untyped-def]
    return build_pipeline(None)


@pytest.mark.parametrize("name", sorted(FILES))
def test_round_trip_per_format(name: str, tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "in" / name
    source.parent.mkdir()
    source.write_text(FILES[name], encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    written, kind = redact_file(source, out, pipeline, ReadOptions(merge_turns=False), set())
    assert written == name and kind == "same format"
    redacted = (out / written).read_text(encoding="utf-8")
    assert SECRET_NAME not in redacted and SECRET_ADDRESS not in redacted
    assert "[PERSON]" in redacted and "[ADDRESS]" in redacted
    expected = FILES[name].replace(SECRET_NAME, "[PERSON]").replace(SECRET_ADDRESS, "[ADDRESS]")
    assert redacted == expected  # everything else byte-identical
    before = list(read_path(source, ReadOptions(merge_turns=False)))
    after = list(read_path(out / written, ReadOptions(merge_turns=False)))
    assert [len(c.turns) for c in before] == [len(c.turns) for c in after]


def test_crlf_and_bom_are_kept(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "call.txt"
    source.write_bytes(b"\xef\xbb\xbf" + FILES["call.txt"].replace("\n", "\r\n").encode())
    out = tmp_path / "out"
    out.mkdir()
    redact_file(source, out, pipeline, ReadOptions(merge_turns=False), set())
    data = (out / "call.txt").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and SECRET_NAME.encode() not in data


def test_redact_text_maps_offsets() -> None:
    text, mapping = redact_text("call Anna Lee now", [{"start": 5, "end": 13, "type": "PERSON"}])
    assert text == "call [PERSON] now"
    assert (mapping(5), mapping(13, end=True), mapping(14)) == (5, 13, 14)


def test_redact_report_removes_raw_values() -> None:
    report = {
        "conversation_id": "c1",
        "turns": [{"text": "Anna Lee took a loan", "sentences": [[0, 20]]}],
        "pii": [{"turn": 0, "start": 0, "end": 8, "type": "PERSON", "text": "Anna Lee"}],
        "findings": [{"category": "pii_disclosure", "turn": 0, "start": 0, "end": 20, "text": "Anna Lee took a loan",
                      "evidence": "Anna Lee named", "explanation": {"third_party_spans": [{"start": 0, "end": 8}]}}],
        "disclaimers": [],
    }
    redacted = redact_report(report)
    assert "Anna Lee" not in str(redacted)
    assert redacted["turns"][0]["text"] == "[PERSON] took a loan"
    assert redacted["findings"][0]["text"] == "[PERSON] took a loan"
    assert redacted["turns"][0]["sentences"] == [[0, 20]]
    assert redacted["findings"][0]["explanation"]["third_party_spans"][0] == {"start": 0, "end": 8}
    assert report["pii"][0]["text"] == "Anna Lee"  # the input report is untouched
