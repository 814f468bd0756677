"""A small multilingual store for the view tests, built from hand-written articles, and checks of its search index.

``build_store(path)`` ingests the articles through the pipeline and then writes what the clustering and
extraction stages would: stories, storylines, members with reasons, entities and mentions, quote and figure
groups. Offsets of mentions, quotes and figures are found in each article's own text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from storylens.encoders import lead_text
from storylens.models import RawDocument
from storylens.pipeline import Ingestor
from storylens.store.articles import content_hash, get_article
from storylens.store.db import Store
from storylens.store.reads import search_text

XSS_TITLE = '<script>window.__xss = 1; alert("title")</script>Council vote'
XSS_TEXT = 'The council met. <img src=x onerror="window.__xss = 2; alert(1)"> <script>window.__xss = 3</script> Done.'


@dataclass
class Doc:
    key: str
    lang: str
    source: str
    published: str
    title: str
    body: str
    story: int
    ingested_at: str = "2025-05-20T08:00:00+00:00"
    mentions: list[tuple[str, str]] = field(default_factory=list)  # (written text, entity name)
    quotes: list[tuple[str, str, int]] = field(default_factory=list)  # (quoted text, speaker name, group)
    figures: list[tuple[str, float, float, str, int]] = field(default_factory=list)  # (text, low, high, unit, group)


ENTITIES = {
    "Stefano Bonaccini": "person",
    "Emilia-Romagna": "place",
    "Italy": "place",
    "Civil Protection": "organisation",
    "Christine Lagarde": "person",
}

DOCS = [
    Doc(
        "flood-en",
        "en",
        "Daily Courier",
        "2025-05-17",
        "Floods kill 12 in northern Italy",
        "Heavy rain made rivers burst their banks in Emilia-Romagna, killing 12 people, officials said. "
        '"We have never seen anything like this," said Stefano Bonaccini. '
        "About 5,000 people were evacuated from their homes.",
        story=1,
        mentions=[("Emilia-Romagna", "Emilia-Romagna"), ("Stefano Bonaccini", "Stefano Bonaccini"), ("Italy", "Italy")],
        quotes=[("We have never seen anything like this", "Stefano Bonaccini", 1)],
        figures=[("12 people", 12, 12, "people", 1), ("5,000 people", 5000, 5000, "people", 2)],
    ),
    Doc(
        "flood-ar",
        "ar",
        "Al Sabah",
        "2025-05-17",
        "فيضانات تقتل 14 شخصا في شمال إيطاليا",
        "تسببت الأمطار الغزيرة في فيضان الأنهار في منطقة إميليا رومانيا، ما أدى إلى مقتل 14 شخصا. "
        'وقال ستيفانو بوناتشيني: "لم نر شيئا كهذا من قبل". وتم إجلاء نحو 5000 شخص من منازلهم.',
        story=1,
        mentions=[
            ("إميليا رومانيا", "Emilia-Romagna"),
            ("ستيفانو بوناتشيني", "Stefano Bonaccini"),
            ("إيطاليا", "Italy"),
        ],
        quotes=[("لم نر شيئا كهذا من قبل", "Stefano Bonaccini", 1)],
        figures=[("14 شخصا", 14, 14, "people", 1), ("5000 شخص", 5000, 5000, "people", 2)],
    ),
    Doc(
        "flood-he",
        "he",
        "Yom Yom",
        "2025-05-18",
        "שיטפונות בצפון איטליה: 12 הרוגים",
        "גשמים כבדים גרמו לנהרות לעלות על גדותיהם באזור אמיליה-רומאניה, ו-12 בני אדם נהרגו. "
        '"מעולם לא ראינו דבר כזה", אמר סטפנו בונאצ\'יני. כ-5,000 איש פונו מבתיהם. '
        "ההגנה האזרחית פתחה מרכזי חירום.",
        story=1,
        mentions=[
            ("אמיליה-רומאניה", "Emilia-Romagna"),
            ("סטפנו בונאצ'יני", "Stefano Bonaccini"),
            ("איטליה", "Italy"),
            ("ההגנה האזרחית", "Civil Protection"),
        ],
        quotes=[("מעולם לא ראינו דבר כזה", "Stefano Bonaccini", 1)],
        figures=[("12 בני אדם", 12, 12, "people", 1), ("5,000 איש", 5000, 5000, "people", 2)],
    ),
    Doc(
        "flood-en-2",
        "en",
        "Evening Post",
        "2025-05-19",
        "Italy flood toll rises to 13",
        "The number of people killed by floods in Emilia-Romagna rose to 13, the Civil Protection agency said. "
        "Damage is estimated at between 5 and 7 billion euros.",
        story=1,
        ingested_at="2025-05-21T09:30:00+00:00",
        mentions=[("Emilia-Romagna", "Emilia-Romagna"), ("Civil Protection", "Civil Protection"), ("Italy", "Italy")],
        figures=[("13", 13, 13, "people", 1), ("between 5 and 7 billion euros", 5e9, 7e9, "euros", 3)],
    ),
    Doc(
        "rates-en",
        "en",
        "Daily Courier",
        "2025-05-15",
        "Central bank raises interest rates to 4.5 percent",
        "The European Central Bank raised its main interest rate to 4.5 percent on Thursday. "
        "Christine Lagarde said inflation was still too high.",
        story=2,
        mentions=[("Christine Lagarde", "Christine Lagarde")],
        figures=[("4.5 percent", 4.5, 4.5, "percent", 4)],
    ),
    Doc(
        "rates-fr",
        "fr",
        "Le Matin",
        "2025-05-15",
        "La BCE relève ses taux à 4,5 %",
        "La Banque centrale européenne a relevé jeudi son principal taux directeur à 4,5 %. "
        "Christine Lagarde a jugé l'inflation encore trop élevée.",
        story=2,
        mentions=[("Christine Lagarde", "Christine Lagarde")],
        figures=[("4,5 %", 4.5, 4.5, "percent", 4)],
    ),
    Doc(
        "council-en",
        "en",
        "Town Crier",
        "2025-05-10",
        XSS_TITLE,
        XSS_TEXT,
        story=3,
    ),
]

STORIES = {1: (1, ""), 2: (None, ""), 3: (None, "")}  # story id -> (storyline id, stored title)
FOLLOW_UP = Doc(
    "recovery-en",
    "en",
    "Daily Courier",
    "2025-05-28",
    "Italy approves flood recovery fund",
    "The government of Italy approved a recovery fund for Emilia-Romagna a week after the floods.",
    story=4,
    mentions=[("Italy", "Italy"), ("Emilia-Romagna", "Emilia-Romagna")],
)


def _store_doc(store: Store, doc: Doc) -> int:
    """Ingest one article through the pipeline (cleaning, language, dates, store), then date its storing."""
    text = f"{doc.title}\n\n{doc.body}\n"
    raw = RawDocument(
        origin=f"{doc.key}.txt",
        kind="text",
        text=text,
        title=doc.title,
        lang=doc.lang,
        published=doc.published,
        source=doc.source,
        url=f"https://example.org/{doc.key}",
    )
    report = Ingestor(store).ingest([raw])
    assert report.new_articles == 1 and not report.errors, (doc.key, report.as_dict())
    (article_id,) = report.new_article_ids
    store.conn.execute(
        "UPDATE documents SET ingested_at = ? WHERE id = (SELECT document_id FROM articles WHERE id = ?)",
        (doc.ingested_at, article_id),
    )
    store.conn.commit()
    return article_id


def add_article(store: Store, doc: Doc, entity_ids: dict[str, int]) -> int:
    """Store one hand-written article with its story membership, mentions, quotes and figures."""
    article_id = _store_doc(store, doc)
    text = get_article(store, article_id).text  # type: ignore[union-attr]
    conn = store.conn
    first = conn.execute("SELECT min(article_id) FROM story_members WHERE story_id = ?", (doc.story,)).fetchone()[0]
    reasons = {"similarity": 0.86, "shared_keys": ["Emilia-Romagna"], "gap_days": 1} if first else {"opened": True}
    conn.execute(
        "INSERT INTO story_members (article_id, story_id, similarity, reasons) VALUES (?,?,?,?)",
        (article_id, doc.story, 0.86 if first else 1.0, json.dumps(reasons)),
    )
    for written, name in doc.mentions:
        start = text.index(written)
        conn.execute(
            "INSERT INTO mentions (article_id, entity_id, start, end, text, type, lang) VALUES (?,?,?,?,?,?,?)",
            (article_id, entity_ids[name], start, start + len(written), written, ENTITIES[name], doc.lang),
        )
    for quoted, speaker, group in doc.quotes:
        start = text.index(quoted)
        conn.execute(
            "INSERT OR IGNORE INTO quote_groups (id, story_id, speaker_entity_id) VALUES (?,?,?)",
            (group, doc.story, entity_ids[speaker]),
        )
        conn.execute(
            "INSERT INTO quotes (article_id, group_id, start, end, text, kind, speaker_entity_id)"
            " VALUES (?,?,?,?,?,?,?)",
            (article_id, group, start, start + len(quoted), quoted, "direct", entity_ids[speaker]),
        )
    for written, low, high, unit, group in doc.figures:
        start = text.index(written)
        conn.execute(
            "INSERT OR IGNORE INTO figure_groups (id, story_id, unit, what) VALUES (?,?,?,?)",
            (group, doc.story, unit, "killed" if group == 1 else ""),
        )
        conn.execute(
            "INSERT INTO figures (article_id, group_id, start, end, text, value_low, value_high, unit)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (article_id, group, start, start + len(written), written, low, high, unit),
        )
    conn.execute(
        """UPDATE figure_groups SET discrepancy = (SELECT count(DISTINCT value_low || '-' || value_high) > 1
           FROM figures WHERE group_id = figure_groups.id)"""
    )
    conn.commit()
    return article_id


def build_store(path: Path, *, follow_up: bool = True) -> dict[str, int]:
    """A store with three stories (floods in en/ar/he, rates in en/fr, a hostile council article), one
    storyline joining the floods and their follow-up; returns article ids by document key."""
    with Store(path) as store:
        conn = store.conn
        conn.execute("INSERT INTO storylines (id, title) VALUES (1, '')")
        stories = dict(STORIES) | ({4: (1, "")} if follow_up else {})
        conn.executemany(
            "INSERT INTO stories (id, storyline_id, title) VALUES (?,?,?)",
            [(sid, line, title) for sid, (line, title) in stories.items()],
        )
        if follow_up:
            conn.execute(
                "INSERT INTO storyline_links (earlier, later, storyline_id, reasons) VALUES (1, 4, 1, ?)",
                (json.dumps({"explanation": "story 4 continues story 1: <both follow> the floods"}),),
            )
        entity_ids = {}
        for name, kind in ENTITIES.items():
            entity_ids[name] = conn.execute(
                "INSERT INTO entities (name, type, key) VALUES (?,?,?)", (name, kind, name.casefold())
            ).lastrowid
        conn.commit()
        docs = DOCS + ([FOLLOW_UP] if follow_up else [])
        return {doc.key: add_article(store, doc, entity_ids) for doc in docs}


def embed_articles(path: Path, encoder: Any) -> None:
    """Store every article's vector from ``encoder`` (anything with ``name`` and ``encode``), as clustering would."""
    with Store(path) as store:
        rows = store.conn.execute(
            "SELECT a.id, a.title, substr(d.text, a.start + 1, a.end - a.start) FROM articles a"
            " JOIN documents d ON d.id = a.document_id ORDER BY a.id"
        ).fetchall()
        texts = [lead_text(title, text) for _, title, text in rows]
        vectors = np.asarray(encoder.encode(texts), dtype=np.float32)
        store.conn.executemany(
            "INSERT INTO embeddings (article_id, encoder, text_hash, vector) VALUES (?,?,?,?)",
            [
                (row[0], encoder.name, content_hash(text), vector.tobytes())
                for row, text, vector in zip(rows, texts, vectors, strict=True)
            ],
        )
        store.conn.commit()


def test_text_search_finds_words_in_any_script(tmp_path: Path) -> None:
    ids = build_store(tmp_path / "s.db")
    with Store(tmp_path / "s.db", readonly=True) as store:
        assert [hit["id"] for hit in search_text(store, "bonaccini")] == [ids["flood-en"]]
        assert [hit["id"] for hit in search_text(store, "בונאצ'יני")] == [ids["flood-he"]]
        assert {hit["id"] for hit in search_text(store, "إيطاليا")} == {ids["flood-ar"]}
        assert search_text(store, 'AND OR "( NEAR') == []  # operators and quotes are words, not syntax
        assert search_text(store, "evacuat")[0]["id"] == ids["flood-en"]  # word prefixes match


def test_text_index_follows_deleted_documents(tmp_path: Path) -> None:
    ids = build_store(tmp_path / "s.db")
    with Store(tmp_path / "s.db") as store:
        store.conn.execute(
            "DELETE FROM documents WHERE id = (SELECT document_id FROM articles WHERE id = ?)", (ids["rates-fr"],)
        )
        store.conn.commit()
        store.conn.execute("INSERT INTO article_search (article_search) VALUES ('integrity-check')")
        assert search_text(store, "Banque") == []
        assert [hit["id"] for hit in search_text(store, "Lagarde")] == [ids["rates-en"]]
