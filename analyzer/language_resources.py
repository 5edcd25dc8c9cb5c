"""Per-language resource files (TOML under `analyzer/resources/<lang>/`).

Cue words, abbreviations and markers are data, not code, so a linguist can
extend a language without touching Python.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

RESOURCE_DIR = Path(__file__).parent / "resources"


@cache
def load_resource(language: str, name: str) -> dict[str, Any]:
    """Return `resources/<language>/<name>.toml`, or {} when that language has none."""
    path = RESOURCE_DIR / language / f"{name}.toml"
    if not path.exists():
        return {}
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def resource_languages(name: str) -> list[str]:
    """Languages that ship a given resource file, sorted for determinism."""
    return sorted(p.parent.name for p in RESOURCE_DIR.glob(f"*/{name}.toml"))
