-- What storyline linking reads of each story (written by the clustering stage), and why stories were linked.
ALTER TABLE stories ADD COLUMN centroid BLOB;  -- mean of the members' vectors, language means removed (float32)
ALTER TABLE stories ADD COLUMN core_keys TEXT NOT NULL DEFAULT '[]';  -- JSON list, see clustering.storylines

-- One row per link between two stories of a storyline (JSON reasons: similarity, shared keys and entities, gap).
CREATE TABLE storyline_links (
    earlier INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    later INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    storyline_id INTEGER NOT NULL REFERENCES storylines(id) ON DELETE CASCADE,
    reasons TEXT NOT NULL,
    PRIMARY KEY (earlier, later)
);
CREATE INDEX storyline_links_storyline ON storyline_links(storyline_id);
