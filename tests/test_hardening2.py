"""Issue 15, hardening II (items 4, 7, 9, 10, 14): an article's files switched in as one unit under
the output folder's lock, a stall rule for downloads, URLs checked where they enter, text from the
video without control characters or bidi overrides and links without credentials, and a feed's
unusable items reported in the run's table."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

import pytest
from conftest import SAMPLES, ScriptedTranscriber, assert_one_line_error, run_recap

from recap.app import cli
from recap.app.archive import Record
from recap.app.channel import plan_channel, summary_table
from recap.app.episodes import ChannelOptions
from recap.app.index import write_index
from recap.app.pipeline import Pipeline
from recap.core.document import Episode, plain_text
from recap.core.errors import DownloadStalled, NotAChannel, RecapError, UnsupportedSource
from recap.core.files import LOCK_NAME, STAGING_NAME, Staging
from recap.core.options import FetchOptions, Overrides, RunOptions
from recap.core.urls import is_http_url, public_url, time_url
from recap.stages.fetch import download, episode_from_info

TESTS = Path(__file__).resolve().parent
SHOW = SAMPLES / "tensor_weekly_13.mp3"
MARKS = ("Alpha", "Bravo", "Charlie")
SET = ("episode.json", "transcript.json", "stories.json", "article.md", "article.html", "article.json")
USERS = {"clean.md": "# My edit\n\nKeep me.\n", "notes.txt": "mine\n", ".notes.tmp": "mine too\n"}


# -- 4: an article is one unit ------------------------------------------------------------------
def _script(mark: str) -> str:
    return (f"Welcome to the {mark} show. Orca Labs released Harbor, an open model. In other news, "
            "Granite Systems announced Basalt, a compiler. That's all for this week.")


def _options(out: Path, mark: str, cache: Path, **more) -> RunOptions:
    return RunOptions(out_dir=out, cache_dir=cache, overrides=Overrides(title=f"The {mark} show"), **more)


def _run(out: Path, mark: str, cache: Path, **more):
    return Pipeline(_options(out, mark, cache, **more), transcriber=ScriptedTranscriber(_script(mark))).run(
        str(SHOW))


def _marks(out: Path) -> dict[str, list[str]]:
    """Which run wrote each of the article's files: the marks found in it."""
    return {name: [mark for mark in MARKS if mark in (out / name).read_text()]
            for name in SET if (out / name).exists()}


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name == STAGING_NAME or
                  (p.name.endswith(".tmp") and p.name != ".notes.tmp"))


def _with_users_files(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, text in USERS.items():
        (out / name).write_text(text)


def _users_files_kept(out: Path) -> bool:
    return all((out / name).read_text() == text for name, text in USERS.items())


def test_a_run_switches_its_whole_set_in_and_leaves_the_users_files(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    _with_users_files(out)
    _run(out, "Alpha", cache)
    assert _marks(out) == {name: ["Alpha"] for name in SET}

    result = _run(out, "Bravo", cache)

    assert _marks(out) == {name: ["Bravo"] for name in SET}
    assert sorted(p.name for p in result.files) == sorted(SET) and all(p.parent == out for p in result.files)
    assert _users_files_kept(out) and _leftovers(out) == []


def test_a_later_failure_keeps_the_stages_files_in_a_new_folder_and_a_previous_set_whole(tmp_path):
    broken = tmp_path / "broken.md.j2"
    broken.write_text("{{ article.title | no_such_filter }}\n")
    cache = tmp_path / "cache"
    fresh = tmp_path / "fresh"
    with pytest.raises(RecapError, match="no_such_filter"):
        _run(fresh, "Alpha", cache, template=broken)
    assert _marks(fresh) == {name: ["Alpha"] for name in ("episode.json", "transcript.json", "stories.json")}

    kept = tmp_path / "kept"
    _with_users_files(kept)
    _run(kept, "Alpha", cache)
    with pytest.raises(RecapError, match="no_such_filter"):
        _run(kept, "Bravo", cache, template=broken)
    assert _marks(kept) == {name: ["Alpha"] for name in SET}
    assert _users_files_kept(kept) and _leftovers(kept) == []


_KILLER = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from conftest import ScriptedTranscriber
from recap.core.options import Overrides, RunOptions
from recap.app.pipeline import Pipeline

out, staging = Path({out!r}), Path({out!r}) / {staging!r}
real, counts = os.replace, {{"staged": 0, "switched": 0}}

def replace(src, dst):  # kill -9 this process at one exact step of writing the set
    real(src, dst)
    where = "staged" if Path(dst).parent == staging else "switched" if Path(dst).parent == out else None
    if where:
        counts[where] += 1
        if where == {where!r} and counts[where] == {after}:
            os.kill(os.getpid(), signal.SIGKILL)

os.replace = replace
options = RunOptions(out_dir=out, cache_dir=Path({cache!r}), overrides=Overrides(title="The Bravo show"))
Pipeline(options, transcriber=ScriptedTranscriber({script!r})).run({show!r})
"""


def _killed_run(out: Path, cache: Path, where: str, after: int) -> None:
    """A run writing the Bravo set, killed by SIGKILL after ``after`` renames into ``where``."""
    code = _KILLER.format(tests=str(TESTS), out=str(out), staging=STAGING_NAME, where=where, after=after,
                          cache=str(cache), script=_script("Bravo"), show=str(SHOW))
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr


@pytest.mark.slow  # a child process, killed
def test_a_run_killed_while_staging_leaves_the_previous_set_and_the_next_run_cleans_up(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    _with_users_files(out)
    _run(out, "Alpha", cache)
    (out / ".article.md.x1y2z3.tmp").write_text("half an article")  # write_atomic's, killed mid-write
    _killed_run(out, cache, "staged", 3)

    assert _marks(out) == {name: ["Alpha"] for name in SET}  # nothing of Bravo's is in place
    assert (out / STAGING_NAME).is_dir()

    _run(out, "Charlie", cache)
    assert _marks(out) == {name: ["Charlie"] for name in SET}
    assert _users_files_kept(out) and _leftovers(out) == []


@pytest.mark.slow  # a child process, killed
def test_a_run_killed_between_the_renames_of_its_switch_is_finished_by_the_next_run(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    _with_users_files(out)
    _run(out, "Alpha", cache)
    _killed_run(out, cache, "switched", 2)
    assert sorted({mark for marks in _marks(out).values() for mark in marks}) == ["Alpha", "Bravo"]

    empty = tmp_path / "empty.txt"  # the next run into the folder, even one that fails at once
    empty.write_text("  \n")
    with pytest.raises(RecapError, match="empty"):
        Pipeline(_options(out, "Charlie", cache)).run(str(empty))

    assert _marks(out) == {name: ["Bravo"] for name in SET}  # the killed run's switch, finished
    assert _users_files_kept(out) and _leftovers(out) == []


def test_staging_recovers_only_what_was_committed_and_only_its_own_files(tmp_path):
    names = ("article.md", "article.html")
    (tmp_path / "article.md").write_text("old md")
    (tmp_path / "article.html").write_text("old html")
    staging = Staging(tmp_path, names)
    staging.write("article.md", "new md")
    Staging(tmp_path, names).recover()  # not committed: dropped
    assert (tmp_path / "article.md").read_text() == "old md" and not (tmp_path / STAGING_NAME).exists()
    with pytest.raises(ValueError):
        staging.write("clean.md", "not one of the set's files")

    (tmp_path / "article.html").unlink()
    (tmp_path / "article.html").mkdir()  # a folder in the way: refused before anything moves
    staging.write("article.md", "new md")
    staging.write("article.html", "new html")
    with pytest.raises(IsADirectoryError):
        staging.switch()
    assert (tmp_path / "article.md").read_text() == "old md" and not (tmp_path / STAGING_NAME).exists()


def _holder(folder: Path) -> subprocess.Popen:
    """Another process holding the folder's lock until its stdin closes."""
    code = ("import sys; from pathlib import Path; from recap.core.files import hold_folder\n"
            f"with hold_folder(Path({str(folder)!r})):\n    print('held', flush=True); sys.stdin.read()\n")
    holder = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_run_into_a_folder_in_use_stops_at_once_naming_the_holder(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    _run(out, "Alpha", cache)
    before = {name: (out / name).read_bytes() for name in SET}
    holder = _holder(out)
    try:
        hears = ScriptedTranscriber(_script("Bravo"))
        with pytest.raises(RecapError, match=rf"in use by another recap run \(PID {holder.pid}\)"):
            Pipeline(_options(out, "Bravo", cache), transcriber=hears).run(str(SHOW))
        assert hears.heard == []  # stopped before its work, not after
        assert {name: (out / name).read_bytes() for name in SET} == before
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    _run(out, "Bravo", cache)  # once the holder has finished
    assert _marks(out) == {name: ["Bravo"] for name in SET}


@pytest.mark.slow
def test_a_second_run_into_a_folder_in_use_is_one_line_from_the_command_line(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    holder = _holder(out)
    try:
        result = run_recap("render", str(SAMPLES / "tensor_weekly_13.txt"), "-o", str(out))
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    line = assert_one_line_error(result)
    assert result.returncode == 1 and f"in use by another recap run (PID {holder.pid})" in line
    assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME]


@pytest.mark.slow
def test_recap_clean_waits_for_no_one_and_writes_nothing_into_a_folder_in_use(tmp_path):
    """`recap clean` takes the output folder's lock like render and channel: a second run into a
    folder a run is writing stops with one line and writes nothing."""
    out = tmp_path / "out"
    out.mkdir()
    holder = _holder(out)
    try:
        result = run_recap("clean", str(SAMPLES / "tensor_weekly_13.txt"), "-o", str(out))
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    line = assert_one_line_error(result)
    assert result.returncode == 1 and f"in use by another recap run (PID {holder.pid})" in line
    assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME]


_FULL_DISK = """
import json, os, subprocess, sys
from pathlib import Path
disk = Path(sys.argv[1])
if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)]).returncode:
    print(json.dumps({"skip": "cannot mount a tmpfs"})); sys.exit(0)
out = disk / "out"
def recap(text, title):
    return subprocess.run([sys.executable, "-m", "recap", "render", text, "-o", str(out), "--title", title],
                          capture_output=True, text=True)
first = recap(sys.argv[2], "The Alpha show")
free = os.statvfs(disk)
with open(disk / "filler", "wb") as handle:  # leave 6 KB: the next article's set does not fit
    handle.write(b"x" * max(0, free.f_bavail * free.f_frsize - 6 * 1024))
second = recap(sys.argv[3], "The Bravo show")
files = {p.name: p.read_text(errors="replace") for p in out.iterdir() if p.is_file()}
print(json.dumps({"first": [first.returncode, first.stderr], "second": [second.returncode, second.stderr],
                  "files": files, "names": sorted(p.name for p in out.iterdir())}))
"""


@pytest.mark.slow
def test_a_full_disk_keeps_the_previous_article_whole(tmp_path):
    """A real 256 KB tmpfs, mounted in a private mount namespace (root or user namespaces needed)."""
    if not shutil.which("unshare"):
        pytest.skip("no unshare to mount a private tmpfs")
    disk = tmp_path / "disk"
    disk.mkdir()
    driver = tmp_path / "full_disk.py"
    driver.write_text(_FULL_DISK)
    texts = [str(SAMPLES / "tensor_weekly_13.txt"), str(SAMPLES / "tensor_weekly_14.txt")]
    ran = subprocess.run(["unshare", "--mount", "--propagation", "private", sys.executable, str(driver),
                          str(disk), *texts], capture_output=True, text=True, timeout=300)
    if ran.returncode or not ran.stdout.strip():
        pytest.skip(f"cannot make a private tmpfs here: {ran.stderr.strip()[-200:]}")
    report = json.loads(ran.stdout.strip().splitlines()[-1])
    if "skip" in report:
        pytest.skip(report["skip"])

    assert report["first"][0] == 0, report["first"][1]
    code, stderr = report["second"]
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert code == 1 and len(lines) == 1 and "No space left on device" in lines[0], stderr
    written = [name for name in report["files"] if name in SET]
    assert written and all("Alpha" in report["files"][name] and "Bravo" not in report["files"][name]
                           for name in written)
    assert not [name for name in report["names"] if name == STAGING_NAME or name.endswith(".tmp")]


# -- 9: URLs are checked where they enter ----------------------------------------------------------
BAD_URLS = ["https://e.example.com/x.mp3\n<details open ontoggle=alert(1) x", "javascript:alert(1)",
            "ftp://e.example.com/x.mp3", "https://e.example.com/a b.mp3", "https://e.example.com/\u202ex",
            "https://e.example.com/\x07", "http://", "e.example.com/x.mp3"]


@pytest.mark.parametrize("url", BAD_URLS, ids=range(len(BAD_URLS)))
@pytest.mark.parametrize("command", ["run", "render", "clean"])
def test_a_bad_url_option_is_a_one_line_usage_error(command, url, capsys, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as stopped:
        cli.main([command, str(SAMPLES / "tensor_weekly_13.txt"), "-o", str(out), "--url", url])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and err.count("\n") == 1
    assert err.startswith("recap: error: argument --url: ") and f"see `recap {command} --help`" in err
    assert "<details" not in err.replace("'", "") or "\\n" in err  # shown escaped, never raw
    assert not out.exists()


@pytest.mark.parametrize("command", ["run", "transcribe", "clean", "channel"])
def test_a_source_url_that_recap_would_not_fetch_is_a_usage_error(command, capsys):
    for url in [url for url in BAD_URLS if "://" in url]:  # without one it is a path ("no such file")
        with pytest.raises(SystemExit) as stopped:
            cli.main([command, url])
        err = capsys.readouterr().err
        assert stopped.value.code == 2 and err.count("\n") == 1 and "argument URL" in err, err


def test_good_urls_and_paths_are_taken():
    assert cli.parse_args(["render", "x.txt", "--url", "https://www.youtube.com/watch?v=abc&t=5"]).url
    assert cli.parse_args(["x.mp3"]).source == "x.mp3" and cli.parse_args(["./a b.mp3"]).source == "./a b.mp3"
    assert cli.parse_args(["channel", "http://127.0.0.1:8000/feed.xml"]).source.endswith("feed.xml")


def test_only_clean_http_urls_become_links():
    assert is_http_url("https://e.example.com/x?y=1#z") and is_http_url("http://[::1]:80/x")
    for url in [*BAD_URLS, "http://[::1", "http://e.example.com:port/", "data:text/html,x", None, 5]:
        assert not is_http_url(url), url


# -- 10: text from the video without control characters; links without credentials --------------
HOSTILE = "Bell\x07 \x1b[31mred\x1b[0m \u202eevil\u202c \u2066isolated\u2069 \x9bC1"
IN_XML = "\u202eevil\u202c \u2066isolated\u2069 \x9bC1"  # XML 1.0 has no ESC or BEL, even escaped


def test_plain_text_drops_controls_escapes_and_bidi_overrides():
    assert plain_text(HOSTILE) == "Bell red evil isolated C1"
    assert plain_text("one\r\ntwo\tthree\x00", lines=True) == "one\ntwo\tthree"
    assert plain_text("one\ntwo\tthree") == "one two three"
    assert plain_text("Café – naïve ✓ עברית") == "Café – naïve ✓ עברית"  # real text stays


def test_public_urls_carry_no_user_info_and_no_secret_parameters():
    url = ("https://alice:hunter2@cdn.example.com:8443/ep.mp3?token=abc&id=7&X-Amz-Signature=f00"
           "&Key-Pair-Id=k&apiKey=1&access_token=2&q=a%20b#t=5&auth=3")
    assert public_url(url) == "https://cdn.example.com:8443/ep.mp3?id=7&q=a%20b#t=5"
    assert public_url("https://www.youtube.com/watch?v=abc&list=PL1&si=x") == \
        "https://www.youtube.com/watch?v=abc&list=PL1&si=x"
    assert public_url("javascript:alert(1)") is None and public_url(None) is None


_SECRETS = ("hunter2", "alice", "token", "abc123", "sig=", "Signature")


def _no_secrets_or_controls(text: str) -> None:
    assert not [s for s in _SECRETS if s in text], text[:300]
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)


def test_a_downloaded_episodes_links_carry_no_credentials(server, served_dir, tmp_path):
    folder = served_dir / f"secret-{tmp_path.name}"
    folder.mkdir()
    shutil.copy(SHOW, folder / "show.mp3")
    port_url = server.removeprefix("http://")
    url = f"http://alice:hunter2@{port_url}/{folder.name}/show.mp3?token=abc123&ep=13&sig=ff"
    out = tmp_path / "out"
    options = RunOptions(out_dir=out, cache_dir=tmp_path / "cache", retries=0)
    result = Pipeline(options, transcriber=ScriptedTranscriber(_script("Alpha"))).run(url)

    article = json.loads((out / "article.json").read_text())
    assert article["url"] == f"http://{port_url}/{folder.name}/show.mp3?ep=13"
    story = article["sections"][0]["stories"][0]
    assert story["time_url"].startswith(article["url"] + "#t=")
    for name in SET:
        _no_secrets_or_controls((out / name).read_text())
    assert result.out_dir == out


def test_metadata_from_the_video_enters_clean_and_reaches_no_output_unclean(tmp_path):
    info = {"id": "e1", "title": f"Tensor {HOSTILE} Weekly", "extractor_key": "Generic",
            "webpage_url": "https://alice:hunter2@cdn.example.com/ep.mp3?token=abc123&n=1",
            "uploader": f"Host\x1b]0;pwned\x07 {HOSTILE}", "upload_date": "20260105",
            "description": f"Intro {HOSTILE}\nLinks: https://orca.example.com/harbor\x07x\n",
            "chapters": [{"title": f"Harbor {HOSTILE}", "start_time": 0.0}]}
    episode = episode_from_info(info)
    assert episode.title == "Tensor Bell red evil isolated C1 Weekly"
    assert episode.url == episode.media_url == "https://cdn.example.com/ep.mp3?n=1"
    assert episode.uploader == "Host Bell red evil isolated C1" and "\n" in episode.description

    out = tmp_path / "out"
    result = Pipeline(RunOptions(out_dir=out, cache_dir=tmp_path / "cache"),
                      transcriber=ScriptedTranscriber(_script("Alpha"))).process(episode, SHOW)
    for name in SET:
        _no_secrets_or_controls((out / name).read_text())
    record = Record(key="generic e1", status="done", title=episode.title, url=episode.url, folder="out",
                    files=[p.name for p in result.files], stories=2, reason="")
    for path in write_index(tmp_path, "Channel", "https://example.com/feed", [record]):
        _no_secrets_or_controls(path.read_text())


def test_files_given_by_hand_are_published_clean_too(tmp_path):
    stories = {"episode": {"id": "e", "title": f"Edited {HOSTILE}", "url": "https://u:hunter2@e.example.com/v?sig=1",
                           "description": ""},
               "stories": [{"title": f"Harbor {HOSTILE}", "text": f"Orca Labs released Harbor. {HOSTILE}.",
                            "span": [0, 40], "kind": "story"}]}
    path = tmp_path / "stories.json"
    path.write_text(json.dumps(stories))
    out = tmp_path / "out"
    Pipeline(RunOptions(out_dir=out, cache_dir=tmp_path / "cache")).render_file(path)
    for name in ("episode.json", "stories.json", "article.md", "article.html", "article.json"):
        _no_secrets_or_controls((out / name).read_text())
    assert time_url(Episode.from_dict(stories["episode"]), 5) == "https://e.example.com/v#t=5"


def test_an_error_line_and_the_runs_table_show_no_escape_codes(tmp_path, capsys):
    missing = tmp_path / f"no such {HOSTILE}.txt"
    assert cli.main(["render", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err and "\u202e" not in err and "\x07" not in err
    table = summary_table([Record(key="k", status="failed", title=HOSTILE, reason=f"404 {HOSTILE}")])
    assert table.count("\n") == 0 and not re.search(r"[\x00-\x1f\u202a-\u202e]", table)
    titled = cli.parse_args(["render", "x.txt", "--title", f"A {HOSTILE}"])
    assert titled.title == "A Bell red evil isolated C1"


# -- 7: a download that trickles is ended by the stall rule ---------------------------------------
class _Trickle(http.server.BaseHTTPRequestHandler):
    """``/trickle/...``: headers promising a megabyte, then one byte every quarter second (every
    second under ``/trickle/slow/``), each well within the socket timeout. ``/steady/...``: 8 KiB,
    1 KiB every quarter second (slow, but never stalled)."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        steady = self.path.startswith("/steady/")
        self.send_response(200)
        kind = "application/octet-stream" if "octet" in self.path else "audio/mpeg"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(8 * 1024 if steady else 1_000_000))
        self.end_headers()
        try:
            for _ in range(8 if steady else 240):
                self.wfile.write(b"\0" * 1024 if steady else b"\0")
                self.wfile.flush()
                time.sleep(1.0 if "/slow/" in self.path else 0.25)
        except OSError:  # the client gave up: what the test wants
            pass

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def trickle() -> str:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()  # a quick shutdown
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.parametrize("path", [
    "trickle/show.mp3",  # stalls in the download
    pytest.param("trickle/octet/show.mp3", marks=pytest.mark.slow),  # in the first bytes, which yt-dlp
])  # reads to guess what a file of an unknown type is
def test_a_trickling_download_stops_after_the_stall_window(trickle, tmp_path, path):
    options = FetchOptions(download_dir=tmp_path / "media", socket_timeout=0.5, retries=3, backoff=0.01)
    started = time.monotonic()
    with pytest.raises(DownloadStalled, match=r"stalled \(less than 1 KiB in 1\.5 s\)"):
        download(f"{trickle}/{path}", options)
    assert time.monotonic() - started < 10  # the window and a tick, once: stalls are not retried


def test_a_slow_but_steady_download_is_not_cut(trickle, tmp_path):
    options = FetchOptions(download_dir=tmp_path / "media", socket_timeout=0.5, retries=0)
    _, media = download(f"{trickle}/steady/show.mp3", options)
    assert media.stat().st_size == 8 * 1024


@pytest.mark.slow
def test_a_trickling_download_is_one_line_from_the_command_line(trickle, tmp_path):
    started = time.monotonic()
    result = run_recap(f"{trickle}/trickle/slow/show.mp3", "-o", str(tmp_path / "out"), "--socket-timeout",
                       "2", "--retries", "2", "--cache-dir", str(tmp_path / "cache"), timeout=90)
    line = assert_one_line_error(result)
    assert "stalled (less than 1 KiB in 6 s)" in line and "--socket-timeout" in line
    assert result.returncode == 2
    assert time.monotonic() - started < 40


# -- 14: what a feed lists but recap cannot use is reported --------------------------------------
def _feed(served_dir: Path, server: str, name: str, items: list[str], title: str = "Odd feed") -> str:
    (served_dir / name).write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>{server}/</link><description>x</description>\n{''.join(items)}</channel></rss>\n",
        encoding="utf-8")
    return f"{server}/{name}"


def _item(title: str, guid: str | None, enclosure: str | None,
          date: str = "Mon, 05 Jan 2026 09:00:00 GMT") -> str:
    parts = [f"<title>{escape(title)}</title>", f"<pubDate>{date}</pubDate>"]
    if guid:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if enclosure:
        parts.append(f'<enclosure url={quoteattr(enclosure)} type="audio/mpeg" length="1"/>')
    return f"<item>{''.join(parts)}</item>\n"


def _odd_items(server: str) -> list[str]:
    return [_item("Tensor Weekly 13", "tw-13", f"{server}/tensor_weekly_13.mp3",
                  "Mon, 12 Jan 2026 09:00:00 GMT"),
            _item("The same guid again", "tw-13", f"{server}/tensor_weekly_14.mp3"),
            _item("Nothing to download", "tw-0", None),
            _item("A local file", "tw-f", "file:///etc/passwd"),
            _item("A script", "tw-j", "javascript:alert(1)")]


def test_a_feeds_unusable_items_are_in_the_table_with_their_reason(server, served_dir, tmp_path):
    feed = _feed(served_dir, server, f"odd-{tmp_path.name}.xml", _odd_items(server))
    plan = plan_channel(feed, ChannelOptions(out_dir=tmp_path / "out"))

    assert [(r.status, r.title) for r in plan.records] == [
        ("new", "Tensor Weekly 13"), ("skipped", "The same guid again"), ("skipped", "Nothing to download"),
        ("skipped", "A local file"), ("skipped", "A script")]
    reasons = [r.reason for r in plan.records[1:]]
    assert "same id (guid)" in reasons[0] and "Tensor Weekly 13" in reasons[0]
    assert reasons[1].startswith("no media")
    assert all("not an http(s) URL" in reason for reason in reasons[2:])
    assert [e.title for e in plan.todo] == ["Tensor Weekly 13"]
    table = summary_table(plan.records)
    assert "skipped  2026-01-05  Nothing to download" in table and "no media" in table


def test_a_title_filter_and_a_limit_decide_which_skipped_items_are_reported(server, served_dir, tmp_path):
    feed = _feed(served_dir, server, f"odd-limit-{tmp_path.name}.xml", _odd_items(server))
    only = ChannelOptions(out_dir=tmp_path / "out", selection=replace(ChannelOptions().selection,
                                                                       title=re.compile("nothing", re.I)))
    assert [(r.status, r.title) for r in plan_channel(feed, only).records] == [
        ("skipped", "Nothing to download")]
    first = ChannelOptions(out_dir=tmp_path / "out", selection=replace(ChannelOptions().selection, limit=1))
    assert [r.status for r in plan_channel(feed, first).records] == ["new"]


@pytest.mark.parametrize(("body", "name"), [("this is not xml at all\n", "feed.xml"),
                                            ('{"items": []}', "feed.json"), ("", "empty.xml")])
def test_a_feed_that_is_not_xml_is_reported_as_such(server, served_dir, tmp_path, body, name):
    (served_dir / f"{tmp_path.name}-{name}").write_text(body)
    with pytest.raises(UnsupportedSource, match="is not a feed: what it sent is not XML"):
        plan_channel(f"{server}/{tmp_path.name}-{name}", ChannelOptions(out_dir=tmp_path / "out"))


def test_a_media_file_given_as_a_feed_is_still_one_episode(server, tmp_path):
    with pytest.raises(NotAChannel):
        plan_channel(f"{server}/tensor_weekly_13.mp3", ChannelOptions(out_dir=tmp_path / "out"))


@pytest.mark.slow
def test_a_channel_run_reports_skipped_items_and_writes_nothing_unclean(server, served_dir, shared_cache,
                                                                         tmp_path):
    items = _odd_items(server)
    items[0] = items[0].replace("<title>Tensor Weekly 13</title>",
                                f"<title>Tensor Weekly 13 {escape(IN_XML)}</title>")
    feed = _feed(served_dir, server, f"odd-run-{tmp_path.name}.xml", items, f"Odd {IN_XML} feed")
    out = tmp_path / "out"
    result = run_recap("channel", feed, "-o", str(out), "--cache-dir", str(shared_cache))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 done, 4 skipped, 0 failed" in result.stdout
    assert "Tensor Weekly 13 evil isolated C1" in result.stdout
    assert "no media" in result.stdout and "same id (guid)" in result.stdout
    _no_secrets_or_controls(result.stdout + result.stderr)
    for path in [out / "index.md", out / "index.html", *out.glob("*/article.*")]:
        _no_secrets_or_controls(path.read_text())
    assert len(list(out.glob("*/article.md"))) == 1


# -- 11: a feed from the internet may not point recap at this machine or its network --------------
class _ProxyHandler(http.server.SimpleHTTPRequestHandler):
    """An HTTP proxy that answers every host from one folder: a feed that looks to recap as if it
    came from the internet (its host does not resolve here), served on loopback all the same."""

    def translate_path(self, path: str) -> str:
        return super().translate_path(urlsplit(path).path)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def internet_proxy(served_dir, monkeypatch):
    handler = functools.partial(_ProxyHandler, directory=str(served_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()  # a quick shutdown
    for name in ("http_proxy", "HTTP_PROXY"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{httpd.server_address[1]}")
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    yield "http://feeds.recap-test.invalid"
    httpd.shutdown()


@pytest.mark.parametrize("internal", ["{server}/tensor_weekly_14.mp3", "http://localhost:9/a.mp3",
                                      "http://10.0.0.7/a.mp3", "http://169.254.169.254/latest/a.mp3",
                                      "http://[::1]:9/a.mp3", "http://2130706433/a.mp3"])
def test_a_feed_from_the_internet_cannot_point_at_this_machine_or_its_network(
        internet_proxy, server, served_dir, tmp_path, internal):
    items = [_item("Public", "tw-13", f"{internet_proxy}/tensor_weekly_13.mp3"),
             _item("Internal", "tw-14", internal.format(server=server))]
    feed = _feed(served_dir, internet_proxy, f"internet-{tmp_path.name}.xml", items)

    records = plan_channel(feed, ChannelOptions(out_dir=tmp_path / "out")).records

    assert [(r.status, r.title) for r in records] == [("new", "Public"), ("skipped", "Internal")]
    assert "loopback, private or link-local address" in records[1].reason


def test_a_feed_on_a_loopback_address_may_list_media_there(server, served_dir, tmp_path):
    items = [_item("Here", "tw-13", f"{server}/tensor_weekly_13.mp3"),
             _item("Home server", "tw-14", "http://192.168.1.20/tensor_weekly_14.mp3")]
    feed = _feed(served_dir, server, f"home-{tmp_path.name}.xml", items)
    assert [r.status for r in plan_channel(feed, ChannelOptions(out_dir=tmp_path / "out")).records] == \
        ["new", "new"]
