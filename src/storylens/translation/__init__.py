"""Pluggable translation of headlines, leads and quotes, on demand, cached in the store.

Pick one with :func:`get_translator` from a spec string:

- ``"none"`` (default): nothing is translated; views show the original and the names it mentions in the reader's
  language (``storylens.translation.glossary``).
- ``"argos"``: Argos Translate models the user has installed (``pip install argostranslate`` and ``argospm``).
- ``"openai:MODEL@BASE_URL"``: an OpenAI-compatible chat endpoint; the key comes from
  ``STORYLENS_TRANSLATE_API_KEY`` or ``OPENAI_API_KEY``.
"""

from __future__ import annotations

from storylens.translation.argos import ArgosTranslator
from storylens.translation.base import NoTranslator, TranslationError, Translator
from storylens.translation.openai_chat import OpenAIChatTranslator

DEFAULT_TRANSLATOR_SPEC = "none"

__all__ = [
    "DEFAULT_TRANSLATOR_SPEC",
    "ArgosTranslator",
    "NoTranslator",
    "OpenAIChatTranslator",
    "TranslationError",
    "Translator",
    "get_translator",
]


def get_translator(spec: str = DEFAULT_TRANSLATOR_SPEC) -> Translator:
    """The translator a spec string names (see the module docstring)."""
    kind, _, rest = spec.strip().partition(":")
    if kind == "none" and not rest:
        return NoTranslator()
    if kind == "argos" and not rest:
        return ArgosTranslator()
    if kind == "openai" and rest:
        model, at, base_url = rest.rpartition("@")
        if at and model and base_url:
            return OpenAIChatTranslator(base_url, model)
    raise TranslationError(f"unknown translator {spec!r}: use 'none', 'argos' or 'openai:MODEL@BASE_URL'")
