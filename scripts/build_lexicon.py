"""Build the shipped name lexicon ``src/storylens/lexicon/data/names.tsv.gz`` from ``../shared/ner/lexicon/``.

Input: the GeoNames place names (CC BY 4.0) and the Wikidata person names (CC0) described in that folder's
ATTRIBUTION.md, one ``id, type, lang, name`` row per name. Output: one row per entity,
``id<TAB>type<TAB>English names<TAB>Hebrew names<TAB>Arabic names`` with "|" between alternative names, sorted,
gzip-compressed with a fixed timestamp so that the same input gives the same bytes. Country rows take the CLDR
names (babel) as their first names, so the English label views show is CLDR's. Name tokens that are no word (quotes,
digits, one letter) are left out. The hand-curated organisation list ``data/organisations.tsv`` is read as it is.

    PYTHONPATH=src /work/venv/bin/python scripts/build_lexicon.py [--source ../shared/ner/lexicon]
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
from collections import defaultdict
from pathlib import Path

from babel import Locale

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/storylens/lexicon/data"
FILES = ("geonames_ubports.tsv", "wikidata_name_tokens.tsv", "wikidata_person_names_he_en.tsv")
LICENCES = ("ATTRIBUTION.md", "LICENSE.GeoNames-data.CC-BY-4.0.txt", "LICENSE.NETransliteration-data.CC0-1.0.txt")
TYPES = {"LOC": "place", "PER": "person", "ORG": "organisation"}
LANGS = ("en", "he", "ar")
WORDLIKE = re.compile(r"^[^\W\d_][^\d_]*$")


def read(source: Path) -> dict[tuple[str, str], dict[str, list[str]]]:
    rows: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: {lang: [] for lang in LANGS})
    for name in FILES:
        with (source / name).open(encoding="utf-8") as handle:
            next(handle)
            for line in handle:
                entity, kind, lang, text = line.rstrip("\n").split("\t")
                text = text.strip()
                if lang not in LANGS or "|" in text or "\t" in text:
                    continue
                if entity.startswith("wdtok:") and (len(text) < 2 or not WORDLIKE.match(text)):
                    continue
                names = rows[(entity, TYPES[kind])][lang]
                if text not in names:
                    names.append(text)
    cldr = {lang: Locale.parse(lang).territories for lang in LANGS}
    for (entity, _), names in rows.items():
        code = entity.removeprefix("geonames-cc:")
        if entity.startswith("geonames-cc:") and code in cldr["en"]:
            for lang in LANGS:
                local = cldr[lang].get(code)
                if local:
                    names[lang] = [local, *(n for n in names[lang] if n != local)]
    return rows


def write(rows: dict[tuple[str, str], dict[str, list[str]]], path: Path) -> int:
    lines = [
        "\t".join([entity, kind, *("|".join(names[lang]) for lang in LANGS)])
        for (entity, kind), names in sorted(rows.items())
        if names["en"] and (names["he"] or names["ar"])
    ]
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as handle:
        handle.write(("\n".join(lines) + "\n").encode("utf-8"))
    return len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--source", type=Path, default=ROOT.parent.parent / "shared/ner/lexicon")
    args = parser.parse_args()
    count = write(read(args.source), OUT / "names.tsv.gz")
    for name in LICENCES:
        shutil.copyfile(args.source / name, OUT / name.replace("ATTRIBUTION.md", "ATTRIBUTION_sources.md"))
    print(f"{count} entities -> {OUT / 'names.tsv.gz'} ({(OUT / 'names.tsv.gz').stat().st_size} bytes)")


if __name__ == "__main__":
    main()
