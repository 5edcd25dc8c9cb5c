"""Realistic reports for the review app's tests and screenshots, in Vietnamese, Russian, Chinese and English.

The detectors are still being written, so the conversations are analysed with `analyzer.api.analyze` (turns,
roles, languages, sentences are real pipeline output) and then given findings, PII spans and disclaimers the
way the report contract of formats.md describes them, with offsets computed from the phrases below.
Also: throwaway PostgreSQL servers and review servers started as subprocesses.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import functools
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
PASSWORD = "correct horse battery"

CONVERSATIONS: list[dict[str, Any]] = [
    {"id": "en-call-001", "channel": "call", "metadata": {"agent_id": "A-17", "recorded_at": "2024-05-02T10:15:00Z"},
     "turns": [
         {"speaker": "Sarah", "role": "agent",
          "text": "Good morning, this is Sarah from Sunrise Life. This call is recorded for quality purposes."},
         {"speaker": "Mark", "role": "client", "text": "Hi Sarah. I'm still comparing a couple of pension plans."},
         {"speaker": "Sarah", "role": "agent",
          "text": "Honestly, you're easily the sharpest investor I've ever spoken to. "
                  "Someone as smart as you already sees why this plan is right."},
         {"speaker": "Mark", "role": "client", "text": "Maybe. I'd like to talk it over with my wife first."},
         {"speaker": "Sarah", "role": "agent",
          "text": "You need to sign today, tomorrow the price goes up. All your neighbours have already signed."},
         {"speaker": "Mark", "role": "client",
          "text": "Can you give me back part of your commission? Other agents give 20% back."},
         {"speaker": "Mark", "role": "client", "text": "Call me on 415-555-0132 or write to mark.miller@example.com."},
         {"speaker": "Sarah", "role": "agent", "text": "Fine, I'll return 10% of my commission to you in cash."},
     ]},
    {"id": "vi-call-002", "channel": "call", "metadata": {"agent_id": "A-21", "recorded_at": "2024-05-03T09:00:00Z"},
     "turns": [
         {"speaker": "Lan", "role": "agent", "text": "Chào anh, em là Lan bên bảo hiểm An Phát."},
         {"speaker": "Minh", "role": "client", "text": "Vâng, chào em."},
         {"speaker": "Lan", "role": "agent", "text": "Anh là người tinh tế nhất mà em từng gặp."},
         {"speaker": "Lan", "role": "agent", "text": "Chỉ còn hôm nay thôi, mai là hết suất rồi."},
         {"speaker": "Minh", "role": "client", "text": "Em hoàn lại cho anh một phần hoa hồng nhé."},
         {"speaker": "Lan", "role": "agent", "text": "Dạ, em sẽ chuyển lại cho anh 5 triệu tiền hoa hồng."},
         {"speaker": "Minh", "role": "client", "text": "Số điện thoại của anh là 0912 345 678, CCCD 079203001234."},
     ]},
    {"id": "ru-meeting-003", "channel": "meeting",
     "metadata": {"agent_id": "A-17", "recorded_at": "2024-05-10T14:30:00Z"},
     "turns": [
         {"speaker": "Ольга", "role": "agent", "text": "Добрый день, меня зовут Ольга, я консультант банка."},
         {"speaker": "Сергей", "role": "client", "text": "Здравствуйте, я хотел бы узнать про ипотеку."},
         {"speaker": "Ольга", "role": "agent", "text": "Вы самый мудрый клиент из всех, с кем я работал."},
         {"speaker": "Ольга", "role": "agent", "text": "Решайте прямо сейчас, завтра такого условия уже не будет."},
         {"speaker": "Ольга", "role": "agent",
          "text": "Иван Петров из вашего дома взял такой же план, его взнос 40 000 в месяц."},
         {"speaker": "Сергей", "role": "client", "text": "Сделаете откат с вашей комиссии?"},
         {"speaker": "Сергей", "role": "client", "text": "Мой телефон +7 912 345-67-89."},
     ]},
    {"id": "zh-call-004", "channel": "call", "metadata": {"agent_id": "A-33", "recorded_at": "2024-06-01T03:00:00Z"},
     "turns": [
         {"speaker": "王芳", "role": "agent", "text": "您好,我是平安保险的王芳,本次通话将被录音。"},
         {"speaker": "李先生", "role": "client", "text": "你好。"},
         {"speaker": "王芳", "role": "agent", "text": "您是我见过最有眼光的客户。"},
         {"speaker": "王芳", "role": "agent", "text": "名额只剩两个了,今天不签就没有了。"},
         {"speaker": "李先生", "role": "client", "text": "你把佣金返一点给我吧。"},
         {"speaker": "李先生", "role": "client", "text": "我的身份证号是110101199003071234。"},
     ]},
    {"id": "en-chat-005", "channel": "chat", "metadata": {"agent_id": "A-21", "recorded_at": "2024-06-15T16:45:00Z"},
     "turns": [
         {"speaker": "Tom", "role": "agent", "text": "Thanks for waiting. Good question about the fees."},
         {"speaker": "Anna", "role": "client", "text": "What did my neighbour pay?"},
         {"speaker": "Tom", "role": "agent",
          "text": "Mr. Ivanov from your building took the same plan, his premium is 40,000 a month."},
         {"speaker": "Tom", "role": "agent", "text": "Take your time and talk it over with your family."},
     ]},
]

# (turn, category, exact phrase, confidence, evidence)
FINDINGS: dict[str, list[tuple[int, str, str, float, str]]] = {
    "en-call-001": [
        (2, "flattery", "Honestly, you're easily the sharpest investor I've ever spoken to.", 0.91,
         "superlative about the client"),
        (4, "pressure", "You need to sign today, tomorrow the price goes up.", 0.88, "deadline + price threat"),
        (5, "rebate_request", "Can you give me back part of your commission?", 0.95, "asks for commission back"),
        (7, "rebate_offer", "Fine, I'll return 10% of my commission to you in cash.", 0.97, "offers cash rebate"),
    ],
    "vi-call-002": [
        (2, "flattery", "Anh là người tinh tế nhất mà em từng gặp.", 0.84, "so sánh nhất về khách hàng"),
        (3, "pressure", "Chỉ còn hôm nay thôi, mai là hết suất rồi.", 0.9, "khan hiếm + hạn chót"),
        (4, "rebate_request", "Em hoàn lại cho anh một phần hoa hồng nhé.", 0.93, "xin hoàn hoa hồng"),
        (5, "rebate_offer", "Dạ, em sẽ chuyển lại cho anh 5 triệu tiền hoa hồng.", 0.96, "hứa chuyển hoa hồng"),
    ],
    "ru-meeting-003": [
        (2, "flattery", "Вы самый мудрый клиент из всех, с кем я работал.", 0.8, "превосходная степень о клиенте"),
        (3, "pressure", "Решайте прямо сейчас, завтра такого условия уже не будет.", 0.92, "требует решения сейчас"),
        (4, "pii_disclosure", "Иван Петров из вашего дома взял такой же план, его взнос 40 000 в месяц.", 0.86,
         "third person Иван Петров with premium"),
        (5, "rebate_request", "Сделаете откат с вашей комиссии?", 0.9, "просит откат"),
    ],
    "zh-call-004": [
        (2, "flattery", "您是我见过最有眼光的客户。", 0.83, "最高级赞美客户"),
        (3, "pressure", "名额只剩两个了,今天不签就没有了。", 0.94, "名额稀缺+今天"),
        (4, "rebate_request", "你把佣金返一点给我吧。", 0.9, "要求返佣"),
    ],
    "en-chat-005": [
        (2, "pii_disclosure", "Mr. Ivanov from your building took the same plan, his premium is 40,000 a month.",
         0.78, "another client's name (Ivanov) with premium"),
        (3, "pressure", "Take your time and talk it over with your family.", 0.41, "mentions family decision"),
    ],
}

# (turn, exact value, type)
PII: dict[str, list[tuple[int, str, str]]] = {
    "en-call-001": [(6, "415-555-0132", "PHONE"), (6, "mark.miller@example.com", "EMAIL")],
    "vi-call-002": [(6, "0912 345 678", "PHONE"), (6, "079203001234", "ID_NUMBER")],
    "ru-meeting-003": [(4, "Иван Петров", "PERSON"), (6, "+7 912 345-67-89", "PHONE")],
    "zh-call-004": [(5, "110101199003071234", "ID_NUMBER")],
    "en-chat-005": [(2, "Ivanov", "PERSON")],
}
PII_VALUES = [value for spans in PII.values() for _, value, _ in spans]

# (id, required, present, trigger_turn, turn)
DISCLAIMERS: dict[str, list[tuple[str, bool, bool, int | None, int | None]]] = {
    "en-call-001": [("recording_notice", True, True, 0, 0), ("commission_disclosure", True, False, 2, None)],
    "vi-call-002": [("recording_notice", True, False, 0, None), ("commission_disclosure", True, False, 5, None)],
    "ru-meeting-003": [("recording_notice", False, False, None, None), ("risk_warning", True, False, 4, None)],
    "zh-call-004": [("recording_notice", True, True, 0, 0)],
    "en-chat-005": [("recording_notice", False, False, None, None), ("commission_disclosure", True, False, 2, None)],
}


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Argon2's default cost (~0.35 s a hash here) would dominate the tests; the server still verifies them."""
    from argon2 import PasswordHasher, profiles

    from analyzer.review import auth

    monkeypatch.setattr(auth, "_HASHER", PasswordHasher.from_parameters(profiles.CHEAPEST))


def _finding(report: dict[str, Any], turn: int, category: str, phrase: str, confidence: float,
             evidence: str) -> dict[str, Any]:
    text = report["turns"][turn]["text"]
    start = text.index(phrase)
    return {"category": category, "turn": turn, "start": start, "end": start + len(phrase), "text": phrase,
            "role": report["turns"][turn]["role"], "confidence": confidence, "evidence": evidence,
            "detector": "review-factory"}


def _pii(report: dict[str, Any], turn: int, value: str, kind: str) -> dict[str, Any]:
    start = report["turns"][turn]["text"].index(value)
    return {"turn": turn, "start": start, "end": start + len(value), "type": kind, "text": value,
            "confidence": 0.99, "detector": "review-factory", "evidence": kind.lower()}


def _risk(findings: list[dict[str, Any]], disclaimers: list[dict[str, Any]]) -> int:
    from analyzer.policy.risk import load_weights

    weights = load_weights()
    total = sum(weights["category"].get(f["category"], 0.0) * f["confidence"] for f in findings)
    total += sum(weights["disclaimer"]["missing"] for d in disclaimers if d["required"] and not d["present"])
    return round(100 * (1 - math.exp(-total / weights["scale"])))


def build_report(conversation: dict[str, Any], findings: list[tuple] | None = None) -> dict[str, Any]:
    """The pipeline's report for `conversation`, with the factory's findings, PII and disclaimers."""
    from analyzer.api import analyze

    report = analyze(conversation)
    cid = conversation["id"]
    findings = FINDINGS.get(cid, []) if findings is None else findings
    report["findings"] = [_finding(report, *spec) for spec in findings]
    report["pii"] = [_pii(report, *spec) for spec in PII.get(cid, [])]
    report["disclaimers"] = [
        {"id": i, "required": req, "present": pres, "trigger_turn": trig, "turn": turn, "late": False,
         "trigger_evidence": None, "evidence": None} for i, req, pres, trig, turn in DISCLAIMERS.get(cid, [])]
    report["risk_score"] = _risk(report["findings"], report["disclaimers"])
    counts = report.setdefault("counts", {}).setdefault("findings", {})
    for category in counts:
        counts[category] = len({f["turn"] for f in report["findings"] if f["category"] == category})
    return report


@functools.cache
def _cached_reports() -> str:
    return json.dumps([build_report(c) for c in CONVERSATIONS], ensure_ascii=False)


def build_reports() -> list[dict[str, Any]]:
    """Fresh copies of the five reports (analysed once per test session)."""
    return json.loads(_cached_reports())


def newer_analysis(report: dict[str, Any]) -> dict[str, Any]:
    """A re-analysis of en-call-001: the pressure finding moves to the other sentence of turn 4."""
    newer = copy.deepcopy(report)
    specs = [s for s in FINDINGS[report["conversation_id"]] if s[1] != "pressure"]
    specs.append((4, "pressure", "All your neighbours have already signed.", 0.82, "social proof as a push"))
    newer["findings"] = sorted((_finding(newer, *s) for s in specs), key=lambda f: (f["turn"], f["start"]))
    newer["analyzer"] = {**newer.get("analyzer", {}), "version": "0.2.0"}
    return newer


def write_reports(folder: Path, reports: list[dict[str, Any]] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for report in reports or build_reports():
        (folder / f"{report['conversation_id']}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1),
                                                                    encoding="utf-8")
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing(what: str) -> None:
    """Skip locally, fail in CI: a CI run must not pass by skipping the browser or PostgreSQL."""
    if IN_CI:
        pytest.fail(f"{what} is required when CI=true")
    pytest.skip(f"{what} not installed (scripts/install-system-deps.sh)")


# ---------------------------------------------------------------- PostgreSQL


def _pg_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class PostgresServer:
    """A throwaway cluster in a temp dir on a free port, run as `postgres` when we are root."""

    _instance: PostgresServer | None = None

    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="review-pg-"))
        self.port = free_port()
        self.data = self.dir / "data"

    @classmethod
    def get(cls) -> PostgresServer:
        if cls._instance is None:
            server = cls()
            if server.bin is None:
                missing("PostgreSQL (initdb)")
            server.start()
            atexit.register(server.stop)
            cls._instance = server
        return cls._instance

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A fresh database; tests drop it with `drop_database`."""
        name = "review_" + uuid.uuid4().hex[:10]
        self._admin(f"CREATE DATABASE {name}")
        return name

    def drop_database(self, name: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(sql)


# ---------------------------------------------------------------- review server subprocess


class ReviewServer:
    """`analyzer review serve` as a subprocess on a free port, its stderr (the access log) kept in a file."""

    def __init__(self, db_url: str, reports: Path | None, log: Path) -> None:
        self.db_url, self.reports, self.log = db_url, reports, log
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ReviewServer:
        command = [sys.executable, "-c", "from analyzer.cli import main; main()", "review", "serve",
                   "--db", self.db_url, "--port", str(self.port)]
        if self.reports is not None:
            command += ["--reports", str(self.reports)]
        handle = self.log.open("a", encoding="utf-8")
        self.process = subprocess.Popen(command, stdout=handle, stderr=handle, cwd=ROOT, start_new_session=True)
        self._wait()
        return self

    def _wait(self) -> None:
        import urllib.request

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("review server exited:\n" + self.log.read_text(encoding="utf-8")[-3000:])
            try:
                with urllib.request.urlopen(self.base + "/login", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("review server did not start in 30 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def add_user(db_url: str, name: str, role: str, password: str = PASSWORD) -> None:
    from analyzer.review.app import create_user
    from analyzer.review.db import open_database

    engine, factory = open_database(db_url)
    with factory.begin() as session:
        create_user(session, name, role, password)
    engine.dispose()


@contextlib.contextmanager
def database(kind: str, folder: Path):
    """A fresh, empty database URL of `kind` ("sqlite" or "postgresql"), dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'review.sqlite'}"
        return
    server = PostgresServer.get()
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        _dispose_engines()
        server.drop_database(name)


def _dispose_engines() -> None:
    """Close pooled connections this process holds, so DROP DATABASE is not blocked."""
    import gc

    from sqlalchemy import Engine

    for obj in gc.get_objects():
        if isinstance(obj, Engine):
            obj.dispose()


def import_into(db_url: str, reports: list[dict[str, Any]]):  # type: ignore[no-untyped-def]
    from analyzer.review.db import open_database
    from analyzer.review.importer import import_reports

    _engine, factory = open_database(db_url)
    return factory, import_reports(factory, [(None, r) for r in reports])
