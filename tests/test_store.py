"""The SQLite store: migrations, transactions, verbatim originals, duplicate detection."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from storylens.models import DateInfo, LanguageGuess, RawDocument, Segment
from storylens.store.articles import NewArticle, get_article, list_articles, store_document
from storylens.store.db import Store, StoreError, migrations


def new_article(part: int, start: int, end: int, translation_of_part: int | None = None) -> NewArticle:
    return NewArticle(
        part=part,
        key="doc.txt",
        role="translation" if translation_of_part else "article",
        start=start,
        end=end,
        title=None,
        language=LanguageGuess("en", 0.99),
        date=DateInfo(dt.date(2026, 1, 5), "header", "2026-01-05"),
        source=None,
        segments=(Segment(start, end, "body"),),
        translation_of_part=translation_of_part,
    )


def test_migrations_run_once_and_set_the_version(db_path: Path) -> None:
    with Store(db_path) as store:
        assert store.version == migrations()[-1][0]
    with Store(db_path) as store:
        assert store.version == migrations()[-1][0]
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_schema_is_refused(db_path: Path) -> None:
    Store(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA user_version = 999")
    with pytest.raises(StoreError, match="newer storylens"):
        Store(db_path)


def test_article_text_is_a_slice_of_the_verbatim_document(store: Store) -> None:
    text = "  Header\u00a0line\r\nFirst article body.\n\nSecond one, in another tongue.\n"
    doc = RawDocument(origin="doc.txt", kind="text", text=text, path="doc.txt")
    first = text.index("First")
    second = text.index("Second")
    result = store_document(store, doc, [new_article(1, first, second - 2), new_article(2, second, len(text) - 1, 1)])
    assert len(result.new_article_ids) == 2
    stored = store.conn.execute("SELECT text FROM documents").fetchone()[0]
    assert stored == text
    one, two = list_articles(store)
    assert one.text == "First article body." and two.text == "Second one, in another tongue."
    assert two.translation_of == one.id
    assert get_article(store, "doc.txt#2") == two
    assert get_article(store, str(one.id)) == one


def test_same_text_elsewhere_is_a_duplicate(store: Store) -> None:
    body = "A ferry ran aground near the island on Sunday; all 40 passengers were taken ashore."
    store_document(store, RawDocument(origin="a.txt", kind="text", text=body), [new_article(1, 0, len(body))])
    copy = "  " + body.replace(" ", "\n", 1) + "\n"
    result = store_document(
        store, RawDocument(origin="b.txt", kind="text", text=copy), [new_article(1, 2, len(copy) - 1)]
    )
    assert result.new_article_ids == () and result.duplicate_parts == 1
    assert store.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_a_failed_write_leaves_nothing_behind(store: Store) -> None:
    body = "A school reopened after the flood."
    with pytest.raises(sqlite3.IntegrityError):
        store_document(
            store,
            RawDocument(origin="a.txt", kind="text", text=body),
            [new_article(1, 0, len(body)), new_article(1, 0, 8)],
        )
    assert store.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
