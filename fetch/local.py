"""Local files as episodes: a file's digest (its id and its cache key) and the Episode it makes."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from recap.core.document import Episode, plain_text
from recap.core.errors import RecapError


def file_digest(path: Path) -> str:
    """sha256 of the file; remembered while the file is unchanged (the episode id and the
    transcript cache key both need it, and a 3-hour WAV takes a second to hash)."""
    stat = path.stat()
    return _digest(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def local_media(source: str) -> Path:
    path = Path(source).expanduser()
    if not path.exists():
        raise RecapError(f"no such file: {source}")
    if path.is_dir():
        raise RecapError(f"{source} is a folder; give a media file or a transcript")
    if not path.is_file():  # /dev/zero, a named pipe: read forever
        raise RecapError(f"{source} is not a regular file (a device, pipe or socket); "
                         "give a media file or a transcript")
    if path.stat().st_size == 0:
        raise RecapError(f"{source} is empty (0 bytes)")
    return path


def local_episode(path: Path) -> Episode:
    return Episode(id=file_digest(path)[:16], title=plain_text(path.stem), extractor="local")
