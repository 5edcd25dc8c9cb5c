"""The training data's card (`data/train/README.md`): counts and the dev-set overlap check.

`python -m analyzer.detectors.behaviour.datacard` rewrites the counts table;
a test checks the card is current and that no training text is a copy or a
near-copy of a dev-set sentence.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from sklearn.feature_extraction.text import HashingVectorizer

from analyzer.detectors.behaviour.data import DEFAULT_TRAIN_DIR
from analyzer.language_resources import load_resource, resource_languages

NEAR_DUPLICATE = 0.8  # cosine similarity of character 3-5-gram vectors
MIN_CHARS = 30  # shorter normalised texts ("ok, thank you") are shared by any two corpora, not copied
BEGIN, END = "<!-- counts:begin -->", "<!-- counts:end -->"


def near_duplicates(texts: Sequence[str], references: Sequence[str], threshold: float = NEAR_DUPLICATE,
                    min_chars: int = MIN_CHARS) -> list[tuple[int, int, float]]:
    """(text index, reference index, similarity) for every pair at or above `threshold`."""
    vectorizer = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=2**20, alternate_sign=False)
    normal_texts = [_normalise(t) for t in texts]
    normal_refs = [_normalise(t) for t in references]
    keep = [i for i, t in enumerate(normal_texts) if len(t) >= min_chars]
    refs = [j for j, t in enumerate(normal_refs) if len(t) >= min_chars]
    if not keep or not refs:
        return []
    a = vectorizer.transform([normal_texts[i] for i in keep])
    b = vectorizer.transform([normal_refs[j] for j in refs])
    similarity = (a @ b.T).tocoo()
    return sorted((keep[r], refs[c], float(v)) for r, c, v in zip(similarity.row, similarity.col, similarity.data,
                                                                      strict=True) if v >= threshold)


def _normalise(text: str) -> str:
    """Lowercase, no punctuation, and every digit or digit word as "#".

    Dictated numbers ("không ba tám không…", "восемь девятьсот…") are built from ten
    words, so two different numbers would otherwise look like near-copies.
    """
    words = re.sub(r"[\W_]+", " ", text.lower()).split()
    digits = _digit_words()
    marked = ["#" if w in digits or w.isdigit() else w for w in words]
    return " ".join(w for i, w in enumerate(marked) if w != "#" or i == 0 or marked[i - 1] != "#")


@cache
def _digit_words() -> frozenset[str]:
    """Number words of every language, from the PII resources (every entry of `[numbers]`)."""
    words: set[str] = set()
    for lang in resource_languages("pii_numbers"):
        for entry in load_resource(lang, "pii_numbers").get("numbers", {}).values():
            words |= {w.lower() for w in entry if isinstance(w, str)} if isinstance(entry, dict | list) else set()
    return frozenset(w for w in words if " " not in w)


def load_rows(directory: Path = DEFAULT_TRAIN_DIR) -> list[dict]:
    rows = []
    for path in sorted(directory.glob("*.jsonl")):
        with open(path, encoding="utf-8") as handle:
            rows += [json.loads(line) for line in handle if line.strip()]
    return rows


def counts_table(rows: list[dict]) -> str:
    """Markdown: examples per language × label × style."""
    labels = ["none", "flattery", "pressure", "rebate_request", "rebate_offer"]
    counts: Counter[tuple[str, str, str]] = Counter()
    for row in rows:
        for label in row["labels"] or ["none"]:
            counts[(row["lang"], label, row["style"])] += 1
    styles = sorted({row["style"] for row in rows})
    header = "| lang | label | " + " | ".join(styles) + " | total |\n|---|---|" + "---|" * (len(styles) + 1)
    lines = [header]
    for lang in sorted({row["lang"] for row in rows}):
        for label in labels:
            cells = [counts[(lang, label, s)] for s in styles]
            lines.append(f"| {lang} | {label} | " + " | ".join(map(str, cells)) + f" | {sum(cells)} |")
        total = sum(1 for row in rows if row["lang"] == lang)
        lines.append(f"| {lang} | **examples** | " + " | ".join(
            str(sum(1 for r in rows if r["lang"] == lang and r["style"] == s)) for s in styles) + f" | **{total}** |")
    lines.append(f"\nAll languages: **{len(rows)}** examples (a turn may carry two labels, so label rows can sum to "
                 "more than the examples).")
    return "\n".join(lines)


def update_card(path: Path = DEFAULT_TRAIN_DIR / "README.md") -> bool:
    """Rewrite the counts block; True when it changed."""
    card = path.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{counts_table(load_rows(path.parent))}\n{END}"
    updated = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, card, flags=re.S)
    if updated != card:
        path.write_text(updated, encoding="utf-8")
    return updated != card


def dev_sentences(gold: Path) -> list[str]:
    texts = []
    with open(gold, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                texts += [t["text"] for t in json.loads(line)["turns"]]
    return texts


def main(argv: Sequence[str] = sys.argv[1:]) -> int:
    changed = update_card()
    print("data card updated" if changed else "data card already current")
    if argv:
        rows = load_rows()
        pairs = near_duplicates([r["text"] for r in rows], dev_sentences(Path(argv[0])))
        print(f"{len(pairs)} near-duplicate(s) of dev sentences (cosine ≥ {NEAR_DUPLICATE})")
        for i, _, sim in pairs[:20]:
            print(f"  {rows[i]['id']} {sim:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


