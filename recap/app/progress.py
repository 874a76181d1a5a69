"""Progress on a terminal (tqdm bars) or as plain log lines when output is piped."""

from __future__ import annotations

import logging
import sys

log = logging.getLogger("recap")


class TerminalReporter:
    """A bar per stage that has a measure (transcription seconds); a line for the others."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bar = None
        self._name = ""

    def stage(self, name: str) -> None:
        self.close()
        self._name = name
        log.info("%s…", name)

    def progress(self, done: float, total: float) -> None:
        if not self.enabled or total <= 0:
            return
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=round(total), desc=self._name, unit="s", leave=False,
                             file=sys.stderr, bar_format="{desc}: {percentage:3.0f}%|{bar}| "
                             "{n:.0f}/{total:.0f} s audio [{elapsed}<{remaining}]")
        self._bar.update(round(done) - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
