-- Watchlists (what the user follows), the alerts they raised (each once: `key` is unique), which sink each alert
-- was delivered to (each once per sink), and when each briefing was last written ("what changed since my last one").
CREATE TABLE watchlists (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('entity', 'keyword', 'story')),
    value TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT '',          -- '' for any language
    created_at TEXT NOT NULL,               -- alerts come only from articles ingested from then on
    UNIQUE (kind, value, lang)
);

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    watchlist_id INTEGER NOT NULL REFERENCES watchlists(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    story_id INTEGER,
    title TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '[]',    -- JSON: what raised it (articles, matched text, figures, quotes)
    created_at TEXT NOT NULL
);
CREATE INDEX alerts_watchlist ON alerts(watchlist_id);
CREATE INDEX alerts_created ON alerts(created_at);

CREATE TABLE alert_deliveries (
    alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    sink TEXT NOT NULL,
    delivered_at TEXT NOT NULL,
    PRIMARY KEY (alert_id, sink)
);

CREATE TABLE briefings (
    ref TEXT PRIMARY KEY,                   -- story:12, storyline:3
    last_at TEXT NOT NULL
);
