-- What an ingest needs to load only the time window its batch touches (issue 12, item 3).
-- Totals over every clustered article (story members that are originals with a vector and keys), kept in step
-- by the clustering stage: per encoder and language, how many articles and the sum of their vectors (float64
-- bytes), from which the language means are computed without reading every vector; per key, how many clustered
-- articles name it (how rare a key is in the whole store). A row in cluster_totals says the totals of that
-- encoder are kept; without one, the stage counts them once from the stored articles.
CREATE TABLE cluster_totals (
    encoder TEXT PRIMARY KEY,
    articles INTEGER NOT NULL
);
CREATE TABLE cluster_language_sums (
    encoder TEXT NOT NULL,
    lang TEXT NOT NULL,
    articles INTEGER NOT NULL,
    vector_sum BLOB NOT NULL,
    PRIMARY KEY (encoder, lang)
);
CREATE TABLE cluster_key_counts (
    encoder TEXT NOT NULL,
    key TEXT NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (encoder, key)
);
-- Which clustered articles name each key: an undated article of a batch looks up the stories that name its rare
-- keys here (wherever their dates are), instead of every stored story being loaded.
CREATE TABLE cluster_key_articles (
    key TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (key, article_id)
);
-- Change logs, so the storyline stage updates the storylines of the stories that changed only. Each log belongs to
-- the stage that writes it: story_changes to clustering (stories whose members or summary changed, or that were
-- dropped), story_entity_changes to extraction (stories whose articles' entities changed). Rows are numbered in
-- the order written; the storyline stage reads the rows after the last it read and keeps that number in its own
-- storyline_log_read; a writer forgets its rows before that number (the last read one stays, so the numbering
-- goes on after it).
CREATE TABLE story_changes (
    seq INTEGER PRIMARY KEY,
    story_id INTEGER NOT NULL
);
CREATE TABLE story_entity_changes (
    seq INTEGER PRIMARY KEY,
    story_id INTEGER NOT NULL
);
CREATE TABLE storyline_log_read (
    log TEXT PRIMARY KEY,
    seq INTEGER NOT NULL
);
CREATE INDEX documents_ingested_at ON documents(ingested_at);
