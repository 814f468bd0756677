-- Translations made on demand (briefs, web pages, API), cached per translator and language pair.
-- Stored article text is never changed: a translation is a derived string kept beside it.
CREATE TABLE translations (
    translator TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    translation TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (translator, source_lang, target_lang, text_hash)
);
