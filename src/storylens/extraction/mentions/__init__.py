"""Mentions of people, organisations and places, with offsets into the original text.

Proposers (``proposers``, ``lexicon_names``, ``context``) propose spans: the CRF tagger, the title cue words, the
lexicon's whole person names, the CLDR place list, the lexicon's organisation list and the place/organisation/list
nouns and reporting verbs of the language profiles.
Span rules (``spans``) trim and extend them; named vetoes (``vetoes``) remove what is no name, each with its reason;
types come from the context over the tagger's guess (``kinds``); ``resolve`` chooses among overlaps and leaves
clitic prefixes out. Word shapes shared by these rules are in ``shapes``, the text's facts in ``text``. Language
knowledge (cue words, morphemes) comes from ``storylens.lang`` profiles, never from Python.
"""

from storylens.extraction.mentions.resolve import DEFAULT_PROPOSERS, extract_mentions
from storylens.extraction.mentions.text import Candidate, Text

__all__ = ["DEFAULT_PROPOSERS", "Candidate", "Text", "extract_mentions"]
