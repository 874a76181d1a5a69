"""`recap channel --workers N | --cluster ADDRESS`: a channel's episodes on Dask distributed workers.

One episode, one task (``episode_job``): download, transcribe, segment and render into a private
folder on the worker, and hand the finished files back with the record. Workers need no shared
disk, and never write under OUTDIR: the driver (``recap.app.channel.run_channel``) alone installs
each folder (staged, then renamed into place), appends the archive and rebuilds the index.

Each worker process loads the model once and keeps it (``shared_transcriber``) and runs one
episode at a time. A worker that dies mid-episode (killed, out of memory) has its episode
retried by Dask on another worker, up to ``RETRIES`` times; then the episode is recorded as
failed with that reason. When any worker declares a ``GPU`` resource (``dask worker
--resources GPU=1``), episodes ask for one, so transcription runs where the GPU is.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from recap.app.archive import Record
from recap.app.channel import ChannelProgress
from recap.app.entries import Entry
from recap.app.episodes import (
    STAGING,
    ChannelOptions,
    build_episode,
    download_entry,
    ended,
    episode_folder,
    install_episode,
    outcome,
    shared_transcriber,
)
from recap.core.errors import RecapError
from recap.core.files import write_atomic
from recap.core.options import default_cache_dir

log = logging.getLogger(__name__)

WAIT_FOR_WORKERS_S = 60.0  # for a running scheduler's first worker
CONNECT_S = 10.0  # for a running scheduler to answer
RETRIES = 2  # further tries of an episode whose worker died, on other workers
STAGE_TOPIC = "recap-stage"  # the workers' stage events, for the driver's progress
GPU = "GPU"  # the Dask worker resource that says a worker has a GPU for transcription
DASK_LOGGERS = ("distributed", "tornado", "asyncio", "bokeh")  # Dask's, its event loop's, its dashboard's
SILENT = logging.CRITICAL + 1  # a logger at this level makes no record at all
_one_episode_at_a_time = threading.Lock()  # per worker process: one model, one transcription


@dataclass(frozen=True)
class ClusterSpec:
    """Where the episodes run: a local cluster of ``workers`` processes, or a running scheduler."""

    workers: int | None = None
    address: str | None = None  # tcp://HOST:8786
    # Each worker caches in its own machine's default cache folder (no --cache-dir was given: the
    # driver's default path may not exist, or be writable, on another machine).
    own_caches: bool = False


@dataclass
class Finished:
    """What a worker hands back: the record and, when done, the folder's files by name."""

    record: Record
    files: dict[str, bytes] = field(default_factory=dict)


# -- on the worker ----------------------------------------------------------------------
def episode_job(entry: Entry, options: ChannelOptions, own_cache: bool = False) -> Finished:
    """The whole job for one episode, as a function of its inputs; runs on a Dask worker.

    Writes only a private temporary folder (removed before it returns) and the worker's cache
    (``--cache-dir`` as a path on the worker's machine, or with ``own_cache`` this machine's
    default). Errors become the record."""
    if own_cache:
        options = replace(options, run=replace(options.run, cache_dir=default_cache_dir()))
    with _one_episode_at_a_time:
        work = Path(tempfile.mkdtemp(prefix="recap-episode-"))
        try:
            files: dict[str, bytes] = {}

            def build() -> Record:
                fetched = download_entry(entry, options)
                staging = work / episode_folder(fetched.episode, entry.key)
                record = build_episode(fetched, options, staging, _StageEvents(entry.key))
                files.update(_read_folder(staging))
                return record

            return Finished(outcome(entry, build), files)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _read_folder(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


class _StageEvents:
    """An episode's stages, sent to the driver as Dask events (progress only: losing one is harmless)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def stage(self, name: str) -> None:
        from distributed import get_worker

        get_worker().log_event(STAGE_TOPIC, {"key": self.key, "stage": name, "pid": os.getpid()})

    def progress(self, done: float, total: float) -> None:
        pass


def models_loaded() -> int:
    """How many transcribers (each loads its model once) this worker process has made."""
    return shared_transcriber.cache_info().misses


def dask_setup(worker) -> None:
    """Run by Dask in each worker process of a local cluster as it starts (a worker preload).

    Python gives a process it spawned "spawn" as its own default start method, under which every
    multiprocessing lock made there (tqdm makes one when transcription starts) is a named
    semaphore registered with the driver's resource tracker. A worker that dies (killed, out of
    memory, or stopped by its nanny after a slow close) cannot unlink its locks, and the tracker
    reports them on the user's terminal when the run ends. A worker starts no processes: its
    locks need no names, and under "fork" they are unlinked as they are made."""
    if "fork" in multiprocessing.get_all_start_methods():
        multiprocessing.set_start_method("fork", force=True)


# -- on the driver ----------------------------------------------------------------------
def on_cluster(spec: ClusterSpec, options: ChannelOptions,
               on_stage: Callable[[dict], None] | None = None,
               before_close: Callable[[object], None] | None = None):
    """A runner for ``recap.app.channel.run_channel`` that maps the episodes over ``spec``'s workers.

    ``on_stage`` gets each stage event ({"key", "stage", "pid"}); ``before_close`` the client,
    once every episode is in (a bench asks the workers how many models they loaded)."""
    def runner(todo: list[Entry], out_dir: Path, progress: ChannelProgress) -> Generator[Record, None, None]:
        with connect(spec) as client:
            yield from _run(client, todo, options, spec.own_caches, out_dir, progress, on_stage)
            if log.isEnabledFor(logging.INFO):
                _log_model_loads(client)
            if before_close:
                before_close(client)
    return runner


def _log_model_loads(client) -> None:
    """How many models each worker loaded (-v; bench/channel.py reads it). Every episode is in by
    now: a worker that died meanwhile leaves the count unknown and never fails the run."""
    try:
        loads = client.run(models_loaded)
    except OSError as exc:  # distributed's CommClosedError among them
        log.info("model loads per worker: unknown (%s)", exc)
        return
    log.info("model loads per worker: %s", sorted(loads.values()))


@contextmanager
def connect(spec: ClusterSpec):
    """A Dask client: on a local cluster of worker processes it starts, or on a running scheduler."""
    try:
        import dask
        from distributed import Client
    except ImportError:
        raise RecapError("running on workers needs Dask: pip install 'recap-news[cluster]'") from None
    level = logging.WARNING if log.isEnabledFor(logging.INFO) else SILENT  # -v: their warnings
    _set_dask_log_levels(level)
    with dask.config.set({"distributed.scheduler.allowed-failures": RETRIES}):
        if spec.address:
            client = _client_of(Client, spec.address)
            with client:
                _wait_for_a_worker(client, spec.address)
                yield client
            return
        with _local_cluster(spec.workers, level) as client:
            yield client


@contextmanager
def _local_cluster(workers: int | None, log_level: int):
    """A client of a local cluster of ``workers`` processes, whose Dask loggers log at ``log_level``."""
    import dask
    from distributed import Client, LocalCluster

    # A worker process applies Dask's "logging" config as it imports distributed, before any of
    # recap's code runs there: set as DASK_LOGGING in the environment it starts with, it is read then
    worker_logging = repr(_dask_logging_config(log_level))
    preloads = [*dask.config.get("distributed.worker.preload"), __name__]  # each worker runs dask_setup
    # one thread a worker: a worker is one model transcribing one episode. No dashboard, and the
    # scheduler's own HTTP server on a free port: on Dask's default one (8787), a second run at
    # the same time would warn the user that it is taken. silence_logs=False: Dask's loggers log
    # as set here (it would otherwise re-level its own handlers)
    with _environment(DASK_LOGGING=worker_logging), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                         scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}, silence_logs=False,
                         preload=preloads) as cluster, \
            Client(cluster) as client:
        yield client


def _set_dask_log_levels(level: int) -> None:
    """``level`` for Dask's loggers in this process. Dask gives some of their children levels
    of their own (distributed.client, tornado.application), which outrank their parent's: here
    they follow it."""
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger) and name.split(".")[0] in DASK_LOGGERS:
            logger.setLevel(logging.NOTSET)
    for name in DASK_LOGGERS:
        logging.getLogger(name).setLevel(level)


def _dask_logging_config(level: int) -> dict:
    """Dask's loggers in a worker process (logging.config.dictConfig's schema, which distributed
    applies on import): each at ``level``, to stderr in Dask's format. Their children that
    exist then follow them (dictConfig resets them)."""
    import dask

    stderr = {"class": "logging.StreamHandler", "formatter": "dask", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"dask": {"format": dask.config.get("distributed.admin.log-format")}},
        "handlers": {"stderr": stderr},
        "loggers": {name: {"level": level, "handlers": ["stderr"], "propagate": False}
                    for name in DASK_LOGGERS},
    }


@contextmanager
def _environment(**variables: str) -> Iterator[None]:
    """``variables`` in this process's environment while the block runs, for the processes it
    starts meanwhile (the workers, and any that replace a dead one); then as they were."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _client_of(client_class, address: str):
    """A client of the scheduler at ``address``, or one line saying why not. Dask's own timeout
    does not cover its handshake: a port that accepts TCP and answers nothing (no scheduler there)
    would be waited on for ever, so the connection is made on a thread given CONNECT_S."""
    made: dict = {}

    def make() -> None:
        try:
            made["client"] = client_class(address, timeout=f"{CONNECT_S:g}s")
        except Exception as exc:  # reported below, in the caller's thread
            made["error"] = exc

    thread = threading.Thread(target=make, name="recap-dask-connect", daemon=True)
    thread.start()
    thread.join(CONNECT_S + 5)
    if "client" in made:
        return made["client"]
    error = made.get("error")
    if error is None:
        why = f"nothing answered in {CONNECT_S + 5:g} s: is a Dask scheduler listening there?"
    else:
        why = str(error).splitlines()[0] if str(error) else type(error).__name__
    raise RecapError(f"cannot reach the Dask scheduler at {address}: {why}")


def _wait_for_a_worker(client, address: str) -> None:
    """Episodes sent to a scheduler without workers would wait for ever: say so instead."""
    try:
        client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS_S)
    except TimeoutError:
        raise RecapError(f"the Dask scheduler at {address} has no workers (waited {WAIT_FOR_WORKERS_S:g} s); "
                         f"start some with: dask worker {address} --nthreads 1") from None


def _run(client, todo: list[Entry], options: ChannelOptions, own_caches: bool, out_dir: Path,
         progress: ChannelProgress, on_stage: Callable[[dict], None] | None) -> Iterator[Record]:
    from distributed import as_completed

    entries = {entry.key: entry for entry in todo}

    def stage_event(event) -> None:
        _, message = event
        if message.get("stage") == "transcribe" and message.get("key") in entries:
            progress.episode(entries[message["key"]])
        if on_stage:
            on_stage(message)

    client.subscribe_topic(STAGE_TOPIC, stage_event)
    resources = {GPU: 1} if _has_gpu_workers(client) else None
    futures = {client.submit(episode_job, entry, options, own_caches, pure=False, resources=resources): entry
               for entry in todo}
    for future in as_completed(futures):
        entry = futures[future]
        yield _installed(_result(future, entry), out_dir)
        future.release()


def _has_gpu_workers(client) -> bool:
    workers = client.scheduler_info(n_workers=-1).get("workers", {}).values()
    return any(worker.get("resources", {}).get(GPU, 0) >= 1 for worker in workers)


def _result(future, entry: Entry) -> Finished:
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker:
        reason = (f"its worker died {RETRIES + 1} times while working on it (killed, or out of memory); "
                  "the next run tries it again")
    except Exception as exc:  # the job turns its own errors into records: this is Dask's
        reason = f"the cluster could not run it: {type(exc).__name__}: {exc}"
    return Finished(ended(entry, "failed", reason))


def _installed(finished: Finished, out_dir: Path) -> Record:
    """Write a finished episode's files into OUTDIR's staging folder and rename it into place."""
    record = finished.record
    if record.status != "done":
        return record
    try:
        record.check()  # plain names: nothing a worker says leads outside OUTDIR
        if sorted(finished.files) != sorted(record.files):
            raise ValueError("other files than its record lists")
    except ValueError as exc:
        return ended(record, "failed", f"the worker handed back a broken result ({exc})")
    staging = out_dir / STAGING / record.folder
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for name, data in finished.files.items():
            write_atomic(staging / name, data)
        install_episode(staging, out_dir, record)
    except OSError as exc:  # as in one process: this episode fails, the run goes on
        return ended(record, "failed", f"cannot write the episode: {exc.strerror or exc}")
    return record

