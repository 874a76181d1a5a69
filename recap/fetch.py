"""Stage 1: a URL (through yt-dlp) or a local file, to media on disk and an Episode."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import time
from pathlib import Path
from urllib.parse import urlparse

from recap.document import Chapter, Episode
from recap.errors import NotAnEpisode, RecapError, SignInRequired, UnsupportedSource
from recap.options import FetchOptions

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
    if path.stat().st_size == 0:
        raise RecapError(f"{source} is empty (0 bytes)")
    return path


def local_episode(path: Path) -> Episode:
    return Episode(id=file_digest(path)[:16], title=path.stem, extractor="local")


class _YtdlpLog:
    """yt-dlp's messages go to our logger; its errors come back as exceptions instead."""

    def debug(self, msg: str) -> None:
        pass

    info = debug

    def warning(self, msg: str) -> None:
        import logging

        logging.getLogger("recap.fetch").debug("yt-dlp: %s", msg)

    def error(self, msg: str) -> None:
        pass


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
        params["cookiefile"] = str(options.cookies)
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
    """Download with yt-dlp; a stalled or failing server is tried again with a back-off."""
    from yt_dlp.utils import YoutubeDLError

    for attempt in range(1, options.retries + 2):
        try:
            return _download_once(url, options)
        except YoutubeDLError as exc:
            if attempt > options.retries or not _TRANSIENT.search(_message(exc)):
                raise ytdlp_error(url, exc, attempt) from exc
            log.info("download failed (%s); try %d of %d", _message(exc), attempt + 1, options.retries + 1)
            time.sleep(min(2.0 ** attempt, 30.0) * options.backoff)
    raise AssertionError("unreachable")


def _download_once(url: str, options: FetchOptions) -> tuple[Episode, Path]:
    from yt_dlp import YoutubeDL

    with YoutubeDL(ytdlp_params(options)) as ydl:
        info = ydl.extract_info(url, download=True)
        if info is None or info.get("_type") in ("playlist", "multi_video"):
            raise NotAnEpisode(url)
        return episode_from_info(info), _downloaded_path(ydl, info)


def _downloaded_path(ydl, info: dict) -> Path:
    for item in info.get("requested_downloads") or []:
        if item.get("filepath"):
            return Path(item["filepath"])
    return Path(ydl.prepare_filename(info))


def iso_date(yyyymmdd: object) -> str | None:
    """yt-dlp's "20240315" as "2024-03-15"; None for anything else (missing, "NA", a number)."""
    if isinstance(yyyymmdd, str) and re.fullmatch(r"\d{8}", yyyymmdd):
        return f"{yyyymmdd[:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:]}"
    return None


def episode_from_info(info: dict) -> Episode:
    page = info.get("webpage_url") or info.get("original_url")
    extractor = (info.get("extractor_key") or info.get("extractor") or "generic").lower()
    direct = extractor == "generic" and _looks_like_media(page)
    return Episode(
        id=str(info.get("id")),
        title=info.get("title") or str(info.get("id")),
        url=page,
        media_url=page if direct else None,
        extractor=extractor,
        uploader=info.get("uploader") or info.get("channel"),
        upload_date=iso_date(info.get("upload_date")),
        description=info.get("description") or "",
        duration=info.get("duration"),
        chapters=[Chapter(title=c.get("title") or "", start=float(c.get("start_time") or 0),
                          end=c.get("end_time")) for c in info.get("chapters") or []],
    )


def _looks_like_media(url: str | None) -> bool:
    path = urlparse(url or "").path.lower()
    return path.endswith((".mp3", ".mp4", ".m4a", ".webm", ".ogg", ".opus", ".wav", ".mkv", ".aac"))
