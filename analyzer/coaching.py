"""Coaching tips: what an agent could say instead, in the language the turn was spoken in.

A finding tells a coach what went wrong; a coach also needs a better sentence
to practise. The phrasings are data (`resources/<lang>/coaching.toml`), not
code, so coaches and native speakers can edit them without a release; each
category of taxonomy.md and each disclaimer id has a label, one line of
advice and three or more alternative phrasings per language.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from analyzer.model import LANGUAGES, TURN_CATEGORIES

RESOURCES = Path(__file__).resolve().parent / "resources"
DISCLAIMER_IDS: tuple[str, ...] = ("recording_notice", "general_information", "risk_warning", "commission_disclosure")
COACHING_CATEGORIES: tuple[str, ...] = TURN_CATEGORIES + DISCLAIMER_IDS
FALLBACK_LANGUAGE = "en"
MIN_PHRASINGS = 3


class CoachingError(ValueError):
    """A coaching file that lacks a category or enough phrasings."""


@dataclass(frozen=True, slots=True)
class Tip:
    category: str
    language: str
    label: str
    advice: str
    say_instead: tuple[str, ...]


def normalize_language(language: str | None) -> str:
    """`zh-Hant`, `ru_RU`, `EN` → the resource language; unknown or mixed → English."""
    code = (language or "").replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else FALLBACK_LANGUAGE


@cache
def load_tips(language: str) -> dict[str, Tip]:
    """Every tip of one language, checked, keyed by category (cached: files are read once)."""
    language = normalize_language(language)
    path = RESOURCES / language / "coaching.toml"
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    tips = {}
    for category in COACHING_CATEGORIES:
        entry = data.get(category)
        if not isinstance(entry, dict):
            raise CoachingError(f"{path}: no [{category}] table")
        phrasings = tuple(str(p).strip() for p in entry.get("say_instead", []) if str(p).strip())
        if len(phrasings) < MIN_PHRASINGS:
            raise CoachingError(f"{path}: [{category}] needs at least {MIN_PHRASINGS} say_instead phrasings")
        tips[category] = Tip(category, language, str(entry.get("label") or category),
                             str(entry.get("advice") or ""), phrasings)
    return tips


def tip_for(category: str, language: str | None) -> Tip | None:
    """The tip for `category` in `language` (English when the language has no file); None for unknown categories."""
    return load_tips(normalize_language(language)).get(category)
