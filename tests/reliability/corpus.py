"""A small invented corpus for the reliability tests: a few made-up events, each reported by several outlets
over a few days, with names, numbers and quotes, in JSON Lines."""

from __future__ import annotations

import json
from pathlib import Path

# (event, first day, people, place, figure, what happened, what was said)
EVENTS = [
    (
        "bridge",
        3,
        "Marta Kovalenko",
        "Ostrava",
        "14 trucks",
        "the Ostrava river bridge closed after engineers found a crack",
        "We will not reopen it until every beam is tested",
    ),
    (
        "strike",
        4,
        "Ilan Dervisch",
        "Porto Alegre",
        "3,200 workers",
        "dock workers in Porto Alegre began a strike over pay",
        "The port stays shut until the offer is fair",
    ),
    (
        "flood",
        5,
        "Sunniva Hallberg",
        "Trondheim",
        "600 homes",
        "floods cut off the old town of Trondheim",
        "The water rose faster than any model predicted",
    ),
    (
        "election",
        6,
        "Teodor Vasquez",
        "Valparaiso",
        "52 percent",
        "Teodor Vasquez won the Valparaiso mayoral runoff",
        "This city voted for cleaner buses and safer streets",
    ),
    (
        "merger",
        7,
        "Greta Lindqvist",
        "Rotterdam",
        "4.5 billion euros",
        "Nordhaven Shipping agreed to buy Maasline in Rotterdam",
        "Together we can carry twice the cargo at half the cost",
    ),
]
OUTLETS = ["daily-post", "evening-star", "morning-wire", "city-herald"]


def records() -> list[dict[str, object]]:
    rows = []
    for n, (event, day, person, place, figure, happened, said) in enumerate(EVENTS):
        for k, outlet in enumerate(OUTLETS):
            last = person.partition(" ")[2]
            text = (
                f"{happened.capitalize()}, officials said on day {k + 1} of the crisis. "
                f"At least {figure} were affected in {place}, according to the regional office. "
                f'"{said}," {person} told reporters in {place}. '
                f"{last} added that a review would follow and that {place} would publish its findings."
            )
            rows.append(
                {
                    "id": f"{event}-{outlet}",
                    "lang": "en",
                    "date": f"2026-03-{day + k % 2:02d}",
                    "source": outlet,
                    "url": f"https://{outlet}.example/{event}/{n}{k}",
                    "title": f"{place}: {happened.split(' after ')[0]}",
                    "text": text,
                }
            )
    return rows


def write_corpus(path: Path, rows: list[dict[str, object]] | None = None) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows or records()), encoding="utf-8")
    return path
