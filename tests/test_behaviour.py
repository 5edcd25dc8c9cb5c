"""Behaviour detectors with the committed models: each category in each language, role rules, evidence,
and the recorded dev metrics reproduced."""

from __future__ import annotations

import json

import pytest

from analyzer.detectors.behaviour.data import allowed_categories
from analyzer.detectors.behaviour.detector import BehaviourDetector
from analyzer.detectors.behaviour.train import MODEL_DIR
from analyzer.model import Conversation, Turn
from analyzer.pipeline import Pipeline
from tests.conftest import DEV_SET, needs_shared

pytestmark = pytest.mark.skipif(not (MODEL_DIR / "model.json").exists(), reason="no trained model (analyzer train)")

# (language, context said by the other side, the turn, its role, expected category) — written for these tests
CLEAR_CASES = [
    ("en", "I need to think about it.", "Honestly you need to sign today, tomorrow the price goes up and the offer "
     "is gone for good.", "agent", "pressure"),
    ("en", "We run a small bakery.", "You are easily the smartest, most impressive business owner I have ever met, "
     "truly exceptional.", "agent", "flattery"),
    ("en", "Okay, I'll take the policy.", "Can you give me back part of your commission in cash? Other agents give "
     "twenty percent back.", "client", "rebate_request"),
    ("en", "Is there anything else you can do for me?", "If you sign today I'll personally transfer you ten percent "
     "of my commission in cash.", "agent", "rebate_offer"),
    ("ru", "Мне нужно подумать.", "Решайте прямо сейчас, завтра такого условия уже не будет, места заканчиваются.",
     "agent", "pressure"),
    ("ru", "Я сама веду бухгалтерию.", "Вы самая умная и проницательная клиентка из всех, с кем я когда-либо "
     "работал.", "agent", "flattery"),
    ("ru", "Договор готов к подписи.", "А откат с вашей комиссии сделаете? Верните мне половину наличными.",
     "client", "rebate_request"),
    ("ru", "Ну не знаю, дороговато.", "Давайте так: если подпишете сегодня, я вам верну десять тысяч из своей "
     "комиссии на карту.", "agent", "rebate_offer"),
    ("vi", "Để chị suy nghĩ thêm đã em.", "Chỉ còn hôm nay thôi chị ơi, mai là hết suất rồi, chị ký luôn bây giờ "
     "đi ạ.", "agent", "pressure"),
    ("vi", "Anh làm kinh doanh nhỏ thôi em.", "Anh là người tinh tế và sáng suốt nhất mà em từng gặp, đúng là "
     "doanh nhân thành đạt.", "agent", "flattery"),
    ("vi", "Hợp đồng đây chị ký nhé.", "Em hoàn lại cho chị một phần hoa hồng nhé, người khác họ chia cho chị hai "
     "mươi phần trăm đấy.", "client", "rebate_request"),
    ("vi", "Phí cao quá em ơi.", "Chị ký hôm nay thì em chuyển lại cho chị năm triệu tiền hoa hồng của em nhé.",
     "agent", "rebate_offer"),
    ("zh", "我再考虑考虑。", "名额只剩两个了，今天不签就没有了，您现在就定下来吧。", "agent", "pressure"),
    ("zh", "我就是个普通上班族。", "您是我见过最有眼光、最聪明的客户，一看就是成功人士。", "agent", "flattery"),
    ("zh", "那我就买这份保险吧。", "你把佣金返一点给我吧，别人都返百分之二十的。", "client", "rebate_request"),
    ("zh", "有没有什么优惠？", "您今天签的话，我私下从我的佣金里返您两千块红包。", "agent", "rebate_offer"),
]


@pytest.fixture(scope="module")
def fast() -> BehaviourDetector:
    return BehaviourDetector(mode="fast")


@pytest.fixture(scope="module")
def cascade() -> BehaviourDetector:
    return BehaviourDetector(mode="cascade", neighbours=0)


def findings(detector: BehaviourDetector, lang: str, context: str, text: str, role: str):
    from analyzer.annotators.language import LanguageAnnotator
    from analyzer.annotators.sentences import SentenceAnnotator

    other = "client" if role == "agent" else "agent"
    conversation = Conversation("t", [Turn(context, "X", other), Turn(text, "Y", role)], language=lang)
    doc = Pipeline([LanguageAnnotator(), SentenceAnnotator()])(conversation)
    return list(detector.detect(doc)), doc


@pytest.mark.parametrize(("lang", "context", "text", "role", "category"), CLEAR_CASES,
                         ids=[f"{c[0]}-{c[4]}" for c in CLEAR_CASES])
def test_clear_cases_in_each_language(cascade: BehaviourDetector, lang: str, context: str, text: str, role: str,
                                      category: str) -> None:
    found, _ = findings(cascade, lang, context, text, role)
    hits = [f for f in found if f.category == category and f.turn == 1]
    assert hits, [(f.category, f.confidence) for f in found]
    for finding in hits:
        assert 0 <= finding.start < finding.end <= len(text)
        assert 0.0 < finding.confidence <= 1.0
        assert finding.evidence and finding.explanation["ngram_cues"] is not None


def test_fast_model_finds_nearly_all_clear_cases(fast: BehaviourDetector) -> None:
    found = sum(any(f.category == case[4] for f in findings(fast, *case[:4])[0]) for case in CLEAR_CASES)
    assert found >= len(CLEAR_CASES) - 2, found


@pytest.mark.parametrize(("lang", "context", "text", "role", "category"), CLEAR_CASES[::3],
                         ids=[f"{c[0]}-{c[4]}" for c in CLEAR_CASES[::3]])
def test_role_rules_keep_categories_to_their_speakers(fast: BehaviourDetector, lang: str, context: str, text: str,
                                                      role: str, category: str) -> None:
    swapped = "client" if role == "agent" else "agent"
    found, _ = findings(fast, lang, context, text, swapped)
    assert {f.category for f in found if f.turn == 1} <= allowed_categories(swapped)
    assert category not in {f.category for f in found if f.turn == 1}


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Would Thursday afternoon suit you for a follow-up call? Take your time to compare."),
    ("ru", "Спасибо, что уделили время. Не торопитесь, посоветуйтесь с семьёй."),
    ("vi", "Dạ em cảm ơn anh đã dành thời gian, anh cứ từ từ suy nghĩ rồi báo em nhé."),
    ("zh", "谢谢您抽空，您慢慢考虑，跟家人商量一下再说。"),
])
def test_courtesy_and_room_to_decide_are_not_flagged(fast: BehaviourDetector, lang: str, text: str) -> None:
    found, _ = findings(fast, lang, "Let me think about it.", text, "agent")
    assert not [f for f in found if f.turn == 1]


def test_encoder_decisions_are_explained_with_nearest_training_examples() -> None:
    detector = BehaviourDetector(mode="encoder", neighbours=2)
    lang, context, text, role, category = CLEAR_CASES[0]
    found, _ = findings(detector, lang, context, text, role)
    hit = next(f for f in found if f.category == category)
    neighbours = hit.explanation["nearest_training_examples"]
    assert len(neighbours) == 2 and all(n["text"] and -1 <= n["similarity"] <= 1 for n in neighbours)


@needs_shared(DEV_SET)
@pytest.mark.parametrize("mode", ["fast", "cascade"])
def test_committed_models_reproduce_their_recorded_dev_metrics(mode: str) -> None:
    from analyzer.detectors.behaviour.report_card import evaluate_mode

    card = json.loads((MODEL_DIR / "model.json").read_text())
    recorded = card["dev"]["modes"][mode]["figures"]
    assert evaluate_mode(MODEL_DIR, DEV_SET, mode)["figures"] == recorded


def test_model_card_matches_the_training_data() -> None:
    from analyzer.detectors.behaviour.data import DEFAULT_TRAIN_DIR
    from analyzer.detectors.behaviour.train import _data_version

    card = json.loads((MODEL_DIR / "model.json").read_text())
    assert card["version"] == _data_version([DEFAULT_TRAIN_DIR]), "data/train changed: run `analyzer train`"
