"""Entity names in the reader's language, from the entities' own written variants and the name lexicon.

This is what storylens shows when nothing translates ("none", the default): the original text, and beside it the
names it mentions as a reader of ``target`` writes them (the Hebrew spelling of Putin → "Putin" for an English reader).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from storylens.lexicon.names import LANGS, name_lexicon


def name_in(entity: Mapping[str, Any], target: str) -> str | None:
    """How a reader of ``target`` writes the entity: its most frequent variant written in that language; for
    English, its own name unless that is a romanisation; else the lexicon's name in that language for one of its
    variants (whole names before single name tokens); None when nothing is known."""
    written = [v for v in entity.get("variants", ()) if v.get("lang") == target]
    if written:
        return str(max(written, key=lambda v: v.get("count", 0))["text"])
    if target == "en" and not entity.get("romanised"):
        return str(entity["name"])
    if target not in LANGS:
        return None
    lexicon = name_lexicon()
    variants = sorted(entity.get("variants", ()), key=lambda v: -v.get("count", 0))
    entries = [entry for variant in variants for entry in lexicon.lookup(str(variant["text"]))]
    for entry in sorted(entries, key=lambda e: e.is_token):
        names = entry.names.get(target)
        if names:
            return entry.label if target == "en" else names[0]
    return None


def glossary(entities: Iterable[Mapping[str, Any]], target: str) -> dict[int, str]:
    """Entity id → name in ``target`` for every entity whose name there is known."""
    found = {int(e["id"]): name_in(e, target) for e in entities}
    return {entity_id: name for entity_id, name in found.items() if name}
