"""Put a brief in front of a reader of another language: translations beside the originals, names as the reader
writes them.

Only texts in a language other than the reader's are sent to the translator, grouped by their language; the
originals stay in the brief untouched. A translator that cannot run raises ``TranslationError`` with its message.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storylens.store.db import Store
from storylens.translation import Translator
from storylens.translation.cached import CachedTranslator
from storylens.translation.glossary import name_in


def _translatable(brief: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item of the brief that holds a headline, lead or quote, with its ``text`` key and language."""
    items: list[dict[str, Any]] = []
    for story in brief["stories"]:
        items += story["reports"]
        items += [s for quote in story["quotes"] for s in quote["statements"]]
        changes = story.get("changes")
        if changes:
            items += [{**c, "text": c["title"], "_item": c} for c in changes["articles"] if c.get("title")]
            items += changes["quotes"]
    items += [{**s, "text": s["title"], "_item": s} for s in brief["sources"] if s.get("title")]
    return items


def translate_brief(brief: dict[str, Any], translator: Translator, target: str) -> None:
    """Add ``translation`` to every headline, lead and quote not written in ``target`` and ``reader_name`` to every
    name, in place; record the translator's name in ``brief["translator"]``."""
    pending: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in _translatable(brief):
        owner = item.get("_item", item)
        owner["translation"] = None
        if item.get("lang") and item["lang"] != target and item.get("text"):
            pending[item["lang"]].append(item)
    for source, items in pending.items():
        results = translator.translate([item["text"] for item in items], source, target)
        for item, result in zip(items, results, strict=True):
            item.get("_item", item)["translation"] = result
    for story in brief["stories"]:
        for name in story["names"]:
            name["reader_name"] = name_in(name["entity"], target)
    brief["translator"] = translator.name


@contextmanager
def cached(translator: Translator, db_path: Path | str) -> Iterator[Translator]:
    """``translator`` with the store's cache, for a server whose request connections are read-only: the cache
    is written through a connection of its own (``none`` needs no cache)."""
    if translator.name == "none":
        yield translator
        return
    with Store(db_path) as store:
        yield CachedTranslator(translator, store)
