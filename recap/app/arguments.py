"""The checks of the command line's values: formats, whole numbers in a range, seconds, a
probability, a source that exists, a Dask scheduler address. Each raises what argparse turns into
one line naming the option."""

from __future__ import annotations

import argparse
import math
import re

from recap.core.urls import http_url, is_url


def formats_of(allowed: tuple[str, ...]):
    def parse(value: str) -> tuple[str, ...]:
        chosen = tuple(f.strip().lower() for f in value.split(",") if f.strip())
        if chosen == ("all",):
            return allowed
        unknown = [f for f in chosen if f not in allowed]
        if unknown or not chosen:
            raise argparse.ArgumentTypeError(
                f"unknown format {','.join(unknown) or value!r}; choose from {','.join(allowed)}")
        return chosen
    return parse


def checked(parse):
    """An argparse type from a parser that raises ValueError with its own message (argparse puts
    the option's name before it)."""
    def check(value: str):
        try:
            return parse(value)
        except (ValueError, re.error) as exc:
            raise argparse.ArgumentTypeError(str(exc)) from exc
    return check


def whole(minimum: int, maximum: int | None = None):
    """A whole number of at least ``minimum`` (and at most ``maximum``)."""
    def parse(value: str) -> int:
        text = value.strip()
        number = int(text) if re.fullmatch(r"[+-]?\d{1,9}", text) else None
        if number is None or number < minimum or (maximum is not None and number > maximum):
            wanted = f">= {minimum}" if maximum is None else f"from {minimum} to {maximum}"
            raise ValueError(f"expected a whole number {wanted}, got {value!r}")
        return number
    return parse


positive = whole(1)


def source_path(value: str) -> str:
    """A path, or a URL that recap may fetch: http(s), with no spaces or control characters."""
    if not value.strip():
        raise ValueError("empty: give a video URL, a media file or a transcript")
    return http_url(value) if is_url(value) else value


def seconds(value: str) -> float:
    """A length of time: a finite number of seconds above 0."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"expected a number of seconds above 0, got {value!r}")
    return seconds


def probability(value: str) -> float:
    """A probability: a number from 0 to 1."""
    try:
        chance = float(value)
    except ValueError:
        chance = math.nan
    if not 0.0 <= chance <= 1.0:  # NaN fails too
        raise ValueError(f"expected a probability from 0 to 1, got {value!r}")
    return chance


_SCHEDULER = re.compile(r"(?:tcp|tls|ucx|ws|wss)://(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::(\d{1,5}))?/?"
                        r"|inproc://\S+")


def scheduler_address(value: str) -> str:
    """tcp://HOST:PORT and Dask's other schemes; an address with a user or password is refused
    without repeating it (it may hold a secret)."""
    if "@" in value:
        raise ValueError("a Dask scheduler address holds no user or password: give tcp://HOST:8786")
    found = _SCHEDULER.fullmatch(value)
    if not found or (found.group(1) and not 0 < int(found.group(1)) < 65536):
        raise ValueError(f"expected a Dask scheduler address such as tcp://HOST:8786, got {value!r}")
    return value
