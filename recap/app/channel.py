"""`recap channel`: every episode of a channel, playlist or feed as an article, with skip and resume.

``run_channel`` is the driver: the only process that installs episode folders, appends to the
archive and rebuilds the index. By default the episodes run in this process (``in_process``:
the next episodes download on threads while the one loaded model transcribes the current one);
recap.app.cluster runs them on Dask workers instead, each building its folder where it is given and
handing the files back.

Crash safety: an episode is written into OUTDIR/.recap-partial/ and renamed into place
whole; only then is it archived as done. A kill at any moment leaves finished episodes
archived, and at worst a staging folder the next run deletes and a .part download yt-dlp resumes.

One run at a time: a run holds an OS lock on OUTDIR/.recap-lock, so a second one (a cron job firing
while the last run still works) stops at once instead of doing the same episodes twice.
"""

from __future__ import annotations

import functools
import json
import logging
import shutil
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from recap.app.archive import Archive, Record
from recap.app.entries import Channel, Entry, list_channel
from recap.app.episodes import (
    STAGING,
    ChannelOptions,
    Fetched,
    download_entry,
    finish_entry,
    key_tag,
    outcome,
    prefetch,
    warm_up,
)
from recap.app.index import write_index
from recap.app.learning import LEARN_AFTER, LearnResult, episode_files, learn_profile, learned_already
from recap.app.pipeline import Reporter, SilentReporter
from recap.core.datafiles import read_toml
from recap.core.document import plain_text
from recap.core.errors import RecapError
from recap.core.files import LOCK_NAME as LOCK_NAME  # the lock file hold_out_dir holds
from recap.core.files import ensure_writable_dir, hold_folder, safe_filename, write_atomic
from recap.language.profile import DEFAULT, configured_profile

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

PROFILE_FILE = "profile.toml"  # in OUTDIR: the profile the channel's episodes use, remembered
# Seconds between index (and feed) rebuilds while episodes finish: a rebuild reads every archived
# episode, so rebuilding after each of 10,000 fast ones (many workers) would cost the square.
INDEX_EVERY = 10.0


# -- the whole channel ------------------------------------------------------------------
class ChannelProgress(Reporter, Protocol):
    """What the driver tells whoever shows progress; also the reporter of each episode's stages."""

    def begin(self, total: int) -> None: ...
    def episode(self, entry: Entry) -> None: ...
    def finished(self, record: Record) -> None: ...
    def close(self) -> None: ...


class LogProgress(SilentReporter):
    def begin(self, total: int) -> None:
        log.info("%d episode(s) to do", total)

    def episode(self, entry: Entry) -> None:
        log.info("episode: %s", entry.title)

    def finished(self, record: Record) -> None:
        log.info("%s: %s %s", record.status, record.title, record.reason)

    def close(self) -> None:
        pass


@dataclass
class ChannelPlan:
    channel: Channel
    out_dir: Path
    todo: list[Entry]
    records: list[Record]  # one per selected entry: "new", "retry" (failed before) or "done"


@dataclass
class ChannelReport:
    channel: Channel
    out_dir: Path
    records: list[Record]  # done, skipped or failed, in the channel's order
    learned: LearnResult | None = None  # the show's profile, when this run learned it

    def count(self, status: str) -> int:
        return sum(record.status == status for record in self.records)


def plan_channel(url: str, options: ChannelOptions) -> ChannelPlan:
    """List the channel and decide, without downloading, what this run would do."""
    channel = list_channel(url, options.fetch)
    # a title with nothing left to name a folder by ("~", "..") names it by its URL: two such
    # channels never share a folder (and list each other's episodes)
    named = safe_filename(channel.title, fallback=f"channel-{key_tag(url)}")
    out_dir = options.out_dir or (options.run.out_root or Path.cwd()) / named
    archive = Archive(out_dir)
    previous = archive.load()
    todo, placed = [], []
    chosen = options.selection.apply(channel.entries)
    for entry in chosen:
        before = previous.get(entry.key)
        if archive.is_done(before) and not options.force:
            placed.append((entry.position, replace(before, status="done", reason="done before")))
            continue
        todo.append(entry)
        status = "retry" if before and before.status == "failed" else "new"
        record = Record(key=entry.key, status=status, title=entry.title, date=entry.date, url=entry.url,
                        reason=before.reason if status == "retry" else "")
        placed.append((entry.position, record))
    for item in options.selection.reported(channel.skipped, chosen):  # what the listing cannot use, and why
        placed.append((item.position, Record(key=item.key, status="skipped", title=item.title, date=item.date,
                                             url=item.url, reason=item.reason)))
    records = [record for _, record in sorted(placed, key=lambda pair: pair[0])]
    return ChannelPlan(channel=channel, out_dir=out_dir, todo=todo, records=records)


# Runs a plan's episodes and yields each one's record once its folder is in place (or it failed):
# in this process (``in_process``) or on a cluster (recap.app.cluster).
Runner = Callable[[list[Entry], Path, "ChannelProgress"], Generator[Record, None, None]]


def channel_profile(options: ChannelOptions, out_dir: Path) -> ChannelOptions:
    """``options`` with the profile this channel folder's episodes use: --profile when given (checked
    now, before any download), else the one the folder remembers (OUTDIR/profile.toml), else the
    user's configured one."""
    from recap.language.profile import load_profile

    chosen = options.run.profile
    remembered = out_dir / PROFILE_FILE
    if chosen is None and remembered.is_file():
        chosen = str(remembered)
    if chosen is not None:
        load_profile(chosen)
    return replace(options, run=replace(options.run, profile=chosen))


_POINTER = "# The profile of this channel folder: `recap channel` uses it when no --profile is given.\n"


def _is_pointer(path: Path) -> bool:
    """OUTDIR/profile.toml is a pointer remember_profile wrote (not a person's, not a learned one)."""
    return path.is_file() and path.read_text(encoding="utf-8", errors="replace").startswith(_POINTER)


def remember_profile(out_dir: Path, chosen: str | None) -> None:
    """Write OUTDIR/profile.toml as a pointer to the profile chosen with --profile, so the next run
    uses it too; a profile.toml a person or `recap learn` wrote there is theirs, and stays."""
    remembered = out_dir / PROFILE_FILE
    if chosen is None or Path(chosen).resolve() == remembered.resolve():
        return
    if remembered.exists() and not _is_pointer(remembered):
        log.warning("%s is kept (not a pointer recap wrote); this run uses %s", remembered, chosen)
        return
    is_file = Path(chosen).suffix == ".toml" or len(Path(chosen).parts) > 1
    target = str(Path(chosen).expanduser().resolve()) if is_file else chosen
    write_atomic(remembered, _POINTER + f"extends = {json.dumps(target)}\n")


def learn_show(out_dir: Path, chosen: str | None) -> LearnResult | None:
    """Once LEARN_AFTER episodes are finished and the folder has learned nothing yet, learn the
    show from them into OUTDIR/profile.toml (over the profile the folder uses), so the episodes
    to come are cut by what this show's hosts say. A profile.toml a person wrote is left alone."""
    remembered = out_dir / PROFILE_FILE
    pointer = _is_pointer(remembered)
    if learned_already(remembered) or (remembered.exists() and not pointer):
        return None
    files = episode_files([out_dir])
    if len(files) < LEARN_AFTER:
        return None
    base = chosen if chosen and not pointer else None
    if pointer:
        base = read_toml(remembered).get("extends")
    try:
        return learn_profile(files, remembered, base or configured_profile() or DEFAULT, force=True)
    except RecapError as exc:  # the articles are written; learning can wait for the next run
        log.warning("could not learn the show's profile: %s", exc)
        return None


def run_channel(plan: ChannelPlan, options: ChannelOptions, progress: ChannelProgress | None = None,
                runner: Runner | None = None) -> ChannelReport:
    """Every planned episode, by ``runner`` (default: this process). This process alone archives,
    installs and writes the index.

    Raises RecapError at once, touching nothing and loading no model, while another run holds OUTDIR.
    """
    out_dir = ensure_writable_dir(plan.out_dir)  # its error comes before any about the lock
    with hold_out_dir(out_dir):
        _archive_write(remember_profile, out_dir, options.run.profile)
        runner = runner or functools.partial(in_process, options)
        return _run_locked(plan, options, out_dir, progress or LogProgress(), runner)


def in_process(options: ChannelOptions, todo: list[Entry], out_dir: Path,
               progress: ChannelProgress) -> Generator[Record, None, None]:
    """One model in this process transcribes while the next episodes download on threads; it loads
    as the first ones download, and only when there is something to transcribe."""
    if not todo:
        return
    warming = warm_up(options)

    def finish(download: Future[Fetched]) -> Record:
        warming.join()  # one model: never let the first episode load a second copy
        return finish_entry(download.result(), options, out_dir, progress)

    try:
        for entry, fetched in prefetch(todo, lambda e: download_entry(e, options), options.jobs):
            progress.episode(entry)
            yield outcome(entry, finish, fetched)
    finally:  # a process that exits while the native model loader runs on its thread aborts
        warming.join()


def _run_locked(plan: ChannelPlan, options: ChannelOptions, out_dir: Path,
                progress: ChannelProgress, runner: Runner) -> ChannelReport:
    shutil.rmtree(out_dir / STAGING, ignore_errors=True)  # what a killed run was writing
    archive = Archive(out_dir)
    archived = archive.load()
    _archive_write(archive.compact, archived)
    outcomes = {r.key: replace(r, status="skipped") for r in plan.records if r.status in ("done", "skipped")}
    meanwhile = _done_meanwhile(plan.todo, archive, archived) if not options.force else {}
    outcomes.update(meanwhile)
    todo = [entry for entry in plan.todo if entry.key not in meanwhile]

    def rebuild_index() -> None:
        _archive_write(lambda: write_index(out_dir, plan.channel.title, plan.channel.url, archived.values()))

    progress.begin(len(todo))
    rebuilt = None  # when the index was last rebuilt
    records = runner(todo, out_dir, progress)
    try:
        for record in records:
            if record.status != "skipped":
                _archive_write(archive.append, record)
                archived[record.key] = record
            outcomes[record.key] = record
            if rebuilt is None or time.monotonic() - rebuilt >= INDEX_EVERY:
                rebuild_index()
                rebuilt = time.monotonic()
            progress.finished(record)
        rebuild_index()  # whole at the end, also when there was nothing to do
    finally:
        records.close()  # on an error too: the runner lets go of its model thread or cluster
        progress.close()
        shutil.rmtree(out_dir / STAGING, ignore_errors=True)
    ordered = [outcomes[r.key] for r in plan.records if r.key in outcomes]
    learned = learn_show(out_dir, options.run.profile)
    return ChannelReport(channel=plan.channel, out_dir=out_dir, records=ordered, learned=learned)


def _done_meanwhile(todo: list[Entry], archive: Archive, archived: dict[str, Record]) -> dict[str, Record]:
    """Episodes another run finished between this run's plan and its lock: reported, not redone."""
    return {entry.key: replace(archived[entry.key], status="skipped", reason="done by another run")
            for entry in todo if archive.is_done(archived.get(entry.key))}


@contextmanager
def hold_out_dir(out_dir: Path) -> Iterator[None]:
    """Keep other recap runs (a channel's or a single episode's) out of ``out_dir`` until this one
    ends: an OS lock the kernel drops when a process dies (recap.core.files.hold_folder)."""
    with hold_folder(out_dir):
        yield


def _archive_write(write: Callable, *args) -> None:
    """Archive and index writes that fail end the run: without them the next run cannot skip."""
    try:
        write(*args)
    except OSError as exc:
        raise RecapError(f"cannot write to the output folder: {exc.strerror or exc}") from exc


def summary_table(records: Iterable[Record], width: int = 44) -> str:
    """One line per episode: status, date, title, and stories or the reason."""
    lines = []
    for record in records:  # titles and reasons came from the channel: no escape codes reach the terminal
        title = plain_text(record.title)
        title = title if len(title) <= width else title[: width - 1] + "…"
        if record.status == "done" and record.stories is not None and not record.reason:
            note = f"{record.stories} stories -> {record.folder}"
        else:
            note = plain_text(record.reason)
        lines.append(f"{record.status:<8} {record.date or '-':<10}  {title:<{width}}  {note}".rstrip())
    return "\n".join(lines)
