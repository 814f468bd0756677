"""The read side of the store: the read-only queries behind every view (CLI, HTTP API, web pages, briefings).

Nothing here writes. ``articles``, ``stories`` (and storylines), ``entities``, ``groups`` (quotes, figures),
``search`` (FTS5 and stored vectors) and ``overview`` (facets, exports, counts) hold the SQL; ``common`` the
helpers they share. The comparisons computed from the rows (figure matrix, exclusives, changes) live in
``storylens.analysis``, which never touches the database.

Conventions:
- ``article`` fields hold the article's numeric id (``storylens show ID`` and ``/api/articles/ID`` accept it).
- A figure value is a number, or ``[low, high]`` for a range.
- "What changed since DATE" counts what was *stored* on or after DATE (``documents.ingested_at``, UTC): an
  analyst coming back to a story has not seen those items, even when an outlet published them earlier,
  and publication dates can be unknown. Listing filters (``since``/``until`` on stories) use publication dates.
"""

from __future__ import annotations

from storylens.store.reads.articles import (
    article_by_ref,
    article_detail,
    article_gold_rows,
    article_story,
    articles_by_ids,
    story_evidence,
)
from storylens.store.reads.entities import (
    entity_detail,
    find_entity,
    iter_mentions,
    list_entities,
    mention_articles,
    story_entity_mentions,
)
from storylens.store.reads.groups import list_figure_groups, list_quote_groups
from storylens.store.reads.overview import article_memberships, facets, iter_export, story_counts
from storylens.store.reads.search import (
    HIT_END,
    HIT_START,
    fts_query,
    has_text_index,
    load_vectors,
    search_text,
    store_encoder,
    stored_encoders,
    vector_stamp,
)
from storylens.store.reads.stories import (
    list_stories,
    list_storylines,
    story_articles,
    story_detail,
    story_summary,
    storyline_detail,
)

__all__ = [
    "HIT_END",
    "HIT_START",
    "article_by_ref",
    "article_detail",
    "article_gold_rows",
    "article_memberships",
    "article_story",
    "articles_by_ids",
    "entity_detail",
    "facets",
    "find_entity",
    "fts_query",
    "has_text_index",
    "iter_export",
    "iter_mentions",
    "list_entities",
    "list_figure_groups",
    "list_quote_groups",
    "list_stories",
    "list_storylines",
    "load_vectors",
    "mention_articles",
    "search_text",
    "store_encoder",
    "stored_encoders",
    "story_articles",
    "story_counts",
    "story_detail",
    "story_entity_mentions",
    "story_evidence",
    "story_summary",
    "storyline_detail",
    "vector_stamp",
]
