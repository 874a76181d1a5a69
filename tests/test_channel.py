"""`recap channel` on a podcast feed served on loopback: skip, retry, resume after kill -9, selection."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import feedparser
import pytest
from conftest import assert_one_line_error, run_recap
from filelock import FileLock

from recap.app.archive import ARCHIVE_NAME, Archive, Record
from recap.app.channel import LOCK_NAME, plan_channel, run_channel
from recap.app.entries import Selection
from recap.app.episodes import ChannelOptions, prefetch

# (guid, title, publication date, file served as the enclosure)
EP14 = ("tw-14", "Tensor Weekly 14: Basalt & <b>Meadow</b>", "Mon, 12 Jan 2026 09:00:00 GMT",
        "tensor_weekly_14.mp3")
EP13 = ("tw-13", "Tensor Weekly 13: Quill and the Lantern benchmark", "Mon, 05 Jan 2026 09:00:00 GMT",
        "tensor_weekly_13.mp3")
EP12 = ("tw-12", "Tensor Weekly 12: Harbor 7B", "Mon, 29 Dec 2025 09:00:00 GMT", "tensor_weekly_12.mp4")


def write_feed(served_dir: Path, server: str, name: str, items) -> str:
    """An RSS 2.0 podcast feed, newest item first, as publishers write them."""
    xml_items = "".join(
        f"<item><title>{escape(title)}</title><guid isPermaLink=\"false\">{guid}</guid>"
        f"<pubDate>{date}</pubDate><description>Links: https://example.org/{guid}</description>"
        f"<enclosure url={quoteattr(f'{server}/{media}')} type=\"audio/mpeg\" length=\"1\"/></item>\n"
        for guid, title, date, media in items)
    (served_dir / name).write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>Tensor Weekly</title><link>{server}/</link><description>AI news</description>\n"
        f"{xml_items}</channel></rss>\n", encoding="utf-8")
    return f"{server}/{name}"


def episode_dirs(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))


def index_entries(out: Path) -> list[str]:
    return [line for line in (out / "index.md").read_text().splitlines() if line.startswith("- ")]


def archived(out: Path) -> list[Record]:
    """The latest record of each episode."""
    return list(Archive(out).load().values())


def assert_complete_article(folder: Path) -> None:
    article = json.loads((folder / "article.json").read_text())
    assert article["title"] and article["sections"], folder
    assert (folder / "article.md").read_text().startswith("# ")
    HTMLParser().feed((folder / "article.html").read_text())
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_broken_episode_is_recorded_and_only_it_is_redone(server, served_dir, shared_cache, tmp_path):
    broken = (*EP12[:3], "no_such_episode.mp4")
    feed = write_feed(served_dir, server, "broken.xml", [EP14, EP13, broken])
    out = tmp_path / "out"
    first = run_recap("channel", feed, "-o", str(out), "--cache-dir", str(shared_cache))

    assert first.returncode == 1, first.stderr
    assert "Traceback" not in first.stderr
    failed = [line for line in first.stdout.splitlines() if line.startswith("failed")]
    assert len(failed) == 1 and "Tensor Weekly 12" in failed[0] and "404" in failed[0]
    assert "2 done, 0 skipped, 1 failed" in first.stdout
    folders = episode_dirs(out)
    assert len(folders) == 2
    for folder in folders:
        assert_complete_article(folder)
    assert len(index_entries(out)) == 2
    index_html = (out / "index.html").read_text()
    assert "&lt;b&gt;Meadow&lt;/b&gt;" in index_html and "<b>Meadow" not in index_html
    assert index_html.index("Tensor Weekly 14") < index_html.index("Tensor Weekly 13")  # newest first
    assert all(f'href="{folder.name}/article.html"' in index_html for folder in folders)
    atom = feedparser.parse((out / "feed.xml").read_bytes())  # rebuilt with the index, same rows
    assert not atom.bozo and [entry.title for entry in atom.entries] == [EP14[1], EP13[1]]
    for entry in atom.entries:
        article = json.loads((out / entry.link).with_name("article.json").read_text())
        assert entry.summary == article["intro"] and article["title"] in entry.title
    inodes = {folder.name: (folder / "article.json").stat().st_ino for folder in folders}

    write_feed(served_dir, server, "broken.xml", [EP14, EP13, EP12])  # the publisher fixes the link
    second = run_recap("channel", feed, "-o", str(out), "--cache-dir", str(shared_cache), "-v")

    assert second.returncode == 0, second.stderr
    assert "1 done, 2 skipped, 0 failed" in second.stdout
    worked_on = re.findall(r"^recap: \[\d+/\d+\] (\w+): (.*)$", second.stderr, re.MULTILINE)
    assert [(status, title[:17]) for status, title in worked_on] == [("done", "Tensor Weekly 12:")]
    untouched = {f.name: (f / "article.json").stat().st_ino for f in episode_dirs(out) if f.name in inodes}
    assert untouched == inodes  # atomic writes would have given a rewritten file a new inode
    assert len(episode_dirs(out)) == 3 and len(index_entries(out)) == 3
    assert sorted((r.key, r.status) for r in archived(out)) == [
        ("generic tw-12", "done"), ("generic tw-13", "done"), ("generic tw-14", "done")]


@pytest.mark.slow
def test_killed_run_resumes_without_losing_or_duplicating(server, served_dir, tmp_path):
    feed = write_feed(served_dir, server, "resume.xml", [EP13, EP14])
    out, cache = tmp_path / "out", tmp_path / "cache"  # a fresh cache: the second episode is slow
    argv = [sys.executable, "-m", "recap", "channel", feed, "-o", str(out), "--cache-dir", str(cache)]
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env={**os.environ, "HF_HUB_OFFLINE": "1"})
    deadline = time.monotonic() + 120
    while not ((out / ARCHIVE_NAME).exists() and archived(out)) and child.poll() is None:
        assert time.monotonic() < deadline, "no episode finished"
        time.sleep(0.05)
    child.kill()
    assert child.wait() == -9
    assert [r.status for r in archived(out)] == ["done"]  # killed while the second was under way
    survivor = episode_dirs(out)[0]
    inode = (survivor / "article.json").stat().st_ino

    rerun = run_recap("channel", feed, "-o", str(out), "--cache-dir", str(cache))

    assert rerun.returncode == 0, rerun.stderr
    assert "1 done, 1 skipped, 0 failed" in rerun.stdout
    folders = episode_dirs(out)
    assert len(folders) == 2 and (survivor / "article.json").stat().st_ino == inode
    for folder in folders:
        assert_complete_article(folder)
    assert sorted(r.key for r in archived(out)) == ["generic tw-13", "generic tw-14"]
    assert len(index_entries(out)) == 2
    assert not (out / ".recap-partial").exists()


SELECTION_FEED = [
    EP14, EP13, EP12,
    ("tw-11", "Tensor Weekly 11: Lantern returns", "Mon, 22 Dec 2025 09:00:00 GMT", "tensor_weekly_13.mp4"),
]


@pytest.mark.parametrize(("selection", "expected"), [
    (Selection(since="2026-01-01"), ["tw-14", "tw-13"]),
    (Selection(until="2025-12-29"), ["tw-12", "tw-11"]),
    (Selection(since="2025-12-29", until="2026-01-05"), ["tw-13", "tw-12"]),
    (Selection(title=re.compile("lantern", re.IGNORECASE)), ["tw-13", "tw-11"]),
    (Selection(title=re.compile("lantern", re.IGNORECASE), since="2026-01-01"), ["tw-13"]),
    (Selection(limit=3), ["tw-14", "tw-13", "tw-12"]),
    (Selection(limit=1, until="2026-01-10"), ["tw-13"]),
])
def test_selection_picks_entries_from_the_listing(server, served_dir, tmp_path, selection, expected):
    feed = write_feed(served_dir, server, "selection.xml", SELECTION_FEED)
    plan = plan_channel(feed, ChannelOptions(out_dir=tmp_path, selection=selection))
    assert [entry.id for entry in plan.todo] == expected
    assert not list(tmp_path.iterdir())  # listing downloads and writes nothing


@pytest.mark.slow
def test_list_flag_prints_the_plan_without_downloading(server, served_dir, tmp_path):
    feed = write_feed(served_dir, server, "listing.xml", SELECTION_FEED)
    result = run_recap("channel", feed, "-o", str(tmp_path / "out"), "--list",
                       "--since", "2025-12-29", "--match-title", "^tensor weekly 1[234]", "--limit", "2")
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()
    assert [row.split()[:2] for row in rows] == [["new", "2026-01-12"], ["new", "2026-01-05"]]
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_channel_errors_are_one_line(server, tmp_path):
    single = run_recap("channel", f"{server}/tensor_weekly_13.mp3", "-o", str(tmp_path))
    assert single.returncode == 2 and "Traceback" not in single.stderr
    assert single.stderr.strip().count("\n") == 0 and "not a channel" in single.stderr
    bad_date = run_recap("channel", f"{server}/feed.xml", "--since", "last tuesday")
    assert bad_date.returncode == 2 and "--since" in bad_date.stderr and "Traceback" not in bad_date.stderr


def test_archive_ignores_a_line_torn_by_a_crash(tmp_path):
    archive = Archive(tmp_path)
    archive.append(Record(key="generic a", status="failed", title="A", reason="404"))
    with archive.path.open("a") as handle:
        handle.write('{"key": "generic b", "sta')  # power lost mid-line
    archive.append(Record(key="generic a", status="done", title="A", folder="a", files=[]))
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "episode.json").write_text("{}")

    records = archive.load()
    assert list(records) == ["generic a"] and archive.is_done(records["generic a"])
    (tmp_path / "a" / "episode.json").unlink()
    assert not archive.is_done(records["generic a"])  # a deleted folder is made again


def test_prefetch_downloads_ahead_in_order_within_the_job_bound():
    running, most, lock = [0], [0], threading.Lock()
    started: list[int] = []

    def fetch(n: int) -> int:
        with lock:
            started.append(n)
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1
        return n * 10

    results = []
    for n, future in prefetch(range(6), fetch, jobs=2):
        results.append(future.result())
        if n == 0:
            time.sleep(0.1)  # "transcribing" episode 0: the next ones download meanwhile
            assert {1, 2} <= set(started) and 5 not in started
    assert results == [0, 10, 20, 30, 40, 50]
    assert most[0] <= 2


def folder_state(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``folder`` with its modification time and content."""
    return {str(path.relative_to(folder)): (path.stat().st_mtime_ns, path.read_bytes())
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.slow
def test_busy_outdir_turns_a_second_run_away_until_the_holder_is_killed(
        server, served_dir, shared_cache, tmp_path):
    stalled = write_feed(served_dir, server, "lock-stalled.xml", [(*EP13[:3], "stall/tensor_weekly_13.mp3")])
    feed = write_feed(served_dir, server, "lock.xml", [EP12])
    out, lock = tmp_path / "out", tmp_path / "out" / LOCK_NAME
    argv = [sys.executable, "-m", "recap", "channel", stalled, "-o", str(out), "--cache-dir",
            str(tmp_path / "cache"), "--socket-timeout", "120", "--retries", "0"]
    holder = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "HF_HUB_OFFLINE": "1"})
    try:  # the holder locks OUTDIR, then hangs on a download the server never answers
        deadline = time.monotonic() + 60
        while not (lock.exists() and lock.read_text().strip() == str(holder.pid)):
            assert holder.poll() is None and time.monotonic() < deadline, "the first run never locked OUTDIR"
            time.sleep(0.05)
        before = folder_state(out)

        second = run_recap("channel", feed, "-o", str(out), "--cache-dir", str(shared_cache))
        listing = run_recap("channel", feed, "-o", str(out), "--list")

        line = assert_one_line_error(second)
        assert second.returncode == 1
        assert f"output folder {out} is in use by another recap run (PID {holder.pid})" in line
        assert listing.returncode == 0 and listing.stdout.startswith("new")  # reading needs no lock
        assert folder_state(out) == before
    finally:
        holder.kill()
    assert holder.wait() == -9

    after_kill = run_recap("channel", feed, "-o", str(out), "--cache-dir", str(shared_cache))

    assert after_kill.returncode == 0, after_kill.stderr
    assert "1 done, 0 skipped, 0 failed" in after_kill.stdout
    assert len(index_entries(out)) == 1
    assert LOCK_NAME not in (out / "index.md").read_text() + (out / "index.html").read_text()
    with FileLock(lock, timeout=0):  # a finished run lets go of OUTDIR
        pass


def test_busy_outdir_turns_a_run_away_before_it_loads_the_model(server, served_dir, tmp_path, monkeypatch,
                                                               capsys):
    """The lock comes before anything heavy: a busy folder costs a second run no model load."""
    from recap.app import cli, episodes

    feed = write_feed(served_dir, server, "busy-before-model.xml", [EP13])
    out = tmp_path / "out"
    out.mkdir()
    hold = ("import sys, time; from pathlib import Path; from recap.core.files import hold_folder\n"
            "with hold_folder(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(120)")
    holder = subprocess.Popen([sys.executable, "-c", hold, str(out)], stdout=subprocess.PIPE, text=True)
    loads = []
    monkeypatch.setattr(episodes, "_load_models", lambda options: loads.append(options))
    try:
        assert holder.stdout.readline() == "held\n"

        code = cli.main(["channel", feed, "-o", str(out), "--cache-dir", str(tmp_path / "cache")])
    finally:
        holder.kill()
        holder.wait()

    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1
    assert f"output folder {out} is in use by another recap run (PID {holder.pid})" in err
    assert loads == []


def test_episode_another_run_finished_after_the_plan_is_not_redone(server, served_dir, tmp_path):
    feed = write_feed(served_dir, server, "meanwhile.xml", [EP13])
    options = ChannelOptions(out_dir=tmp_path)
    plan = plan_channel(feed, options)
    [entry] = plan.todo
    (tmp_path / "ep13").mkdir()  # the run that held OUTDIR while this one listed finished it
    (tmp_path / "ep13" / "episode.json").write_text("{}")
    Archive(tmp_path).append(Record(key=entry.key, status="done", title=entry.title, folder="ep13",
                                    files=["episode.json"]))

    report = run_channel(plan, options)  # nothing left to transcribe: no model is loaded

    assert [(r.status, r.reason) for r in report.records] == [("skipped", "done by another run")]
    assert [r.status for r in archived(tmp_path)] == ["done"]


@pytest.mark.parametrize("title", ["~", "..", "🚀"])
def test_channels_whose_titles_name_no_folder_get_one_each(server, served_dir, tmp_path, monkeypatch, title):
    """As episodes do: two channels with nothing usable in their titles never share a folder."""
    monkeypatch.chdir(tmp_path)
    urls = []
    for n in (1, 2):
        name = f"untitled-{n}-{tmp_path.name}.xml"
        (served_dir / name).write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{escape(title)}</title><link>{server}/</link><description>x</description>"
            f"<item><title>Episode {n}</title><guid>u-{n}</guid><pubDate>{EP13[2]}</pubDate>"
            f'<enclosure url="{server}/{EP13[3]}" type="audio/mpeg" length="1"/></item>'
            "</channel></rss>\n", encoding="utf-8")
        urls.append(f"{server}/{name}")
    first, second = (plan_channel(url, ChannelOptions()).out_dir for url in urls)
    assert first != second and {first.parent, second.parent} == {tmp_path}
    assert first.name.startswith("channel-") and second.name.startswith("channel-")
    assert plan_channel(urls[0], ChannelOptions()).out_dir == first  # the next run finds its folder
