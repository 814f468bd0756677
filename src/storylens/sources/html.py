"""Turn an HTML page into a RawDocument: its main text (trafilatura), title, date, site and declared language.

The RawDocument text is the extracted main text, without navigation, footers or related links; it is what
later stages store verbatim and point their offsets into.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Document

from storylens.models import InputError, RawDocument

# htmldate without its free-text search: only what the page declares (meta tags, JSON-LD, <time>, URL).
DATE_PARAMS = {"original_date": True, "extensive_search": False}
LANGUAGE_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")
UNDETERMINED_LANGUAGES = {"und", "mul", "zxx", "mis"}
# <meta> tags that declare the page language, as (attribute, lower-case value) pairs, in order of trust
LANGUAGE_METAS = (
    ("http-equiv", "content-language"),
    ("name", "language"),
    ("name", "dc.language"),
    ("property", "og:locale"),
)


def parse_html(html: str, *, origin: str, url: str | None = None, path: str | None = None) -> RawDocument:
    """Extract the article in ``html``; ``url`` (where it was fetched) resolves relative links."""
    tree = trafilatura.load_html(html) if html.strip() else None
    if tree is None:
        raise InputError(origin, "no article text found")
    root = tree.getroottree().getroot()
    lang_tag = declared_language_tag(root)
    canonical = _canonical_url(root)
    if canonical:
        canonical = urljoin(url or "", canonical)
    extracted = trafilatura.bare_extraction(
        tree,
        url=url or canonical,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params=dict(DATE_PARAMS),
    )
    # as_dict is off, so a result is a Document; None means nothing was extracted
    text = extracted.text if isinstance(extracted, Document) else None
    if not isinstance(extracted, Document) or not text or not text.strip():
        raise InputError(origin, "no article text found")
    metadata: dict[str, object] = {}
    if extracted.date:
        metadata["date_method"] = "html-meta"
    if canonical:
        metadata["canonical_url"] = canonical
    if extracted.hostname:
        metadata["host"] = extracted.hostname
    if lang_tag:
        metadata["declared_lang_tag"] = lang_tag
    for name in ("author", "description"):
        value = getattr(extracted, name)
        if value:
            metadata[name] = value
    return RawDocument(
        origin=origin,
        kind="html",
        text=text,
        title=extracted.title or None,
        lang=primary_language(lang_tag) if lang_tag else None,
        published=extracted.date or None,
        source=extracted.sitename or extracted.hostname or None,
        url=url or canonical,
        path=path,
        metadata=metadata,
    )


def declared_language_tag(root: HtmlElement) -> str | None:
    """The page's declared language tag (``he``, ``en-GB``, ``pt_BR``), if it declares a usable one."""
    candidates = [root.get("lang"), root.get("xml:lang")]
    candidates += [_meta_content(root, attribute, value) for attribute, value in LANGUAGE_METAS]
    for candidate in candidates:
        tag = (candidate or "").split(",")[0].strip()
        match = LANGUAGE_TAG.match(tag)
        if match and match.group(1).lower() not in UNDETERMINED_LANGUAGES:
            return tag
    return None


def primary_language(tag: str) -> str:
    """The primary subtag of a language tag, lower case: ``en-GB`` -> ``en``, ``he_IL`` -> ``he``."""
    return re.split(r"[-_]", tag, maxsplit=1)[0].lower()


def _canonical_url(root: HtmlElement) -> str | None:
    for link in root.iter("link"):
        href = (link.get("href") or "").strip()
        if "canonical" in (link.get("rel") or "").lower().split() and href:
            return href
    return _meta_content(root, "property", "og:url")


def _meta_content(root: HtmlElement, attribute: str, value: str) -> str | None:
    for meta in root.iter("meta"):
        content = (meta.get("content") or "").strip()
        if (meta.get(attribute) or "").strip().lower() == value and content:
            return content
    return None
