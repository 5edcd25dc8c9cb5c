"""Redaction: every PII span replaced by `[TYPE]`, in transcripts and in reports.

Transcripts keep their own format: each span's text is located in the source file in reading
order (a cursor moves forward, so an earlier, equal string elsewhere is not touched) and only
those characters change; everything else stays byte-identical. The result is read back with
the same reader and checked: same number of turns and no span text left where it was. When
the check fails (markup inside a name, a name cut by a cue boundary), or for the JSON exports
of speech-to-text services, the canonical JSON of the redacted conversation is written instead.

Reports (`redact_report`) get their turn, finding and span texts masked; offsets are mapped
into the redacted texts and the report says so under `"redaction"`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyzer.model import Conversation, PiiSpan

IN_PLACE_FORMATS = frozenset({"canonical", "jsonl", "text", "webvtt", "srt", "csv"})
_JSON_FORMATS = frozenset({"canonical", "jsonl"})


def placeholder(kind: str) -> str:
    return f"[{kind}]"


# --------------------------------------------------------------------------- texts


def non_overlapping(spans: Iterable[PiiSpan | dict[str, Any]]) -> list[tuple[int, int, str]]:
    """(start, end, type) sorted, overlaps merged into the first span's type."""
    items = sorted((_get(s, "start"), _get(s, "end"), _get(s, "type")) for s in spans)
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in items:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, kind))
    return merged


def _get(span: PiiSpan | dict[str, Any], key: str) -> Any:
    return span[key] if isinstance(span, dict) else getattr(span, key)


@dataclass(frozen=True)
class OffsetMap:
    """Maps offsets of an original text into its redacted text."""

    spans: tuple[tuple[int, int, int, int], ...]  # (orig_start, orig_end, new_start, new_end)

    def __call__(self, offset: int, *, end: bool = False) -> int:
        shift = 0
        for orig_start, orig_end, new_start, new_end in self.spans:
            if offset < orig_start or (end and offset == orig_start):
                break
            if offset < orig_end or (end and offset == orig_end):
                return new_end if end else new_start
            shift = new_end - orig_end
        return offset + shift


def redact_text(text: str, spans: Iterable[PiiSpan | dict[str, Any]]) -> tuple[str, OffsetMap]:
    """The text with each span replaced by `[TYPE]`, and the offset map into it."""
    out: list[str] = []
    mapping: list[tuple[int, int, int, int]] = []
    cursor = length = 0
    for start, end, kind in non_overlapping(spans):
        out.append(text[cursor:start])
        length += start - cursor
        mark = placeholder(kind)
        mapping.append((start, end, length, length + len(mark)))
        out.append(mark)
        length += len(mark)
        cursor = end
    out.append(text[cursor:])
    return "".join(out), OffsetMap(tuple(mapping))


def redact_conversation(conversation: Conversation, spans: Sequence[PiiSpan]) -> Conversation:
    """A copy of the conversation whose turn texts are redacted."""
    redacted = copy.deepcopy(conversation)
    for index, turn in enumerate(redacted.turns):
        turn.text, _ = redact_text(turn.text, [s for s in spans if s.turn == index])
        turn.segments = []  # segment offsets pointed into the original text
    return redacted


# --------------------------------------------------------------------------- source files


@dataclass
class RedactedFile:
    text: str
    format: str  # the format written: the input's own, or "canonical"
    in_place: bool


def redact_source(source_text: str, source_format: str, conversations: Sequence[Conversation],
                  spans: Sequence[Sequence[PiiSpan]], *, in_place: bool = True) -> RedactedFile:
    """Redact one decoded input file holding `conversations` (spans per conversation)."""
    if in_place and source_format in IN_PLACE_FORMATS:
        text = _replace_in_order(source_text, conversations, spans, json_escaped=source_format in _JSON_FORMATS)
        if text is not None:
            return RedactedFile(text, source_format, True)
    redacted = [redact_conversation(c, s).to_dict() for c, s in zip(conversations, spans, strict=True)]
    if source_format == "jsonl":
        body = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in redacted)
        return RedactedFile(body, "jsonl", False)
    data: Any = redacted[0] if len(redacted) == 1 else redacted
    return RedactedFile(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "canonical", False)


def _replace_in_order(source: str, conversations: Sequence[Conversation], spans: Sequence[Sequence[PiiSpan]],
                      *, json_escaped: bool) -> str | None:
    """Replace each span's text at its next occurrence in the source; None when one is not found."""
    out: list[str] = []
    cursor = 0
    for conversation, conv_spans in zip(conversations, spans, strict=True):
        for start, end, kind in _ordered(conversation, conv_spans):
            value = conversation.turns[start[0]].text[start[1] : end]
            needle = json.dumps(value, ensure_ascii=False)[1:-1] if json_escaped else value
            found = source.find(needle, cursor)
            if found < 0 or not needle:
                return None
            out.append(source[cursor:found])
            out.append(placeholder(kind))
            cursor = found + len(needle)
    out.append(source[cursor:])
    return "".join(out)


def _ordered(conversation: Conversation, spans: Sequence[PiiSpan]) -> list[tuple[tuple[int, int], int, str]]:
    ordered = []
    for index in range(len(conversation.turns)):
        for start, end, kind in non_overlapping(s for s in spans if s.turn == index):
            ordered.append(((index, start), end, kind))
    return ordered


def check_redacted(original: Sequence[Conversation], reread: Sequence[Conversation],
                   spans: Sequence[Sequence[PiiSpan]]) -> bool:
    """Same conversations and turns, and no turn still holds one of its span texts."""
    if len(original) != len(reread):
        return False
    for before, after, conv_spans in zip(original, reread, spans, strict=True):
        if len(before.turns) != len(after.turns):
            return False
        for span in conv_spans:
            value = before.turns[span.turn].text[span.start : span.end]
            if value and value in after.turns[span.turn].text:
                return False
    return True


def output_name(source: Path, written_format: str, in_place: bool) -> str:
    """The input's own file name, or `<stem>.json` when canonical JSON replaced its format."""
    if in_place or (written_format == "jsonl" and source.suffix.lower() in (".jsonl", ".ndjson")):
        return source.name
    return f"{source.stem}.json"


# --------------------------------------------------------------------------- reports


def redact_report(report: dict[str, Any]) -> dict[str, Any]:
    """A copy of a report without raw personal data.

    Turn texts, finding texts and PII span texts are masked with `[TYPE]`; every offset
    (PII spans, findings, sentences, explanation spans) is mapped into the redacted turn
    texts, and `report["redaction"]` records that. Other free-text fields (evidence) have
    each span's text replaced wherever it occurs.
    """
    redacted = copy.deepcopy(report)
    spans = [s for s in redacted.get("pii", []) or [] if isinstance(s, dict)]
    values = sorted({(s["text"], s["type"]) for s in spans if s.get("text")}, key=lambda v: -len(v[0]))
    maps = _redact_turns(redacted, spans)
    for span in spans:
        _remap(span, maps.get(span.get("turn")))
        span["text"] = placeholder(span["type"])
    for finding in redacted.get("findings", []) or []:
        _redact_finding(finding, redacted, maps, values)
    for key in ("disclaimers", "roles"):
        redacted[key] = _mask_strings(redacted.get(key, []), values)
    redacted["redaction"] = {"placeholder": "[TYPE]", "offsets": "into the redacted turn texts"}
    return redacted


def _redact_turns(report: dict[str, Any], spans: list[dict[str, Any]]) -> dict[int, OffsetMap]:
    maps: dict[int, OffsetMap] = {}
    for index, turn in enumerate(report.get("turns", []) or []):
        text, mapping = redact_text(turn.get("text", ""), [s for s in spans if s.get("turn") == index])
        turn["text"] = text
        turn["sentences"] = [[mapping(a), mapping(b, end=True)] for a, b in turn.get("sentences", [])]
        maps[index] = mapping
    return maps


def _redact_finding(finding: dict[str, Any], report: dict[str, Any], maps: dict[int, OffsetMap],
                    values: list[tuple[str, str]]) -> None:
    mapping = maps.get(finding.get("turn"))
    _remap(finding, mapping)
    turns = report.get("turns") or []
    if mapping is not None and finding.get("turn") is not None and finding["turn"] < len(turns):
        finding["text"] = turns[finding["turn"]]["text"][finding["start"] : finding["end"]]
    else:
        finding["text"] = _mask(finding.get("text", ""), values)
    finding["evidence"] = _mask_strings(finding.get("evidence"), values)
    explanation = finding.get("explanation")
    if isinstance(explanation, dict):
        for span in explanation.get("third_party_spans", []) or []:
            _remap(span, mapping)
        finding["explanation"] = _mask_strings(explanation, values)


def _remap(item: dict[str, Any], mapping: OffsetMap | None) -> None:
    if mapping is None or "start" not in item or "end" not in item:
        return
    item["start"], item["end"] = mapping(item["start"]), mapping(item["end"], end=True)


def _mask(text: str, values: list[tuple[str, str]]) -> str:
    for value, kind in values:
        text = text.replace(value, placeholder(kind))
    return text


def _mask_strings(value: Any, values: list[tuple[str, str]]) -> Any:
    if isinstance(value, str):
        return _mask(value, values)
    if isinstance(value, list):
        return [_mask_strings(v, values) for v in value]
    if isinstance(value, dict):
        return {k: _mask_strings(v, values) for k, v in value.items()}
    return value
