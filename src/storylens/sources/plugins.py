"""Sources as plugins: which reader takes each input name, and reading them with one set of options.

A source has a ``name``, ``matches(name) -> bool`` for a positional input (a path, ``-``, a URL) and
``read(names, options)`` yielding ``RawDocument``, ``InputError`` or ``SkippedInput``. Installed plugins (the
``storylens.sources`` entry points) are asked first, the built-in ``web`` source (article URLs, and feeds named
with ``--feed``) next, and ``files`` (paths, folders, stdin) takes the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from storylens.models import InputError, RawDocument, SkippedInput
from storylens.sources.checks import DEFAULT_MAX_CHARS, checked
from storylens.sources.files import DEFAULT_MAX_BYTES, read_inputs

SourceResult = RawDocument | InputError | SkippedInput


@dataclass(frozen=True)
class SourceOptions:
    """What every source is read with (the ``ingest`` options)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_chars: int = DEFAULT_MAX_CHARS
    encoding: str | None = None
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    timeout: float = 20.0
    allow_private: bool = False
    feeds: Sequence[str] = field(default_factory=tuple)


class Source(Protocol):
    name: str

    def matches(self, name: str) -> bool: ...

    def read(self, names: Sequence[str], options: SourceOptions) -> Iterable[SourceResult]: ...


def is_url(name: str) -> bool:
    return name.lower().startswith(("http://", "https://"))


class FileSource:
    """Files, folders (recursively, with include/exclude globs), JSON Lines, HTML and ``-`` for stdin."""

    name = "files"

    def matches(self, name: str) -> bool:
        return not is_url(name)

    def read(self, names: Sequence[str], options: SourceOptions) -> Iterable[SourceResult]:
        return read_inputs(
            list(names),
            max_bytes=options.max_bytes,
            max_chars=options.max_chars,
            encoding=options.encoding,
            include=options.include,
            exclude=options.exclude,
        )


class WebSource:
    """Article URLs, and the RSS/Atom feeds of ``options.feeds``, fetched under the SSRF rules."""

    name = "web"

    def matches(self, name: str) -> bool:
        return is_url(name)

    def read(self, names: Sequence[str], options: SourceOptions) -> Iterable[SourceResult]:
        return checked(self._fetch(names, options), options.max_chars)

    def _fetch(self, names: Sequence[str], options: SourceOptions) -> Iterator[RawDocument | InputError]:
        from storylens.sources.feeds import read_feed
        from storylens.sources.web import read_url

        fetch = {"timeout": options.timeout, "max_bytes": options.max_bytes, "allow_private": options.allow_private}
        for feed in options.feeds:
            try:
                yield from read_feed(feed, **fetch)  # type: ignore[arg-type]
            except InputError as error:
                yield error
        for url in names:
            try:
                yield read_url(url, **fetch)  # type: ignore[arg-type]
            except InputError as error:
                yield error


FILES = FileSource()
WEB = WebSource()


def read_sources(names: Sequence[str], options: SourceOptions) -> Iterator[SourceResult]:
    """Every input read by the source that takes it (plugins first, then ``web``, then ``files``), in the order
    the sources are asked; feeds in ``options.feeds`` go to ``web``."""
    from storylens.plugins import plugins

    found = plugins("sources")
    ordered = [s for n, s in found.items() if n not in ("web", "files")] + [found["web"], found["files"]]
    taken: dict[str, list[str]] = {source.name: [] for source in ordered}
    for name in names:
        taken[next((s for s in ordered if s.matches(name)), found["files"]).name].append(name)
    for source in ordered:
        if taken[source.name] or (source is found["web"] and options.feeds):
            yield from source.read(taken[source.name], options)
