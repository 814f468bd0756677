-- Which article stages each article has completed (written in the same transaction as the stage's own writes),
-- and the stages whose whole-store rebuild (`storylens recluster`) was started and not finished.
CREATE TABLE article_stages (
    stage TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (stage, article_id)
) WITHOUT ROWID;
CREATE INDEX article_stages_article ON article_stages(article_id);

CREATE TABLE stage_rebuilds (
    stage TEXT PRIMARY KEY
);

-- Stores from before: an article in a story was clustered and its story linked into storylines; an article with
-- a mention, quote or figure was extracted. Any other article is finished by the next ingest (extraction
-- replaces what an article had, so an article extracted before with nothing found is only extracted again).
INSERT INTO article_stages (stage, article_id) SELECT 'clustering', article_id FROM story_members;
INSERT INTO article_stages (stage, article_id) SELECT 'storylines', article_id FROM story_members;
INSERT INTO article_stages (stage, article_id)
    SELECT 'extraction', article_id FROM mentions UNION SELECT 'extraction', article_id FROM quotes
    UNION SELECT 'extraction', article_id FROM figures;
