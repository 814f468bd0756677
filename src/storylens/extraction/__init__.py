"""storylens extraction stage: people/organisation/place mentions, quotes and figures, and their cross-article links.

extract(text, lang) -> Extraction
link_entities([MentionRef, ...]) -> [CanonicalEntity, ...]
group_quotes([QuoteRef, ...]) -> [QuoteGroup, ...]
group_figures([FigureRef, ...]) -> [FigureGroup, ...]
"""

from __future__ import annotations

from storylens.extraction.figure_groups import group_figures
from storylens.extraction.figures import extract_figures
from storylens.extraction.grouping import group_quotes
from storylens.extraction.linking import link_entities, load_aliases
from storylens.extraction.mentions import extract_mentions
from storylens.extraction.quotes import extract_quotes
from storylens.extraction.records import (
    CanonicalEntity,
    Extraction,
    Figure,
    FigureGroup,
    FigureRef,
    Mention,
    MentionRef,
    Quote,
    QuoteGroup,
    QuoteRef,
)


def extract(text: str, lang: str) -> Extraction:
    """Mentions, quotes and figures of one article's text; offsets point into ``text``."""
    mentions = extract_mentions(text, lang)
    return Extraction(mentions=mentions, quotes=extract_quotes(text, mentions), figures=extract_figures(text))


__all__ = [
    "CanonicalEntity",
    "Extraction",
    "Figure",
    "FigureGroup",
    "FigureRef",
    "Mention",
    "MentionRef",
    "Quote",
    "QuoteGroup",
    "QuoteRef",
    "extract",
    "group_figures",
    "group_quotes",
    "link_entities",
    "load_aliases",
]
