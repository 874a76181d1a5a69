"""Downloads: keyed by their URL and checked before they are used again, a download that trickles
ended by the stall rule, and a cookies file read but never written."""

from __future__ import annotations

import http.server
import json
import logging
import stat
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SAMPLES, ScriptedTranscriber, assert_one_line_error, run_recap, serve_copies

from recap.app.archive import Archive
from recap.app.pipeline import Pipeline
from recap.core.errors import DownloadStalled, RecapError
from recap.core.options import FetchOptions, RunOptions
from recap.stages.fetch import download
from recap.stages.fetch.cookies import private_cookies
from recap.stages.fetch.ytdlp import ytdlp_params

SHOW_A, SHOW_B = SAMPLES / "tensor_weekly_13.mp3", SAMPLES / "tensor_weekly_14.mp3"
SCRIPT = ("Welcome to the show. Orca Labs released Harbor, an open model. In other news, Granite "
          "Systems announced Basalt, a compiler. That's all for this week.")


# -- 1: downloads are keyed by their URL and checked before reuse ------------------------------
def test_two_urls_with_the_same_file_name_keep_their_own_media(server, served_dir, tmp_path):
    urls = serve_copies(served_dir, server, f"same-name-{tmp_path.name}",
                  {"a/episode.mp3": SHOW_A, "b/episode.mp3": SHOW_B})
    hears = ScriptedTranscriber(SCRIPT)
    options = RunOptions(cache_dir=tmp_path / "cache", formats=("json",), retries=0)
    for name in ("a", "b"):
        pipeline = Pipeline(replace(options, out_dir=tmp_path / name), transcriber=hears)
        pipeline.run(urls[f"{name}/episode.mp3"])

    assert len(hears.heard) == 2, "the second show got the first one's transcript"
    assert hears.heard[0].read_bytes() == SHOW_A.read_bytes()
    assert hears.heard[1].read_bytes() == SHOW_B.read_bytes()
    episodes = [json.loads((tmp_path / name / "episode.json").read_text()) for name in ("a", "b")]
    assert [e["url"] for e in episodes] == [urls["a/episode.mp3"], urls["b/episode.mp3"]]


def test_a_cached_download_cut_short_or_written_over_is_downloaded_again(server, served_dir, tmp_path,
                                                                         caplog):
    url = serve_copies(served_dir, server, f"cached-{tmp_path.name}", {"episode.mp3": SHOW_A})["episode.mp3"]
    options = FetchOptions(download_dir=tmp_path / "media", retries=0)
    _, media = download(url, options)
    whole = media.read_bytes()
    assert whole == SHOW_A.read_bytes()
    note = json.loads(media.with_name(media.name + ".recap.json").read_text())
    assert note["url"] == url and note["size"] == len(whole)

    written = media.stat().st_mtime_ns
    assert download(url, options)[1] == media and media.stat().st_mtime_ns == written  # sound: reused
    assert "again" not in caplog.text

    for damage in (whole[: len(whole) // 3], whole[::-1]):  # cut short; written over, same size
        caplog.clear()
        media.write_bytes(damage)
        with caplog.at_level(logging.WARNING):
            _, again = download(url, options)
        assert again.read_bytes() == whole
        assert "downloading it again" in caplog.text


@pytest.mark.slow
def test_a_feed_of_guidless_items_with_the_same_file_name_gives_each_its_own_article(
        server, served_dir, shared_cache, tmp_path):
    folder = f"feed-{tmp_path.name}"
    urls = serve_copies(served_dir, server, folder, {"a/episode.mp3": SHOW_A, "b/episode.mp3": SHOW_B})
    items = "".join(
        f"<item><title>{title}</title><pubDate>{date}</pubDate>"
        f'<enclosure url="{urls[name]}" type="audio/mpeg" length="1"/></item>'
        for title, date, name in (("Show A", "Mon, 12 Jan 2026 09:00:00 GMT", "a/episode.mp3"),
                                  ("Show B", "Mon, 05 Jan 2026 09:00:00 GMT", "b/episode.mp3")))
    (served_dir / folder / "feed.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Two shows</title>'
        f"<link>{server}/</link><description>x</description>{items}</channel></rss>", encoding="utf-8")
    out = tmp_path / "out"
    result = run_recap("channel", f"{server}/{folder}/feed.xml", "-o", str(out), "--cache-dir",
                       str(shared_cache))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 done, 0 skipped, 0 failed" in result.stdout
    texts = {}
    for record in Archive(out).load().values():
        transcript = json.loads((out / record.folder / "transcript.json").read_text())
        texts[record.title] = " ".join(s["text"] for s in transcript["segments"])
    assert "Quill" in texts["Show A"] and "Quill" not in texts["Show B"]
    assert "compiler" in texts["Show B"] and "compiler" not in texts["Show A"]


# -- 13: the cookies file is read, never written -----------------------------------------------
COOKIES = ("# Netscape HTTP Cookie File\n# my notes: exported for recap, keep this line\n\n"
           "127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tabc123\n")


def test_yt_dlp_gets_a_private_copy_and_the_cookies_file_stays_as_it_was(server, served_dir, tmp_path):
    cookies = tmp_path / "cookies.txt"
    cookies.write_text(COOKIES)
    before = (cookies.read_bytes(), cookies.stat().st_mtime_ns)
    url = serve_copies(served_dir, server, f"cookies-{tmp_path.name}", {"episode.mp3": SHOW_B})["episode.mp3"]
    options = FetchOptions(download_dir=tmp_path / "media", cookies=cookies, retries=0)

    _, media = download(url, options)  # yt-dlp saves its cookie jar when it closes

    assert media.read_bytes() == SHOW_B.read_bytes()
    assert (cookies.read_bytes(), cookies.stat().st_mtime_ns) == before
    copy = Path(ytdlp_params(options)["cookiefile"])
    assert copy != cookies and "abc123" in copy.read_text()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600 and stat.S_IMODE(copy.parent.stat().st_mode) == 0o700


def test_a_missing_or_foreign_cookies_file_is_one_clear_error(tmp_path):
    missing = tmp_path / "missing.txt"
    with pytest.raises(RecapError, match="cookies file: no such file"):
        private_cookies(missing)
    assert not missing.exists()

    secret = tmp_path / "notes.txt"
    secret.write_text("password=hunter2\nanother line of notes\n")
    with pytest.raises(RecapError, match="not a Netscape cookies file") as caught:
        private_cookies(secret)
    assert "hunter2" not in str(caught.value)

    exported = tmp_path / "cookies.json"
    exported.write_text('[{"domain": ".example.com", "name": "sid", "value": "x"}]')
    with pytest.raises(RecapError, match="JSON"):
        private_cookies(exported)


def test_lines_that_are_not_cookies_are_left_out_with_one_warning(tmp_path, caplog):
    cookies = tmp_path / "cookies.txt"
    cookies.write_text(COOKIES + "secret junk line\nmore junk\n")
    with caplog.at_level(logging.WARNING):
        copy = private_cookies(cookies)
    assert "abc123" in copy.read_text() and "junk" not in copy.read_text()
    assert "left out 2 line(s)" in caplog.text and "junk" not in caplog.text


@pytest.mark.slow
def test_cookies_errors_from_the_command_line(server, tmp_path):
    missing = tmp_path / "missing.txt"
    result = run_recap(f"{server}/tensor_weekly_13.mp3", "--cookies", str(missing),
                       "--cache-dir", str(tmp_path / "cache"))
    assert "no such file" in assert_one_line_error(result)
    assert not missing.exists()

    notes = tmp_path / "notes.txt"
    notes.write_text("".join(f"line {n} of my notes\n" for n in range(28)))
    result = run_recap(f"{server}/tensor_weekly_13.mp3", "--cookies", str(notes),
                       "--cache-dir", str(tmp_path / "cache"))
    assert "not a Netscape cookies file" in assert_one_line_error(result)
    assert "my notes" not in result.stderr

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
