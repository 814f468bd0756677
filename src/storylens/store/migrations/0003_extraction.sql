-- Entities with their mentions, quotes grouped across outlets and languages, figures grouped by quantity.
CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('person', 'organisation', 'place')),
    key TEXT NOT NULL UNIQUE
);

CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    entity_id INTEGER REFERENCES entities(id) ON DELETE SET NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    type TEXT NOT NULL,
    lang TEXT NOT NULL
);
CREATE INDEX mentions_article ON mentions(article_id);
CREATE INDEX mentions_entity ON mentions(entity_id);

CREATE TABLE quote_groups (
    id INTEGER PRIMARY KEY,
    story_id INTEGER REFERENCES stories(id) ON DELETE CASCADE,
    speaker_entity_id INTEGER REFERENCES entities(id) ON DELETE SET NULL
);

CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    group_id INTEGER REFERENCES quote_groups(id) ON DELETE SET NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    cue TEXT NOT NULL DEFAULT '',
    speaker_text TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    speaker_entity_id INTEGER REFERENCES entities(id) ON DELETE SET NULL
);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE INDEX quotes_group ON quotes(group_id);

CREATE TABLE figure_groups (
    id INTEGER PRIMARY KEY,
    story_id INTEGER REFERENCES stories(id) ON DELETE CASCADE,
    unit TEXT NOT NULL,
    what TEXT NOT NULL DEFAULT '',
    discrepancy INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE figures (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    group_id INTEGER REFERENCES figure_groups(id) ON DELETE SET NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    value_low REAL NOT NULL,
    value_high REAL NOT NULL,
    unit TEXT NOT NULL,
    what TEXT NOT NULL DEFAULT '',
    approximate INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX figures_article ON figures(article_id);
CREATE INDEX figures_group ON figures(group_id);
