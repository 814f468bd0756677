-- Word search folds accents, as SQLite's FTS5 does (remove_diacritics): "cafe" finds "café" and "café" "cafe".
-- Stored text is never changed; only the derived tsvector (article_search.document) and the query are folded.
-- 1. storylens_fold: the text decomposed (NFD), its combining accents (U+0300-U+036F) dropped, composed again:
--    always applied, so search folds accents on any PostgreSQL.
-- 2. The unaccent extension, where it is installed (contrib): the configuration storylens_search is 'simple'
--    with the unaccent dictionary first, which also folds letters NFD keeps whole (ø, ł, æ, ß); without it,
--    storylens_search is 'simple' alone. ts_headline reads the original text through the same configuration.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS unaccent;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'unaccent is not available (%): word search folds accents with storylens_fold alone', SQLERRM;
END $$;

CREATE FUNCTION storylens_fold(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT normalize(regexp_replace(normalize(t, NFD), U&'[\0300-\036F]', '', 'g'), NFC)
$$;

CREATE TEXT SEARCH CONFIGURATION storylens_search (COPY = simple);
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'unaccent') THEN
        ALTER TEXT SEARCH CONFIGURATION storylens_search
            ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, numhword,
                              hword_numpart
            WITH unaccent, simple;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION article_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO article_search (id, document)
        SELECT NEW.id, setweight(to_tsvector('storylens_search', storylens_fold(coalesce(NEW.title, ''))), 'A')
            || setweight(to_tsvector('storylens_search',
                                     storylens_fold(substr(d.text, NEW.start + 1, NEW."end" - NEW.start))), 'B')
        FROM documents d WHERE d.id = NEW.document_id
    ON CONFLICT (id) DO UPDATE SET document = excluded.document;
    RETURN NEW;
END $$;

UPDATE article_search s
    SET document = setweight(to_tsvector('storylens_search', storylens_fold(coalesce(a.title, ''))), 'A')
        || setweight(to_tsvector('storylens_search', storylens_fold(substr(d.text, a.start + 1, a."end" - a.start))),
                     'B')
    FROM articles a JOIN documents d ON d.id = a.document_id
    WHERE a.id = s.id;
