"""Translation with Argos Translate (OpenNMT CTranslate2 models) that the user has installed.

Nothing is downloaded here: the models must already be installed with Argos's own package manager, e.g.
``pip install argostranslate`` then ``argospm update && argospm install translate-he_en``. Pairs without a direct
model go through English when both halves are installed (Argos does this itself).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from storylens.translation.base import TranslationError

INSTALL_HINT = "pip install argostranslate, then install a model: argospm update && argospm install translate-{}_{}"


def _argos() -> ModuleType:
    try:
        return importlib.import_module("argostranslate.translate")
    except ImportError as error:
        raise TranslationError(
            "translator 'argos' needs the argostranslate package: " + INSTALL_HINT.format("he", "en")
        ) from error


class ArgosTranslator:
    """Uses the Argos models installed for the current user; ``translate`` raises TranslationError naming the
    missing pair and how to install it."""

    name = "argos"

    def __init__(self, module: ModuleType | None = None) -> None:
        self._translate = module or _argos()

    def _pair(self, source: str, target: str) -> Any:
        languages = {language.code: language for language in self._translate.get_installed_languages()}
        if source not in languages or target not in languages:
            raise TranslationError(
                f"no Argos model from {source!r} to {target!r} is installed: " + INSTALL_HINT.format(source, target)
            )
        pair = languages[source].get_translation(languages[target])
        if pair is None:
            raise TranslationError(
                f"no Argos model from {source!r} to {target!r} is installed: " + INSTALL_HINT.format(source, target)
            )
        return pair

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str | None]:
        if not texts:
            return []
        pair = self._pair(source, target)
        return [str(pair.translate(text)) for text in texts]
