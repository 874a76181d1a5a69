"""Writing files so that a crash never leaves a half-written one behind, a set of files switched
in together, and the lock that keeps two recap runs out of one folder."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from recap.core.errors import RecapError


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


def _fsync_dir(folder: Path) -> None:
    """Make the renames in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse to sync a folder; the renames are made all the same
    finally:
        os.close(fd)


# -- a set of files switched in together ----------------------------------------------------
STAGING_NAME = ".recap-staging"  # in the target folder: the same file system, so renames are atomic
CLEAN_STAGING_NAME = ".recap-clean-staging"  # `recap clean`'s set, never mistaken for an article's
SWITCH_NAME = ".switch.json"  # in the staging folder: the commit point of a switch


class Staging:
    """Files written into ``folder``/.recap-staging/ and switched into ``folder`` together.

    A switch first writes (atomically) the list of the files it moves into the staging folder: that
    is its commit point. A run killed before it leaves ``folder`` as it was, and a staging folder
    that ``recover`` deletes; a run killed between two of the renames leaves the list, and
    ``recover`` (the next run into the folder, under its lock) finishes those renames. Only the
    files named in ``names`` (and their temp files) are ever replaced or deleted in ``folder``:
    whatever else a user keeps there is never touched. Callers hold the folder's lock."""

    def __init__(self, folder: Path, names: Iterable[str], staging_name: str = STAGING_NAME) -> None:
        self.folder = folder
        self.path = folder / staging_name
        self.names = frozenset(names)
        self.written: list[str] = []  # in the order written

    def recover(self) -> None:
        """Finish the switch a killed run had committed, else delete what it was writing; and
        delete the temp files a run killed mid-write left beside the set's files."""
        if self.path.is_symlink() or self.path.is_file():
            self.path.unlink()
        elif self.path.is_dir():
            committed = self._committed()
            if committed:
                self._move(committed)
                _fsync_dir(self.folder)
            shutil.rmtree(self.path)
        for leftover in self.folder.glob(".*.tmp"):
            if _temp_of(leftover.name, self.names) and leftover.is_file():
                leftover.unlink(missing_ok=True)

    def write(self, name: str, content: str | bytes) -> Path:
        """Write one file of the set into the staging folder; its path once switched in."""
        if name not in self.names:
            raise ValueError(f"{name} is not one of the set's files")
        self.path.mkdir(exist_ok=True)
        write_atomic(self.path / name, content)
        if name not in self.written:
            self.written.append(name)
        return self.folder / name

    def switch(self, names: Iterable[str] | None = None) -> list[Path]:
        """Move ``names`` (default: all written) into the folder as one unit; the rest is dropped."""
        chosen = [name for name in (self.written if names is None else names) if name in self.written]
        try:  # up to the commit point, a failure leaves the folder as it was
            for name in chosen:
                target = self.folder / name
                if target.is_dir() and not target.is_symlink():
                    raise IsADirectoryError(21, "a folder is in the way of a file", str(target))
            if chosen:
                write_atomic(self.path / SWITCH_NAME, json.dumps({"files": chosen}) + "\n")
                _fsync_dir(self.path)
        except BaseException:
            self.discard()
            raise
        if chosen:  # after it, a failure leaves the list for ``recover`` to finish the switch
            self._move(chosen)
            _fsync_dir(self.folder)
        self.discard()
        return [self.folder / name for name in chosen]

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self.written = []

    def _committed(self) -> list[str]:
        """The files of a committed switch; none when there was no commit (or its list is unreadable)."""
        try:
            data = json.loads((self.path / SWITCH_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        files = data.get("files") if isinstance(data, dict) else None
        if not isinstance(files, list):
            return []
        return [name for name in files if isinstance(name, str) and name in self.names]

    def _move(self, names: list[str]) -> None:
        for name in names:
            staged = self.path / name
            if staged.is_file():  # those already moved by the run that was killed are not there
                os.replace(staged, self.folder / name)


def _temp_of(file_name: str, names: frozenset[str]) -> bool:
    """Whether ``file_name`` is a temp file ``write_atomic`` makes for one of ``names``."""
    match = re.fullmatch(r"\.(.+)\.[^./]+\.tmp", file_name)
    return bool(match) and match.group(1) in names


# -- one recap run per folder ----------------------------------------------------------------
LOCK_NAME = ".recap-lock"


@contextmanager
def hold_folder(folder: Path) -> Iterator[None]:
    """Keep other recap runs out of ``folder`` (it must exist) until this one ends.

    An OS lock through filelock (flock; a byte-range lock on Windows): the kernel drops the lock
    of a process that dies, even by kill -9, so a crash never leaves the folder locked. On Unix the
    file stays after release (unlinking it would let two runs lock two different inodes).
    Raises RecapError at once, naming the holder's PID, while another run holds it.
    """
    path = folder / LOCK_NAME
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise RecapError(f"output folder {folder} is in use by another recap run{_holder(path)}; "
                         "try again when it has finished") from None
    except OSError as exc:
        raise RecapError(f"cannot lock output folder {folder}: {exc.strerror or exc}") from exc
    try:
        _note_holder(path)
        yield
    finally:
        lock.release()


def _note_holder(lock_path: Path) -> None:
    """Our PID, for the message a second run prints. Written in place: a rename would swap the
    locked inode for an unlocked one."""
    with suppress(OSError):  # a courtesy only (Windows forbids writing the locked bytes)
        lock_path.write_text(f"{os.getpid()}\n", encoding="ascii")


def _holder(lock_path: Path) -> str:
    """' (PID n)' from the lock file, or nothing where it cannot be read."""
    try:
        pid = lock_path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (PID {pid})" if pid.isdigit() else ""


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
