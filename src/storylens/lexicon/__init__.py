"""Names of the same entity in Hebrew, Arabic and English: places (GeoNames), people (Wikidata) and organisations.

NameLexicon().lookup(surface) -> [Entry, ...]   whole-name entries, after clitic prefixes are stripped
name_lexicon()                                   the shared, lazily loaded lexicon
name_score(a, b) -> float                        transliteration + skeleton similarity of two names
"""

from __future__ import annotations

import storylens.extraction  # noqa: F401  first: the lexicon reads its text helpers, and its linking reads the lexicon
from storylens.lexicon.names import Entry, NameLexicon, lookup_key, name_lexicon, strip_candidates
from storylens.lexicon.score import name_score, score_threshold

__all__ = ["Entry", "NameLexicon", "lookup_key", "name_lexicon", "name_score", "score_threshold", "strip_candidates"]
