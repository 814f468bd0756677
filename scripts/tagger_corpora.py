"""Readers for the extra training corpora of ``scripts/train_tagger.py`` that are not in shared/ner.

They are read from a folder given on the command line (``--corpora DIR``) and never committed; how to obtain
each file (repository, commit, path) is in ``src/storylens/extraction/data/MODEL_CARD.md``:

- ``he_iahltknesset-ne-ud-{train,dev,test}.jsonl``: IAHLT's named-entity release of the Knesset treebank
  (IAHLT/UD_Hebrew-IAHLTKnesset @ 604cb05eacc95e2fc83a5b7b888815f22953b829, CC BY 4.0): one sentence per line,
  ``text`` and character-offset ``label`` spans. Its split differs from the UD release in shared/ner, so every
  sentence whose text is also in a shared IAHLT dev/test file is dropped (they stay held out).
- ``en_ewt-ud-train.iob2``: the UNER English-EWT train split as first committed
  (UniversalNER/UNER_English-EWT @ 0c7ce0debb13a7d304da656f16309397e8ff36ef, CC BY-SA 4.0); read like the other
  UNER files (its extra ``OTH`` and ``O`` entity tags become O).
"""

from __future__ import annotations

import json
from pathlib import Path

from storylens.lang import tokenize

Sentence = tuple[list[str], list[str]]
Split = list[Sentence]

KNESSET_NE_FILES = tuple(f"he_iahltknesset-ne-ud-{split}.jsonl" for split in ("train", "dev", "test"))
UNER_EWT_TRAIN = "en_ewt-ud-train.iob2"


def outermost(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The spans not inside another span (the outermost layer of nested annotation), in text order."""
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
        if kept and start < kept[-1][1]:
            continue  # inside (or overlapping) the last kept span
        kept.append((start, end, kind))
    return kept


def sentence_from_spans(text: str, spans: list[tuple[int, int, str]], types: dict[str, str]) -> Sentence:
    """Surface tokens (``storylens.lang.tokenize``, as at run time) with IOB2 tags from character-offset spans:
    a token overlapping an outermost span takes its type (so a clitic prefix stays inside the mention, as in
    shared/ner's .bio files); types missing from ``types`` become O."""
    tokens = tokenize(text)
    tags = ["O"] * len(tokens)
    for start, end, kind in outermost(spans):
        coarse = types.get(kind)
        inside = [k for k, t in enumerate(tokens) if t.start < end and t.end > start]
        if not coarse or not inside:
            continue
        for k in inside:
            tags[k] = ("B-" if k == inside[0] else "I-") + coarse
    return [t.text for t in tokens], tags


def read_span_jsonl(path: Path, types: dict[str, str]) -> list[tuple[str, Sentence]]:
    """(text, sentence) per line of an IAHLT named-entity .jsonl file."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            spans = [(int(s), int(e), str(k)) for s, e, k in row["label"]]
            out.append((row["text"].strip(), sentence_from_spans(row["text"], spans, types)))
    return out


def conllu_texts(paths: list[Path]) -> set[str]:
    """The ``# text =`` lines of .conllu files."""
    return {
        line[len("# text = ") :].strip()
        for path in paths
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# text = ")
    }


def knesset_ne(corpora: Path, held_out: set[str], types: dict[str, str]) -> Split:
    """The IAHLT Knesset named-entity sentences (all three of its files), each text once, without ``held_out``."""
    seen = set(held_out)
    sentences: Split = []
    for name in KNESSET_NE_FILES:
        for text, sentence in read_span_jsonl(corpora / name, types):
            if text not in seen and sentence[0]:
                seen.add(text)
                sentences.append(sentence)
    return sentences
