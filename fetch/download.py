"""A URL downloaded into the cache: tried again with a back-off, every redirect hop checked where
a feed on the internet listed it, and a cached download checked before it is used again."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path
from urllib.parse import urljoin

from recap.core.document import Episode
from recap.core.errors import NotAnEpisode, RecapError, UnsupportedSource
from recap.core.files import write_json
from recap.core.options import FetchOptions
from recap.core.urls import InternalAddress, checked_hop, public_url
from recap.stages.fetch.local import file_digest
from recap.stages.fetch.ytdlp import (
    TRANSIENT,
    episode_from_info,
    ytdlp_error,
    ytdlp_message,
    ytdlp_session,
)

log = logging.getLogger(__name__)

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
            said = ytdlp_message(exc)
            if isinstance(exc.__context__, InternalAddress) or "reached from the internet" in said:
                raise RecapError(f"{public_url(url) or url}: not downloaded: {said}") from None
            if attempt > options.retries or not TRANSIENT.search(said):
                raise ytdlp_error(url, exc, attempt) from exc
            log.info("download failed (%s); try %d of %d", said, attempt + 1, options.retries + 1)
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
