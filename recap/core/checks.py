"""What a document may hold: plain text (no terminal escapes, control characters or bidi
overrides), and the shape each field of a saved JSON file must have, checked on reading so a
hand-edited or damaged file is one error naming the field."""

from __future__ import annotations

import dataclasses
import datetime
import math
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")
Shape = str | tuple[str, ...]  # a field's shape name ("number", "span"...), or several allowed

# What text from a video (a title, a description, an uploader's name, a chapter's title, words) must
# not carry into an article, an index or a terminal: terminal escape sequences, the other C0 and C1
# control characters, and the bidi overrides and isolates (U+202A-U+202E, U+2066-U+2069) that make
# a line read backwards.
_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?)")
_LINE_BREAK = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
# control characters, bidi overrides, and lone surrogates (JSON's "\ud800": no UTF-8 can hold one)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def plain_text(text: str, lines: bool = False) -> str:
    """``text`` without control characters, terminal escape sequences, bidi overrides or lone
    surrogates. With
    ``lines`` (a description, a transcript) newlines and tabs stay and every other line break is a
    newline; without it (a title, a name) every line break and tab is a space."""
    if not isinstance(text, str):
        return text
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _LINE_BREAK.sub("\n", text)
    if not lines:
        text = re.sub(r"[\n\t]", " ", text)
    return _CONTROL.sub("", text)


class SchemaError(ValueError):
    """A saved object of the wrong shape; the message names the field (``segments[3].start``)."""


def build(cls: type[T], data: Any, where: str, shapes: Mapping[str, Shape]) -> T:
    """Make a dataclass from a dict, ignoring keys it does not know (newer files), after checking
    each known field against its ``shapes`` and that no required field is missing."""
    if not isinstance(data, dict):
        raise SchemaError(f"{where or 'the top level'}: expected an object, got {_shown(data)}")
    values = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise SchemaError(f"{_at(where, f.name)}: missing")
            continue
        if f.name in shapes:
            _check(data[f.name], shapes[f.name], _at(where, f.name))
        values[f.name] = data[f.name]
    return cls(**values)


def items(data: dict[str, Any], name: str, where: str) -> list[tuple[str, Any]]:
    """The elements of the list field ``name`` (absent or null: none), each with its place."""
    return [(f"{_at(where, name)}[{i}]", item) for i, item in enumerate(data.get(name) or [])]


def _at(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_span(value: Any) -> bool:
    return (isinstance(value, (list, tuple)) and len(value) == 2
            and all(_is_number(v) and v >= 0 and float(v).is_integer() for v in value)
            and value[0] <= value[1])


MAX_SECONDS = 30 * 24 * 3600  # no episode, story or word lies a month into a recording


def _is_date(value: Any) -> bool:
    """An ISO date, YYYY-MM-DD, that is a day of the calendar."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


# What each shape accepts, and how an error names it; "?" after a shape also accepts null.
_KINDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "text": (lambda v: isinstance(v, str), "text"),
    "number": (_is_number, "a number"),
    "time": (lambda v: _is_number(v) and 0 <= v <= MAX_SECONDS,
             f"a time in seconds (a number from 0 to {MAX_SECONDS})"),
    "date": (_is_date, "a date, YYYY-MM-DD"),
    "list": (lambda v: isinstance(v, list), "a list"),
    "texts": (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), "a list of texts"),
    "objects": (lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v), "a list of objects"),
    "span": (_is_span, "[start, end], two whole numbers with 0 <= start <= end"),
}


def _check(value: Any, shape: str | tuple[str, ...], where: str) -> None:
    if isinstance(shape, tuple):  # one of these words
        if value not in shape:
            raise SchemaError(f"{where}: expected one of {', '.join(shape)}, got {_shown(value)}")
        return
    if value is None and shape.endswith("?"):
        return
    test, wanted = _KINDS[shape.rstrip("?")]
    if not test(value):
        raise SchemaError(f"{where}: expected {wanted}, got {_shown(value)}")


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "an object" if isinstance(value, dict) else "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
