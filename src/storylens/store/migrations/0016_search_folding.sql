-- Word search folds accents ("cafe" finds "café"). SQLite's FTS5 index has folded them since 0004
-- (tokenize = 'unicode61 remove_diacritics 2'), so nothing changes here; PostgreSQL's file of this name builds
-- its search configuration with accent folding and rebuilds its tsvectors.
SELECT 1;
