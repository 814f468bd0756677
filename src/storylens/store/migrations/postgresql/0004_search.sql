-- Full-text search over each article's title and text (PostgreSQL; the SQLite file of this name uses FTS5).
-- One tsvector per article ('simple' configuration: lower-cased words, no stemming, the same for every language),
-- the title weighted A and the text B; the article's text is read from documents.text[start:end] when the row is
-- written. A trigger keeps it in step with articles; deleting an article deletes its row (foreign key).
CREATE TABLE article_search (
    id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    document TSVECTOR NOT NULL
);
CREATE INDEX article_search_document ON article_search USING GIN (document);

CREATE FUNCTION article_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO article_search (id, document)
        SELECT NEW.id, setweight(to_tsvector('simple', coalesce(NEW.title, '')), 'A')
            || setweight(to_tsvector('simple', substr(d.text, NEW.start + 1, NEW."end" - NEW.start)), 'B')
        FROM documents d WHERE d.id = NEW.document_id
    ON CONFLICT (id) DO UPDATE SET document = excluded.document;
    RETURN NEW;
END $$;

CREATE TRIGGER article_search_refresh AFTER INSERT OR UPDATE OF title, start, "end", document_id ON articles
    FOR EACH ROW EXECUTE FUNCTION article_search_refresh();

INSERT INTO article_search (id, document)
    SELECT a.id, setweight(to_tsvector('simple', coalesce(a.title, '')), 'A')
        || setweight(to_tsvector('simple', substr(d.text, a.start + 1, a."end" - a.start)), 'B')
    FROM articles a JOIN documents d ON d.id = a.document_id;

-- Read-side indexes: story pages look up an article's outlet, quote and figure groups by story.
CREATE INDEX quote_groups_story ON quote_groups(story_id);
CREATE INDEX figure_groups_story ON figure_groups(story_id);
CREATE INDEX articles_source ON articles(source);
