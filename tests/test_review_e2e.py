"""End to end in headless Chromium: log in, filter, accept, reject, change, add a missed finding, and check
that the decisions survive a server restart. Runs against SQLite and PostgreSQL; skips locally when
Chromium or PostgreSQL is missing, fails under CI=true."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analyzer.render.pdf import OFFLINE_FLAGS
from tests.review_factory import (  # noqa: F401 - cheap_password_hashing is an autouse fixture
    PASSWORD,
    PII_VALUES,
    ReviewServer,
    add_user,
    cheap_password_hashing,
    database,
    missing,
    write_reports,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = list(OFFLINE_FLAGS)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        missing("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request, tmp_path):
    """Reports, two users and a running server on a fresh database of each kind."""
    with database(request.param, tmp_path) as url:
        reports = write_reports(tmp_path / "reports")
        add_user(url, "alice", "reviewer")
        add_user(url, "lena", "lead")
        server = ReviewServer(url, reports, tmp_path / "server.log").start()
        try:
            yield server
        finally:
            server.stop()


def log_in(page, base: str, name: str) -> None:
    page.goto(base + "/queue")
    assert "/login" in page.url
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#queue")


def status_of(page, index: int):
    return page.locator("article.item").nth(index).locator('[data-role="status"]')


def review_pressure_findings(page, base: str) -> None:
    """Filter to pressure, then accept, reject with a comment, change category and add a missed finding."""
    page.select_option("#f-category", "pressure")
    page.click("#apply")
    page.wait_for_url("**category=pressure**")
    assert set(page.locator("article.item").evaluate_all("els => els.map(e => e.dataset.category)")) == {"pressure"}
    assert page.locator("article.item").count() == 5
    page.keyboard.press("a")
    expect_text(status_of(page, 0), "accepted")
    page.locator("article.item.current .comment").fill("a scheduling remark, not pressure")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("r")
    expect_text(status_of(page, 1), "rejected")
    page.keyboard.press("c")
    page.select_option("#change-category", "flattery")
    page.click("#change-ok")
    expect_text(status_of(page, 2), "changed → flattery")
    page.keyboard.press("k")
    page.keyboard.press("m")
    page.select_option("#add-category", "rebate_offer")
    page.click("#add-ok")
    page.wait_for_selector(".toast:has-text('Added finding')")
    for value in PII_VALUES:
        assert value not in page.content()


def expect_text(locator, text: str) -> None:
    from playwright.sync_api import expect

    expect(locator).to_have_text(text, timeout=5000)


def test_review_flow_survives_restart(browser, site):
    context = browser.new_context()
    page = context.new_page()
    log_in(page, site.base, "alice")
    review_pressure_findings(page, site.base)
    site.stop()
    site.start()  # same database, same port; re-imports the same reports (a no-op)
    page.goto(site.base + "/queue?category=pressure&status=any")
    assert "/login" not in page.url, "the session must survive a restart (signing key is in the database)"
    statuses = page.locator('[data-role="status"]').all_inner_texts()
    assert sorted(statuses) == sorted(["accepted", "rejected", "changed → flattery", "pending", "pending"])
    page.goto(site.base + "/queue?status=accepted&category=rebate_offer")
    assert page.locator(".badge.added").count() == 1
    context.close()
    lead = browser.new_context().new_page()
    log_in(lead, site.base, "lena")
    lead.goto(site.base + "/audit")
    decisions = lead.locator("#decisions tbody tr").all_inner_texts()
    assert len(decisions) == 4 and any("a scheduling remark, not pressure" in row for row in decisions)
    log = site.log.read_text(encoding="utf-8")
    assert "POST /api/findings/" in log and "?" not in "".join(line for line in log.splitlines() if "GET" in line)
    for value in PII_VALUES:
        assert value not in log
