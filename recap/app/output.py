"""Where a run's files go: one set for each output folder, staged and switched in together under
the folder's lock (recap.core.files.Staging and hold_folder), or written straight into a folder
that is the run's own."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from recap.app.guard import WriteGuard
from recap.core.errors import RecapError
from recap.core.files import (
    CLEAN_STAGING_NAME,
    Staging,
    hold_folder,
    write_atomic,
)

log = logging.getLogger(__name__)


class OutputSet:
    """The files one run writes into its output folder: staged, then switched in together (or
    written straight in, where the folder is the run's own: see ``Outputs.output``)."""

    def __init__(self, out_dir: Path, staging: Staging | None) -> None:
        self.out_dir = out_dir
        self.staging = staging
        self.article: set[str] = set()  # the render stage's files: never switched in without the rest

    def save(self, outputs: list[tuple[str, str | bytes]], article: bool = False) -> list[Path]:
        if self.staging is None:
            return save(self.out_dir, outputs)
        if article:
            self.article.update(name for name, _ in outputs)
        try:
            return [self.staging.write(name, content) for name, content in outputs]
        except OSError as exc:
            raise RecapError(f"cannot write to {self.out_dir}: {exc.strerror or exc}") from exc

    def switch(self) -> None:
        try:
            self.staging.switch()
        except OSError as exc:
            raise RecapError(f"cannot write to {self.out_dir}: {exc.strerror or exc}") from exc

    def switch_after_failure(self) -> None:
        """What the finished stages made goes in, where it cannot mix with a previous run's files:
        into a folder that holds none of the set's files. Never raises: the run's own error counts."""
        staging = self.staging
        kept = [name for name in staging.written if name not in self.article]
        earlier = any(os.path.lexists(self.out_dir / name) for name in staging.names)
        try:
            if kept and not earlier:
                staging.switch(kept)
            else:
                staging.discard()
        except OSError as exc:
            log.debug("could not keep the finished stages' files: %s", exc)


class Outputs:
    """The output folders one pipeline holds and writes: each folder's lock, held once however many
    stages ask, and its set of files, shared by the nested calls for the same folder."""

    def __init__(self, own_folder: bool, set_names: Callable[[], list[str]]) -> None:
        self.own_folder = own_folder
        self.set_names = set_names  # the files of an article's set, for a staging folder to know
        self._held: set[Path] = set()  # output folders this pipeline holds the lock of
        self._open: dict[Path, OutputSet] = {}  # output folders a run is writing now

    @contextmanager
    def holding(self, folder: Path | None) -> Iterator[None]:
        """The folder's lock (recap.core.files.hold_folder) for as long as this runs; a folder this
        pipeline holds already, None, or a folder of its own: nothing to do."""
        key = folder.resolve() if folder is not None and not self.own_folder else None
        if key is None or key in self._held:
            yield
            return
        with hold_folder(folder):
            self._held.add(key)
            try:
                yield
            finally:
                self._held.discard(key)

    @contextmanager
    def output(self, out_dir: Path) -> Iterator[OutputSet]:
        """Where one run's files go: the article's set (episode.json, transcript.json, stories.json,
        article.*) is written into ``out_dir``/.recap-staging/ and switched in as one unit when the
        run ends, under the folder's lock, after finishing or removing what a killed run left there
        (recap.core.files.Staging). A run that fails switches in what its finished stages made (never
        part of an article), unless the folder holds any of the set's files: a previous run's set
        then stays whole (the transcript is in the cache, so a run again does not transcribe).
        Nested calls for the same folder share the outer one's set."""
        key = out_dir.resolve()
        if key in self._open:
            yield self._open[key]
            return
        with self.holding(out_dir):
            output = OutputSet(out_dir, None if self.own_folder else Staging(out_dir, self.set_names()))
            if output.staging is not None:
                try:
                    output.staging.recover()
                except OSError as exc:
                    raise RecapError(f"cannot write to {out_dir}: {exc.strerror or exc}") from exc
            self._open[key] = output
            try:
                yield output
            except BaseException:
                if output.staging is not None:
                    output.switch_after_failure()
                raise
            finally:
                self._open.pop(key, None)
            if output.staging is not None:
                output.switch()


def switch_in(out_dir: Path, outputs: dict[str, str | bytes], guard: WriteGuard,
               names: list[str]) -> list[Path]:
    """`recap clean`'s files as one set, as an article's are (recap.core.files.Staging): staged, then
    switched in together; a failure before the switch leaves the folder as it was."""
    staging = Staging(out_dir, names, CLEAN_STAGING_NAME)
    staging.recover()
    try:
        for name, content in outputs.items():
            staging.write(name, content)
    except BaseException:
        staging.discard()
        raise
    guard.expect(outputs)
    paths = staging.switch()
    guard.remember(outputs)
    return paths


def save(out_dir: Path, outputs: list[tuple[str, str | bytes]]) -> list[Path]:
    """Each (file name, content) written atomically into ``out_dir``."""
    paths = []
    try:
        for name, content in outputs:
            write_atomic(out_dir / name, content)
            paths.append(out_dir / name)
    except OSError as exc:
        raise RecapError(f"cannot write to {out_dir}: {exc.strerror or exc}") from exc
    return paths
