"""The names of the former ``store/queries.py``, kept importable for code written against it.

New code imports from where each lives: SQL reads in ``storylens.store.reads``, comparisons in
``storylens.analysis.coverage``, the prose of ``why`` in ``storylens.analysis.why``, ranking and fusion in
``storylens.views.search``.
"""

from __future__ import annotations

from storylens.analysis.coverage import (
    UNKNOWN_SOURCE,
    changes_since,
    exclusives,
    figure_matrix,
    figure_value,
    group_articles,
    timeline,
)
from storylens.analysis.why import explain_membership
from storylens.store.reads.articles import (
    article_by_ref,
    article_detail,
    article_gold_rows,
    article_story,
    articles_by_ids,
    story_evidence,
)
from storylens.store.reads.entities import entity_detail, find_entity, iter_mentions, list_entities, mention_articles
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
    "UNKNOWN_SOURCE",
    "article_by_ref",
    "article_detail",
    "article_gold_rows",
    "article_memberships",
    "article_story",
    "articles_by_ids",
    "changes_since",
    "entity_detail",
    "exclusives",
    "explain_membership",
    "facets",
    "figure_matrix",
    "figure_value",
    "find_entity",
    "fts_query",
    "group_articles",
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
    "story_evidence",
    "story_summary",
    "storyline_detail",
    "timeline",
    "vector_stamp",
]
