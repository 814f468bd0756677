"""CLI commands on the read side: stories, story, storylines, storyline, entities, entity, quotes, figures (brief,
serve and export are in ``cli_documents``), and "what changed since" for story and brief.

``register(app)`` adds the commands to the ``storylens`` Typer app; each listing has ``--json``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from storylens.analysis import coverage
from storylens.store import reads
from storylens.store.db import MAX_ROWID, Store
from storylens.store.read_model import Row
from storylens.views.common import (
    DbOption,
    JsonOption,
    console,
    fail,
    listing_table,
    open_store,
    parse_date,
    print_json,
    print_listing,
    safe,
)

R = TypeVar("R", bound=Row)
StoryOption = Annotated[int | None, typer.Option("--story", help="Only this story's items.", min=0, max=MAX_ROWID)]
ChangedSinceOption = Annotated[
    str | None,
    typer.Option(
        "--changed-since",
        "--since",
        help="Show what was stored (ingested) since this date or time (UTC), or 'last': since the last briefing.",
    ),
]


def changed_since(value: str, ref: str, db: str | None) -> dt.date:
    """The time "what changed since" starts: a date or time (UTC unless it says otherwise), or ``last``, the time
    of the last briefing on ``ref``. A ``datetime`` is a ``date`` too: both compare with the stored ISO times."""
    from storylens.store.alerts import last_briefing
    from storylens.views.cli_follow import parse_time

    if value.strip().lower() == "last":
        with open_store(db, readonly=True) as store:
            last = last_briefing(store, ref)
        if last is None:
            fail(f"--changed-since last: no briefing on {ref} was written yet", code=2)
        return dt.datetime.fromisoformat(last)
    try:
        return dt.date.fromisoformat(value.strip())  # a day: from its start (UTC)
    except ValueError:
        return dt.datetime.fromisoformat(parse_time(value, "--changed-since"))


def record_briefing(ref: str, db: str | None) -> None:
    """Remember when a briefing on ``ref`` was written (for ``--changed-since last``)."""
    from storylens.store.alerts import record_briefing as record

    with open_store(db) as store:
        record(store, ref)


def _span(time_span: dict[str, Any]) -> str:
    first, last = time_span["first"] or "?", time_span["last"] or "?"
    return first if first == last else f"{first} → {last}"


def stories(
    since: Annotated[
        str | None,
        typer.Option("--published-since", "--since", help="Only stories with articles published from YYYY-MM-DD."),
    ] = None,
    lang: Annotated[str | None, typer.Option(help="Only stories with an article in this language.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """List stories, newest first: title, time span, languages, outlets, size."""
    with open_store(db, readonly=True) as store:
        rows = reads.list_stories(store, since=parse_date(since, "--published-since"), lang=lang, limit=limit)
    if json_output:
        print_json(rows)
        return
    table = listing_table("id", "time span", "size", "languages", "title", "sources", wide=("title",))
    for row in rows:
        table.add_row(
            str(row["id"]),
            _span(row["time_span"]),
            str(row["size"]),
            ",".join(row["languages"]),
            safe(row["title"]),
            safe(", ".join(row["sources"])),
        )
    print_listing(table, drop=("sources", "languages"))
    console.print(f"{len(rows)} stories", highlight=False)


def story(
    story_id: Annotated[int, typer.Argument(help="Story id.", min=0, max=MAX_ROWID)],
    since: ChangedSinceOption = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show a story: its articles by language and outlet, and its timeline."""
    with open_store(db, readonly=True) as store:
        summary = reads.story_summary(store, story_id)
        if summary is None:
            fail(f"no story {story_id}")
        articles = reads.story_articles(store, story_id)
    grouped = coverage.group_articles(articles)
    data = dict(summary) | {"articles": grouped, "timeline": coverage.timeline(articles)}
    if since:
        start = changed_since(since, f"story:{story_id}", db)
        data["new_articles"] = [a["id"] for a in articles if (a["ingested_at"] or "") >= start.isoformat()]
    if json_output:
        print_json(data)
        return
    console.print(f"[bold]{safe(summary['title'])}[/bold]")
    console.print(
        f"[dim]{_span(summary['time_span'])} · {summary['size']} articles · {', '.join(summary['languages'])}[/dim]",
        highlight=False,
    )
    for lang, by_source in grouped.items():
        console.print(f"\n[bold]{lang}[/bold]")
        for source, items in by_source.items():
            console.print(f"  {safe(source)}", highlight=False)
            for article in items:
                published = (article["published"] or "?") + (
                    " (inferred)" if article["date_method"] == "inferred" else ""
                )
                title = safe(article["title"] or "")
                console.print(f"    {safe(article['key'])}  {published:<10}  {title}", highlight=False)
    console.print("\n[bold]timeline[/bold]")
    for day in data["timeline"]:
        outlets = ", ".join(f"{a['source'] or coverage.UNKNOWN_SOURCE} ({a['lang']})" for a in day["articles"])
        console.print(f"  {day['date'] or 'unknown':<10}  {safe(outlets)}", highlight=False)


def storylines(db: DbOption = None, json_output: JsonOption = False) -> None:
    """List storylines (threads of related stories)."""
    with open_store(db, readonly=True) as store:
        rows = []
        for line in reads.list_storylines(store):
            detail = reads.storyline_detail(store, line.id)
            row = dict(line) | {"story_ids": [s.id for s in detail.stories] if detail else []}
            rows.append(row | {"title": detail.title if detail else line.title})
    if json_output:
        print_json(rows)
        return
    table = listing_table("id", "time span", "stories", "articles", "languages", "title", wide=("title",))
    for row in rows:
        table.add_row(
            str(row["id"]),
            _span(row["time_span"]),
            ",".join(map(str, row["story_ids"])),
            str(row["size"]),
            ",".join(row["languages"]),
            safe(row["title"]),
        )
    print_listing(table, drop=("languages",))


def _detail(db: str | None, read: Callable[[Store], R | None], missing: str, json_output: bool) -> R | None:
    """One item read from the store (fails with ``missing`` when absent); printed and None when ``--json``."""
    with open_store(db, readonly=True) as store:
        data = read(store)
    if data is None:
        fail(missing)
    if json_output:
        print_json(data)
        return None
    return data


def storyline(
    storyline_id: Annotated[int, typer.Argument(help="Storyline id.", min=0, max=MAX_ROWID)],
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show a storyline: its stories in time order, and why each was linked to the others."""
    detail = _detail(
        db, lambda store: reads.storyline_detail(store, storyline_id), f"no storyline {storyline_id}", json_output
    )
    if detail is None:
        return
    console.print(f"[bold]{safe(detail['title'])}[/bold]")
    console.print(
        f"[dim]{_span(detail['time_span'])} · {len(detail['stories'])} stories · {detail['size']} articles · "
        f"{', '.join(detail['languages'])}[/dim]",
        highlight=False,
    )
    for member in detail["stories"]:
        console.print(
            f"  {member['id']:>6}  {_span(member['time_span']):<24}  {member['size']:>4}  {safe(member['title'])}",
            highlight=False,
        )
    if detail["links"]:
        console.print("\n[bold]why these stories are one storyline[/bold]")
        for link in detail["links"]:
            console.print(f"  {safe(link.get('explanation', ''))}", highlight=False)


def entities(story: StoryOption = None, db: DbOption = None, json_output: JsonOption = False) -> None:
    """List entities with their written variants per language."""
    with open_store(db, readonly=True) as store:
        rows = reads.list_entities(store, story_id=story)
    if json_output:
        print_json(rows)
        return
    table = listing_table("id", "name", "type", "mentions", "variants", wide=("variants",))
    for row in rows:
        variants = "; ".join(f"{v['text']} ({v['lang']}, {v['count']})" for v in row["variants"])
        table.add_row(str(row["id"]), safe(row["name"]), row["type"], str(row["mentions"]), safe(variants))
    console.print(table)


def entity(
    name: Annotated[str, typer.Argument(help="Entity id, name or any written variant.")],
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show an entity: variants per language, its stories, the entities named beside it."""
    data = _detail(db, lambda store: reads.find_entity(store, name), f"no entity {name!r}", json_output)
    if data is None:
        return
    console.print(f"[bold]{safe(data['name'])}[/bold] [dim]({data['type']}, id {data['id']})[/dim]")
    for lang, variants in data["variants_by_language"].items():
        console.print(f"  {lang}: " + safe("; ".join(f"{v['text']} ×{v['count']}" for v in variants)), highlight=False)
    console.print("[bold]stories[/bold]")
    for row in data["stories"]:
        console.print(f"  {row['id']:>6}  {_span(row['time_span'])}  {safe(row['title'])}", highlight=False)
    if data["co_mentioned"]:
        console.print("[bold]named in the same articles[/bold]")
        console.print(
            "  " + safe(", ".join(f"{o['name']} ({o['articles']})" for o in data["co_mentioned"])), highlight=False
        )


def quotes(story: StoryOption = None, db: DbOption = None, json_output: JsonOption = False) -> None:
    """List quote groups: who said what, in which outlets and languages."""
    with open_store(db, readonly=True) as store:
        groups = reads.list_quote_groups(store, story_id=story)
    if json_output:
        print_json(
            [
                {
                    "id": g["id"],
                    "story": g["story"],
                    "speaker": g["speaker"],
                    "variants": [
                        {"text": v["text"], "lang": v["lang"], "article": v["article"]} for v in g["variants"]
                    ],
                }
                for g in groups
            ]
        )
        return
    for group in groups:
        console.print(
            f"[bold]{safe(group['speaker'] or 'unnamed speaker')}[/bold] [dim](story {group['story']})[/dim]",
            highlight=False,
        )
        for v in group["variants"]:
            console.print(
                f"  {v['lang']}  “{safe(v['text'])}”  [dim]{safe(v['source'] or '')} #{v['article']}[/dim]",
                highlight=False,
            )


def figures(story: StoryOption = None, db: DbOption = None, json_output: JsonOption = False) -> None:
    """List figure groups (what two or more articles report) with each outlet's statement in publication order:
    same-day differences marked as disagreements, changes from day to day as updates."""
    with open_store(db, readonly=True) as store:
        groups = [g for g in reads.list_figure_groups(store, story_id=story) if g["id"] is not None]
    if json_output:
        print_json(
            [
                {
                    "id": g["id"],
                    "story": g["story"],
                    "value": g["value"],
                    "unit": g["unit"],
                    "what": g["what"],
                    "occurrences": [
                        {"text": o["text"], "article": o["article"], "source": o["source"], "lang": o["lang"]}
                        for o in g["occurrences"]
                    ],
                    "discrepancy": g["discrepancy"],
                    "updated": g["updated"],
                    "timeline": [{"published": o["published"], "value": o["value"]} for o in g["occurrences"]],
                }
                for g in groups
            ]
        )
        return
    for group in groups:
        flag = " [red]outlets disagree[/red]" if group["discrepancy"] else ""
        flag += " [yellow]updated over time[/yellow]" if group["updated"] else ""
        label = safe(group["what"] or group["unit"])
        console.print(
            f"[bold]{label}[/bold] {safe(group['value'])} {safe(group['unit'])}"
            f" [dim](story {group['story']})[/dim]{flag}",
            highlight=False,
        )
        for o in group["occurrences"]:
            console.print(
                f"  {o['published'] or '?':10s} {o['lang']}  “{safe(o['text'])}” = {safe(o['value'])}  "
                f"[dim]{safe(o['source'] or '')} #{o['article']}[/dim]",
                highlight=False,
            )


def register(app: typer.Typer) -> None:
    """Add the read-side commands to the ``storylens`` app."""
    for command in (stories, story, storylines, storyline, entities, entity, quotes, figures):
        app.command()(command)
