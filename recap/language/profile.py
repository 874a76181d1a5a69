"""Show profiles: what recap knows about how a show's hosts talk, read from files a person edits.

recap ships one profile, ``news`` (profiles/news.toml): spoken English news shows in general. A
show's own profile (written by hand or by `recap learn`) extends it: an entry with a new name adds
to a table, one with a name the base uses replaces that entry, ``name = false`` removes it. Every
problem is one line naming the file, the line and what is wrong.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recap.core.datafiles import entry_lines, read_toml
from recap.core.errors import ProfileError
from recap.language.cues import ROLES, BadEntry, Cues

SHIPPED = Path(__file__).with_name("profiles")
DEFAULT = "news"
_TOP_KEYS = {"name", "description", "extends"}
# Tables that hold no patterns: what `recap learn` measured of the show's episodes
SHAPE_TABLES = {"shape": (int, float), "learned": (str, int, float)}


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    files: tuple[Path, ...]  # the default's first, this profile's last
    tables: Mapping[str, Mapping[str, Any]]
    shape: Mapping[str, float] = field(default_factory=dict)

    @functools.cached_property
    def cues(self) -> Cues:
        return Cues.compile(self.tables, self.shape)

    @property
    def path(self) -> Path:
        return self.files[-1]


def user_profiles() -> Path:
    """The folder of the user's own profiles (``--profile NAME`` looks here first)."""
    import platformdirs

    return Path(platformdirs.user_config_dir("recap", appauthor=False)) / "profiles"


def configured_profile() -> str | None:
    """The profile the user's config file (recap.core.settings) names, or None (no file, or no
    ``profile`` in it); a .toml file named there is found beside it."""
    from recap.core.settings import beside_config, config_file

    path = config_file()
    if not path.is_file():
        return None
    value = read_toml(path).get("profile")
    if value is not None and not (isinstance(value, str) and value.strip()):
        raise ProfileError(f"{path}, line {entry_lines(path).get(('', 'profile'), 1)}: "
                           "profile must be a profile's name or a .toml file, in quotes")
    return beside_config(value, path) if value else value


def find_profile(name_or_file: str, beside: Path | None = None) -> Path:
    """The file a ``--profile`` value names: a path to a file, else a profile of the user's or one
    shipped with recap. ``beside``: the folder of a profile whose ``extends`` this is."""
    given = Path(name_or_file).expanduser()
    candidates = [given] if given.suffix == ".toml" or len(given.parts) > 1 else []
    if beside is not None and candidates:
        candidates.insert(0, beside / given)
    candidates += [user_profiles() / f"{name_or_file}.toml", SHIPPED / f"{name_or_file}.toml"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    shipped = ", ".join(sorted(p.stem for p in SHIPPED.glob("*.toml")))
    raise ProfileError(f"no profile {name_or_file!r}: give a .toml file, one of yours in {user_profiles()}, "
                       f"or a shipped one ({shipped})")


def load_profile(name_or_file: str = DEFAULT) -> Profile:
    """The profile a ``--profile`` value names, merged over the default and compiled (checked).
    Read again when its file changes (a channel's profile is learned while it runs)."""
    path = find_profile(name_or_file).resolve()
    stat = path.stat()
    return _loaded(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _loaded(path: Path, mtime_ns: int, size: int) -> Profile:
    profile = _read(path, seen=())
    try:
        profile.cues  # noqa: B018 - compiled now, so a bad pattern is an error here, not mid-run
    except BadEntry as exc:
        raise _located(exc, profile) from None
    return profile


def default_profile() -> Profile:
    return load_profile(DEFAULT)


def default_cues() -> Cues:
    return default_profile().cues


def _read(path: Path, seen: tuple[Path, ...]) -> Profile:
    path = path.resolve()
    if path in seen:
        raise ProfileError(f"{path}: `extends` goes round in a circle")
    data = read_toml(path)
    lines = entry_lines(path)
    _check(data, path, lines)
    base_name = data.get("extends", None if path == (SHIPPED / f"{DEFAULT}.toml").resolve() else DEFAULT)
    if not base_name:
        base = Profile(name="", description="", files=(), tables={})
    else:
        base = _read(find_profile(base_name, beside=path.parent), (*seen, path))
    tables = {table: dict(entries) for table, entries in base.tables.items()}
    for table, entries in data.items():
        if table in ROLES:
            merged = tables.setdefault(table, {})
            for key, value in entries.items():
                if value is False:
                    merged.pop(key, None)
                else:
                    merged[key] = value
    shape = {**base.shape, **data.get("shape", {})}
    return Profile(name=data.get("name", path.stem), description=data.get("description", ""),
                   files=(*base.files, path), tables=tables, shape=shape)


def _check(data: dict, path: Path, lines: Mapping[tuple[str, str | None], int]) -> None:
    """Every table known, every entry a pattern (or false), every top key known."""
    def fail(table: str, key: str | None, problem: str) -> ProfileError:
        line = lines.get((table, key)) or lines.get((table, None)) or 1
        return ProfileError(f"{path}, line {line}: {problem}")

    for key, value in data.items():
        if isinstance(value, dict):
            if key not in ROLES and key not in SHAPE_TABLES:
                close = difflib.get_close_matches(key, [*ROLES, *SHAPE_TABLES], n=1)
                hint = f"did you mean [{close[0]}]?" if close else "the README lists the tables"
                raise fail(key, None, f"no table [{key}] in a profile ({hint})")
            for entry, text in value.items():
                _check_value(key, entry, text, fail)
        elif key not in _TOP_KEYS:
            settings = ", ".join(sorted(_TOP_KEYS))
            raise fail("", key, f"unknown setting {key!r} (a profile's settings: {settings})")
        elif not isinstance(value, str):
            raise fail("", key, f"{key} must be a string")


def _check_value(table: str, key: str, value: Any, fail) -> None:
    if table in SHAPE_TABLES:
        if not isinstance(value, SHAPE_TABLES[table]) or isinstance(value, bool):
            raise fail(table, key, f"[{table}] {key} must be a number")
        return
    if value is False:
        return
    if not isinstance(value, str):
        raise fail(table, key, f"[{table}] {key} must be a pattern in quotes, or false to remove it")
    if not value.strip():
        raise fail(table, key, f"[{table}] {key} is empty: write a pattern, or false to remove the entry")


def _located(error: BadEntry, profile: Profile) -> ProfileError:
    """The file and line where the entry that failed was last written."""
    for path in reversed(profile.files):
        lines = entry_lines(path)
        if (error.table, error.key) in lines:
            return ProfileError(f"{path}, line {lines[(error.table, error.key)]}: [{error.table}] "
                                f"{error.key}: {error.problem}")
    return ProfileError(f"{profile.path}: [{error.table}] {error.key}: {error.problem}")


def profile_text(name: str, description: str, extends: str, tables: Sequence[tuple[str, str, str, str]],
                 shape: Sequence[tuple[str, float, str]] = (), header: str = "") -> str:
    """A profile file: ``tables`` are (table, key, pattern, comment) entries, ``shape`` (key,
    number, comment); every entry with its comment above it, as in the shipped profile."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines += [f"name = {_toml_string(name)}", f"description = {_toml_string(description)}",
              f"extends = {_toml_string(extends)}"]
    by_table: dict[str, list[tuple[str, str, str]]] = {}
    for table, key, pattern, comment in tables:
        by_table.setdefault(table, []).append((key, pattern, comment))
    for table, entries in by_table.items():
        lines += ["", f"[{table}]"]
        for key, pattern, comment in entries:
            if _LITERAL in pattern or pattern.endswith("'"):
                raise ValueError(f"[{table}] {key}: a pattern a TOML literal string cannot hold")
            lines += [f"# {comment}", f"{_toml_key(key)} = {_LITERAL}{pattern}{_LITERAL}"]
    if shape:
        lines += ["", "[shape]"]
        for key, value, comment in shape:
            lines += [f"# {comment}", f"{_toml_key(key)} = {value:g}"]
    return "\n".join(lines) + "\n"


_LITERAL = "'" * 3  # a TOML multi-line literal string: a pattern's backslashes stay as written


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)
