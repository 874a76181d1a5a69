"""The one shape of an output format: a name the user types, the file it makes, and its writer.

Each stage that makes files keeps a registry of these (render: the article, clean: the cleaned
transcript, transcribe: the transcript); the pipeline writes whatever the writers return.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Format(Generic[T]):
    name: str  # as on the command line: "md"
    filename: str  # "article.md"
    write: Callable[[T], str | bytes | None]  # None: nothing to write this time (no chapters to list)


def registry(*formats: Format[T]) -> dict[str, Format[T]]:
    return {fmt.name: fmt for fmt in formats}


def chosen(formats: dict[str, Format[T]], names: Iterable[str]) -> list[Format[T]]:
    """The formats named, in the order given; an unknown name is a programming error here
    (the command line offers only the registry's names)."""
    return [formats[name] for name in names]
