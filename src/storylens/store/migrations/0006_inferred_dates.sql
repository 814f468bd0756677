-- A date inferred from an article's story is kept apart from the source's date: it is shown (marked as
-- inferred) but never read back as clustering evidence, and `recluster` recomputes it.
ALTER TABLE articles ADD COLUMN inferred_date TEXT;
ALTER TABLE articles ADD COLUMN inferred_evidence TEXT NOT NULL DEFAULT '';
UPDATE articles SET inferred_date = published, inferred_evidence = date_evidence,
    published = NULL, date_method = 'unknown', date_evidence = ''
WHERE date_method = 'inferred';
