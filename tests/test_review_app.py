"""The review web app through Flask's test client: security rules, masking, filters, decisions, logs."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

from analyzer.review.app import create_app
from analyzer.review.db import Finding
from tests.review_factory import (  # noqa: F401 - cheap_password_hashing is an autouse fixture
    PASSWORD,
    PII_VALUES,
    add_user,
    build_reports,
    cheap_password_hashing,
    import_into,
)

USERS = {"alice": "reviewer", "bob": "reviewer", "lena": "lead", "root": "admin"}
ROUTE_VALUES = {"pk": 1, "finding_id": 1}


@pytest.fixture
def app(tmp_path):
    url = f"sqlite:///{tmp_path / 'review.sqlite'}"
    import_into(url, build_reports())
    for name, role in USERS.items():
        add_user(url, name, role)
    application = create_app(url)
    application.config["TESTING"] = True
    return application


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf[-_]token" (?:content|value)="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(app, name: str):
    client = app.test_client()
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.text
    client.csrf = csrf_of(client.get("/queue").text)
    return client


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "login"):
            continue
        url = rule.build(ROUTE_VALUES)[1] if rule.arguments else rule.rule
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, url, method


def test_every_route_requires_login(app):
    client = app.test_client()
    seen = 0
    for rule, url, method in routes(app):
        response = client.open(url, method=method, json={} if method == "POST" else None)
        if rule.rule.startswith("/api/"):
            assert response.status_code == 401, (method, url)
        else:
            assert response.status_code == 302 and "/login" in response.headers["Location"], (method, url)
        seen += 1
    assert seen >= 12


def test_every_route_declares_roles_and_refuses_others(app):
    reviewer = login(app, "alice")
    lead = login(app, "lena")
    refused = 0
    for rule, url, method in routes(app):
        required = getattr(app.view_functions[rule.endpoint], "required_roles", None)
        assert required, f"{rule.rule} has no @requires"
        for client, role in ((reviewer, "reviewer"), (lead, "lead")):
            if role in required:
                continue
            response = client.open(url, method=method, json={}, headers={"X-CSRF-Token": client.csrf})
            assert response.status_code == 403, (role, method, url)
            refused += 1
    assert refused >= 6  # audit, agreement, metrics, export, users (GET+POST) for a reviewer, users for a lead


def test_session_cookie_flags(app):
    client = app.test_client()
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"name": "alice", "password": PASSWORD, "csrf_token": token})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Content-Security-Policy" in response.headers


def test_wrong_password_is_refused_and_audited(app):
    client = app.test_client()
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"name": "alice", "password": "nope-nope", "csrf_token": token})
    assert response.status_code == 401 and "Wrong name or password" in response.text
    lead = login(app, "lena")
    assert "login_failed" in lead.get("/audit").text


def test_csrf_is_required_on_forms_and_json(app):
    client = app.test_client()
    client.get("/login")
    assert client.post("/login", data={"name": "alice", "password": PASSWORD}).status_code == 400
    alice = login(app, "alice")
    assert alice.post("/api/findings/1/decision", json={"action": "accept"}).status_code == 400
    assert alice.post("/api/findings/1/decision", json={"action": "accept"},
                      headers={"X-CSRF-Token": "forged"}).status_code == 400
    assert alice.post("/logout").status_code == 400
    ok = alice.post("/api/findings/1/decision", json={"action": "accept"}, headers={"X-CSRF-Token": alice.csrf})
    assert ok.status_code == 200 and ok.json["status"] == "accepted"


def test_pii_masked_for_reviewer_shown_to_lead(app):
    reviewer, lead = login(app, "alice"), login(app, "lena")
    pages = ["/queue?status=any&change=all"] + [f"/conversations/{pk}" for pk in range(1, 6)]
    reviewer_html = "".join(reviewer.get(p).text for p in pages)
    lead_html = "".join(lead.get(p).text for p in pages)
    for value in PII_VALUES:
        assert value not in reviewer_html, value
        assert value in lead_html, value
    assert "[PERSON]" in reviewer_html and "third person [PERSON] with premium" in reviewer_html


def test_pii_roles_are_configurable(app, tmp_path):
    url = app.config.get("SQLALCHEMY_URL") or f"sqlite:///{tmp_path / 'review.sqlite'}"
    strict = create_app(url, pii_roles=("admin",))
    lead = login(strict, "lena")
    assert "0912 345 678" not in lead.get("/conversations/2").text
    assert "0912 345 678" in login(strict, "root").get("/conversations/2").text


def _categories(html: str) -> list[str]:
    return re.findall(r'class="item card[^"]*" data-finding="\d+" data-conversation="\d+" data-category="(\w+)"',
                      html)


def test_queue_filters_and_sorting(app):
    client = login(app, "alice")
    assert set(_categories(client.get("/queue?category=pressure").text)) == {"pressure"}
    assert len(_categories(client.get("/queue").text)) == 17
    assert len(_categories(client.get("/queue?language=ru").text)) == 4
    assert len(_categories(client.get("/queue?agent=A-33").text)) == 3
    assert len(_categories(client.get("/queue?date_from=2024-06-01&date_to=2024-06-30").text)) == 5
    assert len(_categories(client.get("/queue?conf_min=0.9&conf_max=0.95").text)) == 8
    low = client.get("/queue?conf_max=0.5").text
    assert _categories(low) == ["pressure"] and "Take your time" in low
    risks = [int(r) for r in re.findall(r'title="risk this finding adds">risk (\d+)<', client.get("/queue").text)]
    assert risks == sorted(risks, reverse=True) and risks[0] > risks[-1]


def test_decisions_change_status_and_history(app):
    alice = login(app, "alice")
    headers = {"X-CSRF-Token": alice.csrf}
    assert alice.post("/api/findings/2/decision", json={"action": "reject", "comment": "ok"},
                      headers=headers).json["status"] == "rejected"
    changed = alice.post("/api/findings/3/decision", json={"action": "change", "category": "pressure"},
                         headers=headers).json
    assert changed["status"] == "changed" and changed["final_category"] == "pressure"
    bad = alice.post("/api/findings/3/decision", json={"action": "change", "category": "nonsense"}, headers=headers)
    assert bad.status_code == 400
    added = alice.post("/api/conversations/1/findings", json={"turn": 3, "category": "pressure",
                                                              "text": "talk it over"}, headers=headers)
    assert added.status_code == 201 and added.json["source"] == "reviewer"
    missing = alice.post("/api/conversations/1/findings", json={"turn": 3, "category": "pressure",
                                                                "text": "not in the turn"}, headers=headers)
    assert missing.status_code == 400
    assert len(_categories(alice.get("/queue").text)) == 15
    decisions = login(app, "lena").get("/audit").text.split('id="events"')[0]
    assert decisions.count("<td>alice</td>") == 3 and "change → pressure" in decisions
    with app.extensions["review_factory"]() as session:
        assert session.scalar(select(Finding).where(Finding.source == "reviewer")).text == "talk it over"


def test_access_log_has_no_personal_data(app, caplog):
    client = login(app, "lena")
    secret = "0912 345 678"
    with caplog.at_level(logging.INFO, logger="analyzer.review.access"):
        client.get("/queue", query_string={"agent": secret, "category": "pressure"})
        client.get("/conversations/2")
        client.post("/api/findings/5/decision", json={"action": "accept", "comment": f"client said {secret}"},
                    headers={"X-CSRF-Token": client.csrf})
    lines = [r.getMessage() for r in caplog.records if r.name == "analyzer.review.access"]
    assert len(lines) == 3 and all("?" not in line for line in lines)
    text = "\n".join(caplog.text.splitlines() + lines)
    for value in PII_VALUES:
        assert value not in text


def test_agreement_page_shows_kappa(app):
    alice, bob = login(app, "alice"), login(app, "bob")
    for finding, (first, second) in {1: ("accept", "accept"), 5: ("accept", "reject"), 9: ("reject", "reject")}.items():
        alice.post(f"/api/findings/{finding}/decision", json={"action": first}, headers={"X-CSRF-Token": alice.csrf})
        bob.post(f"/api/findings/{finding}/decision", json={"action": second}, headers={"X-CSRF-Token": bob.csrf})
    lead = login(app, "lena")
    page = lead.get("/agreement").text
    assert "alice / bob" in page and "all pairs" in page
    metrics = lead.get("/metrics").text
    assert "Precision per category" in metrics and "flattery" in metrics
    export = lead.get("/export.jsonl")
    assert export.status_code == 200 and export.text.count("\n") == 3
