"""A translator wrapped with the store's translation cache: each (translator, languages, text) is translated once.

Cached results are stored under the translator's name, so switching translators never mixes their results, and
stored article text is never touched.
"""

from __future__ import annotations

from collections.abc import Sequence

from storylens.store import translations
from storylens.store.db import Store
from storylens.translation.base import Translator


class CachedTranslator:
    """Looks texts up in ``store`` first and stores what ``inner`` translates (``None`` results are not stored)."""

    def __init__(self, inner: Translator, store: Store) -> None:
        self.inner = inner
        self.store = store
        self.name = inner.name

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str | None]:
        known = translations.lookup(self.store, self.name, source, target, texts)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = dict(zip(missing, self.inner.translate(missing, source, target), strict=True))
            done = {text: result for text, result in fresh.items() if result is not None}
            if done:
                translations.remember(self.store, self.name, source, target, done)
            known.update(done)
        return [known.get(text) for text in texts]
