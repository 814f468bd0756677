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
-- Stories whose members, summary or entities changed since the storyline stage last ran (written by clustering
-- and extraction, consumed by storylines), so storylines are updated for those stories only.
CREATE TABLE story_changes (
    story_id INTEGER PRIMARY KEY
);
CREATE INDEX documents_ingested_at ON documents(ingested_at);
