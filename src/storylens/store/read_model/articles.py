"""Read rows of articles: summaries, search hits, why an article is in its story, one article in full."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from storylens.store.read_model.base import FigureValue, Page, Row


class ArticleSummary(Row):
    id: int = Field(description="Row id.")
    key: str = Field(description="The public id every view shows and accepts (input id, file#N or a- short id).")
    title: str | None
    lang: str | None = Field(description="ISO 639-1 language code.")
    published: str | None = Field(description="Publication date, or the date inferred from the story.")
    date_method: str | None = Field(description="How the date was found: declared, header, url, text, inferred...")
    source: str | None = Field(description="Outlet, null when unknown.")
    url: str | None
    role: str | None = Field(description="article, or translation")
    translation_of: int | None = Field(description="Row id of the original when this article is a translation.")
    ingested_at: str | None = Field(description="When it was stored (UTC).")
    text: str | None = Field(None, description="The article's text (only where the read includes it).")


class ArticleInStory(ArticleSummary):
    story: int | None = Field(description="The story the article is in, null if in none yet.")


class SearchHit(ArticleInStory):
    snippet: str | None = Field(description="Matched words in context, marked with U+E000 and U+E001.")
    similarity: float | None = Field(description="Cosine similarity to the query by meaning, null for word matches.")
    matched: list[str] = Field(description="How it matched: words, meaning or both.")


class Membership(Row):
    """Why an article is in its story."""

    similarity: float | None = Field(description="Similarity to the story when the article was assigned.")
    reasons: dict[str, Any] = Field(description="The clustering stage's stored reasons (numbers and keys).")
    why: list[str] = Field(description="The reasons in plain words.")
    why_numbers: list[str] | None = Field(
        None, description="The same with the numbers behind them (verbose reads only)."
    )


class StoryArticle(Membership, ArticleSummary):
    """An article as a story lists it, with why it belongs."""


class ArticleMention(Row):
    start: int
    end: int
    text: str
    type: str | None
    entity: int | None = Field(description="Canonical entity id, null when unlinked.")
    entity_name: str | None


class ArticleQuote(Row):
    start: int
    end: int
    text: str
    kind: str | None
    cue: str | None
    speaker_text: str | None
    group: int | None = Field(description="Quote group id, null when no other article reports it.")


class ArticleFigure(Row):
    start: int
    end: int
    text: str
    value: FigureValue
    unit: str | None
    what: str | None
    group: int | None = Field(description="Figure group id, null when no other article reports it.")


class ArticleDetail(Membership, ArticleSummary):
    """One article with its text, its story and why, and its mentions, quotes and figures (offsets into text)."""

    story: int | None
    mentions: list[ArticleMention]
    quotes: list[ArticleQuote]
    figures: list[ArticleFigure]


class SearchPage(Page[SearchHit]):
    query: str
    mode: str = Field(description="hybrid, text or semantic")
    note: str | None = Field(description="Why meaning matches are missing, when they are.")
