"""`recap channel` on a real local Dask cluster of two worker processes, over a loopback feed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import assert_one_line_error, run_recap
from test_channel import EP12, EP13, EP14, archived, assert_complete_article, episode_dirs, write_feed

from recap.app import cluster as cluster_module
from recap.app.archive import ARCHIVE_NAME
from recap.app.channel import plan_channel, run_channel
from recap.app.cluster import ClusterSpec, models_loaded, on_cluster
from recap.app.episodes import STAGING, ChannelOptions
from recap.core.errors import RecapError

pytestmark = pytest.mark.slow  # each test starts worker processes


def _content(out: Path) -> tuple[list[dict], str, str]:
    """What two runs must agree on: the archive's records (in any order) and the indexes."""
    records = sorted((r.to_dict() for r in archived(out)), key=lambda r: r["key"])
    return records, (out / "index.md").read_text(), (out / "index.html").read_text()


def test_two_workers_give_what_one_process_gives_and_a_rerun_skips_all(server, served_dir, shared_cache,
                                                                       tmp_path):
    feed = write_feed(served_dir, server, f"cluster-{tmp_path.name}.xml", [EP14, EP13, EP12])
    alone, spread = tmp_path / "alone", tmp_path / "spread"
    common = ("--cache-dir", str(shared_cache))

    first = run_recap("channel", feed, "-o", str(alone), *common)
    on_workers = run_recap("channel", feed, "-o", str(spread), "--workers", "2", *common)

    assert first.returncode == 0 and on_workers.returncode == 0, on_workers.stderr
    assert "INFO" not in on_workers.stderr and "Traceback" not in on_workers.stderr  # Dask's logs stay quiet
    assert _content(spread) == _content(alone)
    assert len(episode_dirs(spread)) == 3 and not (spread / STAGING).exists()
    for folder in episode_dirs(spread):
        assert_complete_article(folder)
    again = run_recap("channel", feed, "-o", str(spread), "--workers", "2", *common)
    assert again.returncode == 0 and "0 done, 3 skipped, 0 failed" in again.stdout
    assert (spread / ARCHIVE_NAME).read_text().count("\n") == 3


def test_a_worker_killed_mid_transcription_has_its_episode_done_elsewhere_and_models_load_once(
        server, served_dir, tmp_path):
    feed = write_feed(served_dir, server, f"kill-{tmp_path.name}.xml", [EP14, EP13, EP12])
    options = ChannelOptions(out_dir=tmp_path / "out")
    options.run = replace(options.run, cache_dir=tmp_path / "cache")  # cold: every episode transcribes
    killed: list[dict] = []
    loads: dict[str, int] = {}

    def kill_the_first_transcriber(event: dict) -> None:
        if event["stage"] == "transcribe" and not killed:
            killed.append(event)
            os.kill(event["pid"], signal.SIGKILL)

    plan = plan_channel(feed, options)
    report = run_channel(plan, options, runner=on_cluster(
        ClusterSpec(workers=2), options, on_stage=kill_the_first_transcriber,
        before_close=lambda client: loads.update(client.run(models_loaded))))

    assert killed, "no worker reached transcription"
    assert [r.status for r in report.records] == ["done", "done", "done"], [r.reason for r in report.records]
    lines = (options.out_dir / ARCHIVE_NAME).read_text().splitlines()
    assert len(lines) == 3 and sum(killed[0]["key"] in line for line in lines) == 1
    assert len(episode_dirs(options.out_dir)) == 3 and not (options.out_dir / STAGING).exists()
    for folder in episode_dirs(options.out_dir):
        assert_complete_article(folder)
    assert len(loads) == 2 and max(loads.values()) == 1  # the killed worker's replacement loads its own


def test_workers_that_cannot_load_the_model_fail_their_episodes_not_the_run(server, served_dir, tmp_path):
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "model.bin").write_bytes(b"not a model")
    feed = write_feed(served_dir, server, f"nomodel-{tmp_path.name}.xml", [EP14, EP13])
    result = run_recap("channel", feed, "-o", str(tmp_path / "out"), "--workers", "2", "--model", str(broken),
                       "--cache-dir", str(tmp_path / "cache"))

    assert result.returncode == 1 and "Traceback" not in result.stderr
    failed = [line for line in result.stdout.splitlines() if line.startswith("failed")]
    assert len(failed) == 2 and all(f"cannot load Whisper model from {broken}" in line for line in failed)
    assert "0 done, 0 skipped, 2 failed" in result.stdout


def test_a_scheduler_that_is_not_there_is_one_line(tmp_path, server, served_dir):
    feed = write_feed(served_dir, server, f"nosched-{tmp_path.name}.xml", [EP14])
    result = run_recap("channel", feed, "-o", str(tmp_path / "out"), "--cluster", "tcp://127.0.0.1:9",
                       timeout=120)
    line = assert_one_line_error(result)
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in line
    assert not (tmp_path / "out" / ARCHIVE_NAME).exists()


def test_workers_and_cluster_are_checked_before_anything_runs(tmp_path):
    for args in (["--workers", "0"], ["--cluster", "8786"], ["--workers", "2", "--cluster", "tcp://h:1"]):
        result = run_recap("channel", "http://127.0.0.1:9/feed.xml", "-o", str(tmp_path), *args)
        assert result.returncode == 2 and "Traceback" not in result.stderr


@pytest.fixture
def scheduler_and_workers(tmp_path, shared_cache):
    """A Dask scheduler and two workers started with Dask's own commands, as the README says: one
    declares a GPU (a label: none is needed for the scheduler to honour it), one does not. Their
    users' default cache folder is the tests' shared cache."""
    (tmp_path / "xdg").mkdir()
    (tmp_path / "xdg" / "recap").symlink_to(shared_cache)
    worker_env = {**os.environ, "HF_HUB_OFFLINE": "1", "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = [sys.executable, "-m", "dask"]
    started = [subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                 "--no-dashboard"], stderr=subprocess.DEVNULL)]
    for name, extra in (("gpu", ["--resources", "GPU=1"]), ("cpu", [])):
        started.append(subprocess.Popen([*dask, "worker", address, "--nthreads", "1", "--name", name,
                                         "--no-dashboard", "--local-directory", str(tmp_path / name), *extra],
                                        stderr=subprocess.DEVNULL, env=worker_env))
    try:
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            process.wait(timeout=30)


def test_a_scheduler_without_workers_is_one_error_not_a_wait_for_ever(server, served_dir, tmp_path,
                                                                     monkeypatch):
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port",
                                  str(port), "--no-dashboard"], stderr=subprocess.DEVNULL)
    monkeypatch.setattr(cluster_module, "WAIT_FOR_WORKERS_S", 3.0)
    feed = write_feed(served_dir, server, f"noworkers-{tmp_path.name}.xml", [EP14])
    options = ChannelOptions(out_dir=tmp_path / "out")
    try:
        plan = plan_channel(feed, options)
        with pytest.raises(RecapError, match=f"{address} has no workers .waited 3 s.; start some"):
            run_channel(plan, options, runner=on_cluster(ClusterSpec(address=address), options))
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=30)
    assert not (tmp_path / "out" / ARCHIVE_NAME).exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_on_a_running_scheduler_episodes_go_where_a_gpu_is_declared(scheduler_and_workers, server, served_dir,
                                                                    tmp_path):
    from distributed import Client

    with Client(scheduler_and_workers, timeout="60s") as client:
        client.wait_for_workers(2, timeout=60)
        pids = client.run(os.getpid)
        names = {address: info["name"] for address, info in client.scheduler_info()["workers"].items()}
    gpu_pid = next(pid for address, pid in pids.items() if names[address] == "gpu")
    feed = write_feed(served_dir, server, f"gpu-{tmp_path.name}.xml", [EP14, EP13])
    options = ChannelOptions(out_dir=tmp_path / "out")
    options.run = replace(options.run, cache_dir=tmp_path / "the-drivers-default-cache")
    workers_used: set[int] = set()

    report = run_channel(plan_channel(feed, options), options, runner=on_cluster(
        ClusterSpec(address=scheduler_and_workers, own_caches=True), options,
        on_stage=lambda event: workers_used.add(event["pid"])))

    assert [r.status for r in report.records] == ["done", "done"]
    assert workers_used == {gpu_pid}
    assert not (tmp_path / "the-drivers-default-cache").exists()  # each worker used its own machine's


def test_a_cluster_address_is_checked_and_its_secrets_never_echoed(tmp_path):
    for address in ("tcp://user:hunter2@host:8786", "tcp://host:99999", "tcp://h st:1", "tcp://host:port"):
        feed = "http://127.0.0.1:9/feed.xml"
        result = run_recap("channel", feed, "-o", str(tmp_path), f"--cluster={address}")
        assert result.returncode == 2, address
        assert "hunter2" not in result.stderr and "Traceback" not in result.stderr
        assert assert_one_line_error(result).startswith("recap: error: argument --cluster:")


def test_a_port_that_answers_nothing_is_one_line_not_a_wait_for_ever(tmp_path, server, served_dir):
    """A port that accepts the connection and says nothing (no scheduler there): Dask's own timeout
    does not cover its handshake; recap gives up after its connect time with one line."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []
    threading.Thread(target=lambda: accepted.extend(listener.accept() for _ in range(8)), daemon=True).start()
    address = f"tcp://127.0.0.1:{listener.getsockname()[1]}"
    feed = write_feed(served_dir, server, f"mute-{tmp_path.name}.xml", [EP14])
    try:
        result = run_recap("channel", feed, "-o", str(tmp_path / "out"), "--cluster", address, timeout=120)
    finally:
        listener.close()
    line = assert_one_line_error(result)
    assert f"cannot reach the Dask scheduler at {address}: nothing answered" in line


def _start_recap(*args: str, env: dict | None = None) -> subprocess.Popen:
    """The real command line in a child process, as run_recap runs it, read while it runs."""
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1", **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "recap", *args], text=True, env=full_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _worker_processes(pid: int) -> list:
    """The Dask worker processes a recap process started (not its resource tracker)."""
    import psutil

    return [child for child in psutil.Process(pid).children()
            if "spawn_main" in " ".join(child.cmdline())]


def test_workers_that_die_after_transcribing_leave_no_leaked_semaphores_to_report(server, served_dir,
                                                                                   tmp_path):
    """Transcription makes a lock in each worker; a worker that dies with it (killed here, as out
    of memory, or by its nanny after a slow close) leaves nothing for Python's resource tracker
    to report on the user's terminal when the run ends."""
    feed = write_feed(served_dir, server, f"leak-{tmp_path.name}.xml", [EP14, EP13])
    recap = _start_recap("channel", feed, "-o", str(tmp_path / "out"), "--workers", "2",
                         "--cache-dir", str(tmp_path / "cache"))  # cold: each episode transcribes
    seen = [recap.stderr.readline()]
    while seen[-1] and not seen[-1].startswith("recap: [1/2]"):  # workers may warn first
        seen.append(recap.stderr.readline())
    killed = _worker_processes(recap.pid)
    for worker in killed:
        worker.kill()
    out, err = recap.communicate(timeout=300)
    err = "".join(seen) + err

    assert seen[-1].startswith("recap: [1/2] done") and killed, err  # each worker transcribed
    assert recap.returncode == 0 and "2 done, 0 skipped, 0 failed" in out, err
    assert "leaked semaphore" not in err and "resource_tracker" not in err, err


# Loaded by Dask in the scheduler (in recap's own process) and in each worker process as each
# starts and closes: Dask's, tornado's and asyncio's loggers say what they say when workers die
# or close mid-heartbeat (the heartbeat's "Stream is closed" traceback among them)
DASK_NOISE = '''
import logging, os
from distributed.comm.core import CommClosedError

def _noise(when, server):
    with open(os.environ["RECAP_TEST_NOISE_MARKS"], "a") as marks:
        marks.write(f"{when}-{type(server).__name__} {os.getpid()}\\n")
    for name in ("distributed", "distributed.worker", "distributed.client", "tornado.application", "asyncio"):
        logging.getLogger(name).error("dask-noise from %s", name)
    try:
        raise CommClosedError("in <TCP (closed)>: Stream is closed")
    except CommClosedError:
        logging.getLogger("distributed.worker").exception("Failed to communicate with scheduler")

def dask_setup(server):
    _noise("setup", server)

def dask_teardown(server):
    _noise("teardown", server)
'''


@contextmanager
def _port_taken(port: int) -> Iterator[None]:
    """``port`` on the loopback interface held (or already held by another program)."""
    with socket.socket() as holder:
        try:
            holder.bind(("127.0.0.1", port))
            holder.listen()
        except OSError:
            pass
        yield


def test_dask_logs_and_warnings_stay_off_stderr_unless_verbose(server, served_dir, shared_cache, tmp_path):
    """recap's stderr carries recap's lines only: what Dask logs, in recap's process and in the
    worker processes, errors and tracebacks included, and its warning that its default HTTP port
    is taken (another Dask, or recap run, at the same time), are shown with -v only."""
    marks = tmp_path / "marks"
    preload = repr([DASK_NOISE])
    env = {"DASK_DISTRIBUTED__SCHEDULER__PRELOAD": preload, "DASK_DISTRIBUTED__WORKER__PRELOAD": preload,
           "RECAP_TEST_NOISE_MARKS": str(marks)}
    feed = write_feed(served_dir, server, f"noise-{tmp_path.name}.xml", [EP14])
    common = ("channel", feed, "--workers", "2", "--cache-dir", str(shared_cache))

    with _port_taken(8787):
        quiet = run_recap(*common, "-o", str(tmp_path / "quiet"), env=env)
        verbose = run_recap(*common, "-o", str(tmp_path / "verbose"), "-v", env=env)

    assert quiet.returncode == 0 and verbose.returncode == 0, quiet.stderr + verbose.stderr
    made = [line.split() for line in marks.read_text().splitlines()]
    assert {when for when, _ in made} == {"setup-Scheduler", "setup-Worker", "teardown-Worker",
                                          "teardown-Scheduler"}
    assert len({pid for when, pid in made if when == "setup-Worker"}) == 4  # two workers a run
    for noise in ("dask-noise", "Stream is closed", "Traceback", "8787", "distributed", "tornado"):
        assert noise not in quiet.stderr, quiet.stderr
    assert "dask-noise from distributed.worker" in verbose.stderr and "Stream is closed" in verbose.stderr
