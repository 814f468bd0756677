"""Tests for storylens.cleaning: articles, headers, titles, boilerplate, glued articles and translations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storylens.cleaning import clean
from storylens.cleaning.translation import MIN_NAME_OVERLAP, translation_evidence
from storylens.language import detect
from storylens.models import Part

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


def last_text_line(text: str) -> int:
    return line_of(text, len(text.rstrip()))


def segments_text(text: str, part: Part, role: str) -> list[str]:
    return [text[s.start : s.end] for s in part.segments if s.role == role]


def assert_well_formed(text: str, parts: list[Part]) -> None:
    """Offsets point into the text, segments are ordered and disjoint, and the part span holds its content."""
    previous_end = 0
    for part in parts:
        assert 0 <= part.start < part.end <= len(text)
        for segment in part.segments:
            assert previous_end <= segment.start < segment.end <= len(text)
            assert text[segment.start : segment.end].strip() == text[segment.start : segment.end]
            if segment.role in ("title", "body"):
                assert part.start <= segment.start and segment.end <= part.end
            previous_end = segment.end


# --- acceptance on the shared seed documents -------------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> dict[str, dict]:
    expected = SEEDS / "expected.json"
    if not expected.exists():
        pytest.skip(f"shared seeds not found at {SEEDS}")
    documents = json.loads(expected.read_text(encoding="utf-8"))["documents"]
    return {doc["file"][:3]: {**doc, "text": (SEEDS / doc["file"]).read_text(encoding="utf-8")} for doc in documents}


def article_segments(doc: dict) -> list[dict]:
    return [segment for segment in doc["segments"] if segment["role"] in ("article", "translation")]


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_seed_parts_match_the_gold_lines_and_languages(seeds: dict[str, dict], number: str) -> None:
    doc = seeds[number]
    text = doc["text"]
    parts = clean(text)
    assert_well_formed(text, parts)
    gold = article_segments(doc)
    assert len(parts) == len(gold)
    for part, segment in zip(parts, gold, strict=True):
        assert line_of(text, part.start) == segment["start"]
        assert line_of(text, part.end) == (segment["end"] or last_text_line(text))
        assert detect(text[part.start : part.end]).lang == segment["lang"]
        if "title" in segment:
            assert part.title == segment["title"]
        if segment["role"] == "translation":
            original_file, original_number = segment["translation_of"].split("#")
            assert original_file == doc["file"]
            assert part.translation_of == int(original_number) - 1
        else:
            assert part.translation_of is None


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_seed_boilerplate_lines_are_outside_articles(seeds: dict[str, dict], number: str) -> None:
    doc = seeds[number]
    text = doc["text"]
    parts = clean(text)
    boilerplate_lines = {line_of(text, s.start) for part in parts for s in part.segments if s.role == "boilerplate"}
    for segment in doc["segments"]:
        if segment["role"] != "boilerplate":
            continue
        gold_lines = set(range(segment["start"], (segment["end"] or last_text_line(text)) + 1))
        assert gold_lines <= boilerplate_lines
        for part in parts:
            assert not any(part.start <= offset < part.end for offset in _line_starts(text, gold_lines))
    # Nothing else is boilerplate: article lines are kept.
    gold_boilerplate = {
        line
        for segment in doc["segments"]
        if segment["role"] == "boilerplate"
        for line in range(segment["start"], (segment["end"] or last_text_line(text)) + 1)
    }
    assert boilerplate_lines <= gold_boilerplate


def _line_starts(text: str, lines: set[int]) -> list[int]:
    starts = [0] + [index + 1 for index, character in enumerate(text) if character == "\n"]
    return [starts[line - 1] for line in lines]


def test_seed_headers_and_sources(seeds: dict[str, dict]) -> None:
    hebrew = clean(seeds["000"]["text"])[0]
    assert hebrew.header_date == "2025-12-03"
    header = [s for s in hebrew.segments if s.role == "header"]
    assert [seeds["000"]["text"][s.start : s.end] for s in header] == ["date 2025-12-03"]
    assert hebrew.start > header[0].end

    first, second = clean(seeds["002"]["text"])
    assert first.header_date is not None and "December 2025" in first.header_date
    assert first.source == "سكاي نيوز عربية"
    assert second.header_date is None
    assert second.source == "وكالات"  # from its dateline: "agencies"

    arabic, english = clean(seeds["001"]["text"])
    assert arabic.header_date == "2025-12-03"
    assert english.header_date is None  # the translation takes its date from its original


# --- small texts written for these tests ------------------------------------------------------------

ENGLISH_ARTICLE = (
    "Storm closes mountain roads across the north\n"
    "Heavy snow closed 14 mountain roads across the northern provinces on Tuesday, the transport "
    "ministry said, leaving hundreds of drivers stranded overnight.\n"
    "Rescue teams reached 230 vehicles by morning, and officials said no deaths had been reported.\n"
    "Forecasters expect a further 40 centimetres of snow before the weekend.\n"
)
ENGLISH_SECOND_ARTICLE = (
    "City council approves new tram line\n"
    "The city council voted 31 to 9 on Monday to build a tram line linking the airport with the old "
    "town, a project expected to cost 1.2 billion.\n"
    "Construction is due to start next spring and last four years, the mayor told reporters.\n"
)


def test_empty_and_whitespace_input_has_no_article() -> None:
    for text in ["", "   ", "\n\n\t \n"]:
        assert clean(text) == []


def test_input_with_only_boilerplate_has_no_article() -> None:
    text = "Tags: weather, roads, snow\n© 2025 Example News. All rights reserved.\nwww.example-news.com\n"
    assert clean(text) == []


def test_single_article_with_title_keeps_every_line() -> None:
    parts = clean(ENGLISH_ARTICLE)
    assert len(parts) == 1
    part = parts[0]
    assert part.title == "Storm closes mountain roads across the north"
    assert segments_text(ENGLISH_ARTICLE, part, "title") == [part.title]
    assert part.start == 0 and part.end == len(ENGLISH_ARTICLE.rstrip())
    assert not segments_text(ENGLISH_ARTICLE, part, "boilerplate")


def test_ordinary_lines_mentioning_cue_words_stay_in_the_article() -> None:
    text = (
        "Officials said the source of the leak was found near the river bank late on Monday evening.\n"
        "Related to this, the ministry will publish its findings next week, a spokesman said.\n"
        "Read the full report\n"
        "The tags on the barrels showed they had been stored there since 2019, inspectors added.\n"
        "Share prices of the operator fell 4 percent after the announcement.\n"
    )
    parts = clean(text)
    assert len(parts) == 1
    assert not segments_text(text, parts[0], "boilerplate")
    assert parts[0].start == 0 and parts[0].end == len(text.rstrip())


def test_headline_like_lines_are_not_taken_for_bylines_or_share_lines() -> None:
    text = (
        "Von der Leyen visits Kyiv\n"
        "The European Commission president arrived in Kyiv by train on Friday for talks with the government.\n"
        "Follow-up talks\n"
        "Officials said a second round of talks would be held in Brussels next month.\n"
    )
    parts = clean(text)
    assert len(parts) == 1
    assert parts[0].title == "Von der Leyen visits Kyiv"
    assert not segments_text(text, parts[0], "boilerplate")


def test_byline_and_source_after_the_title_stay_in_one_article() -> None:
    text = "Storm closes mountain roads across the north\r\nBy Jane Doe\r\nSource: Reuters\r\n" + ENGLISH_ARTICLE.split(
        "\n", 1
    )[1].replace("\n", "\r\n")
    parts = clean(text)
    assert_well_formed(text, parts)
    assert len(parts) == 1
    assert parts[0].title == "Storm closes mountain roads across the north"
    assert parts[0].source == "Reuters"
    assert segments_text(text, parts[0], "boilerplate") == ["By Jane Doe", "Source: Reuters"]
    assert text[parts[0].start : parts[0].end].endswith("weekend.")


def test_glued_english_articles_split_after_source_and_tags() -> None:
    text = ENGLISH_ARTICLE + "Source: Reuters\nTags: snow, roads, weather\n" + ENGLISH_SECOND_ARTICLE
    parts = clean(text)
    assert_well_formed(text, parts)
    assert [part.title for part in parts] == [
        "Storm closes mountain roads across the north",
        "City council approves new tram line",
    ]
    assert parts[0].source == "Reuters"
    assert parts[1].source is None
    assert segments_text(text, parts[0], "boilerplate") == ["Source: Reuters", "Tags: snow, roads, weather"]
    assert text[parts[0].end - 1] == "."
    assert all(part.translation_of is None for part in parts)


def test_glued_hebrew_articles_with_read_also_header() -> None:
    first = (
        "הכנסת אישרה את התקציב בקריאה שלישית\n"
        "מליאת הכנסת אישרה הלילה את תקציב המדינה לשנה הבאה ברוב של 61 חברי כנסת מול 52 מתנגדים.\n"
        "שר האוצר אמר כי התקציב יאפשר הגדלה של ההשקעה בתשתיות ובחינוך בשנים הקרובות.\n"
    )
    second = (
        "גשם כבד צפוי בסוף השבוע בצפון\n"
        "השירות המטאורולוגי הודיע כי בסוף השבוע צפויים גשמים כבדים בצפון הארץ ובגליל.\n"
        "נהגים התבקשו להיזהר בכבישים ולהימנע מנסיעה באזורים מוצפים.\n"
    )
    text = first + "מקור: כאן חדשות\nתגיות: כנסת, תקציב, אוצר\nקראו עוד:\n" + second
    parts = clean(text)
    assert_well_formed(text, parts)
    assert [part.title for part in parts] == ["הכנסת אישרה את התקציב בקריאה שלישית", "גשם כבד צפוי בסוף השבוע בצפון"]
    assert parts[0].source == "כאן חדשות"
    assert len(segments_text(text, parts[0], "boilerplate")) >= 1
    assert "קראו עוד:" in "\n".join(segments_text(text, parts[0], "boilerplate"))


def test_glued_articles_split_at_a_title_with_its_own_date_line() -> None:
    text = (
        ENGLISH_ARTICLE
        + "City council approves new tram line\nPublished: 3 December 2025\n"
        + ENGLISH_SECOND_ARTICLE.split("\n", 1)[1]
    )
    parts = clean(text)
    assert [part.title for part in parts] == [
        "Storm closes mountain roads across the north",
        "City council approves new tram line",
    ]
    assert parts[1].header_date == "3 December 2025"


def test_arabic_article_with_site_footer() -> None:
    text = (
        "ارتفاع أسعار النفط بعد قرار أوبك\n"
        "ارتفعت أسعار النفط اليوم الأربعاء بنسبة 3 في المئة بعد أن قررت منظمة أوبك خفض الإنتاج.\n"
        "وقال محللون إن القرار قد يدفع الأسعار إلى مستويات أعلى خلال الأسابيع المقبلة.\n"
        "وكانت الأسعار قد تراجعت الشهر الماضي بسبب مخاوف من تباطؤ الطلب العالمي.\n"
        "أخبار الخليج اليوم\n"
        "gulfnewstoday أخبار الخليج\n"
    )
    parts = clean(text)
    assert len(parts) == 1
    part = parts[0]
    assert part.title == "ارتفاع أسعار النفط بعد قرار أوبك"
    assert text[part.start : part.end].endswith("العالمي.")
    assert segments_text(text, part, "boilerplate") == ["أخبار الخليج اليوم", "gulfnewstoday أخبار الخليج"]


def test_russian_article_with_inline_read_also_and_copyright_footer() -> None:
    text = (
        "Правительство одобрило новый бюджет на следующий год после долгих споров в парламенте.\n"
        "Читайте также: Курс рубля упал до минимума\n"
        "Министр финансов заявил, что расходы на образование вырастут на 12 процентов.\n"
        "© 2025 Новости. Все права защищены.\n"
    )
    parts = clean(text)
    assert len(parts) == 1
    part = parts[0]
    assert segments_text(text, part, "boilerplate") == [
        "Читайте также: Курс рубля упал до минимума",
        "© 2025 Новости. Все права защищены.",
    ]
    assert text[part.start : part.end].endswith("12 процентов.")
    assert len(segments_text(text, part, "body")) == 2


def test_dateline_names_the_agency_when_no_source_line_does() -> None:
    text = (
        "Kremlin talks end without a deal\n"
        "MOSCOW (Reuters) - Talks between Russian and US officials ended after five hours on Wednesday.\n"
        'He said "no" - and left the room before the press conference, aides said.\n'
    )
    assert clean(text)[0].source == "Reuters"
    assert clean(text.replace("MOSCOW (Reuters) - ", ""))[0].source is None
    # Text opening with a quotation is not a dateline.
    assert clean(text.split("\n", 2)[2])[0].source is None


def test_metadata_header_with_partial_date() -> None:
    text = " date 2025-06 Plane crashes near airport\nA passenger plane crashed shortly after take-off on Thursday.\n"
    parts = clean(text)
    assert len(parts) == 1
    assert parts[0].header_date == "2025-06"
    assert parts[0].title == "Plane crashes near airport"
    assert text[parts[0].start :].startswith("Plane crashes")


def test_hebrew_published_line_after_title() -> None:
    text = (
        "רעידת אדמה הורגשה בצפון\n"
        "פורסם: 03.12.25, 10:15\n"
        "רעידת אדמה בעוצמה של 4.2 הורגשה הבוקר ברחבי הגליל, ולא דווח על נפגעים.\n"
    )
    part = clean(text)[0]
    assert part.title == "רעידת אדמה הורגשה בצפון"
    assert part.header_date == "03.12.25, 10:15"
    assert segments_text(text, part, "header") == ["פורסם: 03.12.25, 10:15"]


@pytest.mark.parametrize(
    ("date_line", "value"),
    [
        ("تاريخ النشر: 5 شباط 2026", "5 شباط 2026"),
        ("تاريخ النشر: 5 كانون الثاني 2026", "5 كانون الثاني 2026"),
        ("نشر في: الأربعاء 3 ديسمبر 2025 - 10:15", "الأربعاء 3 ديسمبر 2025 - 10:15"),
        ("פורסם: 5 בפברואר 2026", "5 בפברואר 2026"),
        ("Опубликовано: 3 декабря 2025, 10:15", "3 декабря 2025, 10:15"),
        ("16:46 GMT 02.12.2025 (Updated: 17:03 GMT 02.12.2025)",) * 2,
    ],
)
def test_date_lines_after_the_title_in_several_languages_and_calendars(date_line: str, value: str) -> None:
    text = f"Storm closes mountain roads across the north\n{date_line}\n" + ENGLISH_ARTICLE.split("\n", 1)[1]
    part = clean(text)[0]
    assert part.title == "Storm closes mountain roads across the north"
    assert part.header_date == value
    assert segments_text(text, part, "header") == [date_line]


def test_a_short_line_with_a_year_is_not_a_date_line() -> None:
    text = (
        "Storm closes mountain roads across the north\nWinter storms of 2025 compared\n"
        + (ENGLISH_ARTICLE.split("\n", 1)[1])
    )
    part = clean(text)[0]
    assert part.header_date is None
    assert not segments_text(text, part, "header")


def test_article_quoting_a_foreign_sentence_stays_one_article() -> None:
    text = (
        "The foreign minister arrived in Cairo on Sunday for talks on the ceasefire proposal.\n"
        "At the airport he told reporters in Arabic:\n"
        "نحن هنا من أجل السلام ولن نغادر قبل التوصل إلى اتفاق\n"
        "He then met the Egyptian president for two hours, officials said.\n"
        "Further meetings are planned for Monday with delegations from both sides.\n"
    )
    parts = clean(text)
    assert len(parts) == 1
    assert parts[0].start == 0 and parts[0].end == len(text.rstrip())


def test_two_unrelated_articles_in_different_languages_are_not_linked() -> None:
    hebrew = (
        "הכנסת אישרה את התקציב בקריאה שלישית\n"
        "מליאת הכנסת אישרה הלילה את תקציב המדינה לשנה הבאה ברוב של 61 חברי כנסת מול 52 מתנגדים, "
        "לאחר דיון סוער שנמשך כל הלילה.\n"
        "שר האוצר אמר כי התקציב יאפשר הגדלה של ההשקעה בתשתיות ובחינוך בשנים הקרובות, "
        "ואילו האופוזיציה טענה כי הוא פוגע במעמד הביניים.\n"
        "ההצבעה הבאה על חוק ההסדרים צפויה להתקיים בשבוע הבא.\n"
    )
    text = hebrew + ENGLISH_ARTICLE
    parts = clean(text)
    assert_well_formed(text, parts)
    assert len(parts) == 2
    assert [detect(text[p.start : p.end]).lang for p in parts] == ["he", "en"]
    assert all(part.translation_of is None for part in parts)
    assert parts[1].title == "Storm closes mountain roads across the north"


RUSSIAN_ORIGINAL = (
    "Путин провёл переговоры с Уиткоффом в Кремле\n"
    "Президент России Владимир Путин в среду провёл в Кремле переговоры со спецпосланником США Стивом "
    "Уиткоффом, встреча продолжалась 5 часов.\n"
    "По словам Юрия Ушакова, стороны обсудили план из 28 пунктов, который позже сократили до 19 пунктов.\n"
    "Ушаков заявил, что компромисс пока не найден, но работа будет продолжена в Москве и Вашингтоне.\n"
    "Следующая встреча может пройти в Женеве в начале 2026 года.\n"
)
ENGLISH_TRANSLATION = (
    "Putin holds talks with Witkoff in the Kremlin\n"
    "Russian President Vladimir Putin on Wednesday held talks in the Kremlin with US special envoy Steve "
    "Witkoff, and the meeting lasted 5 hours.\n"
    "According to Yuri Ushakov, the sides discussed the 28-point plan, which was later cut to 19 points.\n"
    "Ushakov said no compromise had been found yet, but work would continue in Moscow and Washington.\n"
    "The next meeting may take place in Geneva in early 2026.\n"
)


def test_translation_after_its_original_is_linked() -> None:
    text = RUSSIAN_ORIGINAL + ENGLISH_TRANSLATION
    parts = clean(text)
    assert_well_formed(text, parts)
    assert len(parts) == 2
    assert [detect(text[p.start : p.end]).lang for p in parts] == ["ru", "en"]
    assert parts[0].translation_of is None
    assert parts[1].translation_of == 0
    assert parts[0].title == "Путин провёл переговоры с Уиткоффом в Кремле"
    assert parts[1].title == "Putin holds talks with Witkoff in the Kremlin"


def test_translation_evidence_is_measurable() -> None:
    original = [line for line in RUSSIAN_ORIGINAL.splitlines() if line]
    translation = [line for line in ENGLISH_TRANSLATION.splitlines() if line]
    evidence = translation_evidence(original, translation)
    assert evidence.is_translation()
    assert evidence.shared_numbers >= 4
    assert evidence.name_overlap is not None and evidence.name_overlap >= MIN_NAME_OVERLAP
    unrelated = [line for line in ENGLISH_ARTICLE.splitlines() if line]
    assert not translation_evidence(original, unrelated).is_translation()


def test_news_dev_pages_keep_their_text(tmp_path: Path) -> None:
    """On real page excerpts: one article each, and at most a few lines per page taken as boilerplate."""
    path = SHARED / "data" / "news_dev.jsonl"
    if not path.exists():
        pytest.skip(f"shared dev data not found at {path}")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    split, dropped, total = 0, 0, 0
    for row in rows:
        text = row["text"]
        parts = clean(text)
        assert_well_formed(text, parts)
        split += len(parts) != 1
        total += sum(1 for line in text.splitlines() if line.strip())
        dropped += sum(
            text[s.start : s.end].count("\n") + 1 for p in parts for s in p.segments if s.role == "boilerplate"
        )
    assert split <= len(rows) // 50
    assert dropped <= total // 50
