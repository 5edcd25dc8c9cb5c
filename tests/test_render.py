"""HTML pages and coaching tips, without a browser: content, masking, links, CLI."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import escape

from analyzer.cli import main
from analyzer.coaching import COACHING_CATEGORIES, MIN_PHRASINGS, load_tips, normalize_language, tip_for
from analyzer.model import LANGUAGES
from analyzer.render import collect_reports, page_name, render_conversation
from analyzer.render.markup import mask_text, pii_spans_for_turn, turn_html
from tests.report_factory import SPECS, make_report, write_reports

SCRIPTS = {
    "vi": re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE),
    "ru": re.compile(r"[а-яё]", re.IGNORECASE),
    "zh": re.compile(r"[\u4e00-\u9fff]"),
    "en": re.compile(r"^[\x20-\x7e—’]+$"),
}


@pytest.fixture(scope="module")
def reports() -> dict[str, dict]:
    return {language: make_report(language) for language in SPECS}


# --------------------------------------------------------------------------- coaching


@pytest.mark.parametrize("language", LANGUAGES)
def test_coaching_file_covers_every_category_in_its_language(language: str) -> None:
    tips = load_tips(language)
    assert set(tips) == set(COACHING_CATEGORIES)
    for tip in tips.values():
        assert tip.language == language and tip.label and tip.advice
        assert len(set(tip.say_instead)) == len(tip.say_instead) >= MIN_PHRASINGS
        for phrase in tip.say_instead:
            assert SCRIPTS[language].search(phrase), f"{language}/{tip.category}: {phrase!r} is not in {language}"
            assert unicodedata.is_normalized("NFC", phrase)


def test_tip_lookup_falls_back_to_english() -> None:
    assert normalize_language("zh-Hant") == "zh"
    assert normalize_language("RU_ru") == "ru"
    assert normalize_language(None) == normalize_language("fr") == "en"
    assert tip_for("pressure", "ja").language == "en"
    assert tip_for("no_such_category", "vi") is None


# --------------------------------------------------------------------------- markup


class _MarkTexts(HTMLParser):
    """Text under each `data-finding` id, joined over its parts (what a reader sees highlighted)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.texts: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("mark", "span"):
            self.stack.append(dict(attrs).get("data-finding") if tag == "mark" else None)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("mark", "span") and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for finding in {f for f in self.stack if f is not None}:
            self.texts[finding] = self.texts.get(finding, "") + data


def mark_texts(html: str) -> dict[str, str]:
    parser = _MarkTexts()
    parser.feed(html)
    return parser.texts


def test_crossing_findings_split_into_parts_that_rebuild_the_span() -> None:
    text = "Honestly, someone as smart as you shouldn't wait. Only elite clients get this rate, and it ends Friday."
    first, second = (text.index("someone"), text.index(" get this")), (text.index("shouldn't"), len(text))
    findings = [(0, {"category": "flattery", "start": first[0], "end": first[1], "confidence": 0.9}),
                (1, {"category": "pressure", "start": second[0], "end": second[1], "confidence": 0.8})]
    html = str(turn_html(text, findings, [], show_pii=True))
    assert html.count('data-finding="1"') == 2, "the crossing span is split in two parts"
    assert mark_texts(html) == {"0": text[first[0]:first[1]], "1": text[second[0]:second[1]]}


def test_finding_boundary_inside_masked_pii_never_leaks_digits() -> None:
    text = "Call 0912 345 678 now."
    pii = pii_spans_for_turn([{"turn": 0, "start": 5, "end": 17, "type": "PHONE"}], 0, len(text))
    html = str(turn_html(text, [(0, {"category": "pressure", "start": 10, "end": 22})], pii, show_pii=False))
    assert "345" not in html and "678" not in html and "[PHONE]" in html
    assert mask_text(text[10:22], pii, 10) == "[PHONE] now."


# --------------------------------------------------------------------------- pages


@pytest.mark.parametrize("language", list(SPECS))
def test_page_masks_every_pii_value_and_client_name(reports: dict, language: str) -> None:
    report = reports[language]
    html = render_conversation(report)
    for span in report["pii"]:
        assert span["text"] not in html, f"{span['type']} leaked"
        assert f"[{span['type']}]" in html
    client = next(t["speaker"] for t in report["turns"] if t["role"] == "client")
    assert client not in html
    shown = render_conversation(report, show_pii=True)
    assert all(span["text"] in shown for span in report["pii"]) and client in shown


@pytest.mark.parametrize("language", list(SPECS))
def test_page_has_summary_checklist_tips_in_turn_language_and_no_network(reports: dict, language: str) -> None:
    report = reports[language]
    html = render_conversation(report)
    assert f'class="score-value">{report["risk_score"]}<' in html
    for d in report["disclaimers"]:
        assert f'id="disclaimer-{d["id"]}"' in html
    for turn in {f["turn"] for f in report["findings"]}:
        assert f'id="turn-{turn}"' in html
    for category in {f["category"] for f in report["findings"]}:
        assert str(escape(tip_for(category, language).say_instead[0])) in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "pages must not load anything from the network"
    assert "@media print" in html and "<script>" in html


def test_checklist_statuses(reports: dict) -> None:
    html = render_conversation(reports["vi"])
    row = re.search(r'<tr id="disclaimer-(\w+)" class="status-(\w+)"', html)
    statuses = dict(re.findall(r'<tr id="disclaimer-(\w+)" class="status-(\w+)"', html))
    assert row and statuses == {"recording_notice": "said", "general_information": "not_required",
                                "risk_warning": "missing", "commission_disclosure": "late"}
    assert str(escape(tip_for("risk_warning", "vi").say_instead[0])) in html


def test_page_is_deterministic(reports: dict) -> None:
    assert render_conversation(reports["ru"]) == render_conversation(reports["ru"])


# --------------------------------------------------------------------------- CLI


def test_cli_renders_files_and_folders_once_each(tmp_path: Path) -> None:
    paths = write_reports(tmp_path / "reports", [make_report(lang) for lang in SPECS])
    result = CliRunner().invoke(main, ["render", str(paths[0]), str(tmp_path / "reports"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    pages = sorted(p.name for p in (tmp_path / "out").glob("*.html"))
    assert pages == sorted(page_name({"conversation_id": f"{lang}-demo"}) for lang in SPECS)
    assert len(list(collect_reports([paths[0], tmp_path / "reports"]))) == len(SPECS)


def test_cli_rejects_a_file_that_is_not_a_report(tmp_path: Path) -> None:
    bogus = tmp_path / "x.json"
    bogus.write_text('{"id": "c1", "turns": []}', encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(bogus), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "not an analyzer report" in result.output


def test_cli_pdf_without_chromium_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANALYZER_CHROMIUM", str(tmp_path / "no-such-chromium"))
    path = write_reports(tmp_path / "reports", [make_report("en")])[0]
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "out"), "--pdf"])
    assert result.exit_code == 1 and "needs headless Chromium" in result.output
    assert not (tmp_path / "out").exists()
