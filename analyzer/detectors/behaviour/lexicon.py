"""Per-language cue lexicons: the phrases a reviewer recognises as a category's hallmark.

They explain findings ("pressure cue: “only today”"); the decision itself is
the trained model's. Entries are regular expressions in
`resources/<lang>/behaviour.toml`, one list per category. All languages'
lists are tried, since turns mix languages.
"""

from __future__ import annotations

import re
from functools import cache

from analyzer.language_resources import load_resource, resource_languages


@cache
def _patterns(category: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    patterns = []
    for lang in resource_languages("behaviour"):
        for entry in load_resource(lang, "behaviour").get(category, {}).get("cues", []):
            patterns.append((lang, re.compile(entry, re.IGNORECASE)))
    return tuple(patterns)


def lexicon_cues(text: str, language: str | None, category: str, limit: int = 3) -> list[str]:
    """The matched cue phrases (as said in the text), the turn's own language first."""
    ordered = sorted(_patterns(category), key=lambda item: item[0] != language)
    found: list[str] = []
    for _, pattern in ordered:
        match = pattern.search(text)
        if match and match.group(0) not in found:
            found.append(match.group(0))
        if len(found) == limit:
            break
    return found
