"""The outlet registry: which outlet published an article, and what is known about that outlet.

An outlet is a host name (``www.`` left off): the host of the article's URL, else its ``source`` when that is
(or starts with) a host name, else the host the registry gives for that source name, else the ``source`` as
written. Hosts reserved for examples (``example.org``, ``*.test``; RFC 2606) name no outlet. Articles with no
outlet are left out of outlet comparisons. Metadata (display name, country, language, owner) comes from a JSON file
the user can edit (``data/outlets.json`` documents the fields and is the default); a host takes the entry of
its own name or of its nearest parent domain (``mubasher.aljazeera.net`` reads ``aljazeera.net``'s entry and
stays an outlet of its own). The file is chosen by ``--outlets FILE``, else ``$STORYLENS_OUTLETS``, else the
default; a user's file replaces the default.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_FILE = Path(__file__).with_name("data") / "outlets.json"
ENV_VAR = "STORYLENS_OUTLETS"
HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
FIELDS = ("name", "country", "language", "owner")
# Names reserved for examples and tests (RFC 2606, RFC 6761): a URL there names no outlet.
RESERVED_HOSTS = frozenset({"example.com", "example.net", "example.org"})
RESERVED_TLDS = frozenset({"example", "test", "invalid", "localhost", "local"})


class OutletFileError(ValueError):
    """The outlet file cannot be read or has the wrong shape."""


@dataclass(frozen=True)
class Outlet:
    """One outlet: ``key`` is its host name (or the source as written when no host is known)."""

    key: str
    name: str
    country: str | None = None
    language: str | None = None
    owner: str | None = None
    host: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "country": self.country,
            "language": self.language,
            "owner": self.owner,
        }


def host_of(value: str | None) -> str | None:
    """The host name in a URL or at the start of a source (``ru.wikipedia.org (In the news)``), lower case and
    without ``www.``; None when there is none."""
    if not value:
        return None
    text = value.strip().lower()
    if "://" in text:
        try:
            text = urlsplit(text).hostname or ""
        except ValueError:
            return None
    else:
        text = text.split()[0] if text.split() else ""
    text = text.rstrip(".")
    if not HOST.fullmatch(text):
        return None
    host = text.removeprefix("www.")
    reserved = host.rsplit(".", 1)[-1] in RESERVED_TLDS or any(
        host == name or host.endswith("." + name) for name in RESERVED_HOSTS
    )
    return None if reserved else host


class OutletRegistry:
    """Outlets by host name, with the metadata of the registry file."""

    def __init__(self, entries: dict[str, dict[str, Any]], path: Path | None = None) -> None:
        self.path = path
        self.entries = {key.lower().removeprefix("www."): value for key, value in entries.items()}
        self.by_name = {
            written.casefold(): key for key, value in self.entries.items() for written in value.get("names", [])
        }

    def entry_for(self, host: str) -> tuple[str, dict[str, Any]] | None:
        """The registry entry of ``host`` or of its nearest parent domain."""
        labels = host.split(".")
        for start in range(len(labels) - 1):
            candidate = ".".join(labels[start:])
            if candidate in self.entries:
                return candidate, self.entries[candidate]
        return None

    def outlet(self, source: str | None, url: str | None) -> Outlet | None:
        """The outlet of an article with this ``source`` and ``url``; None when neither names one."""
        host = host_of(url) or host_of(source)
        if host is None and source and source.strip():
            named = self.by_name.get(source.strip().casefold())
            if named is None:
                return Outlet(key=source.strip(), name=source.strip(), host=False)
            host = named
        if host is None:
            return None
        found = self.entry_for(host)
        if found is None:
            return Outlet(key=host, name=host)
        matched, entry = found
        name = entry.get("name") or matched
        if matched != host:
            name = f"{name} ({host})"
        return Outlet(host, name, entry.get("country"), entry.get("language"), entry.get("owner"))

    def describe(self) -> dict[str, Any]:
        return {"file": str(self.path) if self.path else None, "outlets": len(self.entries)}


def read_registry(path: Path) -> OutletRegistry:
    """A registry from a JSON file shaped like ``data/outlets.json``; ``OutletFileError`` names what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise OutletFileError(f"{path}: cannot read the outlet file ({error})") from None
    outlets = data.get("outlets") if isinstance(data, dict) else None
    if not isinstance(outlets, dict):
        raise OutletFileError(f'{path}: expected {{"outlets": {{"host.name": {{...}}}}}}')
    for key, entry in outlets.items():
        if not isinstance(entry, dict) or not HOST.fullmatch(key.lower()):
            raise OutletFileError(f"{path}: {key!r}: expected a host name with an object of {', '.join(FIELDS)}")
        bad = [f for f in FIELDS if f in entry and not isinstance(entry[f], str)]
        names = entry.get("names", [])
        if bad or not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
            raise OutletFileError(f"{path}: {key!r}: {', '.join(bad) or 'names'} must be text")
    return OutletRegistry(outlets, path)


@cache
def _cached(path: str, mtime: float) -> OutletRegistry:
    return read_registry(Path(path))


def load_registry(path: Path | str | None = None) -> OutletRegistry:
    """The registry from ``path``, else ``$STORYLENS_OUTLETS``, else the shipped default."""
    chosen = Path(path or os.environ.get(ENV_VAR) or DEFAULT_FILE)
    try:
        mtime = chosen.stat().st_mtime
    except OSError as error:
        raise OutletFileError(f"{chosen}: cannot read the outlet file ({error.strerror})") from None
    return _cached(str(chosen), mtime)
