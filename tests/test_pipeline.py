from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from analyzer.model import AnnotatedConversation, Conversation, Finding, PiiSpan, Turn
from analyzer.pipeline import ConfigError, Pipeline, Registry, load_config, registry


class ShoutDetector:
    """A toy detector: flags every sentence in capitals as pressure."""

    name = "test.shout"

    def detect(self, doc: AnnotatedConversation) -> Iterable[Finding | PiiSpan]:
        for sentence in doc.iter_sentences():
            text = doc.sentence_text(sentence)
            if text.isupper():
                yield Finding("pressure", sentence.turn, sentence.start, sentence.end, 0.9, f"all caps: {text!r}")
        yield PiiSpan(0, 0, 3, "PERSON", 0.8)


def conversation() -> Conversation:
    return Conversation("c1", [Turn("Ann here. SIGN NOW!", "Ann", "agent"), Turn("ok", "Bob", "client")])


def test_pipeline_runs_components_in_order_and_files_detector_results() -> None:
    base = Pipeline.from_config("annotate")
    pipeline = Pipeline([*base.components, ShoutDetector()])
    doc = pipeline(conversation(), timed=True)
    assert doc.languages == ["en", "en"]
    assert [(f.category, f.turn, f.start, f.end) for f in doc.findings] == [("pressure", 0, 10, 19)]
    assert doc.pii == [PiiSpan(0, 0, 3, "PERSON", 0.8)]
    assert set(doc.stage_seconds) == {*base.names, "test.shout"}


def test_a_detector_returning_something_else_is_an_error() -> None:
    class Broken:
        name = "broken"

        def detect(self, doc: AnnotatedConversation) -> list[Any]:
            return ["nope"]

    with pytest.raises(TypeError, match="expected Finding or PiiSpan"):
        Pipeline([Broken()])(conversation())


def test_registry_creates_components_from_settings() -> None:
    local = Registry()

    @local.register("shout")
    def make(settings: Mapping[str, Any]) -> ShoutDetector:
        return ShoutDetector()

    assert isinstance(local.create("shout", {}), ShoutDetector)
    with pytest.raises(ValueError, match="already registered"):
        local.register("shout")(make)


def test_unknown_component_or_profile_names_the_known_ones(tmp_path) -> None:
    with pytest.raises(ConfigError, match=r"known components: .*language"):
        registry.create("no-such-component", {})
    with pytest.raises(ConfigError, match="profiles: annotate, default, fast"):
        Pipeline.from_config("turbo")


def test_user_config_file_can_reorder_and_drop_components(tmp_path) -> None:
    config = tmp_path / "pipeline.toml"
    config.write_text('[profiles.mini]\ncomponents = ["language"]\n', encoding="utf-8")
    pipeline = Pipeline.from_config("mini", config)
    assert pipeline.names == ["language"]
    doc = pipeline(conversation())
    assert doc.sentences == [] and doc.languages == ["en", "en"]


def test_builtin_profiles_exist() -> None:
    assert {"default", "fast"} <= set(load_config()["profiles"])
