from __future__ import annotations

import pytest

from analyzer.annotators.roles import RoleAnnotator
from analyzer.model import AnnotatedConversation, Conversation, Turn


def annotate(turns: list[Turn], mapping: dict[str, str] | None = None) -> AnnotatedConversation:
    doc = AnnotatedConversation(Conversation("c", turns))
    RoleAnnotator(mapping)(doc)
    return doc


def decision(doc: AnnotatedConversation, speaker: str):
    return next(d for d in doc.role_decisions if d.speaker == speaker)


def test_roles_given_in_input_win_and_fill_the_speakers_other_turns() -> None:
    doc = annotate([Turn("Hello", "Ann", "agent"), Turn("Hi", "Bob", "client"), Turn("So", "Ann")])
    assert doc.roles == ["agent", "client", "agent"]
    assert decision(doc, "Ann").method == "input"


def test_mapping_applies_when_input_has_no_role() -> None:
    doc = annotate([Turn("Hello", "Ann"), Turn("Hi", "Bob")], {"bob": "agent", "Ann": "client"})
    assert doc.roles == ["client", "agent"]
    assert {d.method for d in doc.role_decisions} == {"mapping"}


@pytest.mark.parametrize(
    ("agent_label", "client_label"),
    [("AGENT", "CLIENT"), ("Tư vấn viên", "Khách hàng"), ("Менеджер", "Клиент"), ("客服", "客户"),
     ("Agent 1", "Customer")],
)
def test_role_labels_as_speaker_names(agent_label: str, client_label: str) -> None:
    doc = annotate([Turn("...", client_label), Turn("...", agent_label)])
    assert doc.roles == ["client", "agent"]
    assert decision(doc, agent_label).method == "speaker_label"


@pytest.mark.parametrize(
    ("agent_text", "client_text"),
    [
        ("Good morning, this is Kate calling from Sunrise Insurance. Can I have your date of birth?",
         "Hi, how much is the premium for that?"),
        ("Dạ em chào chị, em gọi từ công ty bảo hiểm Phú An, cho em xin số CCCD của chị ạ.",
         "Ừ, cho chị hỏi gói này bao nhiêu tiền vậy em?"),
        ("Здравствуйте, вас беспокоит компания «Гарант», продиктуйте, пожалуйста, паспортные данные.",
         "А сколько это стоит в месяц?"),
        ("您好，我是安心保险的顾问，请问您的身份证号码是多少？", "这个多少钱啊？我再想想。"),
    ],
)
def test_evidence_finds_the_agent_in_each_language(agent_text: str, client_text: str) -> None:
    # the client speaks first, so the first-speaker default would be wrong
    doc = annotate([Turn(client_text, "X"), Turn(agent_text, "Y"), Turn(client_text, "X")])
    assert doc.roles == ["client", "agent", "client"]
    assert decision(doc, "Y").method == "evidence"
    assert decision(doc, "Y").evidence


def test_no_evidence_defaults_to_first_speaker_with_low_confidence() -> None:
    doc = annotate([Turn("hmm", "P"), Turn("yes", "Q")])
    assert doc.roles == ["agent", "client"]
    assert decision(doc, "P").method == "default"
    assert decision(doc, "P").confidence == 0.5


def test_a_labelled_agent_makes_the_rest_clients() -> None:
    doc = annotate([Turn("we offer a plan", "Agent"), Turn("calling from nowhere", "Sam")])
    assert doc.roles == ["agent", "client"]


def test_invalid_mapping_role_is_rejected() -> None:
    with pytest.raises(ValueError, match="agent, client or other"):
        RoleAnnotator({"Ann": "boss"})
