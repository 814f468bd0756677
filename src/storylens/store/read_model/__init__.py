"""The typed read model: the rows the store's read functions (``storylens.store.reads``) return.

The HTTP API declares these as its response models, so ``/openapi.json`` documents every field, and the CLI's
``--json``, the exports and the pages show the same shapes. A row also reads like a dict (``row["title"]``,
``row.get("text")``, ``"changes" in row`` for a field that was given), so templates and formatters can take
rows or plain dicts alike. Fields that only some reads fill (an article's ``text``, a story's ``changes``)
are left out of the JSON when not given (``exclude_unset``), as before the model existed.

Conventions: ids are the store's row ids (an article's public id is its ``key``); dates are ISO strings
(``YYYY-MM-DD``; ``ingested_at`` is a UTC timestamp); a figure value is a number, or ``[low, high]``.

One module per area: ``base`` (``Row``, ``Page``), ``articles``, ``entities``, ``extraction`` (quote and figure
groups), ``coverage``, ``briefs``, ``stories`` (and storylines); every row is importable from here."""

from __future__ import annotations

from storylens.store.read_model.articles import (
    ArticleDetail,
    ArticleFigure,
    ArticleInStory,
    ArticleMention,
    ArticleQuote,
    ArticleSummary,
    Membership,
    SearchHit,
    SearchPage,
    StoryArticle,
)
from storylens.store.read_model.base import FigureValue, Page, Row, TimeSpan, json_default
from storylens.store.read_model.briefs import Brief, BriefItem, BriefPart, BriefSection, BriefSource
from storylens.store.read_model.coverage import (
    Changes,
    CountryCoverage,
    Coverage,
    Exclusive,
    ExclusiveFigure,
    Exclusives,
    FacetCounts,
    Facets,
    FacetValue,
    FigureChange,
    FigureMatrix,
    MatrixCell,
    MatrixColumn,
    MatrixRow,
    OutletCoverage,
    OutletFigure,
    OutletInfo,
    QuoteRef,
    TimelineArticle,
    TimelineDay,
)
from storylens.store.read_model.entities import CoMentioned, EntityNames, EntityRef, EntitySummary, Variant
from storylens.store.read_model.extraction import FigureGroup, FigureOccurrence, QuoteGroup, QuoteVariant
from storylens.store.read_model.stories import (
    EntityDetail,
    StoryChanges,
    StoryCoverage,
    StoryDetail,
    StorylineChanges,
    StorylineDetail,
    StorylineLink,
    StorylineSummary,
    StorySummary,
    StoryView,
)

__all__ = [
    "ArticleDetail",
    "ArticleFigure",
    "ArticleInStory",
    "ArticleMention",
    "ArticleQuote",
    "ArticleSummary",
    "Brief",
    "BriefItem",
    "BriefPart",
    "BriefSection",
    "BriefSource",
    "Changes",
    "CoMentioned",
    "CountryCoverage",
    "Coverage",
    "EntityDetail",
    "EntityNames",
    "EntityRef",
    "EntitySummary",
    "Exclusive",
    "ExclusiveFigure",
    "Exclusives",
    "FacetCounts",
    "FacetValue",
    "Facets",
    "FigureChange",
    "FigureGroup",
    "FigureMatrix",
    "FigureOccurrence",
    "FigureValue",
    "MatrixCell",
    "MatrixColumn",
    "MatrixRow",
    "Membership",
    "OutletCoverage",
    "OutletFigure",
    "OutletInfo",
    "Page",
    "QuoteGroup",
    "QuoteRef",
    "QuoteVariant",
    "Row",
    "SearchHit",
    "SearchPage",
    "StoryArticle",
    "StoryChanges",
    "StoryCoverage",
    "StoryDetail",
    "StorySummary",
    "StoryView",
    "StorylineChanges",
    "StorylineDetail",
    "StorylineLink",
    "StorylineSummary",
    "TimeSpan",
    "TimelineArticle",
    "TimelineDay",
    "Variant",
    "json_default",
]
