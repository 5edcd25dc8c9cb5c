"""Components, the registry that names them, and the pipeline that runs them.

Two kinds of component, both small protocols:

* an **annotator** adds a layer to the `AnnotatedConversation` in place
  (languages, sentences, roles, disclaimers);
* a **detector** returns `Finding`s and/or `PiiSpan`s; the pipeline files
  them in the right layer, so detectors never touch shared state.

Components are registered by name with a factory (like spaCy's
`@Language.factory`) and assembled from `resources/pipeline.toml`, so a user
can add, drop or reorder them without code changes. Settings come from
`[components.NAME]`, then `[profiles.PROFILE.settings.NAME]`, then the caller.
"""

from __future__ import annotations

import time
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from analyzer.model import AnnotatedConversation, Conversation, Finding, PiiSpan

RESOURCES = Path(__file__).parent / "resources"
DEFAULT_CONFIG = RESOURCES / "pipeline.toml"


@runtime_checkable
class Annotator(Protocol):
    name: str

    def __call__(self, doc: AnnotatedConversation) -> None: ...


@runtime_checkable
class Detector(Protocol):
    name: str

    def detect(self, doc: AnnotatedConversation) -> Iterable[Finding | PiiSpan]: ...


Component = Annotator | Detector
Factory = Callable[[Mapping[str, Any]], Component]


class ConfigError(ValueError):
    """A pipeline configuration that names unknown components or profiles."""


@dataclass
class Registry:
    """Name → factory. Modules register themselves on import."""

    factories: dict[str, Factory] = field(default_factory=dict)

    def register(self, name: str) -> Callable[[Factory], Factory]:
        def decorator(factory: Factory) -> Factory:
            if name in self.factories:
                raise ValueError(f"component {name!r} is already registered")
            self.factories[name] = factory
            return factory

        return decorator

    def create(self, name: str, settings: Mapping[str, Any]) -> Component:
        _load_builtin_components()
        try:
            factory = self.factories[name]
        except KeyError:
            known = ", ".join(sorted(self.factories))
            raise ConfigError(f"unknown component {name!r}; known components: {known}") from None
        return factory(settings)


registry = Registry()


def _load_builtin_components() -> None:
    """Import the modules whose decorators fill the registry (once)."""
    import analyzer.annotators
    import analyzer.detectors
    import analyzer.policy  # noqa: F401


class Pipeline:
    """Runs components in order over conversations; records time per stage."""

    def __init__(self, components: list[Component], profile: str = "custom") -> None:
        self.components = components
        self.profile = profile

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    @classmethod
    def from_config(
        cls,
        profile: str = "default",
        config_path: Path | None = None,
        overrides: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> Pipeline:
        config = load_config(config_path)
        profiles = config.get("profiles", {})
        if profile not in profiles:
            raise ConfigError(f"unknown profile {profile!r}; profiles: {', '.join(sorted(profiles))}")
        settings = config.get("components", {})
        profile_settings = profiles[profile].get("settings", {})
        components = []
        for name in profiles[profile]["components"]:
            merged = {**settings.get(name, {}), **profile_settings.get(name, {}), **(overrides or {}).get(name, {})}
            components.append(registry.create(name, merged))
        return cls(components, profile=profile)

    def __call__(self, conversation: Conversation, *, timed: bool = False) -> AnnotatedConversation:
        doc = AnnotatedConversation(conversation)
        for component in self.components:
            started = time.perf_counter() if timed else 0.0
            if isinstance(component, Detector):
                _file_results(doc, component.detect(doc))
            else:
                component(doc)
            if timed:
                doc.stage_seconds[component.name] = time.perf_counter() - started
        return doc

    def pipe(self, conversations: Iterable[Conversation], *, timed: bool = False) -> Iterator[AnnotatedConversation]:
        for conversation in conversations:
            yield self(conversation, timed=timed)


def _file_results(doc: AnnotatedConversation, results: Iterable[Finding | PiiSpan]) -> None:
    for result in results:
        if isinstance(result, PiiSpan):
            doc.pii.append(result)
        elif isinstance(result, Finding):
            doc.findings.append(result)
        else:
            raise TypeError(f"a detector returned {type(result).__name__}, expected Finding or PiiSpan")


def load_config(path: Path | None = None) -> dict[str, Any]:
    with open(path or DEFAULT_CONFIG, "rb") as handle:
        return tomllib.load(handle)


def available_profiles(path: Path | None = None) -> list[str]:
    return sorted(load_config(path).get("profiles", {}))
