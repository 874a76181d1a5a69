"""OUTDIR/feed.xml: a channel's finished articles as an Atom 1.0 feed (RFC 4287), newest first.

The XML is built with ElementTree, a real serializer, not a template: it escapes every text and
attribute by the rules of XML (a jinja2 template escapes for HTML and leaves the document's shape to
the template's author), so a title such as ``<script>`` or ``&`` can only ever be text. What XML 1.0
cannot hold at all (lone surrogates, U+FFFE/U+FFFF) is dropped, with what recap strips from all text
from a video (control characters, escape sequences, bidi overrides: ``plain_text``).

Ids are ``urn:uuid:`` names derived from the channel's URL and each episode's archive key: the same
on every rebuild, and valid without knowing where the feed will be published. Article links are
relative, as in the index: the articles sit beside the feed, and readers resolve them against the
feed's own URL.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime, timezone

from recap.core.document import plain_text
from recap.core.urls import public_url

ATOM = "http://www.w3.org/2005/Atom"
FEED_NAME = "feed.xml"
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")  # no XML 1.0 document may hold these
_NO_DATE = datetime(1970, 1, 1, tzinfo=timezone.utc)  # stable, unlike "now", for an entry with no time at all


@dataclass
class FeedEntry:
    key: str  # the archive key: the entry's id is made from it
    title: str
    link: str  # the article, relative to the feed
    summary: str
    published: str | None  # YYYY-MM-DD, when the episode came out
    written: datetime | None  # when its article was written
    source: str | None  # the episode's own page or media


def render_feed(channel_title: str, channel_url: str | None, entries: list[FeedEntry],
                now: datetime | None = None) -> str:
    """The feed as XML text; ``now`` is its updated time only when there are no entries."""
    feed_id = _feed_uuid(channel_title, channel_url)
    root = ET.Element("feed", xmlns=ATOM)
    _text(root, "id", feed_id.urn)
    _text(root, "title", _clean(channel_title) or "recap")
    updated = max((_updated(entry) for entry in entries), default=now or datetime.now(timezone.utc))
    _text(root, "updated", _stamp(updated))
    _text(ET.SubElement(root, "author"), "name", _clean(channel_title) or "recap")
    ET.SubElement(root, "link", rel="alternate", type="text/html", href="index.html")
    if public_url(channel_url):
        ET.SubElement(root, "link", rel="related", href=public_url(channel_url))
    _text(root, "generator", "recap")
    for entry in entries:
        _entry(root, entry, feed_id)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _entry(root: ET.Element, entry: FeedEntry, feed_id: uuid.UUID) -> None:
    element = ET.SubElement(root, "entry")
    _text(element, "id", uuid.uuid5(feed_id, entry.key).urn)
    _text(element, "title", _clean(entry.title) or "(untitled)")
    _text(element, "updated", _stamp(_updated(entry)))
    if _day(entry.published):
        _text(element, "published", _stamp(_day(entry.published)))
    link = ET.SubElement(element, "link", rel="alternate", href=entry.link)
    if entry.link.endswith(".html"):  # readers take an untyped alternate as the page to open, too:
        link.set("type", "text/html")  # an article only in Markdown (--format md) is not typed away
    if public_url(entry.source):
        ET.SubElement(element, "link", rel="related", href=public_url(entry.source))
    if _clean(entry.summary, lines=True).strip():
        _text(element, "summary", _clean(entry.summary, lines=True).strip())


def _feed_uuid(channel_title: str, channel_url: str | None) -> uuid.UUID:
    """From the URL the channel was listed from (what a cron job repeats), else from its title."""
    if channel_url:
        return uuid.uuid5(uuid.NAMESPACE_URL, channel_url)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"recap-channel:{channel_title}")


def _updated(entry: FeedEntry) -> datetime:
    """When the article was written; for one whose file is gone, the day the episode came out."""
    return entry.written or _day(entry.published) or _NO_DATE


def _day(text: str | None) -> datetime | None:
    """Midnight UTC of a YYYY-MM-DD date; None for no date or one that is not a date."""
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def _stamp(moment: datetime) -> str:
    """RFC 3339 in UTC, to the second, as Atom's date constructs want it."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clean(text: str, lines: bool = False) -> str:
    return _NOT_XML.sub("", plain_text(text if isinstance(text, str) else "", lines=lines))


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element
