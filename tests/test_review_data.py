"""The review data layer on SQLite and PostgreSQL: migrations, import, re-import, decisions, export, stats."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from analyzer.review import service, stats
from analyzer.review.app import create_user
from analyzer.review.db import Base, Decision, Finding, User, make_engine, migrate
from analyzer.review.exporter import export_lines
from tests.review_factory import (  # noqa: F401 - cheap_password_hashing is an autouse fixture
    CONVERSATIONS,
    build_reports,
    cheap_password_hashing,
    database,
    import_into,
    newer_analysis,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    with database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path):
    with database("sqlite", tmp_path) as url:
        yield url


def _load(url: str):
    factory, result = import_into(url, build_reports())
    with factory.begin() as session:
        for name, role in (("alice", "reviewer"), ("bob", "reviewer"), ("lena", "lead")):
            create_user(session, name, role, "password-" + name)
    return factory, result


@pytest.fixture
def loaded(db_url):
    """Both backends: for what depends on the database (constraints, triggers, matching)."""
    return _load(db_url)


@pytest.fixture
def loaded_sqlite(sqlite_url):
    """One backend: for logic above the database (export, statistics)."""
    return _load(sqlite_url)


def _user(session, name: str) -> User:
    return session.scalar(select(User).where(User.name == name))


def _finding(session, conversation: str, category: str) -> Finding:
    from analyzer.review.db import Conversation

    return session.scalar(select(Finding).join(Conversation, Conversation.id == Finding.conversation_pk)
                          .where(Conversation.conversation_id == conversation, Finding.category == category))


def test_migrations_match_models_and_rerun(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(db_url)
    migrate(engine)
    migrate(engine)  # every start runs it: must be a no-op the second time
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()


def test_import_is_idempotent(loaded):
    factory, first = loaded
    assert (first.imported, first.skipped) == (len(CONVERSATIONS), 0)
    from analyzer.review.importer import import_reports

    again = import_reports(factory, [(None, r) for r in build_reports()])
    assert (again.imported, again.skipped) == (0, len(CONVERSATIONS))
    with factory() as session:
        assert session.scalar(select(text("count(*)")).select_from(Finding)) == 17


def test_newer_analysis_keeps_decisions_and_flags_changes(loaded):
    factory, _ = loaded
    with factory.begin() as session:
        alice = _user(session, "alice")
        flattery = _finding(session, "en-call-001", "flattery")
        pressure = _finding(session, "en-call-001", "pressure")
        service.decide(session, flattery.id, alice, "accept", comment="clear superlative")
        service.decide(session, pressure.id, alice, "reject")
        flattery_id, old_pressure_id = flattery.id, pressure.id
    from analyzer.review.importer import import_reports

    original = next(r for r in build_reports() if r["conversation_id"] == "en-call-001")
    result = import_reports(factory, [(None, newer_analysis(original))])
    assert (result.imported, result.updated, result.new_findings, result.removed_findings) == (1, 1, 1, 1)
    with factory() as session:
        kept = session.get(Finding, flattery_id)
        assert (kept.status, kept.change, kept.current) == ("accepted", None, True)
        removed = session.get(Finding, old_pressure_id)
        assert (removed.change, removed.current, removed.status) == ("removed", False, "rejected")
        new = session.scalars(select(Finding).where(Finding.change == "new")).one()
        assert new.text == "All your neighbours have already signed." and new.status == "pending"
        history = session.scalars(select(Decision).where(Decision.finding_id == flattery_id)).all()
        assert [d.comment for d in history] == ["clear superlative"]


def test_decisions_are_append_only(loaded):
    factory, _ = loaded
    with factory.begin() as session:
        finding = _finding(session, "vi-call-002", "pressure")
        service.decide(session, finding.id, _user(session, "bob"), "accept")
    for statement in ("UPDATE decisions SET action = 'reject'", "DELETE FROM decisions",
                      "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError), factory.begin() as session:
            session.execute(text(statement))


def test_export_writes_gold_format(loaded_sqlite):
    factory, _ = loaded_sqlite
    with factory.begin() as session:
        alice = _user(session, "alice")
        service.decide(session, _finding(session, "ru-meeting-003", "flattery").id, alice, "accept")
        service.decide(session, _finding(session, "ru-meeting-003", "pressure").id, alice, "reject")
        service.decide(session, _finding(session, "ru-meeting-003", "pii_disclosure").id, alice, "change",
                       category="pressure", comment="re-categorised")
        conversation_pk = _finding(session, "ru-meeting-003", "flattery").conversation_pk
        service.add_missed(session, conversation_pk, 6, "pii_disclosure", alice, "+7 912 345-67-89")
    with factory() as session:
        lines = list(export_lines(session))
    assert [line["id"] for line in lines] == ["ru-meeting-003"]
    line = json.loads(json.dumps(lines[0]))
    labels = [turn["labels"] for turn in line["turns"]]
    assert labels == [[], [], ["flattery"], [], ["pressure"], [], ["pii_disclosure"]]
    assert line["turns"][4]["pii"] == [{"start": 0, "end": 11, "type": "PERSON"}]
    assert [r["decision"] for r in line["turns"][3]["review"]] == ["reject"]
    assert line["turns"][4]["review"][0]["new_category"] == "pressure"
    assert line["turns"][6]["review"][0]["decision"] == "add"
    assert line["disclaimers"] == {"required": ["risk_warning"], "present": [], "missing": ["risk_warning"]}
    assert all(t["role"] in ("agent", "client") and "text" in t for t in line["turns"])


def test_agreement_and_precision(loaded_sqlite):
    factory, _ = loaded_sqlite
    plan = {  # conversation -> (alice, bob) on the pressure finding
        "en-call-001": ("accept", "accept"), "vi-call-002": ("accept", "reject"),
        "ru-meeting-003": ("reject", "reject"), "zh-call-004": ("accept", "accept"),
    }
    with factory.begin() as session:
        alice, bob = _user(session, "alice"), _user(session, "bob")
        for conversation, (first, second) in plan.items():
            finding = _finding(session, conversation, "pressure")
            service.decide(session, finding.id, alice, first)
            service.decide(session, finding.id, bob, second)
    with factory() as session:
        rows = stats.agreement(session)
        precision = {p.key: p for p in stats.precision_table(session, "category")}
        by_language = {p.key for p in stats.precision_table(session, "language")}
    pooled = next(r for r in rows if r.category == "pressure" and r.pair == "all pairs")
    assert pooled.n == 4 and pooled.percent == 75.0
    assert pooled.kappa == pytest.approx(0.5)
    assert precision["pressure"].reviewed == 4 and precision["pressure"].precision == pytest.approx(0.5)
    assert by_language == {"en", "vi", "ru", "zh"}


def test_cohen_kappa_edge_cases():
    assert stats.cohen_kappa([]) is None
    assert stats.cohen_kappa([(1, 1), (1, 1)]) is None  # chance agreement is total
    assert stats.cohen_kappa([(1, 0), (0, 1)]) == pytest.approx(-1.0)
    assert stats.cohen_kappa([(1, 1), (0, 0), (1, 1), (0, 0)]) == pytest.approx(1.0)
