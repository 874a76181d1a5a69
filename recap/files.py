"""Writing files so that a crash never leaves a half-written one behind."""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from recap.errors import RecapError


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once at import: os.umask() is process-wide, threads write files too


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to a temp file beside ``path``, fsync, then rename over it.

    Readers see the old file or the new one, never a mix; on failure the old file stays.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; articles are meant to be shared
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data: Any) -> None:
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def ensure_writable_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RecapError(f"cannot create output folder {path}: {exc.strerror}") from exc
    if not os.access(path, os.W_OK):
        raise RecapError(f"output folder {path} is not writable")
    return path


# Transcripts, stories, descriptions, cookies: a 10-hour transcript.json with its words is ~15 MB.
MAX_INPUT_BYTES = 64 * 1024 * 1024


def read_bytes(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """A user's file, whole: a clear error for a missing one, a folder, anything that is not a
    regular file (a device such as /dev/zero, a named pipe: both would be read forever) and a file
    over ``limit`` bytes. The checks look at the opened file itself, so a path swapped meanwhile
    cannot slip past them, and the open never waits on a pipe."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise RecapError(f"no such file: {path}") from None
    except IsADirectoryError:  # Windows: folders cannot be opened
        raise RecapError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise RecapError(f"cannot read {path}: {exc.strerror or exc}") from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise RecapError(f"{path} is a folder, not a file")
        raise RecapError(f"{path} is not a regular file (a device, pipe or socket); give a file")
    with os.fdopen(fd, "rb") as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise RecapError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise RecapError(f"{path} is too large: recap reads input files of up to {_size(limit)}")
    return data


def read_text(path: Path, limit: int = MAX_INPUT_BYTES) -> str:
    """Read a user's text file (UTF-8) with a clear error for every usual way it goes wrong."""
    try:
        return read_bytes(path, limit).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecapError(f"{path} is not UTF-8 text") from exc


def check_input_file(path: Path, what: str = "file", limit: int = MAX_INPUT_BYTES) -> Path:
    """The same rules as ``read_bytes`` for a file another library reads (a jinja2 template)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise RecapError(f"no such {what}: {path}") from None
    except OSError as exc:
        raise RecapError(f"cannot read {what} {path}: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise RecapError(f"{what} {path} is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise RecapError(f"{what} {path} is not a regular file (a device, pipe or socket)")
    if info.st_size > limit:
        raise RecapError(f"{what} {path} is too large: recap reads input files of up to {_size(limit)}")
    return path


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count} bytes"


_UNSAFE = re.compile(r"[^\w\-. ]+")


def safe_filename(title: str, max_length: int = 80, fallback: str = "episode") -> str:
    """A file name from untrusted text: no separators, dots-only names or control chars.

    ``fallback`` names what has no usable character left ("..", "~", blanks, emoji only): callers
    that make one folder per episode pass one that differs per episode."""
    text = unicodedata.normalize("NFKC", title)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "CS")
    text = _UNSAFE.sub("-", text).strip(" .-_")
    text = re.sub(r"[-\s]+", "-", text)[:max_length].strip(" .-_")
    return text or fallback
