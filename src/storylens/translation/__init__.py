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
    "make_argos",
    "make_none",
    "make_openai_chat",
]


def make_none(rest: str) -> Translator:
    if rest:
        raise TranslationError(f"translator 'none:{rest}': 'none' takes no argument")
    return NoTranslator()


def make_argos(rest: str) -> Translator:
    if rest:
        raise TranslationError(f"translator 'argos:{rest}': 'argos' takes no argument")
    return ArgosTranslator()


def make_openai_chat(rest: str) -> Translator:
    model, at, base_url = rest.rpartition("@")
    if not (at and model and base_url):
        raise TranslationError(f"unknown translator 'openai:{rest}': expected 'openai:MODEL@BASE_URL'")
    return OpenAIChatTranslator(base_url, model)


def get_translator(spec: str = DEFAULT_TRANSLATOR_SPEC) -> Translator:
    """The translator a spec string names (see the module docstring; plugins add names through the
    ``storylens.translators`` entry points)."""
    from storylens.plugins import PluginError, plugin

    kind, _, rest = spec.strip().partition(":")
    try:
        factory = plugin("translators", kind)
    except PluginError as error:
        raise TranslationError(f"unknown translator {spec!r}: {error}") from error
    return factory(rest)  # type: ignore[no-any-return]
