-- Per article stage, an article id up to which every stored article has the stage's mark in article_stages, kept
-- by mark_done in the transaction that writes the marks (write transactions follow one another, so no article
-- below it can appear later: storylens never deletes articles, whose ids SQLite could then reuse). The look-up of
-- the articles a stage lacks reads only the articles above it, instead of every article. No row: from the first.
CREATE TABLE stage_cursors (
    stage TEXT PRIMARY KEY,
    done_through INTEGER NOT NULL
);
