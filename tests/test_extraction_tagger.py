"""The shipped CRF taggers load and tag invented sentences; the training script reads each corpus format."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from storylens.extraction import tagger
from storylens.extraction.gazetteer import after_title_flags, known_type
from storylens.extraction.tagger import model_for, name_tokens, spans_from_tags, token_features
from storylens.lang import normalise, tokenize

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "train_tagger.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_tagger", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tagged(text: str, lang: str) -> set[tuple[str, str]]:
    """(span text, type) for each span the shipped model tags in one invented sentence."""
    model = model_for(lang)
    assert model is not None
    tokens = tokenize(text)
    words, norms = [t.text for t in tokens], [t.norm for t in tokens]
    titles = after_title_flags(norms)
    features = [token_features(words, norms, lang, i, known_type, titles) for i in range(len(tokens))]
    return {
        (text[tokens[first].start : tokens[last].end], kind)
        for first, last, kind in spans_from_tags(model.tag(features))
    }


# Invented sentences with the names an ordinary reader sees in them (span as written, clitic prefix included).
OBVIOUS_NAMES = {
    "en": [
        ("Yesterday Maria Gonzalez drove from Madrid to Lisbon with her dog.", ["Maria Gonzalez", "Madrid", "Lisbon"]),
        (
            "President Anna Berg met the United Nations envoy in Geneva on Monday.",
            ["Anna Berg", "United Nations", "Geneva"],
        ),
        ("Microsoft opened an office in Toronto last week, said John Miller.", ["Microsoft", "Toronto", "John Miller"]),
    ],
    "he": [
        ("אתמול נסע דוד כהן מירושלים לחיפה עם הכלב שלו.", ["דוד כהן", "מירושלים", "לחיפה"]),
        ("ראש הממשלה יוסי לוי ביקר אתמול בחיפה ונפגש עם ראש העיר.", ["יוסי לוי", "בחיפה"]),
        ('שרת החוץ רונית אברהם נפגשה בפריז עם נציגי האו"ם.', ["רונית אברהם", "בפריז", 'האו"ם']),
        ("בנק ישראל הודיע היום כי הריבית תישאר ללא שינוי.", ["בנק ישראל"]),
    ],
    "ar": [
        ("قال الرئيس محمد عبد الله إن الوفد سيزور القاهرة غدا.", ["محمد عبد الله", "القاهرة"]),
        ("التقى وزير الخارجية أحمد سالم بممثلي الأمم المتحدة في جنيف.", ["أحمد سالم", "الأمم المتحدة", "جنيف"]),
    ],
}


@pytest.mark.parametrize("lang", sorted(OBVIOUS_NAMES))
def test_shipped_model_finds_most_obvious_names(lang: str) -> None:
    """A statistical tagger misses some names (held-out recall is in the model card), so this checks the share found
    over a few invented sentences, not each name: at least half (en and ar find all today, he 5 of 9)."""
    found = total = 0
    for text, names in OBVIOUS_NAMES[lang]:
        spans = {span for span, _ in tagged(text, lang)}
        found, total = found + sum(name in spans for name in names), total + len(names)
    assert found * 2 >= total, (lang, found, total)


def test_shipped_model_types_obvious_names() -> None:
    assert ("Maria Gonzalez", "person") in tagged(OBVIOUS_NAMES["en"][0][0], "en")
    assert ("Lisbon", "place") in tagged(OBVIOUS_NAMES["en"][0][0], "en")
    assert ("יוסי לוי", "person") in tagged(OBVIOUS_NAMES["he"][1][0], "he")
    assert ("القاهرة", "place") in tagged(OBVIOUS_NAMES["ar"][0][0], "ar")


def test_name_token_sets_ship_for_each_language() -> None:
    for lang in ("he", "ar", "en"):
        classes = name_tokens(lang)
        assert classes, lang
        assert {part for kinds in classes.values() for part in kinds.split("+")} <= {"per", "loc", "locpart"}


def test_spans_from_tags_starts_anew_at_a_type_change() -> None:
    assert spans_from_tags(["B-PER", "I-PER", "I-LOC", "O", "I-ORG"]) == [
        (0, 1, "person"),
        (2, 2, "place"),
        (4, 4, "organisation"),
    ]


def test_reads_two_column_bio_with_fine_types(script: ModuleType) -> None:
    """IAHLT .bio (GPE, TIMEX), NEMO / Wojood (coarse) and WNUT (lowercase types) share token<TAB>tag lines."""
    iahlt = "אתמול\tB-TIMEX\nבחולון\tB-GPE\nדיברה\tO\nרונית\tB-PER\nלוי\tI-PER\n\nשורה\tO\n"
    assert script.parse_columns(iahlt, 0, 1, script.HEBREW_TYPES) == [
        (["אתמול", "בחולון", "דיברה", "רונית", "לוי"], ["O", "B-LOC", "O", "B-PER", "I-PER"]),
        (["שורה"], ["O"]),
    ]
    wnut = "zorbly\tB-corporation\nfans\tO\nin\tO\nquentinville\tB-location\n\n"
    assert script.parse_columns(wnut, 0, 1, script.ENGLISH_TYPES) == [
        (["zorbly", "fans", "in", "quentinville"], ["B-ORG", "O", "O", "B-LOC"])
    ]


def test_reads_newsfane_with_bom_crlf_and_direction_marks(script: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "fane.txt"
    text = "\u200eزار\tO\r\n\u200eسمير\tB-Athlete\r\n\u200eنوري\tI-Athlete\r\n\u200eبلدة\tB-Population-Center\r\n\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert script.read_columns(path, 0, 1, script.ARABIC_TYPES) == [
        (["زار", "سمير", "نوري", "بلدة"], ["O", "B-PER", "I-PER", "B-LOC"])
    ]


def test_reads_uner_comment_lines_and_index_column(script: ModuleType) -> None:
    uner = (
        "# sent_id = invented-1\n# text = Ask Pella Norr at Quandle\n"
        "1\tAsk\tO\t-\t-\n2\tPella\tB-PER\t-\tann\n3\tNorr\tI-PER\t-\tann\n"
        "4\tat\tO\t-\t-\n5\tQuandle\tI-ORG\t-\tann\n\n"
    )
    assert script.parse_columns(uner, 1, 2, script.ENGLISH_TYPES) == [
        (["Ask", "Pella", "Norr", "at", "Quandle"], ["O", "B-PER", "I-PER", "O", "B-ORG"])
    ]


def test_cut_by_words_keeps_the_sentences_of_the_first_share(script: ModuleType) -> None:
    sentences = [(["a"] * n, ["O"] * n) for n in (2, 2, 1, 1)]
    first, rest = script.cut_by_words(sentences, 5 / 6)
    assert [len(w) for w, _ in first] == [2, 2, 1] and [len(w) for w, _ in rest] == [1]


def test_reads_character_spans_as_surface_token_tags(script: ModuleType, tmp_path: Path) -> None:
    """IAHLT named-entity .jsonl: outermost spans only, a clitic prefix stays inside the token's mention, unmapped
    types become O, and a sentence held out elsewhere (by its text) is left out."""
    text = "חבר הכנסת רונית לוי דיברה בחולון."
    start = text.index("רונית")
    labels = [[text.index("הכנסת") + 1, text.index("הכנסת") + 5, "ORG"], [0, start - 1, "TTL"]]
    labels += [[start, start + 9, "PER"], [start + 6, start + 9, "GPE"], [text.index("חולון"), len(text) - 1, "GPE"]]
    rows = [{"text": text, "label": labels}, {"text": "שורה מוחזקת", "label": []}]
    for name in script.tagger_corpora.KNESSET_NE_FILES:
        (tmp_path / name).write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
        )
    assert script.tagger_corpora.knesset_ne(tmp_path, {"שורה מוחזקת"}, script.HEBREW_TYPES) == [
        (["חבר", "הכנסת", "רונית", "לוי", "דיברה", "בחולון", "."], ["O", "O", "B-PER", "I-PER", "O", "B-LOC", "O"])
    ]


def _features(words: list[str], i: int, lang: str, groups: frozenset[str]) -> list[str]:
    norms = [normalise(w) for w in words]
    return token_features(words, norms, lang, i, known_type, [False] * len(words), groups)


def test_shape_group_adds_character_class_shapes() -> None:
    features = _features(["Visit", "U.S.", "now"], 1, "en", frozenset({"shape"}))
    assert "fshape=X.X." in features
    assert "fshape-1|fshape=Xx|X.X." in features and "fshape|fshape+1=X.X.|x" in features
    assert not any(f.startswith("fshape") for f in _features(["Visit", "U.S."], 1, "en", frozenset()))


def test_clusters_group_reads_word_classes_of_the_word_its_stem_and_neighbours(monkeypatch: pytest.MonkeyPatch) -> None:
    """Word classes come from the table of ``word_clusters``; a word missing from it gets the classes of its first
    clitic-stripped stem found (marked "s"), or "none"."""
    table = {"harbour": ("3", "41"), "in": ("7", "9"), "חיפה": ("5", "77")}
    monkeypatch.setattr(tagger, "word_clusters", lambda lang: table)
    tagger._clusters_of.cache_clear()
    tagger._word_features.cache_clear()
    try:
        groups = frozenset({"clusters"})
        english = _features(["in", "Harbour", "Zorblyx"], 1, "en", groups)
        assert {"cl0=3", "cl1=41", "cl0-1=7", "cl0+1=none"} <= set(english)
        assert "cl=none" in _features(["in", "Harbour", "Zorblyx"], 2, "en", groups)
        assert {"cl0=s5", "cl1=s77"} <= set(_features(["בחיפה"], 0, "he", groups))
    finally:
        tagger._clusters_of.cache_clear()
        tagger._word_features.cache_clear()
