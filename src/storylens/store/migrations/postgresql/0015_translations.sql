-- Translations made on demand (briefs, web pages, API), cached per translator and language pair.
-- PostgreSQL's text of 0015_translations.sql: the creation time's default is spelled with to_char, not strftime.
CREATE TABLE translations (
    translator TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    translation TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
    PRIMARY KEY (translator, source_lang, target_lang, text_hash)
);
