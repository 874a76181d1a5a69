"""What a channel run has finished or failed, kept in OUTDIR so the next run skips it.

Like yt-dlp's download archive, entries are keyed by extractor + id; unlike it, each line is
a JSON record that also says where the article went and, for failures, why. The file is
append-only during a run (one fsynced line per episode, written only after the episode's
folder is in place), so a run killed at any moment leaves at worst a torn last line, which
the next run ignores.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from recap.files import write_atomic

ARCHIVE_NAME = "recap-archive.jsonl"


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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)


class Archive:
    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = out_dir / ARCHIVE_NAME

    def load(self) -> dict[str, Record]:
        """The latest record of each episode; damaged lines (a torn last write) are skipped."""
        records: dict[str, Record] = {}
        if not self.path.exists():
            return records
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                record = Record.from_dict(json.loads(line))
            except (ValueError, TypeError):
                continue
            records[record.key] = record
        return records

    def compact(self, records: dict[str, Record]) -> None:
        """Rewrite the file as one line per episode, so retries do not make it grow forever."""
        if self.path.exists():
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


def _line(record: Record) -> str:
    return json.dumps(record.to_dict(), ensure_ascii=False) + "\n"


def _ends_with_newline(handle) -> bool:
    handle.seek(-1, os.SEEK_END)
    last = handle.read(1)
    handle.seek(0, os.SEEK_END)
    return last == b"\n"
