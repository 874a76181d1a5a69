"""The episodes of a channel, playlist or podcast feed, listed without downloading any.

yt-dlp's flat extraction gives one small dict per entry; ``Entry`` keeps what recap needs
to choose, name and later fetch each one. ``Selection`` is the user's --since/--until/
--match-title/--limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from recap.errors import NotAChannel
from recap.fetch import FetchOptions, iso_date, ytdlp_error, ytdlp_params


@dataclass(frozen=True)
class Entry:
    extractor: str
    id: str
    url: str  # clean: shown to users and linked from the article
    fetch_url: str  # what yt-dlp gets; a feed's may carry a smuggled id that names the download
    title: str
    date: str | None = None  # ISO YYYY-MM-DD
    duration: float | None = None
    description: str = ""
    # yt-dlp's "url_transparent": the listing's title and date win over what the media says
    # (a feed item's title, not the mp3's file name).
    transparent: bool = False

    @property
    def key(self) -> str:
        """The archive key, as yt-dlp's download archive spells it: extractor and id."""
        return f"{self.extractor} {self.id}"


@dataclass(frozen=True)
class Channel:
    title: str
    url: str
    entries: tuple[Entry, ...]


def parse_date(text: str) -> str:
    """YYYY-MM-DD or YYYYMMDD to ISO; ValueError with a readable message otherwise."""
    day = iso_date(text)
    if day is None:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD)")
    return day


def entry_date(info: dict) -> str | None:
    """The publication date from an info dict: upload_date, else a timestamp (feeds give pubDate so)."""
    day = iso_date(info.get("upload_date") or info.get("release_date"))
    if day:
        return day
    stamp = info.get("timestamp") or info.get("release_timestamp")
    if isinstance(stamp, (int, float)):
        return datetime.fromtimestamp(stamp, tz=timezone.utc).date().isoformat()
    return None


def entry_from_flat(item: dict, default_extractor: str) -> Entry | None:
    """One flat playlist entry; None for entries with no URL (deleted or private videos)."""
    from yt_dlp.utils import unsmuggle_url

    fetch_url = item.get("url") or item.get("webpage_url")
    if not fetch_url:
        return None
    clean_url, smuggled = unsmuggle_url(fetch_url, {})
    entry_id = item.get("id") or (smuggled or {}).get("force_videoid") or clean_url
    return Entry(
        extractor=(item.get("ie_key") or default_extractor).lower(),
        id=str(entry_id),
        url=item.get("webpage_url") or clean_url,
        fetch_url=fetch_url,
        title=item.get("title") or str(entry_id),
        date=entry_date(item),
        duration=item.get("duration"),
        description=item.get("description") or "",
        transparent=item.get("_type") == "url_transparent",
    )


def _flat_info(url: str, options: FetchOptions) -> dict:
    from yt_dlp import YoutubeDL
    from yt_dlp.utils import YoutubeDLError

    params = {**ytdlp_params(options), "extract_flat": "in_playlist", "noplaylist": False}
    try:
        with YoutubeDL(params) as ydl:
            info = ydl.extract_info(url, download=False)
    except YoutubeDLError as exc:
        raise ytdlp_error(url, exc) from exc
    if not info or info.get("_type") not in ("playlist", "multi_video"):
        raise NotAChannel(url)
    return info


def list_channel(url: str, options: FetchOptions) -> Channel:
    """Every entry of the channel, in its own order (newest first for channels and feeds)."""
    info = _flat_info(url, options)
    default_extractor = info.get("extractor_key") or info.get("extractor") or "generic"
    entries: dict[str, Entry] = {}
    for item in info.get("entries") or []:
        entry = entry_from_flat(item, default_extractor) if isinstance(item, dict) else None
        if entry is not None:
            entries.setdefault(entry.key, entry)  # a feed may list one episode twice
    return Channel(title=info.get("title") or info.get("id") or url, url=url,
                   entries=tuple(entries.values()))


def probe_date(entry: Entry, options: FetchOptions) -> Entry:
    """The entry with its date, read from its page without downloading the media.

    YouTube's flat listings carry no dates; --since/--until needs one before deciding to download.
    """
    from yt_dlp import YoutubeDL
    from yt_dlp.utils import YoutubeDLError

    try:
        with YoutubeDL(ytdlp_params(options)) as ydl:
            info = ydl.extract_info(entry.fetch_url, download=False) or {}
    except YoutubeDLError as exc:
        raise ytdlp_error(entry.url, exc) from exc
    return replace(entry, date=entry_date(info))


@dataclass(frozen=True)
class Selection:
    since: str | None = None  # ISO dates, both ends included
    until: str | None = None
    title: re.Pattern[str] | None = None
    limit: int | None = None  # the first N that match, in the channel's order

    @property
    def has_dates(self) -> bool:
        return bool(self.since or self.until)

    def in_dates(self, date: str | None) -> bool:
        """An unknown date passes: it is checked again once the episode's page is read."""
        if date is None:
            return True
        return (self.since is None or date >= self.since) and (self.until is None or date <= self.until)

    def matches(self, entry: Entry) -> bool:
        return self.in_dates(entry.date) and (self.title is None or bool(self.title.search(entry.title)))

    def apply(self, entries: Iterable[Entry]) -> list[Entry]:
        chosen = [entry for entry in entries if self.matches(entry)]
        return chosen if self.limit is None else chosen[: self.limit]
