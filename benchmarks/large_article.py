"""Write one invented article of a given size (repeated varied sentences in he, ar or en) as JSON Lines,
to time ingest against article length (BENCHMARKS.md, "long articles").

    PYTHONPATH=src python benchmarks/large_article.py he 1000000 /tmp/he-1m.jsonl
"""

import json
import random
import sys

rng = random.Random(7)
EN = [
    "The council met on Tuesday in Springfield to discuss the new budget of 4,500 million.",
    "Minister Carlo Ventresca said the plan would take effect on 12 March 2024.",
    '"We will not accept this," said Maria Delacroix, the head of the union.',
    "About 320 workers gathered outside the ministry, police said.",
    "The report, published last week, found that 17.5 percent of households were affected.",
    "Officials in Northbridge declined to comment on the decision.",
]
HE = [
    "הוועדה התכנסה ביום שלישי בעיר רמת גלבוע כדי לדון בתקציב החדש של 4,500 מיליון.",
    "השר קרלו ונטרסקה אמר כי התוכנית תיכנס לתוקף ב-12 במרץ 2024.",
    '"לא נקבל את זה", אמרה מריה דלקרואה, ראש האיגוד.',
    "כ-320 עובדים התאספו מחוץ למשרד, כך מסרה המשטרה.",
]
AR = [
    "اجتمع المجلس يوم الثلاثاء في مدينة سبرينغفيلد لمناقشة الميزانية الجديدة البالغة 4500 مليون.",
    "قال الوزير كارلو فنتريسكا إن الخطة ستدخل حيز التنفيذ في 12 مارس 2024.",
    '"لن نقبل هذا"، قالت ماريا ديلاكروا، رئيسة النقابة.',
    "تجمع نحو 320 عاملا خارج الوزارة، بحسب الشرطة.",
]


def text(lang, size):
    pool = {"en": EN, "he": HE, "ar": AR}[lang]
    out, n, k = [], 0, 0
    while n < size:
        s = rng.choice(pool).replace("320", str(rng.randint(10, 99999)))
        k += 1
        if k % 5 == 0:
            s += "\n\n"
        out.append(s)
        n += len(s.encode()) + 1
    return " ".join(out)[:size]


if __name__ == "__main__":
    lang, size, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(path, "w", encoding="utf-8") as f:
        f.write(
            json.dumps(
                {"id": f"big-{lang}-{size}", "lang": lang, "title": "Budget talks", "text": text(lang, size)},
                ensure_ascii=False,
            )
            + "\n"
        )
