"""Transcripts cached on disk, keyed by the media's content and the options that shape them."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from recap.document import Transcript
from recap.files import write_json

log = logging.getLogger(__name__)


class TranscriptCache:
    def __init__(self, root: Path) -> None:
        self.root = root / "transcripts"

    @staticmethod
    def key(media_digest: str, fields: dict) -> str:
        options = json.dumps(fields, sort_keys=True)
        return hashlib.sha256(f"{media_digest}\n{options}".encode()).hexdigest()[:32]

    def path(self, key: str) -> Path:
        """Where the entry of ``key`` lives."""
        return self.root / f"{key}.json"

    def get(self, key: str) -> Transcript | None:
        path = self.path(key)
        if not path.exists():
            return None
        try:
            return Transcript.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("cached transcript %s is damaged; transcribing again", path.name)
            path.unlink(missing_ok=True)
            return None

    def put(self, key: str, transcript: Transcript) -> None:
        try:
            write_json(self.path(key), transcript.to_dict())
        except OSError as exc:  # a full or read-only cache must not lose the user's result
            log.warning("could not cache the transcript (%s)", exc.strerror or exc)
