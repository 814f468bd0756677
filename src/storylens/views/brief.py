"""Briefings on a story or a storyline, as Markdown, HTML or JSON: extractive only.

Every statement is a quotation from an article (its lead sentence, a quote, a figure as written, a name as
written) followed by the number of the article it comes from; the only words storylens adds are headings,
labels and counts read off the store. The source list at the end names each cited article's outlet, URL,
date and language.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any, Literal

from markupsafe import Markup

from storylens.analysis import coverage
from storylens.lang import first_sentence
from storylens.store import reads
from storylens.store.db import Store, row_id
from storylens.store.read_model import StoryArticle, StoryDetail, StorylineDetail, StorySummary
from storylens.translation import NoTranslator, Translator
from storylens.views.brief_translation import translate_brief
from storylens.views.coverage import story_view
from storylens.views.outlets import OutletRegistry, load_registry
from storylens.views.web import format_value, language_name, template_env

BriefFormat = Literal["md", "html", "json"]
LEAD_MAX_CHARS = 320
MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]<>#|~])")


class BriefError(ValueError):
    """The reference names no story or storyline."""


def parse_ref(ref: str) -> tuple[Literal["story", "storyline"], int]:
    """``12`` or ``story:12`` names a story, ``storyline:3`` a storyline."""
    kind, _, number = ref.strip().rpartition(":")
    kind = kind or "story"
    if kind not in ("story", "storyline") or not (number.isascii() and number.isdigit()):
        raise BriefError(f"{ref!r}: expected a story id (12, story:12) or a storyline id (storyline:3)")
    if row_id(number) is None:
        raise BriefError(f"no {kind} {number}")
    return kind, int(number)  # type: ignore[return-value]


def lead_sentence(title: str | None, text: str, lang: str | None = None) -> str:
    """The article's first sentence after its title, verbatim (cut with … past LEAD_MAX_CHARS); lines that do
    not end as a sentence (a kicker, a subheading) are passed over (see ``storylens.lang.first_sentence``)."""
    body = text.strip()
    if title and body.startswith(title.strip()):
        body = body[len(title.strip()) :].strip()
    sentence = first_sentence(body, lang).strip()
    if len(sentence) > LEAD_MAX_CHARS:
        sentence = sentence[:LEAD_MAX_CHARS].rsplit(" ", 1)[0] + " …"
    return " ".join(sentence.split())


class Citations:
    """Numbers the cited articles in the order they are first cited."""

    def __init__(self, articles: Mapping[int, StoryArticle]) -> None:
        self.articles = articles
        self.numbers: dict[int, int] = {}

    def __call__(self, article_id: int) -> int:
        return self.numbers.setdefault(article_id, len(self.numbers) + 1)

    def sources(self) -> list[dict[str, Any]]:
        return [
            {
                "n": n,
                "article": a,
                "source": self.articles[a]["source"] or coverage.UNKNOWN_SOURCE,
                "url": self.articles[a]["url"],
                "published": self.articles[a]["published"],
                "lang": self.articles[a]["lang"],
                "title": self.articles[a]["title"],
            }
            for a, n in sorted(self.numbers.items(), key=lambda item: item[1])
        ]


def _story_section(store: Store, story: StoryDetail, cite: Citations) -> dict[str, Any]:
    articles = {a["id"]: a for a in story["articles"]}
    leads = [
        {"text": lead_sentence(a["title"], a["text"], a["lang"]), "lang": a["lang"], "cite": cite(a["id"])}
        for a in story["articles"]
    ]
    figures = [
        {
            "what": group["what"],
            "unit": group["unit"],
            "discrepancy": group["discrepancy"],
            "updated": group["updated"],
            "statements": [
                {"text": o["text"], "value": o["value"], "lang": o["lang"], "cite": cite(o["article"])}
                for o in group["occurrences"]
            ],
        }
        for group in story["figures"]
    ]
    quotes = [
        {
            "speaker": group["speaker"],
            "statements": [
                {"text": v["text"], "lang": v["lang"], "cite": cite(v["article"])} for v in group["variants"]
            ],
        }
        for group in story["quotes"]
    ]
    written = reads.mention_articles(store, list(articles))
    names = [
        {
            "name": e["name"],
            "type": e["type"],
            "entity": {"id": e["id"], "romanised": e.get("romanised", False), "variants": e["variants"]},
            "variants": [
                {
                    "text": v["text"],
                    "lang": v["lang"],
                    "cites": sorted({cite(a) for a in written.get((e["id"], v["text"], v["lang"]), [])}),
                }
                for v in e["variants"]
            ],
        }
        for e in story["entities"]
    ]
    only = [
        {
            "facet": "language" if facet == "by_language" else "outlet",
            "side": language_name(entry["side"]) if facet == "by_language" else entry["name"],
            "names": [e["name"] for e in entry["entities"]],
            "figures": [
                {"text": o["text"], "lang": o["lang"], "cite": cite(o["article"])}
                for f in entry["figures"]
                for o in f["occurrences"]
            ],
            "quotes": [
                {"speaker": q["speaker"], "text": v["text"], "lang": v["lang"], "cite": cite(v["article"])}
                for q in entry["quotes"]
                for v in q["variants"]
            ],
        }
        for facet in ("by_language", "by_source")
        for entry in story["exclusives"][facet]
    ]
    section: dict[str, Any] = {
        "id": story["id"],
        "title": story["title"],
        "time_span": story.time_span.data(),
        "languages": story["languages"],
        "sources": story["sources"],
        "size": story["size"],
        "reports": leads,
        "figures": figures,
        "quotes": quotes,
        "names": names,
        "only_in": only,
    }
    if story.changes is not None:
        changes = story.changes
        section["changes"] = {
            "since": changes["since"],
            "articles": [
                {"title": articles[a]["title"], "lang": articles[a]["lang"], "cite": cite(a)}
                for a in changes["articles"]
            ],
            "quotes": [
                {"speaker": g["speaker"], "text": v["text"], "lang": v["lang"], "cite": cite(v["article"])}
                for g in changes["quotes"]
                for v in g["variants"]
            ],
            "figures": [
                {
                    "what": f["what"] or f["unit"],
                    "status": f["status"],
                    "before": f["before"],
                    "statements": [
                        {"text": o["text"], "lang": o["lang"], "cite": cite(o["article"])} for o in f["occurrences"]
                    ],
                }
                for f in changes["figures"]
            ],
        }
    return section


def build_brief(
    store: Store,
    ref: str,
    *,
    since: dt.date | None = None,
    registry: OutletRegistry | None = None,
    to: str | None = None,
    translator: Translator | None = None,
) -> dict[str, Any]:
    """The briefing's content: one section per story, with numbered citations of every article used.
    ``registry`` names the outlets (default: ``outlets.load_registry()``). With ``to``, headlines, leads and quotes
    in other languages get a ``translation`` beside them (None where the translator leaves them) and names a
    ``reader_name`` in that language (see ``storylens.views.brief_translation``)."""
    kind, number = parse_ref(ref)
    registry = registry or load_registry()
    header: StorySummary | StorylineDetail | None
    if kind == "story":
        story_ids = [number] if reads.story_summary(store, number) else []
        header = reads.story_summary(store, number)
    else:
        header = reads.storyline_detail(store, number)
        story_ids = [s["id"] for s in header["stories"]] if header else []
    if header is None:
        raise BriefError(f"no {kind} {number}")
    stories = [story_view(store, story_id, registry, since=since) for story_id in story_ids]
    cite = Citations({a["id"]: a for story in stories if story for a in story["articles"]})
    sections = [_story_section(store, story, cite) for story in stories if story]
    brief = {
        "kind": kind,
        "id": number,
        "title": header["title"],
        "time_span": header.time_span.data(),
        "since": since.isoformat() if since else None,
        "stories": sections,
        "sources": cite.sources(),
        "method": "extractive: every statement is quoted from the article whose number follows it",
        "to": to,
        "translator": None,
    }
    if to:
        translate_brief(brief, translator or NoTranslator(), to)
    for section in sections:
        for name in section["names"]:
            del name["entity"]  # only the translation step reads it
    return brief


def md_escape(text: str | None) -> str:
    """Text for Markdown: white space folded, Markdown syntax characters escaped so nothing renders as markup."""
    return MARKDOWN_ACTIVE.sub(r"\\\1", " ".join((text or "").split()))


def _translated(item: dict[str, Any]) -> str:
    """`` [en: “…”]`` after a quoted text that has a translation, else nothing."""
    translation = item.get("translation")
    return f" [→ “{md_escape(translation)}”]" if translation else ""


def _cites(numbers: list[int] | int) -> str:
    items = numbers if isinstance(numbers, list) else [numbers]
    return "".join(f"[{n}]" for n in items)


def render_markdown(brief: dict[str, Any]) -> str:
    lines = [f"# Briefing: {md_escape(brief['title'])}", ""]
    span = brief["time_span"]
    lines.append(
        f"{brief['kind']} {brief['id']} · {span['first'] or '?'} → {span['last'] or '?'}"
        f" · {len(brief['sources'])} articles cited"
    )
    lines += ["", f"_{brief['method']}._", ""]
    if brief.get("to"):
        lines += [f"_Translations into {brief['to']} by {brief['translator']} follow the originals as [→ “…”]._", ""]
    for story in brief["stories"]:
        if brief["kind"] == "storyline":
            lines += [f"## Story {story['id']}: {md_escape(story['title'])}", ""]
        level = "###" if brief["kind"] == "storyline" else "##"
        changes = story.get("changes")
        if changes:
            lines += [f"{level} What changed since {changes['since']} (stored since)", ""]
            lines += [
                f"- new article {_cites(c['cite'])}: “{md_escape(c['title'])}”{_translated(c)}"
                for c in changes["articles"]
            ]
            lines += [
                f"- new quote, {md_escape(c['speaker'] or 'unnamed speaker')}: “{md_escape(c['text'])}”"
                f"{_translated(c)} {_cites(c['cite'])}"
                for c in changes["quotes"]
            ]
            for figure in changes["figures"]:
                stated = "; ".join(f"“{md_escape(s['text'])}” {_cites(s['cite'])}" for s in figure["statements"])
                was = f" (before: {', '.join(format_value(v) for v in figure['before'])})" if figure["before"] else ""
                lines.append(f"- {figure['status']} figure, {md_escape(figure['what'])}: {stated}{was}")
            if not (changes["articles"] or changes["quotes"] or changes["figures"]):
                lines.append("- nothing new")
            lines.append("")
        lines += [f"{level} Reports", ""]
        lines += [
            f"- {_cites(r['cite'])} ({r['lang']}) “{md_escape(r['text'])}”{_translated(r)}" for r in story["reports"]
        ]
        if story["figures"]:
            lines += ["", f"{level} Figures", ""]
            for figure in story["figures"]:
                label = md_escape(figure["what"] or figure["unit"] or "figure")
                flag = " — **outlets disagree**" if figure["discrepancy"] else ""
                flag += " — updated over time" if figure["updated"] else ""
                stated = "; ".join(
                    f"“{md_escape(s['text'])}” = {format_value(s['value'])} {_cites(s['cite'])}"
                    for s in figure["statements"]
                )
                lines.append(f"- {label}{flag}: {stated}")
        if story["quotes"]:
            lines += ["", f"{level} Quotes", ""]
            for quote in story["quotes"]:
                said = "; ".join(
                    f"“{md_escape(s['text'])}” ({s['lang']}){_translated(s)} {_cites(s['cite'])}"
                    for s in quote["statements"]
                )
                lines.append(f"- {md_escape(quote['speaker'] or 'unnamed speaker')}: {said}")
        if story["names"]:
            lines += ["", f"{level} Names as written", ""]
            for name in story["names"]:
                written = "; ".join(
                    f"{v['lang']} “{md_escape(v['text'])}” {_cites(v['cites'])}" for v in name["variants"]
                )
                reader = name.get("reader_name")
                shown = f" [{brief['to']}: {md_escape(reader)}]" if reader and reader != name["name"] else ""
                lines.append(f"- {md_escape(name['name'])}{shown} ({name['type']}): {written}")
        if story["only_in"]:
            lines += ["", f"{level} Reported by one language or outlet only", ""]
            for only in story["only_in"]:
                parts = [f"names {', '.join(md_escape(n) for n in only['names'])}"] if only["names"] else []
                parts += [f"states “{md_escape(f['text'])}” {_cites(f['cite'])}" for f in only["figures"]]
                parts += [
                    f"quotes {md_escape(q['speaker'] or 'unnamed speaker')}: “{md_escape(q['text'])}”"
                    f" {_cites(q['cite'])}"
                    for q in only["quotes"]
                ]
                lines.append(f"- only the {only['facet']} {md_escape(only['side'])}: " + "; ".join(parts))
        lines.append("")
    lines += ["## Sources", ""]
    for source in brief["sources"]:
        published = source["published"] or "date unknown"
        lines.append(
            f"{source['n']}. {md_escape(source['source'])}, {source['lang']}, {published}:"
            f" “{md_escape(source['title'] or '(untitled)')}”{_translated(source)}"
            f" {md_escape(source['url'] or '')}".rstrip()
        )
    return "\n".join(lines) + "\n"


def render_html(brief: dict[str, Any]) -> str:
    """A standalone page: its own Content-Security-Policy allows no script, no outside resource and only its own
    style sheet (by hash), so a hostile URL or text in the store cannot run in the reader's browser."""
    env = template_env()
    style = env.loader.get_source(env, "brief.css")[0] if env.loader else ""
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    policy = f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; base-uri 'none'; form-action 'none'"
    return env.get_template("brief.html").render(brief=brief, style=Markup(style), content_security_policy=policy)


def render(brief: dict[str, Any], output_format: BriefFormat) -> str:
    if output_format == "md":
        return render_markdown(brief)
    if output_format == "html":
        return render_html(brief)
    return json.dumps(brief, ensure_ascii=False, indent=2) + "\n"
