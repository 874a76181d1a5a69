"""Progress of a channel run: two bars on a terminal, plain lines when output is piped."""

from __future__ import annotations

import sys
from typing import TextIO

from recap.app.archive import Record
from recap.app.entries import Entry
from recap.app.progress import TerminalReporter


class ChannelBars:
    """An overall bar over episodes and, under it, the current episode's stage bar.

    Without a terminal the bars stay off and each finished episode is one line on ``stream``
    (none when ``stream`` is None: `--quiet`).
    """

    def __init__(self, stream: TextIO | None = sys.stderr, enabled: bool | None = None) -> None:
        self.stream = stream  # None: quiet, no line per episode either
        self.enabled = (stream is not None and stream.isatty()) if enabled is None else enabled
        self.stages = TerminalReporter(enabled=self.enabled)
        self._overall = None
        self._total = 0
        self._done = 0

    def begin(self, total: int) -> None:
        self._total = total
        if self.enabled and total:
            from tqdm import tqdm

            self._overall = tqdm(total=total, desc="episodes", unit="ep", file=self.stream,
                                 position=0, dynamic_ncols=True)

    def episode(self, entry: Entry) -> None:
        if self._overall is not None:
            self._overall.set_postfix_str(entry.title[:40])

    def stage(self, name: str) -> None:
        self.stages.stage(name)

    def progress(self, done: float, total: float) -> None:
        self.stages.progress(done, total)

    def finished(self, record: Record) -> None:
        self.stages.close()
        self._done += 1
        detail = f"{record.stories} stories" if record.status == "done" else record.reason
        self._line(f"recap: [{self._done}/{self._total}] {record.status}: {record.title} ({detail})")
        if self._overall is not None:
            self._overall.update(1)

    def close(self) -> None:
        self.stages.close()
        if self._overall is not None:
            self._overall.close()
            self._overall = None

    def _line(self, text: str) -> None:
        if self.stream is None:
            return
        if self._overall is not None:
            self._overall.write(text, file=self.stream)
        else:
            self.stream.write(text + "\n")
            self.stream.flush()
