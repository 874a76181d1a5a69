"""Transcripts cached on disk, keyed by the media's content and the options that shape them.

An entry is the transcript with a seal: the key it was written under, the media's duration, and a
sha256 of the transcript itself. An entry that does not read back whole (cut off, emptied, edited,
shortened, copied under another key, a folder in its place, written by an older recap) is dropped
with a warning and the media is transcribed again: a cache never decides what an article says.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path

from recap.core.document import Transcript
from recap.core.errors import RecapError
from recap.core.files import read_bytes, write_json

log = logging.getLogger(__name__)

FORMAT = 1  # the entry layout below; another value is an entry to rebuild
DURATION_SLACK_S = 1.0  # container durations are estimates; the same media reads back within this


class DamagedEntry(Exception):
    """Why a cache entry cannot be used."""


class TranscriptCache:
    def __init__(self, root: Path) -> None:
        self.root = root / "transcripts"

    @staticmethod
    def key(media_digest: str, fields: dict, guidance: str | None = None) -> str:
        """``guidance``: the names the transcriber was told to expect (they change the words);
        without it the key is what it was before guidance existed, so those entries still count."""
        options = json.dumps(fields, sort_keys=True)
        if guidance:
            options += "\n" + json.dumps({"guidance": guidance})
        return hashlib.sha256(f"{media_digest}\n{options}".encode()).hexdigest()[:32]

    def path(self, key: str) -> Path:
        """Where the entry of ``key`` lives."""
        return self.root / f"{key}.json"

    def get(self, key: str, media_duration: float | None = None) -> Transcript | None:
        """The entry of ``key`` if it is there and sound; ``media_duration`` is the media's duration
        now (None when the container does not say), checked against the one sealed in."""
        path = self.path(key)
        if not path.exists() and not path.is_symlink():
            return None
        try:
            return _unseal(path, key, media_duration)
        except DamagedEntry as exc:
            log.warning("cached transcript %s is damaged (%s); transcribing again", path.name, exc)
            _remove(path)
            return None

    def put(self, key: str, transcript: Transcript, media_duration: float | None = None) -> None:
        entry = {"format": FORMAT, "key": key, "media_duration": media_duration,
                 "transcript": transcript.to_dict()}
        entry["sha256"] = _seal(entry)
        try:
            if self.path(key).is_dir():
                _remove(self.path(key))
            write_json(self.path(key), entry)
        except OSError as exc:  # a full or read-only cache must not lose the user's result
            log.warning("could not cache the transcript (%s)", exc.strerror or exc)


def _unseal(path: Path, key: str, media_duration: float | None) -> Transcript:
    try:
        entry = json.loads(read_bytes(path))
    except RecapError as exc:  # a folder, a pipe, unreadable, too large
        raise DamagedEntry(str(exc).replace(str(path), "it")) from exc
    except (ValueError, RecursionError) as exc:
        raise DamagedEntry("not JSON") from exc
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        raise DamagedEntry("not a recap cache entry, or one from an older recap")
    if entry.get("key") != key:
        raise DamagedEntry("written for other media or options")
    try:
        sealed_as = _seal(entry)
    except (ValueError, TypeError, RecursionError) as exc:
        raise DamagedEntry("not a recap cache entry") from exc
    if entry.get("sha256") != sealed_as:
        raise DamagedEntry("changed since it was written")
    sealed = entry.get("media_duration")
    if (sealed is None) != (media_duration is None) or (
            media_duration is not None and not _close(sealed, media_duration)):
        raise DamagedEntry(f"made for media of {sealed} s, this media is {media_duration} s")
    try:
        return Transcript.from_dict(entry["transcript"], "transcript")
    except ValueError as exc:  # SchemaError names the field
        raise DamagedEntry(str(exc)) from exc


def _seal(entry: dict) -> str:
    """sha256 of what the entry says (key, media duration, transcript) as canonical JSON; floats
    round-trip exactly through JSON, so an entry read back seals the same."""
    sealed = {name: entry.get(name) for name in ("format", "key", "media_duration", "transcript")}
    text = json.dumps(sealed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _close(sealed: object, now: float) -> bool:
    return isinstance(sealed, (int, float)) and abs(sealed - now) <= DURATION_SLACK_S


def _remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not remove the damaged cache entry %s (%s)", path, exc.strerror or exc)
