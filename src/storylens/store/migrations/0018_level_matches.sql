-- Each clustered article's best similarity to an article of another language in its time window, as measured the
-- last time a batch decided it (the language levels average these; clustering/language_levels.py). A batch
-- measures again only the articles it decides and reads the others' from here. NULL: not measured yet (stores
-- from before; measured when a batch next reaches them); -2: measured, no article of another language found.
ALTER TABLE story_members ADD COLUMN level_match REAL;
