"""The behaviour training data: schema, role rules, volume, the data card, and no dev-set copies."""

from __future__ import annotations

from collections import Counter

import pytest

from analyzer.detectors.behaviour.data import DEFAULT_TRAIN_DIR, allowed_categories
from analyzer.detectors.behaviour.datacard import (
    BEGIN,
    END,
    NEAR_DUPLICATE,
    counts_table,
    dev_sentences,
    load_rows,
    near_duplicates,
)
from tests.conftest import DEV_SET, needs_shared

FIELDS = {"id", "lang", "domain", "style", "role", "context", "context_role", "text", "labels", "hard_negative"}
DOMAINS = {"insurance", "banking", "investment", "loans", "real_estate", "telecom", "ecommerce", "education"}


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return load_rows()


def test_every_row_follows_the_schema_and_role_rules(rows: list[dict]) -> None:
    ids = Counter(r["id"] for r in rows)
    assert not [i for i, n in ids.items() if n > 1]
    for row in rows:
        assert set(row) == FIELDS, row["id"]
        assert row["lang"] in {"vi", "ru", "zh", "en"} and row["id"].startswith(row["lang"] + "-")
        assert row["domain"] in DOMAINS and row["style"] in {"punct", "stt", "mixed"}, row["id"]
        assert set(row["labels"]) <= allowed_categories(row["role"]), row["id"]
        assert not (row["labels"] and row["hard_negative"]), row["id"]
        assert row["text"].strip(), row["id"]


def test_volume_per_language(rows: list[dict]) -> None:
    per_language = Counter(r["lang"] for r in rows)
    assert sum(per_language.values()) >= 10_000
    assert all(per_language[lang] >= 2_500 for lang in ("vi", "ru", "zh", "en")), per_language


def test_hard_negatives_cover_every_do_not_flag_line(rows: list[dict]) -> None:
    tags = {"courtesy", "polite_praise", "factual_remark", "neutral_scheduling", "true_deadline", "take_your_time",
            "forecast_only", "premium_question", "official_promotion", "free_look_refund", "how_agent_paid",
            "rebate_refusal", "legality_comment"}
    for lang in ("vi", "ru", "zh", "en"):
        present = Counter(r["hard_negative"] for r in rows if r["lang"] == lang and r["hard_negative"])
        assert all(present[tag] >= 20 for tag in tags), (lang, {t: present[t] for t in tags})


def test_data_card_counts_are_current(rows: list[dict]) -> None:
    card = (DEFAULT_TRAIN_DIR / "README.md").read_text(encoding="utf-8")
    block = card.split(BEGIN)[1].split(END)[0].strip()
    assert block == counts_table(rows), "run: python -m analyzer.detectors.behaviour.datacard"


@needs_shared(DEV_SET)
def test_no_dev_sentence_or_near_copy_in_training_data(rows: list[dict]) -> None:
    dev = dev_sentences(DEV_SET)
    exact = {t.strip().lower() for t in dev if len(t.strip()) >= 25} & {r["text"].strip().lower() for r in rows}
    assert not exact
    pairs = near_duplicates([r["text"] for r in rows], dev)
    assert not pairs, [(rows[i]["id"], round(s, 2)) for i, _, s in pairs[:10]]


def test_near_duplicate_check_catches_copies() -> None:
    original = "Only two places left at this price, you really need to sign today."
    assert near_duplicates(["ONLY two places left at this price - you really need to sign today!"], [original])
    assert near_duplicates(["Only two places left at this price, you really must sign today."], [original])
    assert not near_duplicates(["Would Thursday afternoon suit you for a follow-up call?"], [original])
    assert NEAR_DUPLICATE == 0.8
