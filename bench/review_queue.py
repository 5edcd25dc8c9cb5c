"""Bench: the review queue page on a database with 100,000 findings.

Fills a fresh database (SQLite by default, or --db postgresql://...), serves the real app with waitress on a
free localhost port, logs in and requests the queue page with a rotating set of filters, then prints
p50/p95/max latency per filter and overall. Target: p95 < 200 ms on the 2-core CI machine.

    .venv/bin/python bench/review_queue.py                  # 100k findings, 240 timed requests, SQLite
    .venv/bin/python bench/review_queue.py --db postgresql://postgres@127.0.0.1:5432/bench --requests 400

Only loopback traffic, bounded in count; the script stops by itself.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from analyzer.model import LANGUAGES, TURN_CATEGORIES
from analyzer.review.app import create_app, create_user
from analyzer.review.db import (
    Conversation,
    Decision,
    Finding,
    PiiSpan,
    Report,
    Turn,
    User,
    open_database,
    refresh_statistics,
)
from analyzer.review.importer import finding_risk

FILTERS = [
    "",
    "category=pressure",
    "category=rebate_offer&sort=confidence",
    "language=vi",
    "language=zh&category=flattery",
    "agent=A-07",
    "date_from=2024-03-01&date_to=2024-03-31",
    "conf_min=0.8&conf_max=0.95",
    "status=any",
    "status=accepted&language=ru",
    "status=any&category=pii_disclosure&conf_min=0.9",
    "change=all&sort=recent",
    "page=5",
    "agent=A-31&status=any&date_from=2024-06-01",
]
PASSWORD = "bench-password-1"


def fill(factory, findings: int, per_conversation: int = 20, seed: int = 7) -> None:
    """Bulk-insert conversations, one turn per finding, PII spans and some decisions."""
    rng = random.Random(seed)
    conversations = findings // per_conversation
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with factory.begin() as session:
        user = create_user(session, "bench-reviewer", "reviewer", PASSWORD)
        create_user(session, "bench-lead", "lead", PASSWORD)
        user_id = user.id
    for first in range(0, conversations, 500):
        with factory.begin() as session:
            _fill_chunk(session, rng, range(first, min(first + 500, conversations)), per_conversation, start,
                        user_id)
        print(f"\r  filled {min(first + 500, conversations) * per_conversation:,} findings", end="", file=sys.stderr)
    print(file=sys.stderr)


def _fill_chunk(session, rng, numbers, per_conversation, start, user_id) -> None:
    conv_rows, report_rows, turn_rows, pii_rows, finding_rows = [], [], [], [], []
    for n in numbers:
        pk = n + 1
        agent = f"A-{rng.randrange(40):02d}"
        recorded = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
        language = rng.choice(LANGUAGES)
        conv_rows.append({"id": pk, "conversation_id": f"bench-{n:06d}", "channel": "call", "languages": language,
                          "agent_id": agent, "recorded_at": recorded, "risk_score": rng.randrange(100),
                          "current_report_id": pk, "imported_at": start})
        report_rows.append({"id": pk, "conversation_pk": pk, "content_hash": f"{pk:064x}", "version": 1,
                            "source_path": None, "data": json.dumps({"disclaimers": []}), "imported_at": start})
        for t in range(per_conversation):
            text = f"Turn {t} of conversation {n}: you need to sign today, call me on 0912 345 {t:03d}."
            turn_rows.append({"report_id": pk, "idx": t, "speaker": "Agent" if t % 2 == 0 else "Client",
                              "role": "agent" if t % 2 == 0 else "client", "language": language, "start": None,
                              "end": None, "text": text, "sentences": json.dumps([[0, len(text)]])})
            pii_rows.append({"report_id": pk, "turn": t, "start": text.index("0912"), "end": len(text) - 1,
                             "type": "PHONE"})
            category = rng.choice(TURN_CATEGORIES)
            confidence = round(rng.uniform(0.3, 1.0), 3)
            finding_rows.append({
                "conversation_pk": pk, "report_id": pk, "category": category, "turn": t, "start": 0, "end": 30,
                "text": text[:30], "role": "agent", "language": language, "confidence": confidence,
                "evidence": "bench", "detector": "bench", "source": "model", "change": None, "current": True,
                "status": rng.choices(["pending", "accepted", "rejected"], [70, 20, 10])[0],
                "final_category": None, "decisions_count": 0, "risk": finding_risk(category, confidence),
                "agent_id": agent, "recorded_at": recorded, "created_at": start})
    for model, rows in ((Conversation, conv_rows), (Report, report_rows), (Turn, turn_rows), (PiiSpan, pii_rows),
                        (Finding, finding_rows)):
        session.execute(insert(model), rows)
    decided = session.execute(select(Finding.id, Finding.status).where(
        Finding.conversation_pk.in_([r["id"] for r in conv_rows]), Finding.status != "pending")).all()
    if decided:
        session.execute(insert(Decision), [
            {"finding_id": fid, "user_id": user_id, "action": "accept" if status == "accepted" else "reject",
             "category": None, "comment": None, "created_at": start} for fid, status in decided])


def serve(app) -> str:
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://127.0.0.1:{server.effective_port}"


def login(base: str, name: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"name": name, "password": PASSWORD, "csrf_token": token}).encode()
    opener.open(base + "/login", data=body).read()
    return opener


def measure(opener, base: str, requests: int) -> dict[str, list[float]]:
    for query in FILTERS:  # warm-up: caches, connection pool, templates
        opener.open(f"{base}/queue?{query}").read()
    timings: dict[str, list[float]] = {q: [] for q in FILTERS}
    for i in range(requests):
        query = FILTERS[i % len(FILTERS)]
        began = time.perf_counter()
        with opener.open(f"{base}/queue?{query}") as response:
            response.read()
            assert response.status == 200
        timings[query].append((time.perf_counter() - began) * 1000)
    return timings


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=240)
    parser.add_argument("--target-ms", type=float, default=200.0)
    args = parser.parse_args()
    url = args.db or f"sqlite:///{Path(tempfile.mkdtemp(prefix='review-bench-')) / 'bench.sqlite'}"
    _engine, factory = open_database(url)
    with factory() as session:
        if session.scalar(select(User.id).where(User.name == "bench-reviewer")) is None:
            began = time.perf_counter()
            fill(factory, args.findings)
            refresh_statistics(_engine)
            print(f"filled in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    base = serve(create_app(url))
    timings = measure(login(base, "bench-reviewer"), base, args.requests)
    return report(timings, args.target_ms, url)


def report(timings: dict[str, list[float]], target: float, url: str) -> int:
    every = [t for values in timings.values() for t in values]
    print(f"review queue bench on {url.split(':')[0]}: {len(every)} requests")
    print(f"{'filter':55} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for query, values in timings.items():
        print(f"{query or '(default: pending, by risk)':55} {len(values):4d} {statistics.median(values):8.1f} "
              f"{percentile(values, 0.95):8.1f} {max(values):8.1f}")
    p95 = percentile(every, 0.95)
    print(f"{'ALL':55} {len(every):4d} {statistics.median(every):8.1f} {p95:8.1f} {max(every):8.1f}")
    verdict = "PASS" if p95 < target else "FAIL"
    print(f"{verdict}: p95 {p95:.1f} ms (target < {target:.0f} ms)")
    return 0 if p95 < target else 1


if __name__ == "__main__":
    sys.exit(main())
