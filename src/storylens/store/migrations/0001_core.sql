-- Documents as read (verbatim), the articles cleaning found in them, and the spans of every segment.
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    kind TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    external_id TEXT,
    title TEXT,
    lang TEXT,
    published TEXT,
    source TEXT,
    url TEXT,
    path TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    ingested_at TEXT NOT NULL
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    part INTEGER NOT NULL,
    key TEXT NOT NULL,
    external_id TEXT,
    role TEXT NOT NULL CHECK (role IN ('article', 'translation')),
    translation_of INTEGER REFERENCES articles(id),
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    title TEXT,
    lang TEXT NOT NULL,
    lang_confidence REAL NOT NULL,
    published TEXT,
    date_method TEXT NOT NULL,
    date_evidence TEXT NOT NULL DEFAULT '',
    source TEXT,
    url TEXT,
    path TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    UNIQUE (document_id, part)
);
CREATE INDEX articles_lang ON articles(lang);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_key ON articles(key);
CREATE INDEX articles_translation_of ON articles(translation_of);

CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    role TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    lang TEXT,
    lang_confidence REAL
);
CREATE INDEX segments_document ON segments(document_id);
CREATE INDEX segments_article ON segments(article_id);
