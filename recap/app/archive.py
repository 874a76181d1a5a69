"""What a channel run has finished or failed, kept in OUTDIR so the next run skips it.

Like yt-dlp's download archive, entries are keyed by extractor + id; unlike it, each line is
a JSON record that also says where the article went and, for failures, why. The file is
append-only during a run (one fsynced line per episode, written only after the episode's
folder is in place), so a run killed at any moment leaves at worst a torn last line. A damaged
line (torn, not UTF-8, not JSON, not a record) is skipped with a warning, its episode counts as
not done, and the next run that compacts the archive moves it to recap-archive.damaged.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from recap.core.files import read_bytes, write_atomic

log = logging.getLogger(__name__)

ARCHIVE_NAME = "recap-archive.jsonl"
DAMAGED_NAME = "recap-archive.damaged"  # damaged lines, kept as they were when compaction drops them
MAX_ARCHIVE_BYTES = 1 << 30  # recap's own file, one short line an episode: far above any channel
_STATUSES = ("done", "failed")  # what is archived (skipped is reported, never archived)
_reported: set[tuple[str, tuple[int, ...]]] = set()  # damaged lines already warned about, per file


@dataclass
class Record:
    """The outcome of one episode's job."""

    key: str
    status: str  # done | failed | skipped (skipped is reported, never archived)
    title: str
    date: str | None = None
    url: str | None = None
    folder: str | None = None  # under OUTDIR
    files: list[str] = field(default_factory=list)  # in the folder, for the "still there?" check
    stories: int | None = None
    duration: float | None = None
    reason: str = ""
    summary: str = ""  # the article's intro, for the feed (absent from archives written before it)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        """ValueError when ``data`` is not a record recap wrote: a field of the wrong type, or a
        folder or file name that would lead outside its episode's folder."""
        if not isinstance(data, dict):
            raise ValueError("not an object")
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        try:
            record = cls(**known)
        except TypeError as exc:
            raise ValueError(f"a field is missing ({exc})") from None
        record.check()
        return record

    def check(self) -> None:
        texts = {"key": self.key, "title": self.title, "reason": self.reason, "summary": self.summary}
        maybe_texts = {"date": self.date, "url": self.url, "folder": self.folder}
        bad = [name for name, value in texts.items() if not isinstance(value, str)]
        bad += [name for name, value in maybe_texts.items()
                if value is not None and not isinstance(value, str)]
        if not isinstance(self.files, list) or not all(_plain_name(name) for name in self.files):
            bad.append("files")
        if self.folder is not None and not _plain_name(self.folder):
            bad.append("folder")
        if self.stories is not None and (not isinstance(self.stories, int) or isinstance(self.stories, bool)):
            bad.append("stories")
        if self.duration is not None and (not isinstance(self.duration, (int, float))
                                          or isinstance(self.duration, bool)):
            bad.append("duration")
        if self.status not in _STATUSES:
            bad.append("status")
        if bad or not self.key:
            raise ValueError(f"bad {', '.join(bad) or 'key'}")


class Archive:
    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = out_dir / ARCHIVE_NAME
        self.damaged: list[bytes] = []  # the lines the last load skipped, as they were

    def load(self) -> dict[str, Record]:
        """The latest record of each episode. Damaged lines (a torn last write, a byte gone bad,
        a hand edit) are skipped and reported once: their episodes count as not done."""
        records: dict[str, Record] = {}
        self.damaged = []
        if not self.path.exists():
            return records
        skipped = []
        for number, raw in enumerate(read_bytes(self.path, MAX_ARCHIVE_BYTES).split(b"\n"), start=1):
            if not raw.strip():
                continue
            try:
                record = Record.from_dict(json.loads(raw.decode("utf-8")))
            except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
                self.damaged.append(raw)
                skipped.append(number)
                continue
            records[record.key] = record
        self._report(skipped)
        return records

    def _report(self, skipped: list[int]) -> None:
        seen = (str(self.path.resolve()), tuple(skipped))
        if not skipped or seen in _reported:
            return
        _reported.add(seen)
        shown = ", ".join(map(str, skipped[:5])) + (", ..." if len(skipped) > 5 else "")
        log.warning("%s: skipped %d damaged line(s) (line %s); their episodes count as not done",
                    self.path, len(skipped), shown)

    def compact(self, records: dict[str, Record]) -> None:
        """Rewrite the file as one line per episode, so retries do not make it grow forever. The
        damaged lines the last load skipped go to recap-archive.damaged first: nothing is lost."""
        if not self.path.exists():
            return
        if self.damaged:
            with (self.out_dir / DAMAGED_NAME).open("ab") as handle:
                handle.write(b"".join(raw + b"\n" for raw in self.damaged))
                handle.flush()
                os.fsync(handle.fileno())
            self.damaged = []
        write_atomic(self.path, "".join(_line(record) for record in records.values()))

    def append(self, record: Record) -> None:
        with self.path.open("a+b") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell() and not _ends_with_newline(handle):
                handle.write(b"\n")  # fence off a line torn by an earlier crash
            handle.write(_line(record).encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())

    def is_done(self, record: Record | None) -> bool:
        """Archived as done and its files still there (a deleted folder is made again)."""
        if record is None or record.status != "done" or not record.folder:
            return False
        folder = self.out_dir / record.folder
        return all((folder / name).is_file() for name in record.files or ["episode.json"])


def _plain_name(name: object) -> bool:
    """A file or folder name inside one folder: no separators, not "." or ".."."""
    return (isinstance(name, str) and bool(name) and name not in (".", "..")
            and "/" not in name and "\\" not in name and "\0" not in name)


def _line(record: Record) -> str:
    return json.dumps(record.to_dict(), ensure_ascii=False) + "\n"


def _ends_with_newline(handle) -> bool:
    handle.seek(-1, os.SEEK_END)
    last = handle.read(1)
    handle.seek(0, os.SEEK_END)
    return last == b"\n"
