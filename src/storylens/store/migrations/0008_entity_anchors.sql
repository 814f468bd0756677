-- Entities: a flag for names that are romanisations, and the link evidence (anchors) of each entity's names,
-- so that an ingest relinks only the entities its new mentions can join.
ALTER TABLE entities ADD COLUMN romanised INTEGER NOT NULL DEFAULT 0;

CREATE TABLE entity_anchors (
    anchor TEXT NOT NULL,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    PRIMARY KEY (anchor, entity_id)
) WITHOUT ROWID;
CREATE INDEX entity_anchors_entity ON entity_anchors(entity_id);
