-- Vectors per encoder, stories (groups of articles reporting one event) and storylines (threads of stories).
CREATE TABLE embeddings (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    encoder TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (article_id, encoder)
);

-- Rare names and numbers of an article (clustering evidence), as a JSON list.
CREATE TABLE article_keys (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    keys TEXT NOT NULL
);

CREATE TABLE storylines (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL DEFAULT ''
);

CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    storyline_id INTEGER REFERENCES storylines(id) ON DELETE SET NULL,
    first_date TEXT,
    last_date TEXT
);
CREATE INDEX stories_storyline ON stories(storyline_id);
CREATE INDEX stories_last_date ON stories(last_date);

-- One row per article: the story it belongs to and why (JSON: similarity, shared keys, time gap, runner-up).
CREATE TABLE story_members (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    similarity REAL,
    reasons TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX story_members_story ON story_members(story_id);
