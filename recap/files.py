"""Writing files so that a crash never leaves a half-written one behind."""

from __future__ import annotations

import json
import os
import re
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


def read_text(path: Path) -> str:
    """Read a user's text file with a clear error for every usual way it goes wrong."""
    if not path.exists():
        raise RecapError(f"no such file: {path}")
    if path.is_dir():
        raise RecapError(f"{path} is a folder, not a file")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecapError(f"{path} is not UTF-8 text") from exc


_UNSAFE = re.compile(r"[^\w\-. ]+")


def safe_filename(title: str, max_length: int = 80) -> str:
    """A file name from untrusted text: no separators, dots-only names or control chars."""
    text = unicodedata.normalize("NFKC", title)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "CS")
    text = _UNSAFE.sub("-", text).strip(" .-_")
    text = re.sub(r"[-\s]+", "-", text)[:max_length].strip(" .-_")
    return text or "episode"
