"""Training examples: the project's own `data/train/*.jsonl`, plus reviewer decisions.

An example is one turn with the turn before it as context, so that
"repeating the ask after a refusal" is learnable. Reviewer decisions arrive
in the gold format of formats.md (`analyzer review export`) and are turned
into the same examples.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

CATEGORIES: tuple[str, ...] = ("flattery", "pressure", "rebate_request", "rebate_offer")
AGENT_CATEGORIES = frozenset({"flattery", "pressure", "rebate_offer"})
CLIENT_CATEGORIES = frozenset({"rebate_request"})
DEFAULT_TRAIN_DIR = Path(__file__).resolve().parents[3] / "data" / "train"


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    lang: str
    role: str
    context: str
    text: str
    labels: frozenset[str]
    style: str = ""
    domain: str = ""
    source: str = "train"


def allowed_categories(role: str | None) -> frozenset[str]:
    """Taxonomy role rules: agent categories for agents, rebate_request for the client's side."""
    if role == "agent":
        return AGENT_CATEGORIES
    if role in ("client", "other"):
        return CLIENT_CATEGORIES
    return frozenset()


def read_training_file(path: Path) -> Iterator[Example]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if "turns" in row:  # a gold / reviewer-decisions conversation
                yield from examples_from_conversation(row, source=path.name)
                continue
            labels = frozenset(row.get("labels", [])) & allowed_categories(row["role"])
            yield Example(row.get("id") or f"{path.stem}-{number}", row["lang"], row["role"],
                          row.get("context", ""), row["text"], labels, row.get("style", ""),
                          row.get("domain", ""), path.name)


def examples_from_conversation(conv: dict, source: str = "gold") -> Iterator[Example]:
    """Every agent/client turn of a gold-format conversation, with its previous turn."""
    turns = conv["turns"]
    for i, turn in enumerate(turns):
        role = turn.get("role")
        if role not in ("agent", "client", "other"):
            continue
        labels = frozenset(turn.get("labels", [])) & allowed_categories(role)
        context = turns[i - 1]["text"] if i else ""
        yield Example(f"{conv['id']}#{i}", conv.get("language", ""), role, context, turn["text"], labels,
                      source=source)


def with_negative_sentences(examples: Sequence[Example]) -> list[Example]:
    """Add each sentence of every unlabelled multi-sentence turn as a negative example of its own.

    The detector scores sentences, while the data labels turns; the sentences of a turn
    with no label are negatives at the granularity the detector works at. (For a
    labelled turn we cannot tell which sentence carries the label, so none is added.)
    """
    from analyzer.annotators.sentences import split_sentences

    out = list(examples)
    for example in examples:
        if example.labels:
            continue
        spans = split_sentences(example.text, example.lang or None)
        if len(spans) < 2:
            continue
        for k, (start, end) in enumerate(spans):
            out.append(Example(f"{example.id}#s{k}", example.lang, example.role, example.context,
                               example.text[start:end], frozenset(), example.style, example.domain, "sentence"))
    return out


def load_examples(paths: Iterable[Path]) -> list[Example]:
    """Examples from files and folders of JSON Lines, de-duplicated on (role, context, text)."""
    seen: set[tuple[str, str, str]] = set()
    examples = []
    for path in paths:
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        for file in files:
            for example in read_training_file(file):
                key = (example.role, example.context, example.text)
                if key not in seen:
                    seen.add(key)
                    examples.append(example)
    return examples
