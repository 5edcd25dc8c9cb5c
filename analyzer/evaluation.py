"""Scoring reports against a gold set, exactly as formats.md defines it.

The rules, and the edge cases of precision/recall with empty counts, are
those of the reference scorer `shared/tools/score_reports.py`; a test runs
both on the same reports and requires identical figures. Language accuracy
(not part of the reference) is computed beside it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyzer.annotators.language import word_count

TURN_CATEGORIES = ["flattery", "pressure", "rebate_request", "rebate_offer", "pii_disclosure"]
DISCLAIMERS = ["recording_notice", "general_information", "risk_warning", "commission_disclosure"]

Key = tuple[str, str, str]  # (area, name, language)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: bool | int = 0, fp: bool | int = 0, fn: bool | int = 0) -> None:
        self.tp += int(tp)
        self.fp += int(fp)
        self.fn += int(fn)

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def read_gold(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def score(gold: Iterable[Mapping[str, Any]], reports: Mapping[str, Mapping[str, Any]]) -> dict[Key, Counts]:
    table: dict[Key, Counts] = defaultdict(Counts)
    for conv in gold:
        lang = conv.get("language", "?")
        report = reports.get(str(conv["id"]), {})
        _score_categories(table, conv, report, lang)
        _score_pii(table, conv, report, lang)
        _score_disclaimers(table, conv, report, lang)
    return table


def _add(table: dict[Key, Counts], area: str, name: str, lang: str, **counts: bool | int) -> None:
    for language in (lang, "all"):
        table[(area, name, language)].add(**counts)


def _score_categories(table: dict[Key, Counts], conv: Mapping[str, Any], report: Mapping[str, Any], lang: str) -> None:
    predicted = {(f.get("turn"), f.get("category")) for f in report.get("findings", []) or []}
    for i, turn in enumerate(conv["turns"]):
        gold_labels = set(turn.get("labels", []))
        for cat in TURN_CATEGORIES:
            g, p = cat in gold_labels, (i, cat) in predicted
            _add(table, "category", cat, lang, tp=g and p, fp=p and not g, fn=g and not p)


def _overlaps(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _score_pii(table: dict[Key, Counts], conv: Mapping[str, Any], report: Mapping[str, Any], lang: str) -> None:
    predicted: dict[Any, list[Mapping[str, Any]]] = defaultdict(list)
    for span in report.get("pii", []) or []:
        predicted[span.get("turn")].append(span)
    for i, turn in enumerate(conv["turns"]):
        gold_spans = turn.get("pii", [])
        preds = predicted.get(i, [])
        for g in gold_spans:
            hit = any(p.get("type") == g["type"] and _overlaps(p, g) for p in preds)
            _add(table, "pii", g["type"], lang, tp=hit, fn=not hit)
            _add(table, "pii", "ALL", lang, tp=hit, fn=not hit)
        for p in preds:
            if not any(p.get("type") == g["type"] and _overlaps(p, g) for g in gold_spans):
                _add(table, "pii", str(p.get("type")), lang, fp=1)
                _add(table, "pii", "ALL", lang, fp=1)


def _score_disclaimers(table: dict[Key, Counts], conv: Mapping[str, Any], report: Mapping[str, Any],
                       lang: str) -> None:
    gold_missing = set(conv.get("disclaimers", {}).get("missing", []))
    pred_missing = {d.get("id") for d in report.get("disclaimers", []) or []
                    if d.get("required") and not d.get("present")}
    for d in DISCLAIMERS:
        g, p = d in gold_missing, d in pred_missing
        _add(table, "disclaimer", d, lang, tp=g and p, fp=p and not g, fn=g and not p)


def table_rows(table: Mapping[Key, Counts]) -> list[dict[str, Any]]:
    """The rows of the reference scorer's `--json` output, in the same order."""
    rows = []
    for area, name in sorted({(k[0], k[1]) for k in table}):
        for lang in _languages(table):
            c = table.get((area, name, lang))
            if c is None or c.tp + c.fp + c.fn == 0:
                continue
            p, r, f = c.prf()
            rows.append({"area": area, "name": name, "lang": lang, "tp": c.tp, "fp": c.fp, "fn": c.fn,
                         "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)})
    return rows


def _languages(table: Mapping[Key, Counts]) -> list[str]:
    return [*sorted({k[2] for k in table} - {"all"}), "all"]


def format_table(table: Mapping[Key, Counts]) -> str:
    """The reference scorer's text table: cells are `F1 precision/recall`."""
    langs = _languages(table)
    lines = [f"{'area':<11}{'name':<23}" + "".join(f"{lang:>16}" for lang in langs)]
    for area, name in sorted({(k[0], k[1]) for k in table}):
        cells = []
        for lang in langs:
            c = table.get((area, name, lang))
            if c is None or c.tp + c.fp + c.fn == 0:
                cells.append(f"{'-':>16}")
                continue
            p, r, f = c.prf()
            cells.append(f"{f:.2f} {p:.2f}/{r:.2f}".rjust(16))
        lines.append(f"{area:<11}{name:<23}" + "".join(cells))
    lines.append("cells: F1 precision/recall")
    return "\n".join(lines)


@dataclass
class LanguageAccuracy:
    language: str
    turns: int
    correct: int
    others: list[tuple[str, int, str | None]]  # (conversation id, turn, detected language)

    @property
    def accuracy(self) -> float:
        return self.correct / self.turns if self.turns else 1.0


def language_accuracy(gold: Iterable[Mapping[str, Any]], reports: Mapping[str, Mapping[str, Any]],
                      min_words: int = 3) -> list[LanguageAccuracy]:
    """Share of turns of `min_words`+ words labelled with their conversation's language."""
    by_lang: dict[str, LanguageAccuracy] = {}
    for conv in gold:
        lang = conv.get("language", "?")
        acc = by_lang.setdefault(lang, LanguageAccuracy(lang, 0, 0, []))
        report_turns = reports.get(str(conv["id"]), {}).get("turns", [])
        for i, turn in enumerate(conv["turns"]):
            if word_count(turn["text"]) < min_words:
                continue
            detected = report_turns[i].get("language") if i < len(report_turns) else None
            acc.turns += 1
            if detected == lang:
                acc.correct += 1
            else:
                acc.others.append((str(conv["id"]), i, detected))
    ordered = [by_lang[k] for k in sorted(by_lang)]
    total = LanguageAccuracy("all", sum(a.turns for a in ordered), sum(a.correct for a in ordered),
                             [o for a in ordered for o in a.others])
    return [*ordered, total]
