"""Realistic reports in vi, ru, zh and en for rendering, scorecard and notebook tests.

Why a factory: the detectors are still being written, so real reports have
few findings. Each conversation here goes through the real pipeline
(languages, sentences, roles) and `build_report`; only the layers detectors
and the disclaimer policy would add (findings, PII spans, disclaimers) are
scripted, by quoting the text they cover, so offsets are always right and
the report is exactly what the analyser writes. Scripted layers replace
whatever detectors find, which keeps tests deterministic as detectors land.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from analyzer.model import Conversation, DisclaimerResult, Finding, PiiSpan
from analyzer.report import build_report, dumps_report, report_filename

# (turn, category, quoted text, confidence, evidence)
FindingSpec = tuple[int, str, str, float, str]
# (turn, quoted value, type)
PiiSpec = tuple[int, str, str]
# id -> (required, present, trigger_turn, turn, late)
DisclaimerSpec = dict[str, tuple[bool, bool, int | None, int | None, bool]]


@dataclass
class Spec:
    language: str
    channel: str
    agent_id: str
    recorded_at: str
    turns: list[tuple[str, str, str]]  # speaker, role, text
    findings: list[FindingSpec] = field(default_factory=list)
    pii: list[PiiSpec] = field(default_factory=list)
    disclaimers: DisclaimerSpec = field(default_factory=dict)


VI = Spec("vi", "call", "A-17", "2024-05-02T10:15:00Z", [
    ("Lan", "agent", "Chào anh, em là Lan gọi từ bảo hiểm An Phúc. Cuộc gọi này được ghi âm để đảm bảo chất lượng."),
    ("Minh", "client", "Ừ, chào em. Anh đang bận, em nói nhanh giúp anh."),
    ("Lan", "agent", "Dạ, anh là người tinh tế nhất mà em từng gặp, nên em nghĩ anh sẽ thấy ngay gói An Tâm Trọn Đời "
                     "rất hợp với gia đình mình."),
    ("Minh", "client", "Phí mỗi tháng bao nhiêu? Lãi có cao không em?"),
    ("Lan", "agent", "Dạ phí là 1,2 triệu mỗi tháng, lãi suất tích lũy 7% một năm. Chỉ còn hôm nay thôi, mai là hết "
                     "suất rồi anh ạ."),
    ("Minh", "client", "Thế em hoàn lại cho anh một phần hoa hồng nhé, bên kia người ta cho anh 10%."),
    ("Lan", "agent", "Dạ, chị Trần Thị Hoa ở cùng tòa nhà với anh cũng vừa ký gói này, chị ấy đóng 2 triệu mỗi tháng."),
    ("Minh", "client", "Thôi được, số điện thoại của anh là 0912 345 678, CCCD 001085012345."),
    ("Lan", "agent", "Dạ em cảm ơn anh. Em cũng nói rõ là em nhận hoa hồng từ công ty bảo hiểm cho hợp đồng này ạ."),
], findings=[
    (2, "flattery", "anh là người tinh tế nhất mà em từng gặp", 0.91, "superlative about the client: 'tinh tế nhất'"),
    (4, "pressure", "Chỉ còn hôm nay thôi, mai là hết suất rồi anh ạ.", 0.88, "deadline + scarcity: 'chỉ còn hôm nay'"),
    (5, "rebate_request", "Thế em hoàn lại cho anh một phần hoa hồng nhé, bên kia người ta cho anh 10%.", 0.95,
     "asks for part of the commission: 'hoàn lại ... hoa hồng'"),
    (6, "pii_disclosure", "Dạ, chị Trần Thị Hoa ở cùng tòa nhà với anh cũng vừa ký gói này, chị ấy đóng 2 triệu mỗi "
                          "tháng.", 0.84, "third person's name with their premium"),
], pii=[(6, "Trần Thị Hoa", "PERSON"), (7, "0912 345 678", "PHONE"), (7, "001085012345", "ID_NUMBER")],
   disclaimers={
    "recording_notice": (True, True, 0, 0, False),
    "general_information": (False, False, None, None, False),
    "risk_warning": (True, False, 4, None, False),
    "commission_disclosure": (True, True, 2, 8, True),
})

RU = Spec("ru", "call", "A-21", "2024-05-03T09:00:00Z", [
    ("Ольга", "agent", "Добрый день, Игорь Петрович! Меня зовут Ольга, страховая компания «Надёжный полис»."),
    ("Игорь", "client", "Здравствуйте. Я хотел узнать про КАСКО на новую машину."),
    ("Ольга", "agent", "Для вас подойдёт программа «КАСКО Премиум», она стоит 48 000 рублей в год. Решайте прямо "
                       "сейчас, завтра такого условия уже не будет."),
    ("Игорь", "client", "Дороговато. Мне нужно посоветоваться с женой."),
    ("Ольга", "agent", "Вы самый мудрый клиент из всех, с кем я работала, и вы же понимаете, что откладывать нельзя."),
    ("Игорь", "client", "А скидку какую-нибудь можете сделать?"),
    ("Ольга", "agent", "Я верну вам десять процентов своей комиссии наличными, только между нами."),
    ("Игорь", "client", "Хорошо. Паспорт 4510 123456, телефон +7 916 123-45-67, почта igor.petrov@mail.ru."),
    ("Ольга", "agent", "Спасибо, оформляю. Деньги вернутся вам в течение недели после оплаты."),
], findings=[
    (2, "pressure", "Решайте прямо сейчас, завтра такого условия уже не будет.", 0.93, "demands an immediate decision"),
    (4, "flattery", "Вы самый мудрый клиент из всех, с кем я работала, и вы же понимаете, что откладывать нельзя.",
     0.86, "superlative praise against the client's wish to consult his wife"),
    (4, "pressure", "вы же понимаете, что откладывать нельзя", 0.81, "answers a wish to wait: 'откладывать нельзя'"),
    (6, "rebate_offer", "Я верну вам десять процентов своей комиссии наличными, только между нами.", 0.97,
     "offers part of the commission in cash"),
    (8, "rebate_offer", "Деньги вернутся вам в течение недели после оплаты.", 0.62, "specifies the rebate's timing"),
], pii=[(0, "Игорь Петрович", "PERSON"), (7, "4510 123456", "ID_NUMBER"), (7, "+7 916 123-45-67", "PHONE"),
        (7, "igor.petrov@mail.ru", "EMAIL")],
   disclaimers={
    "recording_notice": (True, False, 0, None, False),
    "general_information": (False, False, None, None, False),
    "risk_warning": (False, False, None, None, False),
    "commission_disclosure": (True, False, 2, None, False),
})

ZH = Spec("zh", "chat", "A-17", "2024-05-09T14:30:00Z", [
    ("张经理", "agent", "王先生您好，我是恒信基金的张经理。"),
    ("王先生", "client", "你好，我想了解一下你们的债券基金。"),
    ("张经理", "agent", "您是我见过最有眼光的客户。我们的稳健债券A去年收益率是5.8%，今年肯定还会涨。"),
    ("王先生", "client", "我再考虑考虑，跟家里人商量一下。"),
    ("张经理", "agent", "名额只剩两个了，今天不签就没有了。"
                     "李娜女士上周刚买了五十万，她的电话是13912345678，您可以问问她。"),
    ("王先生", "client", "你把佣金返一点给我吧，我就今天签。"),
    ("张经理", "agent", "这个不行，返佣是违法的。不过过往业绩不代表未来表现，收益不保证。"),
    ("王先生", "client", "好吧。我的身份证号是110105198001011234，手机13800138000。"),
], findings=[
    (2, "flattery", "您是我见过最有眼光的客户。", 0.9, "superlative about the client: '最有眼光'"),
    (4, "pressure", "名额只剩两个了，今天不签就没有了。", 0.94, "scarcity and a same-day deadline"),
    (4, "pii_disclosure", "李娜女士上周刚买了五十万，她的电话是13912345678，您可以问问她。", 0.89,
     "another client's name, purchase and phone"),
    (5, "rebate_request", "你把佣金返一点给我吧，我就今天签。", 0.96, "asks for part of the commission"),
], pii=[(0, "王先生", "PERSON"), (4, "李娜", "PERSON"), (4, "13912345678", "PHONE"),
        (7, "110105198001011234", "ID_NUMBER"), (7, "13800138000", "PHONE")],
   disclaimers={
    "recording_notice": (False, False, None, None, False),
    "general_information": (True, False, 2, None, False),
    "risk_warning": (True, True, 2, 6, True),
    "commission_disclosure": (True, False, 2, None, False),
})

EN = Spec("en", "meeting", "A-21", "2024-05-10T16:00:00Z", [
    ("Daniel", "agent", "Thanks for coming in, Sarah. Just so you know, I'm paid a commission by the pension provider "
                        "if you go ahead with a plan."),
    ("Sarah Miller", "client", "That's fine. I want to move my old pension, but I'm in no rush."),
    ("Daniel", "agent", "You're easily the sharpest investor I've ever met, so you'll see why the Growth Plus Plan is "
                        "right for you."),
    ("Sarah Miller", "client", "What returns could I expect?"),
    ("Daniel", "agent", "It returned 9% last year. Past performance is no guarantee, and the value can fall as well as "
                        "rise."),
    ("Sarah Miller", "client", "I'd like to compare it with my bank's offer first."),
    ("Daniel", "agent", "Honestly, someone as smart as you shouldn't wait. Only elite clients like you get this rate, "
                        "and it ends Friday."),
    ("Sarah Miller", "client", "Alright. My email is sarah.miller@example.com and my card is 4111 1111 1111 1111."),
    ("Daniel", "agent", "Great. Mr. Patel, who lives at 14 Elm Road, moved his whole pension into this plan "
                        "last month."),
], findings=[
    (2, "flattery", "You're easily the sharpest investor I've ever met, so you'll see why the Growth Plus Plan is "
                    "right for you.", 0.92, "superlative praise tied to the decision"),
    (6, "flattery", "someone as smart as you shouldn't wait. Only elite clients like you get this rate", 0.87,
     "status flattery against the wish to compare"),
    (6, "pressure", "shouldn't wait. Only elite clients like you get this rate, and it ends Friday.", 0.9,
     "answers the wish to compare with a deadline"),
    (8, "pii_disclosure", "Mr. Patel, who lives at 14 Elm Road, moved his whole pension into this plan last month.",
     0.83, "another client's name, address and pension"),
], pii=[(0, "Sarah", "PERSON"), (7, "sarah.miller@example.com", "EMAIL"), (7, "4111 1111 1111 1111", "CARD_NUMBER"),
        (8, "Patel", "PERSON"), (8, "14 Elm Road", "ADDRESS")],
   disclaimers={
    "recording_notice": (False, False, None, None, False),
    "general_information": (False, False, None, None, False),
    "risk_warning": (True, True, 4, 4, False),
    "commission_disclosure": (True, True, 2, 0, False),
})

SPECS: dict[str, Spec] = {"vi": VI, "ru": RU, "zh": ZH, "en": EN}


@cache
def _pipeline() -> Any:
    from analyzer.api import load_pipeline

    return load_pipeline()


def _locate(text: str, quote: str, where: str) -> tuple[int, int]:
    start = text.find(quote)
    if start < 0:
        raise AssertionError(f"{where}: quote not found in turn text")
    return start, start + len(quote)


def _conversation(spec: Spec, conversation_id: str, agent_id: str, recorded_at: str) -> Conversation:
    turns, clock = [], 0.0
    for speaker, role, text in spec.turns:
        duration = round(1.5 + len(text) / 15, 1)
        turns.append({"speaker": speaker, "role": role, "start": clock, "end": clock + duration, "text": text})
        clock = round(clock + duration + 0.6, 1)
    return Conversation.from_dict({"id": conversation_id, "channel": spec.channel, "language": spec.language,
                                   "metadata": {"agent_id": agent_id, "recorded_at": recorded_at}, "turns": turns})


def make_report(language: str, *, conversation_id: str | None = None, agent_id: str | None = None,
                recorded_at: str | None = None) -> dict[str, Any]:
    """The report of the `language` conversation, with scripted findings, PII spans and disclaimers."""
    spec = SPECS[language]
    conversation = _conversation(spec, conversation_id or f"{language}-demo", agent_id or spec.agent_id,
                                 recorded_at or spec.recorded_at)
    doc = _pipeline()(conversation)
    texts = [t.text for t in conversation.turns]
    doc.findings = [Finding(cat, turn, *_locate(texts[turn], quote, f"{language} finding {turn}"), conf, evidence,
                            detector="report_factory", explanation={"rule": cat, "cue": evidence})
                    for turn, cat, quote, conf, evidence in spec.findings]
    doc.pii = [PiiSpan(turn, *_locate(texts[turn], value, f"{language} pii {turn}"), kind, detector="report_factory")
               for turn, value, kind in spec.pii]
    doc.disclaimers = [DisclaimerResult(d_id, req, pres, trig, said, late,
                                        "trigger quoted by the policy" if trig is not None else None,
                                        "wording heard" if said is not None else None)
                       for d_id, (req, pres, trig, said, late) in spec.disclaimers.items()]
    return build_report(doc, components=_pipeline().names)


@cache
def _cached_report(language: str, conversation_id: str, agent_id: str, recorded_at: str) -> dict[str, Any]:
    return make_report(language, conversation_id=conversation_id, agent_id=agent_id, recorded_at=recorded_at)


def batch(weeks: int = 3) -> list[dict[str, Any]]:
    """Every language's conversation, repeated over `weeks` weeks for two agents (for scorecard trends)."""
    reports = []
    for week in range(weeks):
        for language, spec in SPECS.items():
            when = datetime.fromisoformat(spec.recorded_at.replace("Z", "+00:00")) + timedelta(weeks=week)
            agent = spec.agent_id if week % 2 == 0 else {"A-17": "A-21", "A-21": "A-17"}[spec.agent_id]
            report = _cached_report(language, f"{language}-w{week}", agent, when.strftime("%Y-%m-%dT%H:%M:%SZ"))
            reports.append(copy.deepcopy(report))
    return reports


def write_reports(folder: Path, reports: list[dict[str, Any]] | None = None) -> list[Path]:
    """Write reports (default: `batch()`) as `analyzer score` would; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for report in reports if reports is not None else batch():
        path = folder / report_filename(report["conversation_id"])
        path.write_text(dumps_report(report), encoding="utf-8")
        paths.append(path)
    return paths
