from __future__ import annotations

import json

from analyzer.api import analyze, load_pipeline
from analyzer.model import DisclaimerResult, Finding
from analyzer.policy.risk import risk_score
from analyzer.report import dumps_report, report_filename

CONVERSATION = {
    "id": "call/2024 #1",
    "channel": "call",
    "metadata": {"agent_id": "A-17"},
    "turns": [
        {"speaker": "Lan", "role": "agent", "start": 0.0, "end": 4.2,
         "text": "Chào anh, cuộc gọi này được ghi âm để đảm bảo chất lượng. Em gọi từ công ty bảo hiểm."},
        {"speaker": "Minh", "text": "Vâng, chào em."},
    ],
}


def test_report_has_the_contract_fields_and_the_transcript() -> None:
    report = analyze(CONVERSATION)
    for key in ("conversation_id", "languages", "risk_score", "findings", "pii", "disclaimers"):
        assert key in report
    assert report["conversation_id"] == "call/2024 #1"
    assert report["languages"] == ["vi"]
    text = CONVERSATION["turns"][0]["text"]
    first_end = text.index("lượng.") + len("lượng.")
    assert report["turns"][0]["sentences"] == [[0, first_end], [first_end + 1, len(text)]]
    assert report["turns"][1]["role"] == "client"
    assert report["roles"][0]["method"] == "input"
    assert (report["roles"][1]["role"], report["roles"][1]["method"]) == ("client", "evidence")
    assert report["metadata"] == {"agent_id": "A-17"}
    assert 0 <= report["risk_score"] <= 100


def test_same_input_same_bytes() -> None:
    pipeline = load_pipeline()
    assert dumps_report(analyze(CONVERSATION, pipeline)) == dumps_report(analyze(CONVERSATION, load_pipeline()))
    assert json.loads(dumps_report(analyze(CONVERSATION, pipeline)))["risk_score"] == 0


def test_risk_score_grows_with_findings_and_stays_bounded() -> None:
    pressure = Finding("pressure", 1, 0, 5, 1.0, "")
    rebate = Finding("rebate_offer", 2, 0, 5, 1.0, "")
    missing = DisclaimerResult("risk_warning", required=True, present=False)
    assert risk_score([], []) == 0
    one = risk_score([pressure], [])
    assert 0 < one < risk_score([pressure, rebate], []) < risk_score([pressure, rebate], [missing]) < 100
    # the same category twice in one turn counts once, at the higher confidence
    assert risk_score([pressure, Finding("pressure", 1, 6, 9, 0.5, "")], []) == one
    many = [Finding("rebate_offer", t, 0, 1, 1.0, "") for t in range(50)]
    assert 95 <= risk_score(many, []) <= 100


def test_report_filenames_are_safe_and_distinct() -> None:
    assert report_filename("call-2024-0193") == "call-2024-0193.json"
    odd = report_filename("../../etc/passwd")
    assert "/" not in odd and odd.endswith(".json")
    assert report_filename("a/b") != report_filename("a_b")
