"""The words that mark page furniture in news text, per language, and the matchers built from them.

All cue lists live here so that a language can be added in one place. Cues are written naturally;
they and the lines they are matched against go through the same ``normalize`` (case, Arabic hamza
and diacritics, Hebrew points), so "إقرأ أيضاً" also matches "اقرا ايضا".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from babel.dates import get_day_names, get_month_names

# Words that open a line naming where the article came from: "Source: Reuters".
SOURCE_CUES = {
    "ar": ["المصدر", "المصادر", "مصدر الخبر", "نقلا عن"],
    "he": ["מקור", "מקורות", "באדיבות"],
    "en": ["source", "sources", "via", "courtesy of"],
    "ru": ["источник", "источники"],
    "fr": ["source", "sources"],
    "de": ["quelle", "quellen"],
    "es": ["fuente", "fuentes"],
}

# Words that open a keyword/tag line: "Tags: Putin, Ukraine".
TAG_CUES = {
    "ar": ["كلمات دلالية", "الكلمات الدلالية", "كلمات مفتاحية", "الكلمات المفتاحية", "وسوم", "الوسوم", "الموضوعات"],
    "he": ["תגיות", "תגים", "נושאים", "מילות מפתח"],
    "en": ["tags", "tagged", "tagged with", "keywords", "topics", "filed under"],
    "ru": ["теги", "метки", "ключевые слова", "темы"],
    "fr": ["mots-clés", "mots clés", "étiquettes", "tags", "thèmes", "sujets"],
    "de": ["schlagwörter", "schlagworte", "stichwörter", "themen", "tags"],
    "es": ["etiquetas", "palabras clave", "temas", "tags"],
}

# Words that open a "read also" / related-links line or header.
RELATED_CUES = {
    "ar": [
        "اقرأ أيضا",
        "اقرأ أيضاً",
        "إقرأ أيضا",
        "اقرأ كذلك",
        "اقرأ المزيد",
        "طالع أيضا",
        "شاهد أيضا",
        "ذات صلة",
        "أخبار ذات صلة",
        "مواضيع ذات صلة",
        "مقالات ذات صلة",
        "المزيد من الأخبار",
        "قد يهمك أيضا",
        "قد يعجبك أيضا",
    ],
    "he": [
        "קראו עוד",
        "קרא עוד",
        "קראו גם",
        "קרא גם",
        "ראו גם",
        "ראה גם",
        "כתבות נוספות",
        "עוד בנושא",
        "עוד באתר",
        "כתבות קשורות",
        "אולי יעניין אותך",
    ],
    "en": [
        "read also",
        "also read",
        "read more",
        "see also",
        "related",
        "related articles",
        "related stories",
        "related news",
        "related content",
        "more on this",
        "more on this story",
        "recommended",
        "recommended stories",
        "you may also like",
        "you might also like",
        "more from",
        "further reading",
    ],
    "ru": [
        "читайте также",
        "читайте ещё",
        "читайте еще",
        "смотрите также",
        "по теме",
        "ещё по теме",
        "еще по теме",
        "подробнее",
    ],
    "fr": [
        "lire aussi",
        "à lire aussi",
        "a lire aussi",
        "lire également",
        "voir aussi",
        "sur le même sujet",
        "à voir aussi",
        "lire la suite",
    ],
    "de": [
        "lesen sie auch",
        "lesen sie mehr",
        "mehr zum thema",
        "auch interessant",
        "siehe auch",
        "weiterlesen",
        "das könnte sie auch interessieren",
    ],
    "es": [
        "lea también",
        "lee también",
        "leer más",
        "ver también",
        "te puede interesar",
        "noticias relacionadas",
        "también te puede interesar",
        "más información",
    ],
}

# Phrases found anywhere in a copyright line.
COPYRIGHT_CUES = {
    "ar": ["جميع الحقوق محفوظة", "حقوق النشر محفوظة", "جميع حقوق النشر", "كل الحقوق محفوظة"],
    "he": ["כל הזכויות שמורות", "זכויות יוצרים"],
    "en": ["all rights reserved", "copyright"],
    "ru": ["все права защищены", "все права сохранены"],
    "fr": ["tous droits réservés"],
    "de": ["alle rechte vorbehalten"],
    "es": ["todos los derechos reservados"],
}
COPYRIGHT_SIGNS = re.compile(r"©|\(c\)\s*(?:19|20)\d\d|\b(?:19|20)\d\d\s*\(c\)", re.IGNORECASE)

# Words that open a share/follow/subscribe line.
SOCIAL_CUES = {
    "ar": ["تابعونا", "تابعوا", "تابعنا", "شارك", "شارك الخبر", "شارك المقال", "اشترك", "انضم"],
    "he": ["עקבו אחרינו", "עקבו", "שתפו", "שתף", "הצטרפו", "הירשמו"],
    "en": [
        "share",
        "share this",
        "share this article",
        "share on",
        "follow us",
        "follow",
        "subscribe",
        "sign up",
        "join us",
        "click here",
        "print",
        "email",
    ],
    "ru": ["поделиться", "подписывайтесь", "подпишитесь", "следите за нами", "присоединяйтесь"],
    "fr": ["partager", "suivez-nous", "abonnez-vous", "inscrivez-vous"],
    "de": ["teilen", "folgen sie uns", "abonnieren", "jetzt abonnieren"],
    "es": ["compartir", "síguenos", "suscríbete", "suscribete"],
}

# Words that open a byline: "By Jane Doe", "كتبت: ...". Latin-script ones must precede a capitalised name.
BYLINE_CUES = {
    "ar": ["كتب", "كتبت", "بقلم", "إعداد", "تقرير"],
    "he": ["מאת", "כתב", "כתבה", "כתבת"],
    "ru": ["автор", "текст"],
}
# Only English "by": "Von der Leyen ...", "Di Maio ...", "Por qué ..." open headlines too.
BYLINE_LATIN_CUES = ["by"]

# Words that open a publication/update date line: "Published: 3 December 2025".
PUBLISHED_CUES = {
    "ar": [
        "تاريخ النشر",
        "نشر في",
        "نشر بتاريخ",
        "تم النشر",
        "آخر تحديث",
        "تاريخ التحديث",
        "تم التحديث",
        "محدث",
        "نشر",
    ],
    "he": ["פורסם", "פורסם ב", "עודכן", "עודכן ב", "עדכון אחרון", "תאריך פרסום", "תאריך"],
    "en": [
        "published",
        "published on",
        "posted",
        "posted on",
        "updated",
        "last updated",
        "updated on",
        "date",
        "first published",
        "publication date",
    ],
    "ru": ["опубликовано", "дата публикации", "обновлено", "дата", "опубликован"],
    "fr": ["publié le", "publié", "mis à jour le", "mis à jour", "date de publication"],
    "de": ["veröffentlicht", "veröffentlicht am", "aktualisiert", "aktualisiert am", "stand", "datum"],
    "es": ["publicado", "publicado el", "actualizado", "actualizado el", "fecha de publicación", "fecha"],
}

# Words, besides month and weekday names, that may stand in a line holding nothing but a date.
DATE_LINE_WORDS = [
    "gmt",
    "utc",
    "am",
    "pm",
    "at",
    "on",
    "of",
    "de",
    "del",
    "le",
    "am",
    "um",
    "в",
    "г",
    "года",
    "في",
    "الساعة",
    "ב",
    "בשעה",
    "h",
    "hrs",
    "est",
    "edt",
    "cet",
    "cest",
    "bst",
    "msk",
    "ist",
]
# Locales whose month and weekday names make up date-only lines.
# Arabic month names differ by region: Egypt/Gulf (ar), Levant and Iraq (ar_SY, ar_IQ), Maghreb (ar_MA, ar_DZ).
DATE_LINE_LOCALES = [
    "en",
    "ar",
    "ar_SY",
    "ar_IQ",
    "ar_MA",
    "ar_DZ",
    "he",
    "ru",
    "fr",
    "de",
    "es",
    "it",
    "pt",
    "uk",
    "tr",
    "fa",
    "nl",
    "pl",
]
# One-letter prepositions glued to a Hebrew month name ("בינואר", "לדצמבר").
GLUED_DATE_PREFIXES = "בלמהו"

# The metadata header some inputs carry at the very start: " date 2025-12-03 ", " date 2025-06".
METADATA_HEADER = re.compile(
    r"[ \t]*(?:date|published|pubdate)[ \t]*:?[ \t]+"
    r"(?P<date>\d{4}(?:-\d{1,2}(?:-\d{1,2}(?:T\d{1,2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?)"
    r"(?=\s|$)",
    re.IGNORECASE,
)

# A dateline naming the agency at the start of an article's first paragraph:
# "LONDON (Reuters) -", "ليماسول - «وكالة أنباء المتوسط»:", "عواصم \" وكالات \":".
DATELINE_AGENCY = re.compile(
    r"^(?P<place>[^\W\d_][^\W\d_ .'’-]*(?:[ .'’-]+[^\W\d_]+){0,2})[ ,]*(?:[-–—][ ]*)?"
    r"[(«\"“]\s*(?P<agency>[^()«»\"“”\n:]{2,40}?)\s*[)»\"”]\s*[:\-–—]"
)

_ARABIC_LETTER_VARIANTS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ۀ": "ه"})
# After a cue: a colon-like mark, a dash that is not a hyphen inside a word ("Follow-up"), or the line end.
_SEPARATOR = r"\s*(?:[:：|»>]|[-–—](?!\w)|$)"


def normalize(text: str) -> tuple[str, list[int]]:
    """Lowercase ``text`` and drop combining marks and tatweel; also return each output character's
    index in ``text``, so that a match in the normalized text maps back to original offsets."""
    characters: list[str] = []
    origins: list[int] = []
    for index, character in enumerate(text):
        if unicodedata.category(character) == "Mn" or character in "\u0640\u200c\u200d\u200e\u200f":
            continue
        for lowered in character.translate(_ARABIC_LETTER_VARIANTS).lower():
            characters.append(lowered)
            origins.append(index)
    return "".join(characters), origins


def normalized(text: str) -> str:
    return normalize(text)[0]


def _alternation(cues: dict[str, list[str]]) -> str:
    phrases = {normalized(cue) for language_cues in cues.values() for cue in language_cues}
    # Longest first, so that "read also" wins over "read"; spaces match any run of spaces.
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(phrase).replace(r"\ ", r"\s+") for phrase in ordered)


def _opening(cues: dict[str, list[str]]) -> re.Pattern[str]:
    """A cue at the start of a line (after any bullets or brackets), ending at a separator or line end."""
    return re.compile(rf"^[^\w]*(?:{_alternation(cues)}){_SEPARATOR}")


SOURCE_LINE = _opening(SOURCE_CUES)
TAG_LINE = _opening(TAG_CUES)
RELATED_LINE = _opening(RELATED_CUES)
SOCIAL_LINE = _opening(SOCIAL_CUES)
PUBLISHED_LINE = re.compile(rf"^[^\w]*(?:{_alternation(PUBLISHED_CUES)})(?:\s*[:：\-–—|]+\s*|\s+)(?=.*\d)")
BYLINE_LINE = re.compile(rf"^[^\w]*(?:{_alternation(BYLINE_CUES)})\s*[:：]")
# Matched against the original line: the name after the cue must be capitalised.
BYLINE_LATIN_LINE = re.compile(rf"^[^\w]*(?i:{'|'.join(BYLINE_LATIN_CUES)})\s+[A-ZÀ-Þ]")
PUBLISHED_ANYWHERE = re.compile(rf"(?:{_alternation(PUBLISHED_CUES)})")
COPYRIGHT_PHRASE = re.compile(rf"(?:{_alternation(COPYRIGHT_CUES)})")


@cache
def date_words() -> frozenset[str]:
    """Month and weekday names (wide and abbreviated) in DATE_LINE_LOCALES, plus DATE_LINE_WORDS."""
    words: set[str] = {normalized(word) for word in DATE_LINE_WORDS}
    for locale in DATE_LINE_LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                names: Iterable[str] = [
                    *get_month_names(width, context, locale).values(),
                    *get_day_names(width, context, locale).values(),
                ]
                # Some names are two words ("كانون الثاني"): each word counts.
                words.update(word.strip(".׳'") for name in names for word in normalized(name).split())
    return frozenset(words)
