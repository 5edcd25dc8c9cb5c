"""Pages as a browser shows them: highlights on the reported sentences, live checklist links, PDF, screenshots.

Uses the Debian Chromium through Playwright (Playwright's own browser
download is not available here). Skips when Chromium or Playwright is
missing on a developer machine; fails under CI=true, where they must be
installed (scripts/install-system-deps.sh). Screenshots for docs/ are
refreshed with UPDATE_SCREENSHOTS=1 (or when missing), so a plain test run
leaves the tree unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from analyzer.render import find_chromium, html_to_pdf, render_conversation
from analyzer.render.markup import mask_text, pii_spans_for_turn
from analyzer.render.pdf import OFFLINE_FLAGS
from tests.report_factory import SPECS, make_report

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "docs" / "screenshots"
FLAGS = list(OFFLINE_FLAGS)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must have it (run scripts/install-system-deps.sh)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if not path:
        _unavailable("headless Chromium not installed")
    return str(path)


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def pages_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    for language in SPECS:
        report = report_of(language)
        (folder / f"{language}.html").write_text(render_conversation(report), encoding="utf-8")
        (folder / f"{language}-pii.html").write_text(render_conversation(report, show_pii=True), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def tab(browser: Any) -> Iterator[Any]:
    """One tab reused by every test (opening tabs is what costs time); records every URL requested."""
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    yield page
    page.close()


def _open(tab: Any, path: Path) -> Any:
    tab.requested.clear()
    tab.goto(path.as_uri())
    return tab


@cache
def report_of(language: str) -> dict[str, Any]:
    return make_report(language)


def _highlighted(page: Any) -> dict[str, str]:
    """Text a reader sees highlighted per finding id (parts of a split finding joined in order)."""
    return page.evaluate("""() => {
        const out = {};
        for (const mark of document.querySelectorAll('mark.finding')) {
            const id = mark.dataset.finding;
            out[id] = (out[id] || '') + mark.textContent;
        }
        return out;
    }""")


@pytest.mark.parametrize("language", list(SPECS))
def test_highlights_sit_on_the_reported_sentences(tab: Any, pages_dir: Path, language: str) -> None:
    report = report_of(language)
    turns = report["turns"]
    shown = _highlighted(_open(tab, pages_dir / f"{language}-pii.html"))
    masked = _highlighted(_open(tab, pages_dir / f"{language}.html"))
    assert len(shown) == len(report["findings"])
    for index, finding in enumerate(report["findings"]):
        text = turns[finding["turn"]]["text"]
        assert shown[str(index)] == text[finding["start"]:finding["end"]]
        spans = pii_spans_for_turn(report["pii"], finding["turn"], len(text))
        assert masked[str(index)] == mask_text(text[finding["start"]:finding["end"]], spans, finding["start"])


@pytest.mark.parametrize("language", list(SPECS))
def test_every_internal_link_points_at_an_existing_anchor(tab: Any, pages_dir: Path, language: str) -> None:
    page = _open(tab, pages_dir / f"{language}.html")
    broken = page.evaluate("""() => [...document.querySelectorAll('a[href^="#"]')]
        .map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))""")
    assert broken == []
    checklist = page.evaluate("""() => [...document.querySelectorAll('#disclaimers a.turn-link')]
        .map(a => a.getAttribute('href'))""")
    report = report_of(language)
    expected = {f"#turn-{d[k]}" for d in report["disclaimers"] for k in ("turn", "trigger_turn") if d[k] is not None}
    assert set(checklist) == expected
    assert all(url.startswith("file://") for url in page.requested), "the page fetched something over the network"


@pytest.mark.parametrize("language", list(SPECS))
def test_screenshot_per_language(tab: Any, pages_dir: Path, language: str, tmp_path: Path) -> None:
    page = _open(tab, pages_dir / f"{language}.html")
    fonts_ok = page.evaluate("() => document.fonts.check('16px \"Noto Sans CJK SC\"') && document.fonts.status")
    assert fonts_ok
    target = SCREENSHOTS / f"render_{language}.png"
    if os.environ.get("UPDATE_SCREENSHOTS") == "1" or not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
    else:
        target = tmp_path / target.name
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000


def test_only_flagged_toggle_hides_unflagged_turns(tab: Any, pages_dir: Path) -> None:
    page = _open(tab, pages_dir / "en.html")
    page.check("#only-flagged")
    visible = page.evaluate("() => [...document.querySelectorAll('article.turn')].filter(t => t.offsetParent)"
                            ".map(t => Number(t.dataset.turn))")
    assert visible == sorted({f["turn"] for f in report_of("en")["findings"]})


def test_pdf_is_printed(chromium: str, pages_dir: Path, tmp_path: Path) -> None:
    pdf = html_to_pdf(pages_dir / "zh.html", tmp_path / "zh.pdf", chromium)
    assert pdf.read_bytes().startswith(b"%PDF")
