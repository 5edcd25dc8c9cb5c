"""PII detection: this analyser against Microsoft Presidio, on the same gold turns, in one run.

Why this exists: Presidio is the usual open-source answer to "find personal
data in text", so a claim that our `pii` stage is worth its code needs the
two side by side on our data (vi, ru, zh, en call transcripts), scored by the
same scorer (`analyzer.evaluation.score`, identical to the reference one).

Presidio is configured as far as it can be offline (no model download):

* NLP engine: Presidio's `spacy` engine built by `NlpEngineProvider` from
  blank spaCy pipelines saved to a temporary folder (`spacy.blank("en")`,
  `"ru"`, and `"xx"` for vi and zh). A blank pipeline has no NER, so
  Presidio's `SpacyRecognizer` finds no PERSON; it also has no lemmatizer,
  so a one-line component copies each token's lower-cased text into its
  lemma, or Presidio's context words could never match.
* Recognizers, registered for each of the four language codes: the generic
  ones whose entities map to our types (credit card, e-mail, IBAN, phone
  with `phonenumbers` regions per language, date) and the national-ID / bank
  recognizers of English-speaking markets (US, UK, India, Singapore,
  Australia), each with Presidio's own (English) context words; plus, for
  `ru`, every recognizer of `presidio-ru-recognizers` when it is installed.
* Each turn is analysed with its conversation's gold language (Presidio
  needs one); ours detects languages itself.

Entity mapping to the report contract's 8 types (anything else is dropped):
PERSON → PERSON; PHONE_NUMBER, PHONE_RF → PHONE; EMAIL_ADDRESS → EMAIL;
CREDIT_CARD → CARD_NUMBER; IBAN_CODE, US_BANK_NUMBER, BANK_ACCOUNT_RF →
BANK_ACCOUNT; national IDs, passports, tax and social-insurance numbers
(US_SSN, UK_NINO, IN_AADHAAR, INN_RU, SNILS, PASSPORT_RF, OGRNIP, ...) →
ID_NUMBER; DATE_TIME → DATE_OF_BIRTH (Presidio cannot tell a birth date
from any other date, so every date counts: its recall is the fair figure).
Presidio has no address recognizer. OGRN (a company's registration number)
is not personal data and is dropped.

    .venv/bin/python bench/pii_vs_presidio.py                      # dev + hold-out
    .venv/bin/python bench/pii_vs_presidio.py GOLD.jsonl --presidio-threshold 0.5
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analyzer.evaluation import Counts, read_gold, score  # noqa: E402
from analyzer.model import Conversation  # noqa: E402
from analyzer.pipeline import Pipeline, load_config, registry  # noqa: E402

DEFAULT_GOLD = [ROOT.parent / "shared" / "eval" / "dev.jsonl", ROOT / "data" / "eval" / "holdout.jsonl"]
LANGUAGES = ("vi", "ru", "zh", "en")
TYPES = ("PERSON", "PHONE", "EMAIL", "ID_NUMBER", "CARD_NUMBER", "BANK_ACCOUNT", "ADDRESS", "DATE_OF_BIRTH")
PII_STAGES = ("language", "sentences", "roles", "pii")

# spaCy's blank pipeline per language: vi needs pyvi and zh needs jieba's segmenter for their own
# blank classes, and neither segmentation is what a Presidio user gets by default; "xx" is the
# multilingual whitespace/punctuation tokenizer.
SPACY_BLANK = {"en": "en", "ru": "ru", "vi": "xx", "zh": "xx"}

# Regions `phonenumbers` searches for each language's turns (Presidio's default is US, UK, DE, ...).
PHONE_REGIONS = {"en": ["US", "GB", "IN", "AU", "SG", "CA"], "ru": ["RU"], "vi": ["VN"], "zh": ["CN", "HK", "TW"]}

# Presidio's predefined recognizers registered for every language, by class name.
GENERIC_RECOGNIZERS = ("CreditCardRecognizer", "EmailRecognizer", "IbanRecognizer", "DateRecognizer")
MARKET_RECOGNIZERS = (
    "UsSsnRecognizer", "UsPassportRecognizer", "UsLicenseRecognizer", "UsItinRecognizer", "UsBankRecognizer",
    "NhsRecognizer", "UkNinoRecognizer", "UkPassportRecognizer",
    "InAadhaarRecognizer", "InPanRecognizer", "InPassportRecognizer", "InVoterRecognizer",
    "SgFinRecognizer", "AuTfnRecognizer", "AuMedicareRecognizer",
)

ENTITY_MAP = {
    "PERSON": "PERSON",
    "PHONE_NUMBER": "PHONE", "PHONE_RF": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "CREDIT_CARD": "CARD_NUMBER",
    "IBAN_CODE": "BANK_ACCOUNT", "US_BANK_NUMBER": "BANK_ACCOUNT", "BANK_ACCOUNT_RF": "BANK_ACCOUNT",
    "US_SSN": "ID_NUMBER", "US_PASSPORT": "ID_NUMBER", "US_DRIVER_LICENSE": "ID_NUMBER", "US_ITIN": "ID_NUMBER",
    "UK_NHS": "ID_NUMBER", "UK_NINO": "ID_NUMBER", "UK_PASSPORT": "ID_NUMBER",
    "IN_AADHAAR": "ID_NUMBER", "IN_PAN": "ID_NUMBER", "IN_PASSPORT": "ID_NUMBER", "IN_VOTER": "ID_NUMBER",
    "SG_NRIC_FIN": "ID_NUMBER", "AU_TFN": "ID_NUMBER", "AU_MEDICARE": "ID_NUMBER",
    "INN_RU": "ID_NUMBER", "SNILS": "ID_NUMBER", "PASSPORT_RF": "ID_NUMBER", "OGRNIP": "ID_NUMBER",
    "DATE_TIME": "DATE_OF_BIRTH",
}


@dataclass
class Turn:
    conversation: str
    index: int
    language: str
    text: str


@dataclass
class SystemRun:
    """One system's reports on one gold set and how long the timed pass took."""

    name: str
    reports: dict[str, dict[str, Any]]
    seconds: float
    turns: int
    spans: int
    chars: int
    table: dict[Any, Counts] = field(default_factory=dict)


# ---------------------------------------------------------------- Presidio


@dataclass
class PresidioSetup:
    engine: Any
    description: list[str]


def build_presidio(threshold: float) -> PresidioSetup:
    """Presidio's AnalyzerEngine as far as it goes offline; `description` says exactly what loaded."""
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="presidio_analyzer")
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer import predefined_recognizers as predefined
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from spacy.language import Language
    from spacy.tokens import Doc

    if "bench_lower_lemma" not in Language.factories:
        @Language.component("bench_lower_lemma")
        def lower_lemma(doc: Doc) -> Doc:
            """Blank pipelines leave lemmas empty; Presidio's context words match lemmas."""
            for token in doc:
                token.lemma_ = token.lower_
            return doc

    folder = Path(tempfile.mkdtemp(prefix="presidio-blank-"))
    models = []
    for lang in LANGUAGES:
        nlp = spacy.blank(SPACY_BLANK[lang])
        nlp.add_pipe("bench_lower_lemma")
        path = folder / lang
        nlp.to_disk(path)
        models.append({"lang_code": lang, "model_name": str(path)})
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": models,
        "ner_model_configuration": {"model_to_presidio_entity_mapping": {"PER": "PERSON", "PERSON": "PERSON"},
                                    "labels_to_ignore": []},
    })
    nlp_engine = provider.create_engine()

    recognizer_registry = RecognizerRegistry(supported_languages=list(LANGUAGES))
    loaded: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    for lang in LANGUAGES:
        recognizer_registry.add_recognizer(predefined.SpacyRecognizer(supported_language=lang))
        loaded[lang].append("SpacyRecognizer(no NER in a blank pipeline)")
        phone = predefined.PhoneRecognizer(supported_language=lang, supported_regions=PHONE_REGIONS[lang])
        recognizer_registry.add_recognizer(phone)
        loaded[lang].append(f"PhoneRecognizer({'/'.join(PHONE_REGIONS[lang])})")
        for class_name in (*GENERIC_RECOGNIZERS, *MARKET_RECOGNIZERS):
            recognizer_registry.add_recognizer(getattr(predefined, class_name)(supported_language=lang))
            loaded[lang].append(class_name)
    ru_note = "presidio-ru-recognizers: not installed"
    try:
        import presidio_ru_recognizers
    except ImportError:
        pass
    else:
        for recognizer in presidio_ru_recognizers.get_all_ru_recognizers():
            recognizer_registry.add_recognizer(recognizer)
            loaded["ru"].append(type(recognizer).__name__)
        ru_note = f"presidio-ru-recognizers {presidio_ru_recognizers.__version__}: for ru"

    engine = AnalyzerEngine(registry=recognizer_registry, nlp_engine=nlp_engine,
                            supported_languages=list(LANGUAGES), default_score_threshold=threshold)
    import presidio_analyzer

    version = getattr(presidio_analyzer, "__version__", None) or _dist_version("presidio-analyzer")
    description = [
        f"Presidio: presidio-analyzer {version}, spaCy {spacy.__version__}; {ru_note}; score threshold {threshold}",
        "NLP engine: SpacyNlpEngine via NlpEngineProvider, blank pipelines "
        + ", ".join(f"{lang}=spacy.blank({SPACY_BLANK[lang]!r})" for lang in LANGUAGES)
        + " + lemma=lower-case text (no NER, no lemmatizer, no model download)",
    ]
    common = [n for n in loaded["en"] if all(n in loaded[lang] for lang in LANGUAGES) and not n.startswith("Phone")]
    description.append(f"recognizers for every language ({len(common)}): {', '.join(common)}")
    for lang in LANGUAGES:
        extra = [n for n in loaded[lang] if n not in common]
        description.append(f"  + {lang}: {', '.join(extra)}")
    return PresidioSetup(engine, description)


def _dist_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def presidio_spans(engine: Any, turn: Turn) -> list[dict[str, Any]]:
    """Presidio's results for one turn, mapped to the report contract's `pii` spans."""
    spans = []
    for result in engine.analyze(text=turn.text, language=turn.language):
        our_type = ENTITY_MAP.get(result.entity_type)
        if our_type:
            spans.append({"turn": turn.index, "start": result.start, "end": result.end, "type": our_type})
    return spans


# ---------------------------------------------------------------- this analyser


def build_ours() -> Pipeline:
    """The PII part of the default profile: language, sentences, roles, pii (settings from pipeline.toml)."""
    settings = load_config().get("components", {})
    return Pipeline([registry.create(name, settings.get(name, {})) for name in PII_STAGES], profile="pii")


def our_reports(pipeline: Pipeline, gold: Sequence[Mapping[str, Any]]) -> tuple[dict[str, dict[str, Any]], float]:
    """Reports (only `pii`) for every gold conversation, and the seconds the pipeline took."""
    conversations = [Conversation.from_dict(_strip_labels(c)) for c in gold]
    reports: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    docs = [pipeline(c) for c in conversations]
    seconds = time.perf_counter() - started
    for conv, doc in zip(gold, docs, strict=True):
        reports[str(conv["id"])] = {"pii": [{"turn": s.turn, "start": s.start, "end": s.end, "type": s.type}
                                            for s in doc.pii]}
    return reports, seconds


def _strip_labels(conv: Mapping[str, Any]) -> dict[str, Any]:
    """The conversation as the analyser would receive it: no gold labels, no language hint."""
    turns = [{k: v for k, v in t.items() if k not in ("labels", "pii")} for t in conv["turns"]]
    return {"id": conv["id"], "channel": conv.get("channel"), "turns": turns}


def presidio_reports(engine: Any, turns: Sequence[Turn]) -> tuple[dict[str, dict[str, Any]], float]:
    reports: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    found = [(t, presidio_spans(engine, t)) for t in turns]
    seconds = time.perf_counter() - started
    for turn, spans in found:
        reports.setdefault(turn.conversation, {"pii": []})["pii"].extend(spans)
    return reports, seconds


# ---------------------------------------------------------------- running and printing


def gold_turns(gold: Sequence[Mapping[str, Any]]) -> list[Turn]:
    return [Turn(str(c["id"]), i, c.get("language", "en"), t["text"]) for c in gold for i, t in enumerate(c["turns"])]


def run_system(name: str, gold: Sequence[Mapping[str, Any]],
               runner: Callable[[], tuple[dict[str, dict[str, Any]], float]]) -> SystemRun:
    """Warm-up pass (loads lazily built tables, regex caches), then the timed pass that is scored."""
    runner()
    reports, seconds = runner()
    turns = sum(len(c["turns"]) for c in gold)
    spans = sum(len(r["pii"]) for r in reports.values())
    chars = sum(len(t["text"]) for c in gold for t in c["turns"])
    table = {k: v for k, v in score(gold, reports).items() if k[0] == "pii"}
    return SystemRun(name, reports, seconds, turns, spans, chars, table)


def _f1(table: Mapping[Any, Counts], name: str, lang: str) -> float | None:
    counts = table.get(("pii", name, lang))
    if counts is None or counts.tp + counts.fp + counts.fn == 0:
        return None
    return counts.prf()[2]


def _cell(table: Mapping[Any, Counts], name: str, lang: str) -> str:
    counts = table.get(("pii", name, lang))
    if counts is None or counts.tp + counts.fp + counts.fn == 0:
        return "-"
    p, r, f = counts.prf()
    return f"{f:.2f} {p:.2f}/{r:.2f}"


def print_tables(label: str, ours: SystemRun, presidio: SystemRun) -> None:
    langs = [lang for lang in LANGUAGES if any(k[2] == lang for k in ours.table)] + ["all"]
    names = [*TYPES, "ALL"]
    head = f"{'type':<15}" + "".join(f"{lang:>17}" for lang in langs)
    for run in (ours, presidio):
        print(f"\n{label} — {run.name}: F1 precision/recall per type and language")
        print(head)
        for name in names:
            print(f"{name:<15}" + "".join(f"{_cell(run.table, name, lang):>17}" for lang in langs))
    print(f"\n{label} — F1 ratio ours/Presidio ('inf': Presidio 0, ours > 0; '-': no gold or predictions)")
    print(f"{'type':<15}" + "".join(f"{lang:>9}" for lang in langs))
    for name in names:
        cells = []
        for lang in langs:
            a, b = _f1(ours.table, name, lang), _f1(presidio.table, name, lang)
            if a is None or b is None:
                cells.append("-")
            elif b == 0:
                cells.append("inf" if a > 0 else "0/0")
            else:
                cells.append(f"{a / b:.2f}")
        print(f"{name:<15}" + "".join(f"{c:>9}" for c in cells))
    print(f"\n{label} — speed (timed pass after a warm-up pass, one process)")
    print(f"{'system':<34}{'turns':>7}{'seconds':>9}{'turns/s':>10}{'spans':>7}{'spans/s':>9}{'kchars/s':>10}")
    for run in (ours, presidio):
        print(f"{run.name:<34}{run.turns:>7}{run.seconds:>9.2f}{run.turns / run.seconds:>10.0f}"
              f"{run.spans:>7}{run.spans / run.seconds:>9.0f}{run.chars / run.seconds / 1000:>10.1f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", type=Path, help="gold JSONL files (default: dev and hold-out sets)")
    parser.add_argument("--presidio-threshold", type=float, default=0.35,
                        help="Presidio's score threshold (its default is 0: every pattern hit, even at 0.05)")
    args = parser.parse_args(argv)
    paths = args.gold or [p for p in DEFAULT_GOLD if p.exists()]
    if not paths:
        parser.error("no gold file given and neither default set exists")

    setup = build_presidio(args.presidio_threshold)
    pipeline = build_ours()
    print("PII: this analyser vs Microsoft Presidio (same gold turns, scored by analyzer.evaluation.score)")
    print("ours: pipeline " + " → ".join(PII_STAGES) + " (languages detected per turn; pii settings of pipeline.toml)")
    for line in setup.description:
        print(line)
    print("mapping: " + ", ".join(f"{k}→{v}" for k, v in ENTITY_MAP.items()) + "; others dropped; no ADDRESS")
    print("spans/s counts the spans each system output (after mapping); F1 cells are 'F1 precision/recall'")

    every: list[dict[str, Any]] = []
    for path in paths:
        gold = read_gold(path)
        every.extend(gold)
        _compare(path.name, gold, pipeline, setup.engine)
    if len(paths) > 1:
        _compare("all files", every, pipeline, setup.engine)
    return 0


def _compare(label: str, gold: Sequence[Mapping[str, Any]], pipeline: Pipeline, engine: Any) -> None:
    turns = gold_turns(gold)
    ours = run_system("ours (language+sentences+roles+pii)", gold, lambda: our_reports(pipeline, gold))
    presidio = run_system("Presidio (blank spaCy)", gold, lambda: presidio_reports(engine, turns))
    print(f"\n=== {label}: {len(gold)} conversations, {len(turns)} turns ===")
    print_tables(label, ours, presidio)


if __name__ == "__main__":
    raise SystemExit(main())
