"""The translation cache: results keyed by translator name, language pair and a hash of the source text."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from storylens.store.db import Store


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def lookup(store: Store, translator: str, source: str, target: str, texts: Iterable[str]) -> dict[str, str]:
    """Cached translations of ``texts`` (text → translation) for this translator and pair."""
    by_hash = {text_hash(text): text for text in texts}
    found: dict[str, str] = {}
    hashes = list(by_hash)
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        rows = store.conn.execute(
            f"""SELECT text_hash, translation FROM translations
                WHERE translator = ? AND source_lang = ? AND target_lang = ?
                  AND text_hash IN ({",".join("?" * len(chunk))})""",
            (translator, source, target, *chunk),
        )
        found.update({by_hash[row[0]]: row[1] for row in rows})
    return found


def remember(store: Store, translator: str, source: str, target: str, results: Mapping[str, str]) -> None:
    """Store translations in one transaction (a result already stored is kept)."""
    rows = [(translator, source, target, text_hash(text), translation) for text, translation in results.items()]
    with store.transaction() as conn:
        conn.executemany(
            """INSERT INTO translations (translator, source_lang, target_lang, text_hash, translation)
               VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
            rows,
        )
