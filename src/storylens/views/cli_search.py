"""`storylens search`: articles matching a query by words and by meaning, with the same results as the API."""

from __future__ import annotations

from typing import Annotated

import typer

from storylens.store.reads import HIT_END, HIT_START
from storylens.views.common import (
    DbOption,
    JsonOption,
    console,
    listing_table,
    open_store,
    parse_date,
    print_json,
    print_listing,
    safe,
)
from storylens.views.search import SearchMode, SearchService


def register(app: typer.Typer) -> None:
    app.command()(search)


def search(
    query: Annotated[str, typer.Argument(help="Words in any language.")],
    lang: Annotated[str | None, typer.Option(help="Only articles in this language (ISO 639-1).")] = None,
    since: Annotated[str | None, typer.Option(help="Only articles published on or after YYYY-MM-DD.")] = None,
    mode: Annotated[str, typer.Option(help="hybrid (words and meaning), text or semantic.")] = "hybrid",
    limit: Annotated[int, typer.Option(help="At most this many.", min=1)] = 20,
    encoder: Annotated[
        str | None, typer.Option(help="Encoder for the query (default: the one the store was built with).")
    ] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Search articles by words and by meaning; meaning matches below the measured relevance cut-off are left out."""
    if mode not in ("hybrid", "text", "semantic"):
        raise typer.BadParameter("expected hybrid, text or semantic", param_hint="--mode")
    mode_value: SearchMode = mode  # type: ignore[assignment]
    with open_store(db, readonly=True) as store:
        found = SearchService(encoder_spec=encoder).search(
            store, query, mode=mode_value, lang=lang, since=parse_date(since, "--since")
        )
    found["results"] = found["results"][:limit]
    if json_output:
        print_json(found)
        return
    if found["note"]:
        console.print(f"[dim]note: {safe(found['note'])}[/dim]", highlight=False)
    if not found["results"]:
        console.print(f"no results for {safe(query)!s}", highlight=False)
        return
    table = listing_table(
        "id",
        "lang",
        "published",
        "story",
        "matched",
        "title / snippet",
        wide=("title / snippet",),
        ids=[hit["key"] for hit in found["results"]],
    )
    for hit in found["results"]:
        text = hit["title"] or (hit["snippet"] or "").replace(HIT_START, "").replace(HIT_END, "")
        matched = "+".join(hit["matched"]) + (f" {hit['similarity']:.2f}" if hit["similarity"] is not None else "")
        table.add_row(
            safe(hit["key"]),
            hit["lang"],
            hit["published"] or "?",
            str(hit["story"] or ""),
            matched,
            safe(" ".join(text.split())),
        )
    print_listing(table, drop=("story", "matched"))
    console.print(f"{len(found['results'])} of {found['total']} results", highlight=False)
