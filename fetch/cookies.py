"""The user's cookies file, checked and copied where only this user can read it."""

from __future__ import annotations

import atexit
import functools
import logging
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

from recap.core.errors import RecapError
from recap.core.files import read_text

log = logging.getLogger(__name__)

# -- cookies --------------------------------------------------------------------------------
_COOKIE_HEADER = re.compile(r"#( Netscape)? HTTP Cookie File")  # what yt-dlp's cookie jar requires
_HTTPONLY = "#HttpOnly_"
_private_dir: list[str] = []  # made once per process, removed at exit
_private_lock = threading.Lock()


def private_cookies(path: Path) -> Path:
    """A copy of the user's cookies file for one yt-dlp session: yt-dlp writes its cookie jar back
    to the file it was given when it closes, which would create a missing file and rewrite a good
    one (losing its comments). Each call gets its own copy (sessions on threads never share one),
    in a folder only this user can read, removed when the process ends."""
    cookies = _checked_cookies(*_file_state(path))
    with _private_lock:
        if not _private_dir:
            _private_dir.append(tempfile.mkdtemp(prefix="recap-cookies-"))  # mode 0700
            atexit.register(shutil.rmtree, _private_dir[0], ignore_errors=True)
        fd, copy = tempfile.mkstemp(dir=_private_dir[0], prefix="cookies-", suffix=".txt")  # mode 0600
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(cookies)
    return Path(copy)


def _file_state(path: Path) -> tuple[str, int, int]:
    try:
        info = path.stat()
    except OSError:
        return str(path), -1, -1  # _checked_cookies reports it
    return str(path), info.st_size, info.st_mtime_ns


@functools.lru_cache(maxsize=8)
def _checked_cookies(path_text: str, size: int, mtime_ns: int) -> str:
    """The file's cookie lines, checked once per version of the file: one clear error for a file
    that is not a Netscape cookies file, one warning (never the cookies themselves, which are
    secrets) for lines that are not cookies, which are left out of the copy."""
    path = Path(path_text)
    try:
        text = read_text(path)
    except RecapError as exc:
        raise RecapError(f"cookies file: {exc}") from exc
    lines = text.splitlines(keepends=True)
    if not lines or not _COOKIE_HEADER.search(lines[0]):
        kind = "a JSON file" if text.lstrip()[:1] in ("[", "{") else "not a Netscape cookies file"
        raise RecapError(f"cookies file {path} is {kind}: its first line must be "
                         "'# Netscape HTTP Cookie File' (export it with a cookies.txt browser extension)")
    kept, skipped = [lines[0]], []
    for number, line in enumerate(lines[1:], start=2):
        if _is_cookie_line(line):
            kept.append(line if line.endswith("\n") else line + "\n")
        else:
            skipped.append(number)
    if skipped and len(kept) == 1:
        raise RecapError(f"cookies file {path} holds no cookies: no line has the 7 tab-separated fields "
                         "of a Netscape cookies file")
    if skipped:
        shown = ", ".join(map(str, skipped[:5])) + (", ..." if len(skipped) > 5 else "")
        log.warning("cookies file %s: left out %d line(s) that are not cookies (line %s)",
                    path, len(skipped), shown)
    return "".join(kept)


def _is_cookie_line(line: str) -> bool:
    """A comment, a blank line or a cookie (7 tab-separated fields, expiry a number or empty)."""
    if line.startswith(_HTTPONLY):
        line = line[len(_HTTPONLY):]
    elif line.startswith("#") or not line.strip():
        return True
    fields = line.rstrip("\r\n").split("\t")
    return len(fields) == 7 and re.fullmatch(r"(?:[0-9]+(?:\.[0-9]+)?)?", fields[4]) is not None
