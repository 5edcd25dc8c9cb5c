"""Screenshots of every review page for docs/review.md (slow; run `pytest -m slow tests/test_review_screenshots.py`).

Also a smoke test that each page renders in a real browser with realistic data: two reviewers' decisions,
a newer analysis with new/removed findings, and a lead's view.
"""

from __future__ import annotations

import json

import pytest

from tests.review_factory import (  # noqa: F401 - cheap_password_hashing is an autouse fixture
    PASSWORD,
    ROOT,
    ReviewServer,
    add_user,
    build_reports,
    cheap_password_hashing,
    import_into,
    newer_analysis,
    write_reports,
)
from tests.test_review_e2e import browser  # noqa: F401 - module fixture

SHOTS = ROOT / "docs" / "screenshots"


def _decide(factory) -> None:
    from sqlalchemy import select

    from analyzer.review import service
    from analyzer.review.db import Finding, User

    with factory.begin() as session:
        users = {u.name: u for u in session.scalars(select(User))}
        findings = list(session.scalars(select(Finding).order_by(Finding.id)))
        for index, finding in enumerate(findings[:12]):
            first = "reject" if finding.confidence < 0.5 else "accept"
            second = "reject" if index % 5 == 3 else first
            service.decide(session, finding.id, users["alice"], first, comment="clear case" if index == 0 else None)
            service.decide(session, finding.id, users["bob"], second)
        other = "pressure" if findings[13].category != "pressure" else "flattery"
        service.decide(session, findings[13].id, users["alice"], "change", category=other,
                       comment="re-categorised after listening again")
        service.add_missed(session, findings[0].conversation_pk, 3, "pressure", users["bob"], "",
                           "client hesitates, agent pushes next turn")


@pytest.mark.slow
def test_screenshots(browser, tmp_path):  # noqa: F811 - fixture imported above
    reports = build_reports()
    url = f"sqlite:///{tmp_path / 'review.sqlite'}"
    for name, role in (("alice", "reviewer"), ("bob", "reviewer"), ("lena", "lead"), ("root", "admin")):
        add_user(url, name, role)
    factory, _ = import_into(url, reports)
    _decide(factory)
    newer = newer_analysis(next(r for r in reports if r["conversation_id"] == "en-call-001"))
    write_reports(tmp_path / "reports", [newer])
    server = ReviewServer(url, tmp_path / "reports", tmp_path / "server.log").start()
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        _shoot(browser, server.base)
    finally:
        server.stop()


def _shoot(browser, base: str) -> None:  # noqa: F811
    page = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    page.goto(base + "/login")
    page.screenshot(path=str(SHOTS / "review_login.png"))
    _login(page, base, "alice")
    page.goto(base + "/queue")
    page.screenshot(path=str(SHOTS / "review_queue_reviewer_masked.png"))
    page.goto(base + "/queue?category=pressure&status=any&change=all")
    page.screenshot(path=str(SHOTS / "review_queue_filtered_changes.png"))
    page.goto(base + "/queue")
    page.keyboard.press("j")
    page.keyboard.press("m")
    page.screenshot(path=str(SHOTS / "review_add_missed_dialog.png"))
    lead = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    _login(lead, base, "lena")
    for path, name in (("/conversations/1", "conversation_lead"), ("/audit", "audit"), ("/agreement", "agreement"),
                       ("/metrics", "metrics")):
        lead.goto(base + path)
        lead.screenshot(path=str(SHOTS / f"review_{name}.png"), full_page=name != "audit")
    admin = browser.new_context(viewport={"width": 1280, "height": 700}).new_page()
    _login(admin, base, "root")
    admin.goto(base + "/users")
    admin.screenshot(path=str(SHOTS / "review_users.png"))
    assert json.dumps(sorted(p.name for p in SHOTS.glob("review_*.png")))


def _login(page, base: str, name: str) -> None:
    page.goto(base + "/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#queue")
