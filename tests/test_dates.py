"""Tests for the dates stage: publication dates, date grammar, relative day expressions."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from pathlib import Path

import pytest

from storylens.dates import event_date, find_dates, find_publication_date, parse_date_string, relative_mentions
from storylens.dates.lexicon import lexicon_for

D = dt.date
LEVANTINE = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
             "تشرين الأول", "تشرين الثاني", "كانون الأول"]  # fmt: skip
EGYPTIAN_GULF = [("يناير", 1), ("فبراير", 2), ("مارس", 3), ("أبريل", 4), ("ابريل", 4), ("مايو", 5),
                 ("يونيو", 6), ("يونيه", 6), ("يوليو", 7), ("يوليه", 7), ("أغسطس", 8), ("سبتمبر", 9),
                 ("أكتوبر", 10), ("نوفمبر", 11), ("ديسمبر", 12)]  # fmt: skip
HEBREW = ["בינואר", "בפברואר", "במרץ", "באפריל", "במאי", "ביוני", "ביולי", "באוגוסט", "בספטמבר",
          "באוקטובר", "בנובמבר", "בדצמבר"]  # fmt: skip
RUSSIAN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
           "октября", "ноября", "декабря"]  # fmt: skip


def assert_evidence_in(text: str, info) -> None:
    assert info.start is not None
    assert text[info.start : info.start + len(info.evidence)] == info.evidence


# --- sample documents ----------------------------------------------------------------------


def sample_cases(expected: dict) -> list[tuple[str, str, str | None]]:
    """(file, language, published) of each sample's first segment."""
    return [(doc["file"], doc["segments"][0]["lang"], doc["segments"][0]["published"]) for doc in expected["documents"]]


def test_samples_text_gives_expected_publication_date(seeds: Path, expected: dict) -> None:
    for name, lang, published in sample_cases(expected):
        text = (seeds / name).read_text(encoding="utf-8")
        info = find_publication_date(text, lang=lang)
        if published is None:
            assert info.value is None and info.method == "unknown", name
        else:
            assert (info.value, info.method) == (D.fromisoformat(published), "text"), name
            assert_evidence_in(text, info)


def test_sample_header_line_given_by_cleaning_wins(seeds: Path, expected: dict) -> None:
    for name, lang, published in sample_cases(expected):
        text = (seeds / name).read_text(encoding="utf-8")
        match = re.match(r" date \S+", text)
        if match is None:
            continue
        info = find_publication_date(text[match.end() :], header=match.group(), lang=lang)
        assert (info.value, info.method) == (D.fromisoformat(published), "header"), name


def test_sample_without_date_keeps_its_relative_evidence(seeds: Path, expected: dict) -> None:
    undated = [(name, lang) for name, lang, published in sample_cases(expected) if published is None]
    assert undated
    for name, lang in undated:
        text = (seeds / name).read_text(encoding="utf-8")
        info = find_publication_date(text, lang=lang)
        assert info.value is None and info.evidence
        assert_evidence_in(text, info)


def test_sample_relative_expression_resolves_with_reference(seeds: Path) -> None:
    # 004 says "صباح اليوم الأربعاء" (this Wednesday morning); a fetch on the Thursday pins it.
    text = (seeds / "004_b78be68ad95a6154.txt").read_text(encoding="utf-8")
    info = find_publication_date(text, lang="ar", reference=D(2025, 12, 4))
    assert (info.value, info.method) == (D(2025, 12, 3), "relative")
    assert "اليوم الأربعاء" in info.evidence


# --- declared, header and html-meta strings ------------------------------------------------


@pytest.mark.parametrize(
    ("header", "lang", "value"),
    [
        (" date 2025-12-03", None, D(2025, 12, 3)),
        ("تاريخ النشر: 3rd, December 2025 GMT", "ar", D(2025, 12, 3)),
        ("Published: 12 March 2024", "en", D(2024, 3, 12)),
        ("פורסם: 12.03.2024", "he", D(2024, 3, 12)),
        ("Опубликовано: 3 декабря 2025 г., 10:15", "ru", D(2025, 12, 3)),
        ("نشر بتاريخ: ٦ آب ٢٠٢٥", "ar", D(2025, 8, 6)),
        ("2022-07-20T19:57:01+00:00", None, D(2022, 7, 20)),
        ("Wed, 03 Dec 2025 10:00:00 GMT", None, D(2025, 12, 3)),
        ("December 3rd, 2025", "en", D(2025, 12, 3)),
        ("2025年12月3日", "zh", D(2025, 12, 3)),
        ("2025. december 3.", "hu", D(2025, 12, 3)),  # no grammar rule: dateparser reads it
    ],
)
def test_header_strings(header: str, lang: str | None, value: D) -> None:
    info = find_publication_date("", header=header, lang=lang)
    assert (info.value, info.method, info.evidence, info.start) == (value, "header", header.strip(), None)


def test_partial_header_never_invents_a_day() -> None:
    info = find_publication_date("No date in this text.", header=" date 2025-06")
    assert (info.value, info.method, info.evidence) == (None, "unknown", "date 2025-06")


def test_partial_header_restricts_text_dates() -> None:
    inside = "Mumbai, 12 June 2025 (Reuters) - A plane crashed."
    assert find_publication_date(inside, header=" date 2025-06").value == D(2025, 6, 12)
    outside = "Mumbai, 12 May 2025 (Reuters) - A plane crashed."
    assert find_publication_date(outside, header=" date 2025-06").value is None


def test_confidence_order() -> None:
    text = "Moscow, 1 December 2025 (Reuters) - Talks ended today (Tuesday)."
    kwargs = {"reference": D(2025, 12, 10), "lang": "en"}
    declared = find_publication_date(text, declared="2025-12-04", header="5 December 2025", **kwargs)
    assert (declared.value, declared.method) == (D(2025, 12, 4), "declared")
    meta = find_publication_date(
        text, declared="2025-12-04", declared_method="html-meta", header="5 December 2025", **kwargs
    )
    assert (meta.value, meta.method) == (D(2025, 12, 5), "header")
    meta_only = find_publication_date(text, declared="2025-12-04", declared_method="html-meta", **kwargs)
    assert (meta_only.value, meta_only.method) == (D(2025, 12, 4), "html-meta")
    assert find_publication_date(text, **kwargs).method == "text"
    relative = find_publication_date(text[text.index("Talks") :], **kwargs)
    assert (relative.value, relative.method) == (D(2025, 12, 9), "relative")


@pytest.mark.parametrize(
    ("url", "value"),
    [
        ("https://example.org/2025/04/21/pope-dies-aged-88", D(2025, 4, 21)),
        ("https://example.org/news/2025-06-12/crash.html", D(2025, 6, 12)),
        ("https://example.org/amp/20250531/%D8%A8%D8%A7%D8%B1%D9%8A%D8%B3", D(2025, 5, 31)),
        ("https://example.org/vijesti/witkoff-u-moskvi-20260122", D(2026, 1, 22)),
        ("https://example.org/world/2026/1/23/talks", D(2026, 1, 23)),
    ],
)
def test_url_path_dates(url: str, value: D) -> None:
    info = find_publication_date("No date in this text.", url=url)
    assert (info.value, info.method) == (value, "url")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/article/20251399",  # no 13th month
        "https://example.org/item/120250531",  # nine digits: an id
        "https://example.org/?p=20250531",  # query strings are not read
        "https://example.org/item/3738236",
        "not a url at all",
    ],
)
def test_url_without_a_date(url: str) -> None:
    assert find_publication_date("No date in this text.", url=url).method == "unknown"


def test_url_ranks_below_declared_and_header_and_above_text() -> None:
    text = "Moscow, 1 December 2025 (Reuters) - Talks ended."
    url = "https://example.org/2025/12/02/talks"
    assert find_publication_date(text, declared="2025-12-04", url=url).method == "declared"
    assert find_publication_date(text, header="5 December 2025", url=url).method == "header"
    assert find_publication_date(text, url=url).value == D(2025, 12, 2)


def test_url_date_after_the_reference_is_ignored() -> None:
    info = find_publication_date("No date.", url="https://example.org/2025/12/20/x", reference=D(2025, 12, 1))
    assert info.value is None


def test_url_year_and_month_restrict_text_dates_without_inventing_a_day() -> None:
    url = "https://example.org/2025/02/blog-post_8.html"
    assert find_publication_date("No date in this text.", url=url).evidence == "2025/02"
    inside = "Washington, 1 February 2025 (AP) - Divers recovered the jet."
    assert find_publication_date(inside, url=url).value == D(2025, 2, 1)
    outside = "Washington, 29 January 2025 (AP) - A jet collided with a helicopter."
    assert find_publication_date(outside, url=url).value is None


def test_unparseable_declared_falls_through() -> None:
    info = find_publication_date("القاهرة، 3 ديسمبر 2025 - قال", declared="not a date", lang="ar")
    assert (info.value, info.method) == (D(2025, 12, 3), "text")


# --- the grammar: month names, digits, ordinals ---------------------------------------------


@pytest.mark.parametrize(("number", "name"), list(enumerate(LEVANTINE, start=1)))
def test_levantine_months(number: int, name: str) -> None:
    text = f"دمشق، 12 {name} 2025 - قال مسؤول"
    info = find_publication_date(text, lang="ar")
    assert (info.value, info.method) == (D(2025, number, 12), "text")
    assert_evidence_in(text, info)


@pytest.mark.parametrize(("name", "number"), EGYPTIAN_GULF)
def test_egyptian_and_gulf_months(name: str, number: int) -> None:
    assert parse_date_string(f"الأربعاء 5 {name} 2025", "ar") == D(2025, number, 5)


@pytest.mark.parametrize(
    "phrase",
    ["3 تشرين الثاني/نوفمبر 2025", "3 نوفمبر/تشرين الثاني 2025", "3 تشرين الثاني (نوفمبر) 2025"],
)
def test_combined_month_forms(phrase: str) -> None:
    assert parse_date_string(phrase, "ar") == D(2025, 11, 3)


def test_combined_month_forms_must_agree() -> None:
    assert parse_date_string("3 تشرين الأول/نوفمبر 2025", "ar") is None


@pytest.mark.parametrize(("number", "name"), list(enumerate(HEBREW, start=1)))
def test_hebrew_months_with_prefix(number: int, name: str) -> None:
    assert parse_date_string(f"3 {name} 2025", "he") == D(2025, number, 3)


@pytest.mark.parametrize(("number", "name"), list(enumerate(RUSSIAN, start=1)))
def test_russian_genitive_months(number: int, name: str) -> None:
    assert parse_date_string(f"3 {name} 2025 г.", "ru") == D(2025, number, 3)


@pytest.mark.parametrize("phrase", ["٣ ديسمبر ٢٠٢٥", "۳ دسامبر ۲۰۲۵", "٠٣/١٢/٢٠٢٥"])
def test_arabic_indic_and_persian_digits(phrase: str) -> None:
    lang = "fa" if "دسامبر" in phrase else "ar"
    assert parse_date_string(phrase, lang) == D(2025, 12, 3)


def test_date_found_without_language() -> None:
    assert parse_date_string("12 كانون الأول 2025") == D(2025, 12, 12)
    assert parse_date_string("3 בדצמבר 2025") == D(2025, 12, 3)


@pytest.mark.parametrize("text", ["3rd", "the 3rd", "3rd, December", "on the 3rd of the month", "28 points in 2025"])
def test_bare_ordinal_or_number_is_never_a_date(text: str) -> None:
    assert parse_date_string(text, "en") is None
    assert find_publication_date(text, lang="en").value is None


def test_numeric_order() -> None:
    assert parse_date_string("02.12.2025", "en") == D(2025, 12, 2)  # dotted: day first everywhere
    assert parse_date_string("12/02/2025", "en") == D(2025, 12, 2)  # English order: month first
    assert parse_date_string("12/02/2025", "ar") == D(2025, 2, 12)
    assert parse_date_string("13/02/2025", "en") == D(2025, 2, 13)  # only one reading
    assert parse_date_string("12/02/2025") is None  # order unknown
    assert parse_date_string("31.02.2025") is None  # no such day


def test_find_dates_offsets() -> None:
    text = "כתב: 3 בדצמבר 2025, ועוד 12.03.2024 וגם 2025-06"
    matches = find_dates(text, lexicon_for("he"))
    assert [match.value for match in matches] == [D(2025, 12, 3), D(2024, 3, 12)]
    for match in matches:
        assert text[match.start : match.end] == match.text


# --- text datelines versus event dates ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("Moscow, 3 December 2025 (Reuters) - Talks ended.", "en", D(2025, 12, 3)),
        ("Menu\nHome\n31 May 2025, 21:59 | Updated: 31 May 2025, 22:07\nParis won.", "en", D(2025, 5, 31)),
        ("أعلن الفاتيكان وفاة البابا اليوم الاثنين الموافق 21 أبريل 2025 عن عمر", "ar", D(2025, 4, 21)),
        ("Москва, 3 декабря 2025 г. Переговоры завершились.", "ru", D(2025, 12, 3)),
    ],
)
def test_text_datelines(text: str, lang: str, value: D) -> None:
    info = find_publication_date(text, lang=lang)
    assert (info.value, info.method) == (value, "text")
    assert_evidence_in(text, info)


def test_event_date_inside_a_sentence_is_not_a_publication_date() -> None:
    text = "The new pope was elected by the cardinals. Born in Chicago on 14 September 1955, he served in Peru."
    assert find_publication_date(text, lang="en").value is None


def test_sentence_opening_with_a_date_is_not_a_dateline() -> None:
    assert find_publication_date("On 3 December 2025, the court ruled against him.", lang="en").value is None


def test_relative_words_found_without_language() -> None:
    mentions = relative_mentions("قال بالأمس الثلاثاء، ונפגשו אתמול (רביעי)")
    assert [(m.days_offset, m.weekday) for m in mentions] == [(-1, 1), (-1, 2)]


def test_date_after_reference_is_ignored() -> None:
    text = "Kyiv, 3 December 2025 - Talks ended."
    assert find_publication_date(text, lang="en", reference=D(2025, 11, 1)).value is None


def test_dateline_only_searched_near_the_start() -> None:
    text = "Body text. " * 100 + "\nMoscow, 3 December 2025 - more"
    assert find_publication_date(text, lang="en").value is None


# --- relative expressions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "days", "weekday"),
    [
        ("שרי הביטחון דנו אתמול (רביעי) בערבויות", "he", -1, 2),
        ("כך מסר הקרמלין היום (רביעי), לאחר פגישה", "he", 0, 2),
        ("נפגשו אמש עם השליח", "he", -1, None),
        ("غادر موسكو صباح اليوم الأربعاء بعد محادثات", "ar", 0, 2),
        ("وقال أمس الثلاثاء إن المحادثات", "ar", -1, 1),
        ("أعلن الكرملين ليل الثلاثاء انتهاء المحادثات", "ar", None, 1),
        ("التقى الوفد مساء الثلاثاء في موسكو", "ar", None, 1),
        ("The meeting was held yesterday (Wednesday) in Moscow", "en", -1, 2),
        ("Officials said on Tuesday that", "en", None, 1),
        ("talks ended last night without a deal", "en", -1, None),
        ("Переговоры прошли вчера в Москве", "ru", -1, None),
    ],
)
def test_relative_mentions(text: str, lang: str, days: int | None, weekday: int | None) -> None:
    [mention] = relative_mentions(text, lang)
    assert (mention.days_offset, mention.weekday) == (days, weekday)
    assert text[mention.start : mention.end] == mention.text


def test_weekday_number_words_need_context() -> None:
    # "שני" is also "second"; only "(שני)" or "יום שני" names Monday.
    assert relative_mentions("המקום השני בטבלה", "he") == []
    assert [m.weekday for m in relative_mentions("ביום שני נפגשו, ו(שני) שוב", "he")] == [0, 0]


def test_yesterday_with_weekday_fixes_publication_and_event_dates() -> None:
    text = 'שרי הביטחון של נאט"ו דנו אתמול (רביעי) בערבויות'
    info = find_publication_date(text, lang="he", reference=D(2025, 8, 21))
    # The phrase dates the event (Wednesday 20th); the article appeared the day after.
    assert (info.value, info.method) == (D(2025, 8, 21), "relative")
    [mention] = relative_mentions(text, "he")
    assert event_date(mention, info.value) == D(2025, 8, 20)


def test_reference_some_days_after_publication() -> None:
    info = find_publication_date("كشف الكرملين اليوم الأربعاء أن", lang="ar", reference=D(2025, 12, 7))
    assert info.value == D(2025, 12, 3)


def test_relative_without_weekday_or_reference_is_unknown_with_evidence() -> None:
    text = "Talks ended yesterday in Moscow."
    for reference in (None, D(2025, 12, 4)):
        info = find_publication_date(text, lang="en", reference=reference)
        assert (info.value, info.method, info.evidence) == (None, "unknown", "yesterday")
    weekday_only = find_publication_date("Talks ended today (Wednesday).", lang="en")
    assert (weekday_only.value, weekday_only.method) == (None, "unknown")
    assert weekday_only.evidence.startswith("today")


def test_event_date_of_bare_weekday() -> None:
    [mention] = relative_mentions("أعلن الكرملين ليل الثلاثاء انتهاء المحادثات", "ar")
    assert event_date(mention, D(2025, 12, 3)) == D(2025, 12, 2)
    assert event_date(mention, D(2025, 12, 2)) == D(2025, 12, 2)


# --- robustness -----------------------------------------------------------------------------


def test_garbage_returns_unknown_without_exceptions() -> None:
    rng = random.Random(7)
    alphabet = "0123456789٠١٢٣/.-:, ()\n\tabcxyzDecemberديسمبرבדצמבר\u200f\ufffd\x00"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        for lang in (None, "en", "ar", "he", "xx-unknown"):
            info = find_publication_date(text, declared=text, header=text, lang=lang, reference=D(2025, 1, 1))
            assert info.value is None or isinstance(info.value, D)
    assert find_publication_date("").method == "unknown"
    assert find_publication_date("", declared="2025-13-45", header="99/99/9999").value is None


# --- development data -----------------------------------------------------------------------


def test_news_dev_text_dates_agree_with_gold(seeds: Path) -> None:
    """Header lines removed, the text method must not contradict the gold publication dates."""
    path = seeds.parent / "data" / "news_dev.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared data sets live beside the repository")
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    found = wrong = 0
    for row in rows:
        header = re.match(r"\s*date \S+", row["text"])
        if row["date"] is None or header is None:
            continue
        info = find_publication_date(row["text"][header.end() :], lang=row["lang"])
        if info.method == "text":
            found += 1
            wrong += info.value != D.fromisoformat(row["date"])
    assert found > 0
    assert wrong <= 0.1 * found, f"{wrong} of {found} text dates disagree with gold"
