-- Feeds that `storylens watch` polls, with their HTTP validators, schedule and failures, and the entries already read
-- from each (so a restart resumes where it stopped and never fetches an entry's article twice).
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    interval_seconds REAL NOT NULL,
    etag TEXT,
    last_modified TEXT,
    next_poll_at REAL NOT NULL DEFAULT 0,   -- Unix time
    failures INTEGER NOT NULL DEFAULT 0,    -- consecutive failed polls
    parked INTEGER NOT NULL DEFAULT 0,      -- 1: failed too often, no longer polled until retried by the user
    last_error TEXT,
    last_polled_at TEXT
);

CREATE TABLE feed_entries (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    entry_key TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (feed_id, entry_key)
);
