-- Full-text search over each article's title and text (SQLite FTS5).
-- External content: the index stores only tokens; the text itself stays in documents.text and is read
-- through the view article_search_source (an article is the slice documents.text[start:end]).
-- Triggers keep the index in step with articles; a document's BEFORE DELETE trigger removes its articles'
-- entries while the document text (needed to remove the right tokens) still exists.
CREATE VIEW article_search_source AS
    SELECT a.id AS id, coalesce(a.title, '') AS title, substr(d.text, a.start + 1, a.end - a.start) AS text
    FROM articles a JOIN documents d ON d.id = a.document_id;

CREATE VIRTUAL TABLE article_search USING fts5(
    title, text,
    content = 'article_search_source', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_search (rowid, title, text)
        SELECT NEW.id, coalesce(NEW.title, ''), substr(d.text, NEW.start + 1, NEW.end - NEW.start)
        FROM documents d WHERE d.id = NEW.document_id;
END;

CREATE TRIGGER article_search_delete BEFORE DELETE ON articles
WHEN EXISTS (SELECT 1 FROM documents WHERE id = OLD.document_id) BEGIN
    INSERT INTO article_search (article_search, rowid, title, text)
        SELECT 'delete', OLD.id, coalesce(OLD.title, ''), substr(d.text, OLD.start + 1, OLD.end - OLD.start)
        FROM documents d WHERE d.id = OLD.document_id;
END;

CREATE TRIGGER article_search_update_before BEFORE UPDATE OF title, start, end, document_id ON articles BEGIN
    INSERT INTO article_search (article_search, rowid, title, text)
        SELECT 'delete', OLD.id, coalesce(OLD.title, ''), substr(d.text, OLD.start + 1, OLD.end - OLD.start)
        FROM documents d WHERE d.id = OLD.document_id;
END;

CREATE TRIGGER article_search_update_after AFTER UPDATE OF title, start, end, document_id ON articles BEGIN
    INSERT INTO article_search (rowid, title, text)
        SELECT NEW.id, coalesce(NEW.title, ''), substr(d.text, NEW.start + 1, NEW.end - NEW.start)
        FROM documents d WHERE d.id = NEW.document_id;
END;

CREATE TRIGGER article_search_document_delete BEFORE DELETE ON documents BEGIN
    INSERT INTO article_search (article_search, rowid, title, text)
        SELECT 'delete', a.id, coalesce(a.title, ''), substr(OLD.text, a.start + 1, a.end - a.start)
        FROM articles a WHERE a.document_id = OLD.id;
END;

INSERT INTO article_search (article_search) VALUES ('rebuild');

-- Read-side indexes: story pages look up an article's outlet, quote and figure groups by story.
CREATE INDEX quote_groups_story ON quote_groups(story_id);
CREATE INDEX figure_groups_story ON figure_groups(story_id);
CREATE INDEX articles_source ON articles(source);
