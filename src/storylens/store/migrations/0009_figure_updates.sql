-- A figure group whose value changes from one day to a later one (a toll that rises) is an update, shown as a
-- timeline; `discrepancy` now means that articles of the same day state different values.
-- `figures.what` and `figure_groups.what` hold the measure label ("dead", "percent"), no longer a neighbouring word.
ALTER TABLE figure_groups ADD COLUMN updated INTEGER NOT NULL DEFAULT 0;
-- Labels stored before this migration are neighbouring words: drop them (no label rather than a wrong one) until
-- the articles are extracted again.
UPDATE figures SET what = '';
UPDATE figure_groups SET what = '';
