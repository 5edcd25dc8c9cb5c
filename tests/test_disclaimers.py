"""Disclaimers in each language: said, not said, said by the client, negated, late; custom policies."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.api import load_pipeline
from analyzer.model import Conversation, Turn
from analyzer.pipeline import Pipeline
from analyzer.policy.disclaimers import DisclaimerAnnotator
from analyzer.policy.policy_file import PolicyError, load_policy, parse_policy

# Per language: an opening line, a recording notice, a line that triggers each topic
# disclaimer, the matching disclaimer, and the negated form that must not count.
LINES = {
    "en": {
        "hello": "Hi, thanks for taking my call, do you have a minute?",
        "recording": "Before we start, I should mention that our conversation today is being recorded.",
        "client_recording": "Wait, are you recording this call?",
        "filler": "Okay, let me pull up your file.",
        "forecast": "Honestly, with rates coming down, property here will go up a lot next year.",
        "general": "Keep in mind this is general information only, not personal advice for your situation.",
        "general_negated": "And this is not just general information, this is my advice to you personally.",
        "returns": "The balanced fund paid about six percent a year over the last decade.",
        "risk": "Returns are not guaranteed and the value of your units can fall as well as rise.",
        "risk_contradicted": "There's no risk at all, those returns are guaranteed.",
        "product": "I'd recommend the Silver Shield plan for you, it covers the whole family.",
        "commission": "Just so you know how I'm paid: I receive a commission from the insurer on this policy.",
        "rebate_commission": "I'll give you back half of my commission if you sign today.",
    },
    "ru": {
        "hello": "Здравствуйте, вам удобно сейчас говорить?",
        "recording": "Предупреждаю, что наш разговор записывается.",
        "client_recording": "А этот звонок записывается?",
        "filler": "Так, сейчас открою вашу анкету.",
        "forecast": "Я думаю, в следующем году квартиры в этом районе подорожают процентов на двадцать.",
        "general": "Сразу оговорюсь: это общая информация, а не индивидуальная инвестиционная рекомендация.",
        "general_negated": "Это не просто общая информация, это мой совет вам как специалиста.",
        "returns": "За прошлый год фонд принёс около девяти процентов годовых.",
        "risk": "Доходность не гарантирована, стоимость паёв может снизиться.",
        "risk_contradicted": "Никакого риска нет, доход гарантированный.",
        "product": "Я рекомендую вам программу «Надёжный капитал», она вам отлично подойдёт.",
        "commission": "Скажу прямо: я получаю комиссию от страховой компании за каждый договор.",
        "rebate_commission": "Я верну вам половину своей комиссии, если подпишете сегодня.",
    },
    "vi": {
        "hello": "Dạ em chào anh, anh có tiện nghe máy không ạ?",
        "recording": "Dạ em xin thông báo cuộc gọi này sẽ được ghi âm để đảm bảo chất lượng ạ.",
        "client_recording": "Cuộc gọi này có ghi âm không em?",
        "filler": "Dạ để em mở hồ sơ của anh ra xem ạ.",
        "forecast": "Em nghĩ năm sau giá đất khu này sẽ tăng mạnh lắm anh ạ.",
        "general": "Dạ những gì em chia sẻ chỉ là thông tin chung, không phải lời khuyên đầu tư cá nhân ạ.",
        "general_negated": "Cái này không chỉ là thông tin chung đâu, đây là lời khuyên riêng cho anh.",
        "returns": "Năm ngoái quỹ này có lợi nhuận khoảng bảy phần trăm ạ.",
        "risk": "Dạ lợi nhuận không được đảm bảo, giá trị khoản đầu tư có thể giảm ạ.",
        "risk_contradicted": "Anh yên tâm, không có rủi ro gì đâu, chắc chắn có lời.",
        "product": "Em đề xuất anh tham gia gói Bảo An Gia Đình, phù hợp nhất với nhà mình ạ.",
        "commission": "Dạ em nói rõ là em nhận hoa hồng từ công ty bảo hiểm cho hợp đồng này ạ.",
        "rebate_commission": "Em chuyển lại cho anh một nửa tiền hoa hồng nếu anh ký hôm nay.",
    },
    "zh": {
        "hello": "您好，请问现在方便说话吗？",
        "recording": "跟您说明一下，本次通话将被录音。",
        "client_recording": "这个电话有录音吗？",
        "filler": "好的，我先调一下您的资料。",
        "forecast": "我估计明年这个板块还会上涨不少。",
        "general": "先说明一下，我讲的都是一般性的信息，不构成投资建议。",
        "general_negated": "这不只是一般信息，这就是我给您的建议。",
        "returns": "这只基金去年的收益率大概是百分之五。",
        "risk": "收益不保证，基金净值可能下跌，过往业绩不代表未来表现。",
        "risk_contradicted": "放心，没有任何风险，保证收益。",
        "product": "我建议您买这款安康终身寿险，很适合您家的情况。",
        "commission": "我跟您说清楚，我的收入来自保险公司支付的佣金。",
        "rebate_commission": "您今天签的话，我把一半佣金返给您。",
    },
}
LANGS = sorted(LINES)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return load_pipeline("annotate")


def run(pipeline: Pipeline, turns: list[tuple[str, str]], channel: str = "meeting") -> dict[str, object]:
    conversation = Conversation("t", [Turn(text, role=role, speaker=role) for role, text in turns], channel=channel)
    return {d.id: d for d in pipeline(conversation).disclaimers}


def conversation(lang: str, *agent_keys: str, client: str = "filler") -> list[tuple[str, str]]:
    turns = [("agent", LINES[lang]["hello"]), ("client", LINES[lang][client])]
    for key in agent_keys:
        turns += [("agent", LINES[lang][key]), ("client", LINES[lang]["filler"])]
    return turns


@pytest.mark.parametrize("lang", LANGS)
def test_recording_notice_said_in_a_call(pipeline: Pipeline, lang: str) -> None:
    result = run(pipeline, conversation(lang, "recording"), channel="call")["recording_notice"]
    assert (result.required, result.present, result.late, result.turn) == (True, True, False, 2)


@pytest.mark.parametrize("lang", LANGS)
def test_recording_notice_not_said_or_said_by_the_client(pipeline: Pipeline, lang: str) -> None:
    result = run(pipeline, conversation(lang, "filler", client="client_recording"), channel="call")
    assert result["recording_notice"].required and not result["recording_notice"].present


@pytest.mark.parametrize("lang", LANGS)
def test_recording_notice_not_required_outside_calls(pipeline: Pipeline, lang: str) -> None:
    assert not run(pipeline, conversation(lang, "filler"), channel="chat")["recording_notice"].required


@pytest.mark.parametrize("lang", LANGS)
def test_recording_notice_said_late(pipeline: Pipeline, lang: str) -> None:
    result = run(pipeline, conversation(lang, "filler", "filler", "recording"), channel="call")["recording_notice"]
    assert result.present and result.late


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("disclaimer", "trigger", "said", "negated"),
    [
        ("general_information", "forecast", "general", "general_negated"),
        ("risk_warning", "returns", "risk", "risk_contradicted"),
        ("commission_disclosure", "product", "commission", "rebate_commission"),
    ],
)
def test_topic_disclaimers(pipeline: Pipeline, lang: str, disclaimer: str, trigger: str, said: str,
                           negated: str) -> None:
    not_required = run(pipeline, conversation(lang, "filler"))[disclaimer]
    assert not not_required.required

    missing = run(pipeline, conversation(lang, trigger))[disclaimer]
    assert missing.required and not missing.present
    assert missing.trigger_turn == 2
    assert missing.trigger_evidence

    present = run(pipeline, conversation(lang, trigger, said))[disclaimer]
    assert present.required and present.present and present.turn == 4

    assert not run(pipeline, conversation(lang, trigger, negated))[disclaimer].present

    by_client = [*conversation(lang, trigger), ("client", LINES[lang][said])]
    assert not run(pipeline, by_client)[disclaimer].present


@pytest.mark.parametrize("lang", LANGS)
def test_client_talk_does_not_trigger(pipeline: Pipeline, lang: str) -> None:
    turns = [("agent", LINES[lang]["hello"]), ("client", LINES[lang]["returns"]), ("client", LINES[lang]["product"])]
    result = run(pipeline, turns)
    assert not result["risk_warning"].required and not result["commission_disclosure"].required


def test_code_mixed_turn_is_heard_in_either_language(pipeline: Pipeline) -> None:
    turns = [("agent", "Dạ quỹ này năm ngoái lãi 7% anh ạ. " + LINES["en"]["risk"])]
    result = run(pipeline, turns)["risk_warning"]
    assert result.required and result.present


COOLING_OFF = """
version: "test-1"
name: with-cooling-off
disclaimers:
  - id: cooling_off_notice
    description: The client may cancel within the free-look period.
    trigger:
      topics:
        en: ['\\b(sign|policy|contract)\\b']
        ru: ['договор|полис']
        vi: ['hợp đồng']
        zh: ['合同|保单']
    timing:
      before_trigger: false
    present:
      en: ['\\b(cancel|cooling[- ]off|free[- ]look)\\b && \\b(days?|period)\\b']
      ru: ['(отказаться|расторгнуть|период охлаждения) && (дней|дня|период)']
      vi: ['(hủy|cân nhắc) && ngày']
      zh: ['犹豫期|冷静期']
"""


def test_custom_policy_adds_a_disclaimer_without_code(tmp_path: Path) -> None:
    policy_path = tmp_path / "policy.yaml"
    policy_path.write_text(COOLING_OFF, encoding="utf-8")
    pipeline = load_pipeline("annotate")
    pipeline.components[-1] = DisclaimerAnnotator(policy_path)
    turns = [("agent", "Shall we sign the policy today?"), ("client", "Maybe.")]
    missing = {d.id: d for d in pipeline(Conversation("c", [Turn(t, role=r) for r, t in turns])).disclaimers}
    assert list(missing) == ["cooling_off_notice"]
    assert missing["cooling_off_notice"].required and not missing["cooling_off_notice"].present
    turns.append(("agent", "You can cancel within a 21 day cooling-off period for a full refund."))
    said = pipeline(Conversation("c", [Turn(t, role=r) for r, t in turns])).disclaimers[0]
    assert said.present and said.turn == 2


@pytest.mark.parametrize(
    ("mutation", "message"),
    [
        (lambda p: p.replace("    timing:", "    timeing:"), "unknown key 'timeing'"),
        (lambda p: p.replace("      zh: ['犹豫期|冷静期']\n", ""), "missing language 'zh'"),
        (lambda p: p.replace("'犹豫期|冷静期'", "'犹豫期(冷静期'"), "bad pattern"),
        (lambda p: p.replace('version: "test-1"\n', ""), "missing 'version'"),
        (lambda p: p.replace("        en: ['\\b(sign", "        xx: ['\\b(sign"), "unknown language 'xx'"),
    ],
)
def test_policy_errors_are_clear(tmp_path: Path, mutation, message: str) -> None:
    broken = mutation(COOLING_OFF)
    assert broken != COOLING_OFF
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(PolicyError, match=message):
        load_policy(path)


def test_not_yaml_and_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("disclaimers: [", encoding="utf-8")
    with pytest.raises(PolicyError, match="not valid YAML"):
        load_policy(path)
    with pytest.raises(PolicyError, match="mapping"):
        parse_policy(["a"])


def test_default_policy_is_valid_and_versioned() -> None:
    policy = load_policy()
    assert [d.id for d in policy.disclaimers] == [
        "recording_notice", "general_information", "risk_warning", "commission_disclosure"]
    assert policy.version
