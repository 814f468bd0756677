"""Analysis of read rows without a database: coverage comparisons (``coverage``) and why an article is in its
story (``why``). Every function takes plain rows and returns plain data, so it is tested without a store."""
