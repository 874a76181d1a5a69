"""One episode of a channel: downloaded (ahead of the transcriber, several at a time), built into a
staging folder of its own, and installed whole; recap.app.channel drives them, in this process or
on Dask workers (recap.app.cluster)."""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import shutil
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from recap.app.archive import Record
from recap.app.entries import Entry, Selection, probe_date
from recap.app.pipeline import Reporter
from recap.core.document import Episode
from recap.core.errors import RecapError
from recap.core.files import LOCK_NAME as LOCK_NAME  # the lock file hold_out_dir holds
from recap.core.files import safe_filename
from recap.core.options import RunOptions
from recap.stages.fetch import FetchOptions, download

if TYPE_CHECKING:
    from recap.stages.transcribe import TranscribeOptions

log = logging.getLogger(__name__)

STAGING = ".recap-partial"


@dataclass
class ChannelOptions:
    run: RunOptions = field(default_factory=RunOptions)  # run.out_dir is ignored: see out_dir
    transcribe: TranscribeOptions | None = None  # None: the defaults
    out_dir: Path | None = None  # None: a folder named after the channel, here
    selection: Selection = field(default_factory=Selection)
    jobs: int = 1  # parallel downloads ahead of the transcriber
    force: bool = False  # redo episodes the archive lists as done

    @property
    def fetch(self) -> FetchOptions:
        return self.run.fetch_options()


class SkipEpisode(Exception):
    """Not an error: the episode turned out to be outside what the user asked for."""


# -- one episode's job ------------------------------------------------------------------
@dataclass
class Fetched:
    entry: Entry
    episode: Episode
    media: Path


@functools.lru_cache(maxsize=1)
def shared_transcriber(options: TranscribeOptions | None = None, cache_dir: Path | None = None):
    """One loaded model per process and options: every episode of a run shares it."""
    from recap.stages.transcribe import WhisperTranscriber

    return WhisperTranscriber(options, cache_dir)


def warm_up(options: ChannelOptions) -> threading.Thread:
    """Load the model and the segmenter's language data on a thread, while the channel is listed
    and the first episode downloads; join it before the first transcription."""
    thread = threading.Thread(target=_load_models, args=(options,), name="recap-warm-up", daemon=True)
    thread.start()
    return thread


def _load_models(options: ChannelOptions) -> None:
    from recap.core.document import Segment, TimedText, Transcript
    from recap.stages.segment import segment

    try:
        shared_transcriber(options.transcribe, options.run.cache_dir).load()
        spoken = Transcript(segments=[Segment(0.0, 4.0, "Welcome to the show. Next up, a new open model.")])
        segment(TimedText.from_transcript(spoken))
    except Exception:  # the episode that needs them reports the problem properly
        log.debug("warm-up failed", exc_info=True)


def episode_folder(episode: Episode, key: str) -> str:
    """Date and title for people, a hash of the archive key so that two episodes never share one."""
    readable = safe_filename(f"{episode.upload_date or ''} {episode.title}", max_length=72)
    return f"{readable}-{key_tag(key)}"


def key_tag(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]


def download_entry(entry: Entry, options: ChannelOptions) -> Fetched:
    """The entry's media on disk (yt-dlp resumes a .part file a killed run left)."""
    if options.selection.has_dates and entry.date is None:
        entry = probe_date(entry, options.fetch)
        if not options.selection.in_dates(entry.date):
            raise SkipEpisode(f"published {entry.date}, outside --since/--until")
    log.info("downloading %s", entry.title)
    try:
        episode, media = download(entry.fetch_url, replace(options.fetch, public_only=entry.public_only))
    except RecapError as exc:  # name the URL the user knows, not the one with a smuggled id
        exc.args = (str(exc).replace(entry.fetch_url, entry.url),)  # the same error, its type kept
        raise
    return Fetched(entry=entry, episode=_with_listing(episode, entry), media=media)


def _with_listing(episode: Episode, entry: Entry) -> Episode:
    """The downloaded episode, with what the channel's listing knows better or the download lacks."""
    from yt_dlp.utils import unsmuggle_url

    def pick(listed, fetched):
        return (listed or fetched) if entry.transparent else (fetched or listed)

    return replace(
        episode,
        url=unsmuggle_url(episode.url)[0] if episode.url else entry.url,
        media_url=unsmuggle_url(episode.media_url)[0] if episode.media_url else None,
        title=pick(entry.title, episode.title),
        upload_date=pick(entry.date, episode.upload_date),
        description=pick(entry.description, episode.description),
        duration=pick(entry.duration, episode.duration),
    )


def finish_entry(fetched: Fetched, options: ChannelOptions, out_dir: Path,
                 reporter: Reporter | None = None) -> Record:
    """Transcribe, segment and render a downloaded episode into its folder, moved into place whole."""
    name = episode_folder(fetched.episode, fetched.entry.key)
    staging = out_dir / STAGING / name
    record = build_episode(fetched, options, staging, reporter)
    install_episode(staging, out_dir, record)
    return record


def build_episode(fetched: Fetched, options: ChannelOptions, staging: Path,
                  reporter: Reporter | None = None) -> Record:
    """The episode's whole folder written into ``staging`` (and nothing else), and its record;
    the downloaded media is dropped from the cache once the transcript is cached."""
    from recap.app.pipeline import Pipeline

    shutil.rmtree(staging, ignore_errors=True)
    pipeline = Pipeline(replace(options.run, out_dir=staging),
                        transcriber=shared_transcriber(options.transcribe, options.run.cache_dir),
                        reporter=reporter,
                        own_folder=True)  # the folder goes into place whole: no lock, no staging
    result = pipeline.process(fetched.episode, fetched.media)
    _drop_download(fetched.media, options.run.cache_dir)
    return _done_record(fetched, staging.name, result)


def _done_record(fetched: Fetched, folder: str, result) -> Record:
    return Record(
        key=fetched.entry.key, status="done", title=fetched.episode.title,
        date=fetched.episode.upload_date, url=fetched.episode.url, folder=folder,
        files=[path.name for path in result.files],
        stories=sum(len(section.stories) for section in result.article.sections),
        duration=fetched.episode.duration, summary=result.article.intro,
    )


def install_episode(staging: Path, out_dir: Path, record: Record) -> None:
    """Put a finished episode's folder in place under OUTDIR (only the driver does this)."""
    _install(staging, out_dir, record.folder, key_tag(record.key))


def _install(staging: Path, out_dir: Path, name: str, tag: str) -> None:
    """Rename the finished folder into place, after removing this episode's earlier one (--force,
    a renamed episode, or a run killed between this rename and the archive line)."""
    for old in out_dir.glob(f"*-{tag}"):
        if old.is_dir():
            trash = staging.with_name(f"{old.name}.old")
            shutil.rmtree(trash, ignore_errors=True)
            os.rename(old, trash)
            shutil.rmtree(trash, ignore_errors=True)
    os.rename(staging, out_dir / name)


def _drop_download(media: Path, cache_dir: Path) -> None:
    """A channel's media would fill the disk; the transcript stays cached, so the download can go."""
    if media.resolve().is_relative_to((cache_dir / "media").resolve()):
        media.unlink(missing_ok=True)


def outcome(entry: Entry, job: Callable[..., Record], *args) -> Record:
    """Run one episode's job; whatever goes wrong becomes its record, never the whole run's end."""
    try:
        return job(*args)
    except SkipEpisode as exc:
        return ended(entry, "skipped", str(exc))
    except RecapError as exc:
        reason = str(exc)
    except OSError as exc:
        reason = f"cannot write the episode: {exc.strerror or exc}"
    except Exception as exc:  # one broken episode must not stop a channel of fifty
        log.debug("episode %s failed", entry.key, exc_info=True)
        reason = f"internal error: {type(exc).__name__}: {exc}"
    return ended(entry, "failed", reason)


def ended(episode: Entry | Record, status: str, reason: str) -> Record:
    """The record of an episode (as listed, or as a job reported it) that ended without an article."""
    return Record(key=episode.key, status=status, title=episode.title, date=episode.date, url=episode.url,
                  reason=reason)


# -- downloads ahead of the transcriber -------------------------------------------------
T = TypeVar("T")
R = TypeVar("R")


def prefetch(items: Iterable[T], fetch: Callable[[T], R], jobs: int) -> Iterator[tuple[T, Future[R]]]:
    """Yield (item, future) in order while the next ``jobs`` items are fetched on threads.

    A bounded window: at most ``jobs`` downloads at once and ``jobs`` waiting ahead, so a long
    channel never fills the disk. The threads are daemons: Ctrl-C does not wait for a download.
    """
    slots = threading.BoundedSemaphore(jobs)
    pending: deque[tuple[T, Future[R]]] = deque()
    source = iter(items)

    def start(item: T) -> None:
        future: Future[R] = Future()

        def work() -> None:
            with slots:
                try:
                    future.set_result(fetch(item))
                except Exception as exc:
                    future.set_exception(exc)

        threading.Thread(target=work, name="recap-download", daemon=True).start()
        pending.append((item, future))

    def top_up() -> None:
        while len(pending) < jobs + 1 and (item := next(source, None)) is not None:
            start(item)

    top_up()
    while pending:
        head = pending.popleft()
        top_up()
        yield head
