"""Defaults a user sets once: a TOML config file and, for what deployments set, RECAP_* variables.

A flag on the command line wins over the environment, the environment over the file, the file
over recap's own default. The file is the user's (platformdirs' config folder, config.toml) or
the one --config names. `recap config` shows each setting in effect and where it came from.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recap.core.errors import RecapError


@dataclass(frozen=True)
class Setting:
    key: str  # in config.toml
    dest: str  # the command line's name for it
    env: str | None = None  # RECAP_... where deployments set it


SETTINGS = (
    Setting("model", "model", "RECAP_MODEL"),
    Setting("device", "device", "RECAP_DEVICE"),
    Setting("compute_type", "compute_type"),
    Setting("language", "language"),
    Setting("batch_size", "batch_size"),
    Setting("beam_size", "beam_size"),
    Setting("format", "format"),
    Setting("profile", "profile", "RECAP_PROFILE"),
    Setting("cache_dir", "cache_dir", "RECAP_CACHE_DIR"),
    Setting("output_root", "output_root", "RECAP_OUTPUT_ROOT"),
    Setting("link_pages", "link_pages", "RECAP_LINK_PAGES"),
    Setting("images", "images"),
    Setting("socket_timeout", "socket_timeout"),
    Setting("retries", "retries"),
    Setting("jobs", "jobs"),
    Setting("workers", "workers", "RECAP_WORKERS"),
)
_TRUE, _FALSE = ("on", "true", "yes", "1"), ("off", "false", "no", "0")


@dataclass
class Applied:
    value: Any
    source: str  # "command line", "RECAP_MODEL", "/home/me/.config/recap/config.toml", "default"


def config_file(given: Path | None = None) -> Path:
    """The file --config names, else the user's config.toml (which need not exist)."""
    if given is not None:
        return given.expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("recap", appauthor=False)) / "config.toml"


def read_config(path: Path, required: bool = False) -> dict[str, Any]:
    """The file's settings; {} when there is none (RecapError when --config named it). An unknown
    key is an error: a misspelt setting that silently does nothing is worse."""
    from recap.core.datafiles import entry_lines, read_toml

    if not path.is_file():
        if required:
            raise RecapError(f"config file {path} does not exist")
        return {}
    data = read_toml(path)
    known = {setting.key for setting in SETTINGS}
    unknown = [key for key in data if key not in known]
    if unknown:
        line = entry_lines(path).get(("", unknown[0]), 1)
        raise RecapError(f"{path}, line {line}: unknown setting {unknown[0]!r}; "
                         f"known: {', '.join(sorted(known))}")
    return data


def apply_settings(parser: argparse.ArgumentParser, argv: list[str], args: argparse.Namespace,
                   config: Path | None = None) -> dict[str, Applied]:
    """Fill in ``args`` what the command line left out, from the environment, then the file;
    returns every setting the command has, with its value and where it came from."""
    path = config_file(config)
    file_values = read_config(path, required=config is not None)
    actions = _actions_of(parser, args.command)
    given = _given(parser, argv)
    applied: dict[str, Applied] = {}
    for setting in SETTINGS:
        action = actions.get(setting.dest)
        if action is None:
            continue
        if setting.dest in given or (setting.dest == "workers" and getattr(args, "cluster", None)):
            applied[setting.key] = Applied(getattr(args, setting.dest), "command line")
            continue
        raw, source = _from_env_or_file(setting, file_values, path)
        if source is None:
            applied[setting.key] = Applied(getattr(args, setting.dest), "default")
            continue
        if source == str(path):
            raw = beside_config(raw, path)
        value = _converted(action, setting, raw, source)
        setattr(args, setting.dest, value)
        applied[setting.key] = Applied(value, source)
    return applied


def beside_config(value: Any, path: Path) -> Any:
    """A .toml file (a profile) that the config file at ``path`` names is found beside it."""
    if isinstance(value, str) and value.endswith(".toml") and not Path(value).expanduser().is_absolute():
        return str(path.parent / Path(value).expanduser())
    return value


def _from_env_or_file(setting: Setting, file_values: dict[str, Any],
                      path: Path) -> tuple[Any, str | None]:
    if setting.env and os.environ.get(setting.env, "").strip():
        return os.environ[setting.env].strip(), setting.env
    if setting.key in file_values:
        return file_values[setting.key], str(path)
    return None, None


def _converted(action: argparse.Action, setting: Setting, raw: Any, source: str) -> Any:
    """``raw`` checked as the command line checks the flag; one line naming source and key when
    it is not allowed."""
    where = f"{source}: {setting.key}" if setting.env == source else f"{source}: {setting.key} = {raw!r}"
    if isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction)):
        return _flag(raw, where)
    text = ",".join(map(str, raw)) if isinstance(raw, list) else str(raw)
    try:
        value = action.type(text) if action.type else text
    except (argparse.ArgumentTypeError, TypeError, ValueError) as exc:
        raise RecapError(f"{where}: {exc}") from None
    if isinstance(value, Path):
        value = value.expanduser()  # "~/recap" in a file or a variable means what a shell would make of it
    if action.choices is not None and value not in action.choices:
        raise RecapError(f"{where}: choose from {', '.join(map(str, action.choices))}")
    return value


def _flag(raw: Any, where: str) -> bool:
    if isinstance(raw, bool):
        return raw
    if str(raw).strip().lower() in _TRUE:
        return True
    if str(raw).strip().lower() in _FALSE:
        return False
    raise RecapError(f"{where}: expected true or false (on/off)")


def _actions_of(parser: argparse.ArgumentParser, command: str) -> dict[str, argparse.Action]:
    sub = _subparser(parser, command)
    return {action.dest: action for action in sub._actions} if sub else {}


def _subparser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices.get(command)
    return None


def _given(parser: argparse.ArgumentParser, argv: list[str]) -> set[str]:
    """The dests the command line itself set: argv parsed again with every default suppressed."""
    import copy

    quiet = copy.deepcopy(parser)
    parsers = [quiet, *(sub for action in quiet._actions if isinstance(action, argparse._SubParsersAction)
                        for sub in action.choices.values())]
    for each in parsers:
        for action in each._actions:
            if not isinstance(action, argparse._SubParsersAction):
                action.default = argparse.SUPPRESS
    return set(vars(quiet.parse_args(argv)))
