"""Annotators: components that add a layer (languages, sentences, roles) to a conversation."""

from analyzer.annotators import language, roles, sentences

__all__ = ["language", "roles", "sentences"]
