"""Tests for storylens.language: script-aware language identification."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from storylens.language import UNDETERMINED, detect, detect_lines

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.mark.parametrize("text", ["", "   \n\t", "12345 678", "2025-12-03", "٣١٢", "-- ... !!"])
def test_text_without_letters_is_undetermined(text: str) -> None:
    assert detect(text) == UNDETERMINED


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("שלום", "he"),
        ("מה שלומך היום?", "he"),
        ("הממשלה אישרה הלילה את התקציב החדש לאחר דיון סוער", "he"),
        ("مرحبا", "ar"),
        ("أعلنت الحكومة اليوم عن خطة جديدة لدعم الاقتصاد", "ar"),
        ("Привет, как дела?", "ru"),
        ("Путин", "ru"),
        ("Правительство одобрило новый бюджет после долгих споров", "ru"),
        ("Привіт, як справи?", "uk"),
        ("Hello world, how are you?", "en"),
        ("The government approved the new budget after a stormy debate", "en"),
        ("Le gouvernement a approuvé le nouveau budget", "fr"),
        ("Die Regierung hat den neuen Haushalt gebilligt", "de"),
        ("El gobierno aprobó el nuevo presupuesto", "es"),
        ("Αθήνα είναι η πρωτεύουσα της Ελλάδας", "el"),
        ("東京は日本の首都です", "ja"),
        ("北京是中国的首都", "zh"),
        ("서울은 한국의 수도입니다", "ko"),
    ],
)
def test_common_languages_short_and_long(text: str, expected: str) -> None:
    guess = detect(text)
    assert guess.lang == expected
    assert 0.0 < guess.confidence <= 1.0


def test_hebrew_is_not_called_yiddish_without_yiddish_letters_or_words() -> None:
    for text in ["שלום עליכם", "ירושלים", "דיון בכנסת", "אני אוהב את העיר הזאת"]:
        assert detect(text).lang == "he", text


def test_yiddish_with_its_own_function_words_is_yiddish() -> None:
    assert detect("דער טאטע איז אין שטוב און ער לייענט א בוך").lang == "yi"


def test_arabic_script_with_persian_or_urdu_letters() -> None:
    assert detect("سلام، حال شما چطور است؟ امروز هوا خیلی خوب است").lang == "fa"
    assert detect("یہ ایک اردو جملہ ہے اور یہ بہت اچھا ہے").lang == "ur"
    # An Arabic sentence never becomes Persian or Urdu: it has none of their letters.
    assert detect("قال الرئيس إن المحادثات كانت مفيدة").lang == "ar"


def test_language_follows_the_dominant_script() -> None:
    assert detect("Fox News قال وزير الخارجية الأمريكي في مقابلة مع شبكة").lang == "ar"
    assert detect("The minister said ירושלים is the capital, according to the statement").lang == "en"


def test_web_addresses_are_not_evidence_of_english() -> None:
    assert detect("https://www.example.com/news/item?id=1 مقال عن الاقتصاد").lang == "ar"


def test_detect_lines_gives_offsets_into_the_text() -> None:
    text = "The first line is English.\n\nהשורה השנייה בעברית\r\n  السطر الثالث بالعربية  \n"
    lines = detect_lines(text)
    assert [guess.lang for _, _, guess in lines] == ["en", "he", "ar"]
    assert [text[start:end] for start, end, _ in lines] == [
        "The first line is English.",
        "השורה השנייה בעברית",
        "  السطر الثالث بالعربية  ",
    ]


def _dev_rows(name: str) -> list[dict[str, str]]:
    path = SHARED / "data" / name
    if not path.exists():
        pytest.skip(f"shared dev data not found at {path}")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_news_dev_languages() -> None:
    rows = _dev_rows("news_dev.jsonl")
    guesses = [(row["lang"], detect(row["text"]).lang) for row in rows]
    wrong = [(gold, guess) for gold, guess in guesses if gold != guess]
    assert len(wrong) <= len(rows) // 20, wrong


def test_itn_dev_short_blurbs_in_many_languages() -> None:
    # Wikipedia edition codes; be-tarask is Belarusian in the classical spelling.
    rows = _dev_rows("itn_dev.jsonl")
    gold: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for row in rows:
        lang = "be" if row["lang"] == "be-tarask" else row["lang"]
        gold[lang] += 1
        right[lang] += detect(row["text"]).lang == lang
    assert sum(right.values()) / sum(gold.values()) >= 0.9
    for lang in ("ar", "he", "en", "ru", "uk", "fr", "pt", "zh", "ko", "th", "ka", "el", "ur", "ckb"):
        assert right[lang] == gold[lang], lang
