"""Plain-dict forms of stored objects, shared by `--json`, exports and the HTTP API."""

from __future__ import annotations

from typing import Any

from storylens.store.articles import Article, get_article
from storylens.store.db import Store


def article_dict(store: Store, article: Article, *, with_text: bool = False) -> dict[str, Any]:
    original = get_article(store, article.translation_of) if article.translation_of else None
    data: dict[str, Any] = {
        "id": article.display_id,
        "db_id": article.id,
        "external_id": article.external_id,
        "path": article.path,
        "url": article.url,
        "title": article.title,
        "lang": article.lang,
        "lang_confidence": round(article.lang_confidence, 3),
        "published": article.published.isoformat() if article.published else None,
        "date_method": article.date_method,
        "date_evidence": article.date_evidence,
        **_inferred(article),
        "source": article.source,
        "role": article.role,
        "translation_of": original.display_id if original else None,
        "chars": len(article.text),
    }
    if with_text:
        data["text"] = article.text
        data["offsets"] = {"document_id": article.document_id, "start": article.start, "end": article.end}
    return data


def _inferred(article: Article) -> dict[str, Any]:
    """An undated article shows the date inferred from its story, marked as inferred."""
    if article.published is not None or article.inferred_date is None:
        return {}
    return {
        "published": article.inferred_date.isoformat(),
        "date_method": "inferred",
        "date_evidence": article.inferred_evidence,
    }
