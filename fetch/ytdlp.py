"""yt-dlp as recap uses it: its params, a session under the stall rule, its errors as one line,
and its info dicts as Episodes."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from recap.core.document import Chapter, Episode, plain_text
from recap.core.errors import DownloadStalled, RecapError, SignInRequired, UnsupportedSource
from recap.core.options import FetchOptions
from recap.core.urls import public_url
from recap.stages.fetch.cookies import private_cookies
from recap.stages.fetch.stall import StallWatch, stall_window

log = logging.getLogger(__name__)


class _YtdlpLog:
    """yt-dlp's messages go to our logger; its errors come back as exceptions instead."""

    def debug(self, msg: str) -> None:
        pass

    info = debug

    def warning(self, msg: str) -> None:
        log.debug("yt-dlp: %s", msg)

    def error(self, msg: str) -> None:
        pass


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


TRANSIENT = re.compile(r"timed out|timeout|connection (?:reset|aborted|refused)|HTTP Error 5\d\d|"
                        r"temporar|IncompleteRead", re.IGNORECASE)


def ytdlp_message(exc: Exception) -> str:
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
    text = ytdlp_message(exc)
    if isinstance(original, UnsupportedError) or "Unsupported URL" in text:
        return UnsupportedSource(f"cannot get media from {url}: no video or audio found there")
    if re.search(r"timed out|timeout", text, re.IGNORECASE):
        return UnsupportedSource(f"cannot download {url}: the server stopped answering "
                                 f"(timed out, {tries} tries)")
    if re.search(r"\b(?:403|sign in|bot|cookies|confirm you)", text, re.IGNORECASE):
        return SignInRequired(f"cannot download {url}: {text}")
    return UnsupportedSource(f"cannot download {url}: {text}")


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
