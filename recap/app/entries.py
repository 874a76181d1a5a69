"""The episodes of a channel, playlist or podcast feed, listed without downloading any.

yt-dlp's flat extraction gives one small dict per entry; ``Entry`` keeps what recap needs
to choose, name and later fetch each one, and ``Skipped`` each listed item recap cannot use
(an item with no media, a link that is not http(s), a guid listed twice), with the reason the
run's table gives. ``Selection`` is the user's --since/--until/--match-title/--limit.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Protocol

from recap.core.document import plain_text
from recap.core.errors import NotAChannel, RecapError, UnsupportedSource
from recap.core.urls import http_url, is_internal_address, public_url
from recap.stages.fetch import FetchOptions, iso_date, looks_like_media, ytdlp_error, ytdlp_session

log = logging.getLogger(__name__)
MAX_FEED_BYTES = 64 * 1024 * 1024  # a feed read again to find the items yt-dlp leaves out
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # javascript:, file://, data: ... (an id has none)


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
    position: int = 0  # its place in the listing
    public_only: bool = False  # a feed on the internet listed it: its download may not go inside

    @property
    def key(self) -> str:
        """The archive key, as yt-dlp's download archive spells it: extractor and id."""
        return f"{self.extractor} {self.id}"


@dataclass(frozen=True)
class Skipped:
    """A listed item that cannot be an episode, and why (reported in the run's table, never archived)."""

    title: str
    reason: str
    position: int  # its place in the listing
    date: str | None = None
    url: str | None = None

    @property
    def key(self) -> str:
        return f"listing {self.position}"  # unique in the run's table


class _Unusable(Exception):
    """Why a listed entry cannot be an episode."""


@dataclass(frozen=True)
class Channel:
    title: str
    url: str
    entries: tuple[Entry, ...]
    skipped: tuple[Skipped, ...] = ()


_RELATIVE_DAY = re.compile(r"(?i)(?:now|today|yesterday)(?:[+-]\d+(?:day|week|month|year)s?)?")


def parse_date(text: str) -> str:
    """YYYY-MM-DD, YYYYMMDD, or a day relative to today as yt-dlp's --dateafter takes it
    ("today", "now-2weeks", "today-1month"), to ISO; ValueError with a readable message otherwise."""
    day = iso_date(text)
    if day is None and _RELATIVE_DAY.fullmatch(text.strip()):
        from yt_dlp.utils import date_from_str

        day = date_from_str(text.strip().lower()).isoformat()
    if day is None:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD, or now-2weeks)")
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


def entry_from_flat(item: dict, default_extractor: str, position: int = 0) -> Entry | None:
    """One flat playlist entry; None for entries with no URL (deleted or private videos).
    Raises _Unusable for an entry whose URL is not one recap fetches (not http(s), or holding
    spaces or control characters). Its title and description come without control characters."""
    from yt_dlp.utils import unsmuggle_url

    fetch_url = item.get("url") or item.get("webpage_url")
    if not fetch_url:
        return None
    if not isinstance(fetch_url, str):
        raise _Unusable("its link is not a URL")
    clean_url, smuggled = unsmuggle_url(fetch_url, {})
    if _SCHEME.match(clean_url) or not clean_url.isprintable() or " " in clean_url:  # a bare id passes
        try:
            http_url(clean_url)
        except ValueError:
            raise _Unusable("its media link is not an http(s) URL, or holds spaces or control "
                            "characters") from None
    entry_id = item.get("id") or (smuggled or {}).get("force_videoid") or clean_url
    title = plain_text(str(item.get("title") or "")).strip()
    return Entry(
        extractor=(item.get("ie_key") or default_extractor).lower(),
        id=str(entry_id),
        url=public_url(item.get("webpage_url")) or public_url(clean_url) or clean_url,
        fetch_url=fetch_url,
        title=title or str(entry_id),
        date=entry_date(item),
        duration=item.get("duration"),
        description=plain_text(str(item.get("description") or ""), lines=True),
        transparent=item.get("_type") == "url_transparent",
        position=position,
    )


def _flat_info(url: str, options: FetchOptions) -> tuple[dict, list[dict] | None]:
    """yt-dlp's flat listing, and for an RSS feed every item of it as the feed has them (yt-dlp
    leaves out items with no enclosure and no link; None where the feed cannot be read again)."""
    from yt_dlp.utils import YoutubeDLError

    try:
        with ytdlp_session(url, options, extract_flat="in_playlist", noplaylist=False) as (ydl, _):
            info = ydl.extract_info(url, download=False)
            items = _feed_items(ydl, url) if _is_rss(info, url) else None
    except YoutubeDLError as exc:
        raise ytdlp_error(url, exc) from exc
    if info and _is_guessed_media(info):
        raise UnsupportedSource(f"{url} is not a feed: what it sent is not XML (an RSS or Atom feed), "
                                "nor a channel or playlist page")
    if not info or info.get("_type") not in ("playlist", "multi_video"):
        raise NotAChannel(url)
    return info, items


def _is_guessed_media(info: dict) -> bool:
    """yt-dlp's last resort for a URL it knows nothing of: "could be a direct link", with no codec and
    no media file name (a text, JSON or broken XML file where a feed was expected)."""
    return (str(info.get("extractor_key") or info.get("extractor") or "").lower() == "generic"
            and info.get("_type", "video") == "video" and bool(info.get("direct"))
            and not info.get("acodec") and not info.get("vcodec")
            and not looks_like_media(info.get("webpage_url") or info.get("url")))


def _is_rss(info: dict | None, url: str) -> bool:
    return bool(info) and info.get("_type") == "playlist" and info.get("id") == url and \
        str(info.get("extractor_key") or "").lower() == "generic"


def _feed_items(ydl, url: str) -> list[dict] | None:
    """Each <item> of the RSS feed at ``url``: its title, date and media link (None if it has none)."""
    import xml.etree.ElementTree as ElementTree

    try:
        with ydl.urlopen(url) as response:
            document = response.read(MAX_FEED_BYTES + 1)
        if len(document) > MAX_FEED_BYTES:
            return None
        root = ElementTree.fromstring(document)
    except Exception as exc:  # only the report of what the listing leaves out is lost
        if isinstance(exc, RecapError):
            raise
        log.debug("could not read the feed again: %s", exc)
        return None
    items = []
    for item in root.findall("./channel/item"):
        link = next((e.attrib.get("url") for e in item.findall("./enclosure")), None) or item.findtext("link")
        items.append({"title": (item.findtext("title") or "").strip(), "url": (link or "").strip() or None,
                      "date": _rss_date(item.findtext("pubDate"))})
    return items


def _rss_date(text: str | None) -> str | None:
    try:
        return parsedate_to_datetime(text.strip()).date().isoformat() if text else None
    except (TypeError, ValueError, IndexError):
        return None


def list_channel(url: str, options: FetchOptions) -> Channel:
    """Every entry of the channel, in its own order (newest first for channels and feeds), and the
    listed items that cannot be episodes, with the reason."""
    info, items = _flat_info(url, options)
    default_extractor = info.get("extractor_key") or info.get("extractor") or "generic"
    entries: dict[str, Entry] = {}
    skipped: list[Skipped] = []
    listed = [item for item in info.get("entries") or [] if isinstance(item, dict)]
    positions = _positions(listed, items)
    internal_feed = is_internal_address(url)
    for item, position in zip(listed, positions):
        title = plain_text(str(item.get("title") or "")).strip() or "(no title)"
        try:
            entry = entry_from_flat(item, default_extractor, position)
            if entry and not internal_feed:
                _refuse_internal(entry)
                entry = replace(entry, public_only=True)
        except _Unusable as exc:
            skipped.append(Skipped(title, str(exc), position, entry_date(item)))
            continue
        if entry is None:
            skipped.append(Skipped(title, "no media: the item has no link", position, entry_date(item)))
        elif entry.key in entries:  # a feed may list one episode twice
            first = entries[entry.key]
            skipped.append(Skipped(entry.title, f"the same id (guid) as \"{first.title}\", listed before it",
                                   position, entry.date, entry.url))
        else:
            entries[entry.key] = entry
    for position, item in enumerate(items or []):
        if not item["url"]:
            title = plain_text(item["title"]).strip() or "(no title)"
            skipped.append(Skipped(title, "no media: the item has no enclosure and no link", position,
                                   item["date"]))
    title = plain_text(str(info.get("title") or info.get("id") or url)).strip() or url
    return Channel(title=title, url=url, entries=tuple(entries.values()),
                   skipped=tuple(sorted(skipped, key=lambda s: s.position)))


def _refuse_internal(entry: Entry) -> None:
    """A feed on the internet may not point recap at this machine or its network (only a feed
    served from such an address may: a feed on a home server, the tests' loopback feed)."""
    from yt_dlp.utils import unsmuggle_url

    media_url = unsmuggle_url(entry.fetch_url, {})[0]
    if _SCHEME.match(media_url) and is_internal_address(media_url):
        raise _Unusable("its media link points at a loopback, private or link-local address, and the "
                        "feed is not on one")


def _positions(listed: list[dict], items: list[dict] | None) -> list[int]:
    """Each listed entry's place among the feed's items (those yt-dlp left out count too)."""
    if items is None:
        return list(range(len(listed)))
    with_media = [position for position, item in enumerate(items) if item["url"]]
    if len(with_media) != len(listed):  # the feed changed between the two reads
        return list(range(len(listed)))
    return with_media


def probe_date(entry: Entry, options: FetchOptions) -> Entry:
    """The entry with its date, read from its page without downloading the media.

    YouTube's flat listings carry no dates; --since/--until needs one before deciding to download.
    """
    from yt_dlp.utils import YoutubeDLError

    try:
        with ytdlp_session(entry.url, options) as (ydl, _):
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

    def matches(self, entry: Listed) -> bool:
        return self.in_dates(entry.date) and (self.title is None or bool(self.title.search(entry.title)))

    def apply(self, entries: Iterable[Entry]) -> list[Entry]:
        chosen = [entry for entry in entries if self.matches(entry)]
        return chosen if self.limit is None else chosen[: self.limit]

    def reported(self, skipped: Iterable[Skipped], chosen: list[Entry]) -> list[Skipped]:
        """The skipped items the run's table lists: those the filters would pick, and under --limit
        only those listed before the last episode it picked."""
        last = chosen[-1].position if chosen else -1
        return [item for item in skipped
                if self.matches(item) and (self.limit is None or item.position < last)]


class Listed(Protocol):
    title: str
    date: str | None
