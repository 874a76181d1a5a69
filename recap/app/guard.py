"""Never overwrite an editor's work: remember a hash of every file `recap clean` wrote, and refuse
to write over one that changed since."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from recap.core.errors import EditedSinceWritten
from recap.core.files import write_atomic, write_json

MANIFEST = ".recap-clean.json"  # {file name: sha256 of what recap wrote, or a list of them during a switch}


def digest(content: str | bytes) -> str:
    return hashlib.sha256(content.encode("utf-8") if isinstance(content, str) else content).hexdigest()


class WriteGuard:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / MANIFEST
        self.written = self._load()

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {name: [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]
                for name, value in data.items() if isinstance(value, (str, list))}

    def changed_since_written(self, name: str) -> bool:
        """True when the file exists and is not what recap last wrote there (or recap never did)."""
        path = self.folder / name
        if not path.exists():
            return False
        return not path.is_file() or digest(path.read_bytes()) not in self.written.get(name, [])

    def check(self, names: list[str]) -> None:
        edited = [name for name in names if self.changed_since_written(name)]
        if edited:
            raise EditedSinceWritten(f"{self.folder / edited[0]} was edited since recap wrote it; "
                                     "not overwriting")

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.folder / name
        write_atomic(path, content)
        self.remember({name: content})
        return path

    def expect(self, outputs: dict[str, str | bytes]) -> None:
        """Before a switch moves ``outputs`` in: each file may be the old or the new content, so a
        run killed halfway leaves nothing that looks edited."""
        for name, content in outputs.items():
            self.written[name] = [*self.written.get(name, [])[-1:], digest(content)]
        write_json(self.path, self.written)

    def remember(self, outputs: dict[str, str | bytes]) -> None:
        """``outputs`` are in place: only their content counts as recap's."""
        self.written.update({name: [digest(content)] for name, content in outputs.items()})
        write_json(self.path, self.written)
