"""CLI commands about story assignment: `why`, `recluster` and `eval` against a gold JSON Lines file."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from storylens.clustering.evaluate import bcubed, pairwise
from storylens.clustering.keys import evidence_keys
from storylens.clustering.stage import ClusteringStage
from storylens.lang import tokenize
from storylens.pipeline import Ingestor
from storylens.sources.files import read_inputs
from storylens.store import reads
from storylens.store.db import Store
from storylens.views.common import (
    ArticleArgument,
    DbOption,
    EncoderOption,
    JsonOption,
    console,
    err_console,
    fail,
    open_store,
    pipeline_for,
    print_json,
    progress_bars,
    require_article,
    safe,
    stage_progress,
    store_errors_reported,
)


def register(app: typer.Typer) -> None:
    app.command()(why)
    app.command()(recluster)
    app.command("eval")(evaluate)


def why(
    article_id: ArticleArgument,
    db: DbOption = None,
    json_output: JsonOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also show the numbers behind it.")] = False,
) -> None:
    """Say in plain words why an article is in its story (--verbose: with the scores behind it)."""
    with open_store(db, readonly=True) as store:
        article = require_article(store, article_id)
        row = reads.article_story(store, article.id)
        if row is None:
            fail(f"article {article.display_id} is in no story yet (run `storylens recluster`)")
        detail = reads.article_detail(store, article.id, verbose=verbose)
        evidence = reads.story_evidence(store, article.id, row["story_id"])
    assert detail is not None
    reasons = json.loads(row["reasons"])
    shared = (reasons.get("best") or {}).get("shared_keys") or []
    words = shared_words(article.text, article.lang, shared)
    if json_output:
        numbers = {"why_numbers": detail.why_numbers} if verbose else {}
        print_json(
            {
                "article": article.display_id,
                "story": row["story_id"],
                "story_title": row["title"],
                "why": detail.why,
                **numbers,
                "explanation": reasons.get("explanation"),
                "shared_words": words,
                "reasons": reasons,
                "shared_with_story": evidence,
            }
        )
        return
    console.print(f"[bold]{safe(article.display_id)}[/bold] is in story {row['story_id']}: {safe(row['title'])}")
    for sentence in detail.why:
        console.print(f"- {safe(sentence)}", highlight=False)
    if evidence["entities"]:
        named = ", ".join(f"{e['name']} ({_articles(e['other_articles'])})" for e in evidence["entities"])
        console.print(f"- other articles of the story also name {safe(named)}", highlight=False)
    if evidence["figures"]:
        reported = ", ".join(
            f"{f['text']} ({_articles(f['other_articles'])}{', with other values' if f['discrepancy'] else ''})"
            for f in evidence["figures"]
        )
        console.print(f"- other articles of the story also report {safe(reported)}", highlight=False)
    for link in evidence["storyline_links"]:
        console.print(f"- storyline: {safe(link['explanation'])}", highlight=False)
    if verbose:
        console.print("[bold]numbers[/bold]")
        for line in detail.why_numbers or []:
            console.print(f"  {safe(line)}", highlight=False)
        if reasons.get("explanation"):
            console.print(f"  stored: {safe(reasons['explanation'])}", highlight=False)


def _articles(count: int) -> str:
    return f"{count} article{'s' if count != 1 else ''}"


def shared_words(text: str, lang: str, keys: list[str]) -> list[str]:
    """The words of ``text`` behind the evidence keys it shares with its story."""
    wanted = set(keys)
    words = dict.fromkeys(token.text for token in tokenize(text) if token.is_word or token.is_number)
    return [word for word in words if wanted & evidence_keys(word, lang)]


def recluster(db: DbOption = None, encoder: EncoderOption = None) -> None:
    """Rebuild every story assignment from the stored vectors, deterministically, then the quote and figure
    groups of every story and the storylines. With ``--encoder``, every article is embedded again with that
    encoder first and the store's other vectors are dropped: the store moves to it."""
    with open_store(db) as store, progress_bars(quiet=False) as progress:
        pipeline = pipeline_for(store, encoder, switching=encoder is not None)
        with store_errors_reported():
            pipeline.rebuild(store, stage_progress(progress))
        count, lines = reads.story_counts(store)
    console.print(f"{count} stories, {lines} storylines", highlight=False)


def evaluate(
    gold: Annotated[Path, typer.Argument(help="JSON Lines with id, lang, date, title, text and a gold `story`.")],
    json_output: JsonOption = False,
) -> None:
    """Cluster a gold set in a temporary store (date order) and score it against its `story` labels."""
    if not gold.is_file():
        fail(f"{gold}: no such file", code=2)
    with (
        tempfile.TemporaryDirectory() as folder,
        Store(Path(folder) / "eval.db") as store,
        progress_bars(quiet=json_output) as progress,
    ):
        started = time.perf_counter()
        ingestor = Ingestor(store, [ClusteringStage()])
        report = ingestor.ingest(read_inputs([str(gold)]), progress=stage_progress(progress))
        seconds = time.perf_counter() - started
        rows = reads.article_gold_rows(store)
    for error in report.errors:
        err_console.print(f"[red]error:[/red] {safe(error)}", highlight=False)
    labelled = [(str(r["id"]), r["lang"], json.loads(r["metadata"]).get("story"), r["story_id"]) for r in rows]
    labelled = [row for row in labelled if row[2] is not None]
    if not labelled:
        fail(f"{gold}: no article carries a gold `story` field")
    gold_labels = {i: g for i, _, g, _ in labelled}
    predicted = {i: (p if p is not None else f"unassigned-{i}") for i, _, _, p in labelled}
    langs = {i: lang for i, lang, _, _ in labelled}
    b_p, b_r, b_f = bcubed(predicted, gold_labels)
    p_p, p_r, p_f = pairwise(predicted, gold_labels)
    c_p, c_r, c_f = pairwise(predicted, gold_labels, cross_language_only=True, langs=langs)
    result: dict[str, Any] = {
        "gold": str(gold),
        "articles": len(labelled),
        "bcubed": {"precision": b_p, "recall": b_r, "f1": b_f},
        "pairwise": {"precision": p_p, "recall": p_r, "f1": p_f},
        "cross_language_pairwise": {"precision": c_p, "recall": c_r, "f1": c_f},
        "stories_found": len(set(predicted.values())),
        "gold_stories": len(set(gold_labels.values())),
        "seconds": round(seconds, 2),
        "articles_per_second": round(len(labelled) / seconds, 2) if seconds else None,
    }
    if json_output:
        print_json(result)
        return
    console.print(f"{result['articles']} articles from {gold}", highlight=False)
    for name, label in (("bcubed", "B-cubed"), ("pairwise", "pairwise"), ("cross_language_pairwise", "cross-language")):
        scores = result[name]
        console.print(
            f"{label:>15}: P {scores['precision']:.3f}  R {scores['recall']:.3f}  F1 {scores['f1']:.3f}",
            highlight=False,
        )
    console.print(
        f"stories found {result['stories_found']} (gold {result['gold_stories']}); "
        f"{result['seconds']} s, {result['articles_per_second']} articles/s",
        highlight=False,
    )
