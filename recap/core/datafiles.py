"""recap's data files, in TOML: read whole, with the line each entry stands on, so that any
problem found later (a pattern that does not compile) can name its file and line."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from recap.core.errors import ProfileError
from recap.core.files import read_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

MAX_DATA_BYTES = 1024 * 1024  # a profile is a page of phrases, not a corpus
_AT = re.compile(r"\s*\(at line (\d+), column \d+\)|\s*\(at end of document\)")
_TABLE = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
_KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([\w-]+))\s*=""")


def read_toml(path: Path) -> dict:
    """The file's tables; ProfileError naming the file and line for one that is no TOML."""
    text = read_text(path, MAX_DATA_BYTES)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _AT.search(message)
        line = found.group(1) if found and found.group(1) else str(text.count("\n") + 1)
        problem = _AT.sub("", message).strip().rstrip(".")
        raise ProfileError(f"{path}, line {line}: {problem[:1].lower() + problem[1:]}") from None


def entry_lines(path: Path) -> dict[tuple[str, str | None], int]:
    """(table, key) -> the line the entry is written on, and (table, None) -> its header's line;
    ("", key) for the keys above the first table. Lines inside multi-line strings are skipped."""
    lines: dict[tuple[str, str | None], int] = {}
    table, quote = "", None
    for number, line in enumerate(read_text(path, MAX_DATA_BYTES).splitlines(), start=1):
        if quote is None:
            header, key = _TABLE.match(line), _KEY.match(line)
            if header:
                table = header.group(1).strip().strip("\"'")
                lines.setdefault((table, None), number)
            elif key:
                lines.setdefault((table, next(filter(None, key.groups()))), number)
        quote = _after_quotes(line, quote)
    return lines


def _after_quotes(line: str, quote: str | None) -> str | None:
    """Whether a multi-line string is still open after ``line`` (the quote that opened it)."""
    for found in re.finditer(r"'''|\"\"\"", line):
        mark = found.group()
        if quote is None:
            quote = mark
        elif quote == mark:
            quote = None
    return quote
