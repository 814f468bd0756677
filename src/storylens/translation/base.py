"""The translator interface: turn short texts (headlines, leads, quotes) into the reader's language.

A translator never changes stored text: it returns new strings, which views show beside the original. ``None`` for
a text means "not translated" (the translator has no model for that pair, or translating is switched off).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable


class TranslationError(Exception):
    """A translator cannot run: a missing package or model, or an endpoint that failed. The message says how to
    fix it (what to install or set)."""


@runtime_checkable
class Translator(Protocol):
    """Translates batches of texts from one language into another."""

    #: Stable name stored with every cached result (e.g. ``"argos"``, ``"openai:gpt-4o-mini@http://…"``).
    name: str

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str | None]:
        """One result per text, in order; ``None`` where this translator leaves the text as it is."""
        ...


class NoTranslator:
    """The default: translates nothing. Views show the original, and beside it the names it mentions in the
    reader's language from the name lexicon (see ``storylens.translation.glossary``)."""

    name = "none"

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str | None]:
        return [None] * len(texts)
