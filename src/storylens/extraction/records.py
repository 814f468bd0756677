"""Typed results of the extraction stage: mentions, quotes, figures, and their cross-article groups.

All offsets are character offsets into the text that was passed to ``extract``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityType = Literal["person", "organisation", "place"]
QuoteKind = Literal["direct", "reported"]
FigureValue = float | tuple[float, float]


@dataclass(frozen=True)
class Mention:
    """A name of a person, organisation or place as written in the text (clitic prefixes excluded)."""

    start: int
    end: int
    text: str
    type: EntityType
    key: str  # normalised look-up key of the name (script kept, diacritics and case removed)
    source: str = "tagger"  # which evidence found it: "gazetteer", "cue", "tagger", "alias"


@dataclass(frozen=True)
class Quote:
    """Words attributed to a speaker, either in quote marks (direct) or after a reporting verb (reported)."""

    start: int
    end: int
    text: str
    kind: QuoteKind
    cue: str | None = None  # the reporting verb as written, e.g. "said", Arabic qala, Hebrew amar
    speaker: Mention | None = None
    speaker_text: str | None = None  # the speaker's words when no name mention is resolvable ("a Kremlin aide")


@dataclass(frozen=True)
class Figure:
    """A quantity stated in the text."""

    start: int
    end: int
    text: str
    value: FigureValue
    unit: str | None = None  # normalised: "hours", "square kilometres", "euros", "USD", "percent", "people"...
    counted: str | None = None  # the counted head noun as written, when found
    approximate: bool = False  # "about", Arabic nahwa, Hebrew ke-
    measure: str | None = None  # what it counts, from the measure-noun lexicon: "dead", "percent"... (measures.py)


@dataclass(frozen=True)
class Extraction:
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass(frozen=True)
class MentionRef:
    """A mention located in one article of a story, as input to ``link_entities``."""

    mention: Mention
    lang: str
    article_id: str
    story_id: str | None = None


@dataclass
class Variant:
    text: str
    lang: str
    count: int


@dataclass
class CanonicalEntity:
    id: str
    name: str  # display name in Latin script
    type: EntityType
    variants: list[Variant]
    mentions: list[MentionRef] = field(default_factory=list)
    romanised: bool = False  # the name is a romanisation of a Hebrew/Arabic name (no English or Latin name known)


@dataclass(frozen=True)
class QuoteRef:
    quote: Quote
    lang: str
    article_id: str
    speaker_entity: str | None = None  # CanonicalEntity.id of the speaker, when linked


@dataclass
class QuoteGroup:
    """One statement as reported by several articles and languages."""

    id: str
    speaker_entity: str | None
    occurrences: list[QuoteRef]


@dataclass(frozen=True)
class FigureRef:
    figure: Figure
    lang: str
    article_id: str
    published: str | None = None  # the article's publication date (ISO), which orders updates of a toll


@dataclass
class FigureGroup:
    """Occurrences of one quantity in two or more articles, in publication order.

    ``discrepant``: articles of the same day state different values (outlets disagree); ``updated``: the value
    changes from one day to a later one (a toll that rises), shown as a timeline rather than as a disagreement.
    """

    id: str
    unit: str | None
    values: list[FigureValue]
    occurrences: list[FigureRef]
    discrepant: bool
    measure: str | None = None
    updated: bool = False
