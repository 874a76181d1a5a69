"""Which strings are URLs, which may become links, and the link into the video at a moment."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

from recap.document import Episode

_YOUTUBE_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com")


def is_url(source: str) -> bool:
    """Any scheme://...: what the user gave is to be downloaded, not read from disk."""
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source))


def is_http_url(url: str) -> bool:
    """Only http(s) URLs become links: javascript:, data:, file: and the like never do."""
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def time_url(episode: Episode, seconds: float | None) -> str | None:
    """The video at ``seconds``: ``?t=`` for YouTube-like pages, ``#t=`` for media files."""
    if seconds is None:
        return None
    t = int(seconds)
    page = episode.url if episode.url and is_http_url(episode.url) else None
    if page and any(h in urlparse(page).netloc for h in _YOUTUBE_HOSTS):
        parts = urlparse(page)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "t"] + [("t", str(t))]
        return urlunparse(parts._replace(query=urlencode(query)))
    media = episode.media_url or page
    if media and is_http_url(media):
        return f"{media.split('#')[0]}#t={t}"
    return None
