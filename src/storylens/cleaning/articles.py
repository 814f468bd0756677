"""Finding the articles in one input record: headers, titles, boilerplate, glued articles, translations.

The record is cut into lines (offsets kept); each line gets a role. Articles are separated where
page furniture that closes an article (a source line, tags, a copyright line) is followed by new
running text, where a metadata header appears mid-record, or where a title is followed by its own
date line. Inside an article, a long stretch in another language becomes a part of its own, linked
to an earlier part when ``translation`` finds that it mirrors it.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from storylens.cleaning.boilerplate import ARTICLE_ENDING_KINDS, Furniture, classify
from storylens.cleaning.cues import DATELINE_AGENCY, METADATA_HEADER
from storylens.cleaning.headline import choose_title
from storylens.cleaning.lines import (
    Line,
    date_line_value,
    ends_sentence,
    is_body_like,
    is_bullet,
    is_short,
    is_title_like,
    split_lines,
)
from storylens.cleaning.translation import translation_evidence
from storylens.language import detect
from storylens.models import Part, Segment, SegmentRole

# A trailing footer is at most this many short lines.
FOOTER_MAX_LINES = 6
# A "read also" line this short is a header over link titles rather than a link itself.
RELATED_HEADER_MAX_WORDS = 4
# After the furniture closing an article, the next article's title comes within this many lines.
NEXT_TITLE_MAX_DISTANCE = 6
# A date line counts as the article's header only among its first lines.
HEAD_LINES = 4
# A stretch of lines in another language is a part of its own only when it is this large:
# at least RUN_MIN_LINES lines and RUN_MIN_LETTERS letters, or one paragraph of RUN_MIN_SINGLE_LETTERS.
RUN_MIN_LINES = 2
RUN_MIN_LETTERS = 200
RUN_MIN_SINGLE_LETTERS = 600
# Lines shorter than this, or detected with less confidence, do not vote on the language.
LANGUAGE_MIN_LETTERS = 15
LANGUAGE_MIN_CONFIDENCE = 0.5


@dataclass
class _Unit:
    """One line with what cleaning decided about it."""

    line: Line
    furniture: Furniture | None
    role: SegmentRole = "body"
    note: str = ""
    header: Segment | None = None  # a metadata header cut from the start of this line
    header_date: str | None = None


@dataclass
class _Draft:
    """The units of one part, before it becomes a Part."""

    units: list[_Unit] = field(default_factory=list)
    source: str | None = None  # named by a source line of the article this part comes from

    @property
    def content(self) -> list[_Unit]:
        return [unit for unit in self.units if unit.role in ("title", "body")]

    @property
    def body(self) -> list[_Unit]:
        return [unit for unit in self.units if unit.role == "body"]


def clean(text: str) -> list[Part]:
    """The articles in ``text``, in document order; [] when it holds no article text."""
    units = _units(text)
    drafts: list[_Draft] = []
    for first, last in _article_ranges(units):
        article = units[first:last]
        _mark_furniture(article)
        _mark_footer(article)
        source = next((u.furniture.value for u in article if u.furniture and u.furniture.kind == "source"), None)
        drafts.extend(_Draft(units, source) for units in _split_by_language(article))
    drafts = _attach_empty_drafts(drafts)
    parts: list[Part] = []
    for draft in drafts:
        _mark_head(draft.units)
        parts.append(_to_part(draft, text))
    return _link_translations(text, parts, drafts)


def _units(text: str) -> list[_Unit]:
    """Lines of the text, with any leading metadata header (" date 2025-12-03 ") cut off into a segment."""
    units = []
    for line in split_lines(text):
        header = METADATA_HEADER.match(line.text)
        if header is None:
            units.append(_Unit(line, classify(line)))
            continue
        segment = Segment(line.start, line.start + header.end(), "header", "date header")
        rest = split_lines(text, segment.end, line.end)
        if rest:
            unit = _Unit(rest[0], classify(rest[0]), header=segment, header_date=header.group("date"))
        else:  # a header alone on its line: it heads the next line
            unit = _Unit(line, None, role="header", note="date header", header_date=header.group("date"))
        units.append(unit)
    return units


def _article_ranges(units: Sequence[_Unit]) -> list[tuple[int, int]]:
    starts = [0]
    index = 1
    while index < len(units):
        start = _article_start_at(units, index, starts[-1])
        if start is not None:
            starts.append(start)
            index = start + 1
        else:
            index += 1
    return list(zip(starts, [*starts[1:], len(units)], strict=True))


def _article_start_at(units: Sequence[_Unit], index: int, current_start: int) -> int | None:
    """Where a new article starts if one starts at ``index`` (possibly a few link lines later).

    ``current_start`` is where the current article starts; it must have running text of its own
    before the furniture that would close it.
    """
    unit = units[index]
    if unit.header is not None or unit.role == "header":
        return index
    following = units[index + 1] if index + 1 < len(units) else None
    if (
        unit.furniture is None
        and is_title_like(unit.line)
        and following is not None
        and date_line_value(following.line) is not None
        and _has_body_after(units, index + 2)
        and is_body_like(units[index - 1].line)
    ):
        return index
    previous = units[index - 1]
    if previous.furniture is None or unit.furniture is not None:
        return None
    block_start = index - 1
    while block_start > 0 and units[block_start - 1].furniture is not None:
        block_start -= 1
    block = [u.furniture for u in units[block_start:index] if u.furniture is not None]
    if not any(f.kind in ARTICLE_ENDING_KINDS for f in block) or not any(
        u.furniture is None and is_body_like(u.line) for u in units[current_start:block_start]
    ):
        return None
    # After the block, link titles may come before the new article's title and body.
    for candidate in range(index, min(len(units), index + NEXT_TITLE_MAX_DISTANCE)):
        if units[candidate].furniture is not None:
            return None
        if is_body_like(units[candidate].line):
            return candidate
        if _has_body_after(units, candidate + 1, immediately=True):
            return candidate
    return None


def _has_body_after(units: Sequence[_Unit], index: int, *, immediately: bool = False) -> bool:
    if immediately:
        return index < len(units) and units[index].furniture is None and is_body_like(units[index].line)
    return any(unit.furniture is None and is_body_like(unit.line) for unit in units[index : index + 2])


def _mark_furniture(article: Sequence[_Unit]) -> None:
    """Furniture lines become boilerplate; so do the link titles under a bare "read also" header."""
    after_related_header = False
    for unit in article:
        if unit.role == "header":
            continue
        if unit.furniture is not None:
            unit.role, unit.note = "boilerplate", unit.furniture.note
            after_related_header = unit.furniture.kind == "related" and len(unit.line.words) <= RELATED_HEADER_MAX_WORDS
        elif after_related_header and is_title_like(unit.line) and not is_body_like(unit.line):
            unit.role, unit.note = "boilerplate", "read-also link"
        else:
            after_related_header = False


def _mark_footer(article: Sequence[_Unit]) -> None:
    """Short plain lines closing an article are a site footer when one of them is site furniture."""
    tail: list[_Unit] = []
    for unit in reversed(article):
        plain_short = is_short(unit.line) and not ends_sentence(unit.line) and not is_bullet(unit.line)
        if len(tail) == FOOTER_MAX_LINES or not (unit.furniture is not None or plain_short):
            break
        tail.append(unit)
    if len(tail) == len(article) or not any(unit.furniture is not None for unit in tail):
        return
    for unit in tail:
        if unit.furniture is None:
            unit.role, unit.note = "boilerplate", "site footer"


def _split_by_language(article: list[_Unit]) -> list[list[_Unit]]:
    """The article's units cut where a long stretch in another language starts (usually uncut)."""
    content = [index for index, unit in enumerate(article) if unit.role == "body"]
    runs = _language_runs([article[index] for index in content])
    if len(runs) < 2:
        return [article]
    cuts = [content[run.first] for run in runs[1:]]
    bounds = [0, *cuts, len(article)]
    return [article[start:end] for start, end in itertools.pairwise(bounds)]


@dataclass
class _Run:
    """Consecutive body lines in one language (None until a line votes)."""

    language: str | None
    first: int
    last: int
    letters: int

    @property
    def substantial(self) -> bool:
        lines = self.last - self.first + 1
        return (lines >= RUN_MIN_LINES and self.letters >= RUN_MIN_LETTERS) or self.letters >= RUN_MIN_SINGLE_LETTERS

    def absorb(self, other: _Run) -> None:
        self.language = self.language or other.language
        self.first, self.last = min(self.first, other.first), max(self.last, other.last)
        self.letters += other.letters


def _language_runs(body: Sequence[_Unit]) -> list[_Run]:
    """Runs of ``body`` holding one language each when it clearly changes language, else []."""
    runs: list[_Run] = []
    for index, unit in enumerate(body):
        letters = sum(character.isalpha() for character in unit.line.text)
        guess = detect(unit.line.text)
        votes = letters >= LANGUAGE_MIN_LETTERS and guess.confidence >= LANGUAGE_MIN_CONFIDENCE
        run = _Run(guess.lang if votes else None, index, index, letters)
        if runs and (run.language is None or runs[-1].language in (None, run.language)):
            runs[-1].absorb(run)
        else:
            runs.append(run)
    merged: list[_Run] = []
    for run in runs:
        if merged and (not run.substantial or run.language == merged[-1].language):
            merged[-1].absorb(run)
        elif merged and not merged[-1].substantial:
            run.absorb(merged.pop())
            merged.append(run)
        else:
            merged.append(run)
    languages = {run.language for run in merged}
    return merged if len(merged) >= 2 and len(languages) == len(merged) else []


def _attach_empty_drafts(drafts: list[_Draft]) -> list[_Draft]:
    """Drafts without body text (only boilerplate) join the previous draft, or the next one."""
    kept: list[_Draft] = []
    pending: list[_Unit] = []
    for draft in drafts:
        if any(unit.role == "body" for unit in draft.units):
            draft.units[:0] = pending
            pending = []
            kept.append(draft)
        elif kept:
            kept[-1].units.extend(draft.units)
            kept[-1].source = kept[-1].source or draft.source
        else:
            pending.extend(draft.units)
    return kept


def _mark_head(units: Sequence[_Unit]) -> None:
    """The title, and a date line just before or after it, at the start of a part."""
    content = [unit for unit in units if unit.role == "body"]
    for unit in content[:HEAD_LINES]:
        if date_line_value(unit.line) is not None and len(content) > 1:
            unit.role, unit.note = "header", "published date line"
            unit.header_date = date_line_value(unit.line)
    remaining = [unit for unit in units if unit.role == "body"]
    if len(remaining) < 2 or not is_title_like(remaining[0].line):
        return
    if any(unit.role == "body" and is_body_like(unit.line) for unit in remaining[1:2]):
        remaining[0].role, remaining[0].note = "title", "first line"


def _to_part(draft: _Draft, text: str) -> Part:
    segments: list[Segment] = []
    header_date = None
    for unit in draft.units:
        if unit.header is not None:
            segments.append(unit.header)
        if unit.header_date is not None and header_date is None:
            header_date = unit.header_date
        segment = Segment(unit.line.start, unit.line.end, unit.role, unit.note)
        previous = segments[-1] if segments else None
        if (
            previous is not None
            and unit.header is None
            and (previous.role, previous.note)
            == (
                segment.role,
                segment.note,
            )
        ):
            segments[-1] = Segment(previous.start, segment.end, previous.role, previous.note)
        else:
            segments.append(segment)
    content = draft.content
    marked = next((unit.line for unit in content if unit.role == "title"), None)
    title = choose_title([unit.line for unit in content], text, marked)
    body = draft.body
    return Part(
        start=content[0].line.start,
        end=max(unit.line.end for unit in content),
        segments=tuple(segments),
        title=title,
        source=draft.source or (dateline_agency(body[0].line.text) if body else None),
        header_date=header_date,
    )


def dateline_agency(paragraph: str) -> str | None:
    """The agency named in a dateline opening the paragraph ("LONDON (Reuters) - ..." gives "Reuters")."""
    match = DATELINE_AGENCY.match(paragraph)
    if match is None:
        return None
    place = match.group("place")
    # A Latin-script place in a dateline is written in capitals; "He said (...)" is not a dateline.
    if any("a" <= character <= "z" for character in place):
        return None
    return match.group("agency").strip()


def _link_translations(text: str, parts: list[Part], drafts: Sequence[_Draft]) -> list[Part]:
    """Set ``translation_of`` on each part that mirrors an earlier part in another language."""
    languages = [detect(text[part.start : part.end]).lang for part in parts]
    blocks = [[unit.line.text for unit in draft.content] for draft in drafts]
    linked = list(parts)
    for index in range(1, len(parts)):
        for original in range(index):
            if linked[original].translation_of is not None or languages[original] == languages[index]:
                continue
            if translation_evidence(blocks[original], blocks[index]).is_translation():
                linked[index] = dataclasses.replace(parts[index], translation_of=original)
                break
    return linked
