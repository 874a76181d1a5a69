"""Stage 1: a URL (through yt-dlp) or a local file, to media on disk and an Episode."""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import logging
import os
import re
import shutil
import socket
import tempfile
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

from recap.core.document import Chapter, Episode, plain_text
from recap.core.errors import DownloadStalled, NotAnEpisode, RecapError, SignInRequired, UnsupportedSource
from recap.core.files import read_text, write_json
from recap.core.options import FetchOptions
from recap.core.urls import InternalAddress, checked_hop, is_internal_address, public_url

log = logging.getLogger(__name__)


def file_digest(path: Path) -> str:
    """sha256 of the file; remembered while the file is unchanged (the episode id and the
    transcript cache key both need it, and a 3-hour WAV takes a second to hash)."""
    stat = path.stat()
    return _digest(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def local_media(source: str) -> Path:
    path = Path(source).expanduser()
    if not path.exists():
        raise RecapError(f"no such file: {source}")
    if path.is_dir():
        raise RecapError(f"{source} is a folder; give a media file or a transcript")
    if not path.is_file():  # /dev/zero, a named pipe: read forever
        raise RecapError(f"{source} is not a regular file (a device, pipe or socket); "
                         "give a media file or a transcript")
    if path.stat().st_size == 0:
        raise RecapError(f"{source} is empty (0 bytes)")
    return path


def local_episode(path: Path) -> Episode:
    return Episode(id=file_digest(path)[:16], title=plain_text(path.stem), extractor="local")


class _YtdlpLog:
    """yt-dlp's messages go to our logger; its errors come back as exceptions instead."""

    def debug(self, msg: str) -> None:
        pass

    info = debug

    def warning(self, msg: str) -> None:
        import logging

        logging.getLogger("recap.stages.fetch").debug("yt-dlp: %s", msg)

    def error(self, msg: str) -> None:
        pass


# -- the stall rule ---------------------------------------------------------------------------
# The socket timeout is per read: a server that sends a byte every few seconds never trips it. A
# transfer (the pages read before a download, then the download) has stalled when, for
# STALL_TIMEOUTS socket timeouts, no new response came and the media grew by less than STALL_BYTES.
STALL_BYTES = 1024
STALL_TIMEOUTS = 3


def stall_window(options: FetchOptions) -> float:
    return STALL_TIMEOUTS * options.socket_timeout


class StallWatch:
    """Ends a yt-dlp session that has stalled: a thread watches for progress (a response opened,
    STALL_BYTES more of the media, as yt-dlp's progress hooks report it) and, after ``window``
    seconds without any, shuts the session's sockets down, which wakes the read that waits on them.
    From then on every request and progress report of the session raises, so yt-dlp's own retries
    end at once; ``stalled`` says why the session failed."""

    def __init__(self, window: float, least: int = STALL_BYTES) -> None:
        self.window = window
        self.least = least
        self.stalled = False
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._mark = 0  # the media's size when progress was last seen
        self._last = time.monotonic()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def attach(self, ydl, public_only: bool = False) -> None:
        """Watch every request ``ydl`` makes (its downloader asks ``ydl.urlopen`` too) and every
        progress report of its downloads. ``public_only``: a response that redirects ended on a
        non-global address is closed unread (see check_redirects for the hops before it)."""
        opener = ydl.urlopen

        def urlopen(request):
            self._check()
            response = opener(request)
            if public_only and is_internal_address(getattr(response, "url", "") or ""):
                response.close()
                checked_hop(response.url, inside=False)  # raises InternalAddress, naming it
            return self.opened(response)

        ydl.urlopen = urlopen
        ydl.add_progress_hook(self.hook)

    def opened(self, response):
        with self._lock:
            self._sockets.update(_sockets_of(response))
            self._last = time.monotonic()
        return response

    def hook(self, status: dict) -> None:
        self._check()
        got = status.get("downloaded_bytes")
        if not isinstance(got, (int, float)):
            return
        with self._lock:
            if got >= self._mark + self.least or status.get("status") == "finished":
                self._mark, self._last = got, time.monotonic()
            elif got < self._mark:  # another download began
                self._mark = got

    def _check(self) -> None:
        if self.stalled:
            raise _stalled_error()(f"no progress for {self.window:g} s")

    def __enter__(self) -> StallWatch:
        self._last = time.monotonic()
        self._thread = threading.Thread(target=self._watch, name="recap-stall-watch", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()

    def _watch(self) -> None:
        tick = min(1.0, self.window / 4)
        while not self._done.wait(tick):
            with self._lock:
                if time.monotonic() - self._last < self.window:
                    continue
                self.stalled = True
                sockets = list(self._sockets)
            for sock in sockets:
                with suppress(OSError):  # closed meanwhile
                    sock.shutdown(socket.SHUT_RDWR)
            return


def _sockets_of(response: Any, depth: int = 0, seen: set[int] | None = None) -> list[socket.socket]:
    """The sockets under a yt-dlp response (urllib's and requests' handlers wrap them a few deep)."""
    seen = set() if seen is None else seen
    if response is None or depth > 6 or id(response) in seen:
        return []
    seen.add(id(response))
    if isinstance(response, socket.socket):
        return [response]
    found = []
    for name in ("fp", "_fp", "raw", "_sock", "sock", "_connection", "connection"):
        found += _sockets_of(getattr(response, name, None), depth + 1, seen)
    return found


@functools.cache
def _stalled_error() -> type[Exception]:
    """What a stalled session raises inside yt-dlp: a DownloadCancelled, which yt-dlp passes on
    untouched (made on first use: yt-dlp is imported only by the commands that download)."""
    from yt_dlp.utils import DownloadCancelled

    class Stalled(DownloadCancelled):
        pass

    return Stalled


@contextmanager
def ytdlp_session(url: str, options: FetchOptions, **params) -> Iterator[tuple[Any, StallWatch]]:
    """A YoutubeDL with recap's params (and ``params``) under the stall rule; a session that
    stalled ends in DownloadStalled naming ``url``, whatever yt-dlp made of the cut connection."""
    from yt_dlp import YoutubeDL

    watch = StallWatch(stall_window(options))
    with YoutubeDL({**ytdlp_params(options), **params}) as ydl, watch:
        watch.attach(ydl, options.public_only)
        try:
            yield ydl, watch
        except Exception as exc:
            if watch.stalled:
                raise _stall(url, watch) from exc
            raise
        if watch.stalled:
            raise _stall(url, watch)


def _stall(url: str, watch: StallWatch) -> DownloadStalled:
    return DownloadStalled(f"cannot download {url}: the server stalled (less than "
                           f"{watch.least // 1024} KiB in {watch.window:g} s)", watch.window)


def ytdlp_params(options: FetchOptions) -> dict:
    params = {
        "format": "bestaudio/best",  # PyAV decodes whatever comes; no ffmpeg postprocessing
        "outtmpl": str(options.download_dir / "%(extractor)s" / "%(id)s.%(ext)s"),
        "quiet": True,
        "noprogress": True,
        "noplaylist": True,
        "socket_timeout": options.socket_timeout,
        "retries": options.retries,
        "fragment_retries": options.retries,
        "logger": _YtdlpLog(),
    }
    if options.cookies:
        params["cookiefile"] = str(private_cookies(options.cookies))
    if options.cookies_from_browser:
        params["cookiesfrombrowser"] = (options.cookies_from_browser,)
    return params


_TRANSIENT = re.compile(r"timed out|timeout|connection (?:reset|aborted|refused)|HTTP Error 5\d\d|"
                        r"temporar|IncompleteRead", re.IGNORECASE)


def _message(exc: Exception) -> str:
    """yt-dlp's error text without colour codes, prefixes and the chained cause."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).strip()
    text = text.splitlines()[0] if text else type(exc).__name__
    text = re.sub(r"^ERROR:\s*", "", text)
    text = re.sub(r"^\[[\w:]+\]\s*", "", text)
    text = re.sub(r"\s*\(caused by .*$|;\s*please report this issue.*$", "", text)
    return re.sub(r"^[\w.-]+: (?=Unable to)", "", text)


def ytdlp_error(url: str, exc: Exception, tries: int = 1) -> RecapError:
    """One line from a yt-dlp exception, with the advice that usually helps."""
    from yt_dlp.utils import UnsupportedError

    cause = getattr(exc, "exc_info", None)
    original = cause[1] if cause and cause[1] else exc
    text = _message(exc)
    if isinstance(original, UnsupportedError) or "Unsupported URL" in text:
        return UnsupportedSource(f"cannot get media from {url}: no video or audio found there")
    if re.search(r"timed out|timeout", text, re.IGNORECASE):
        return UnsupportedSource(f"cannot download {url}: the server stopped answering "
                                 f"(timed out, {tries} tries)")
    if re.search(r"\b(?:403|sign in|bot|cookies|confirm you)", text, re.IGNORECASE):
        return SignInRequired(f"cannot download {url}: {text}")
    return UnsupportedSource(f"cannot download {url}: {text}")


def download(url: str, options: FetchOptions) -> tuple[Episode, Path]:
    """Download with yt-dlp; a stalled or failing server is tried again with a back-off.
    ``options.public_only``: no redirect may lead to a non-global address (check_redirects)."""
    from yt_dlp.utils import YoutubeDLError

    for attempt in range(1, max(options.retries, 0) + 2):
        try:
            if options.public_only:
                check_redirects(url, options)
            return _download_once(url, options)
        except InternalAddress as exc:
            raise RecapError(f"{public_url(url) or url}: not downloaded: {exc}") from None
        except YoutubeDLError as exc:
            if isinstance(exc.__context__, InternalAddress) or "reached from the internet" in _message(exc):
                raise RecapError(f"{public_url(url) or url}: not downloaded: {_message(exc)}") from None
            if attempt > options.retries or not _TRANSIENT.search(_message(exc)):
                raise ytdlp_error(url, exc, attempt) from exc
            log.info("download failed (%s); try %d of %d", _message(exc), attempt + 1, options.retries + 1)
            time.sleep(min(2.0 ** attempt, 30.0) * options.backoff)
    raise AssertionError("unreachable")


MAX_REDIRECTS = 10


def check_redirects(url: str, options: FetchOptions) -> None:
    """The redirects the media's server answers with, taken hop by hop before yt-dlp follows them
    (yt-dlp follows them inside its own networking, unseen): InternalAddress for a hop onto a
    non-global address. A server that answers HEAD badly is left to yt-dlp, whose response is
    checked again where it ends (StallWatch.attach)."""
    import httpx
    from yt_dlp.utils import unsmuggle_url

    url, inside = unsmuggle_url(url, {})[0], False
    with httpx.Client(timeout=options.socket_timeout, follow_redirects=False) as client:
        for _ in range(MAX_REDIRECTS):
            inside = checked_hop(url, inside)
            try:
                response = client.head(url)
            except httpx.HTTPError:
                return
            if not response.is_redirect:
                return
            url = urljoin(url, response.headers.get("location", ""))


def download_key(url: str) -> str:
    """What a download is cached under: the whole URL. An extractor's id would not do: the generic
    extractor's is the file's stem, the same for .../a/episode.mp3 and .../b/episode.mp3."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]


def _download_once(url: str, options: FetchOptions) -> tuple[Episode, Path]:
    """The media of ``url`` in the download cache, fetched unless a sound copy is there already.

    yt-dlp reuses any file at the name it would write; a copy reused must still have the size and
    sha256 noted beside it when it was downloaded (``.recap.json``), else it was cut short or written
    over since, and is downloaded again."""
    for _ in range(2):
        info, path, fresh = _ytdlp_download(url, options)
        if fresh:
            _note_download(path, url, info)
            return episode_from_info(info), path
        problem = _download_problem(path, url)
        if problem is None:
            return episode_from_info(info), path
        log.warning("the cached download of %s is %s; downloading it again", url, problem)
        _forget_download(path)
    raise UnsupportedSource(f"cannot download {url}: the download cache keeps a damaged copy at {path}")


def _ytdlp_download(url: str, options: FetchOptions) -> tuple[dict, Path, bool]:
    folder = str(options.download_dir).replace("%", "%%")  # yt-dlp reads % as a template field
    outtmpl = os.path.join(folder, "%(extractor)s", f"{download_key(url)}.%(ext)s")
    with ytdlp_session(url, options, outtmpl=outtmpl) as (ydl, watch):
        info = ydl.extract_info(url, download=True)
        if info is None or info.get("_type") in ("playlist", "multi_video"):
            raise NotAnEpisode(url)
        path, fresh = _downloaded_path(ydl, info)
        if watch.stalled and fresh:  # a cut that looked like the end of a download of unknown length
            path.unlink(missing_ok=True)
    return info, path, fresh


def _downloaded_path(ydl, info: dict) -> tuple[Path, bool]:
    """Where yt-dlp put the media, and whether it downloaded it now (False: it found it there)."""
    for item in info.get("requested_downloads") or []:
        if item.get("filepath"):
            return Path(item["filepath"]), bool(item.get("__real_download"))
    return Path(ydl.prepare_filename(info)), False


def _note_path(media: Path) -> Path:
    return media.with_name(media.name + ".recap.json")


def _note_download(media: Path, url: str, info: dict) -> None:
    """Note beside a fresh download what it must be when it is reused: its URL, size and sha256
    (yt-dlp has checked the size against the server's Content-Length), and what yt-dlp reported."""
    size = media.stat().st_size
    requested = (info.get("requested_downloads") or [{}])[0]
    note = {"url": url, "size": size, "sha256": file_digest(media),
            "reported_size": requested.get("filesize") or info.get("filesize"),
            "approximate_size": requested.get("filesize_approx") or info.get("filesize_approx"),
            "extractor": info.get("extractor_key") or info.get("extractor"), "id": info.get("id"),
            "format_id": requested.get("format_id") or info.get("format_id")}
    try:
        write_json(_note_path(media), note)
    except OSError as exc:  # without its note the copy is simply downloaded again next time
        log.warning("could not note the download's size (%s)", exc.strerror or exc)


def _download_problem(media: Path, url: str) -> str | None:
    """None when the cached copy is what was downloaded, else what is wrong with it."""
    try:
        note = json.loads(_note_path(media).read_text(encoding="utf-8"))
        size = media.stat().st_size
    except (OSError, ValueError, RecursionError):
        return "of unknown size (its note is missing or damaged)"
    if not isinstance(note, dict) or note.get("url") != url:
        return "of unknown size (its note is missing or damaged)"
    if note.get("size") != size:
        return f"{size} bytes where {note.get('size')} were downloaded"
    if note.get("sha256") != file_digest(media):
        return "not what was downloaded (written over since)"
    return None


def _forget_download(media: Path) -> None:
    for path in (media, _note_path(media)):
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise RecapError(f"cannot replace the cached download {path}: {exc.strerror or exc}") from exc


# -- cookies --------------------------------------------------------------------------------
_COOKIE_HEADER = re.compile(r"#( Netscape)? HTTP Cookie File")  # what yt-dlp's cookie jar requires
_HTTPONLY = "#HttpOnly_"
_private_dir: list[str] = []  # made once per process, removed at exit
_private_lock = threading.Lock()


def private_cookies(path: Path) -> Path:
    """A copy of the user's cookies file for one yt-dlp session: yt-dlp writes its cookie jar back
    to the file it was given when it closes, which would create a missing file and rewrite a good
    one (losing its comments). Each call gets its own copy (sessions on threads never share one),
    in a folder only this user can read, removed when the process ends."""
    cookies = _checked_cookies(*_file_state(path))
    with _private_lock:
        if not _private_dir:
            _private_dir.append(tempfile.mkdtemp(prefix="recap-cookies-"))  # mode 0700
            atexit.register(shutil.rmtree, _private_dir[0], ignore_errors=True)
        fd, copy = tempfile.mkstemp(dir=_private_dir[0], prefix="cookies-", suffix=".txt")  # mode 0600
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(cookies)
    return Path(copy)


def _file_state(path: Path) -> tuple[str, int, int]:
    try:
        info = path.stat()
    except OSError:
        return str(path), -1, -1  # _checked_cookies reports it
    return str(path), info.st_size, info.st_mtime_ns


@functools.lru_cache(maxsize=8)
def _checked_cookies(path_text: str, size: int, mtime_ns: int) -> str:
    """The file's cookie lines, checked once per version of the file: one clear error for a file
    that is not a Netscape cookies file, one warning (never the cookies themselves, which are
    secrets) for lines that are not cookies, which are left out of the copy."""
    path = Path(path_text)
    try:
        text = read_text(path)
    except RecapError as exc:
        raise RecapError(f"cookies file: {exc}") from exc
    lines = text.splitlines(keepends=True)
    if not lines or not _COOKIE_HEADER.search(lines[0]):
        kind = "a JSON file" if text.lstrip()[:1] in ("[", "{") else "not a Netscape cookies file"
        raise RecapError(f"cookies file {path} is {kind}: its first line must be "
                         "'# Netscape HTTP Cookie File' (export it with a cookies.txt browser extension)")
    kept, skipped = [lines[0]], []
    for number, line in enumerate(lines[1:], start=2):
        if _is_cookie_line(line):
            kept.append(line if line.endswith("\n") else line + "\n")
        else:
            skipped.append(number)
    if skipped and len(kept) == 1:
        raise RecapError(f"cookies file {path} holds no cookies: no line has the 7 tab-separated fields "
                         "of a Netscape cookies file")
    if skipped:
        shown = ", ".join(map(str, skipped[:5])) + (", ..." if len(skipped) > 5 else "")
        log.warning("cookies file %s: left out %d line(s) that are not cookies (line %s)",
                    path, len(skipped), shown)
    return "".join(kept)


def _is_cookie_line(line: str) -> bool:
    """A comment, a blank line or a cookie (7 tab-separated fields, expiry a number or empty)."""
    if line.startswith(_HTTPONLY):
        line = line[len(_HTTPONLY):]
    elif line.startswith("#") or not line.strip():
        return True
    fields = line.rstrip("\r\n").split("\t")
    return len(fields) == 7 and re.fullmatch(r"(?:[0-9]+(?:\.[0-9]+)?)?", fields[4]) is not None


def iso_date(day: object) -> str | None:
    """yt-dlp's "20240315" (or "2024-03-15") as "2024-03-15"; None for anything else: missing,
    "NA", a number, a day no calendar has."""
    if not isinstance(day, str):
        return None
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(day.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def episode_from_info(info: dict) -> Episode:
    page = info.get("webpage_url") or info.get("original_url")
    extractor = (info.get("extractor_key") or info.get("extractor") or "generic").lower()
    direct = extractor == "generic" and looks_like_media(page)
    uploader = info.get("uploader") or info.get("channel")
    return Episode(  # what the video says enters here, without control characters or credentials
        id=str(info.get("id")),
        title=plain_text(str(info.get("title") or info.get("id"))),
        url=public_url(page),
        media_url=public_url(page) if direct else None,
        extractor=extractor,
        uploader=plain_text(str(uploader)) if uploader else None,
        upload_date=iso_date(info.get("upload_date")),
        description=plain_text(str(info.get("description") or ""), lines=True),
        duration=info.get("duration"),
        chapters=[Chapter(title=plain_text(str(c.get("title") or "")), start=float(c.get("start_time") or 0),
                          end=c.get("end_time")) for c in info.get("chapters") or []],
        thumbnail=public_url(info.get("thumbnail")),
    )


def looks_like_media(url: str | None) -> bool:
    """A URL whose path names a media file."""
    path = urlparse(url or "").path.lower()
    return path.endswith((".mp3", ".mp4", ".m4a", ".webm", ".ogg", ".opus", ".wav", ".mkv", ".aac"))
