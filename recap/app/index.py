"""OUTDIR/index.md, index.html and feed.xml: every finished episode of a channel, newest first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote, unquote

from recap.app.archive import Record
from recap.app.feed import FEED_NAME, FeedEntry, render_feed
from recap.core.files import write_atomic
from recap.core.timecodes import clock
from recap.core.urls import public_url

# Which article file an index links to, best first, for each index format.
_PREFERRED = {
    "md": ("article.md", "article.html", "article.json"),
    "html": ("article.html", "article.md", "article.json"),
}
_FEED_LINK = "html"  # the feed's readers open articles in a browser


@dataclass
class IndexRow:
    title: str
    date: str | None
    stories: int | None
    duration: float | None
    url: str | None  # the episode's own page or media
    links: dict[str, str]  # index format -> relative link to the article
    key: str = ""  # the archive key
    summary: str = ""  # the article's intro ("" in archives from before summaries were kept)


def index_rows(records: Iterable[Record]) -> list[IndexRow]:
    done = [r for r in records if r.status == "done" and r.folder]
    done.sort(key=lambda r: (r.date or "", r.title), reverse=True)  # undated ones last
    return [IndexRow(title=r.title, date=r.date, stories=r.stories, duration=r.duration, url=r.url,
                     links={fmt: _article_link(r, names) for fmt, names in _PREFERRED.items()},
                     key=r.key, summary=r.summary)
            for r in done]


def _article_link(record: Record, preferred: tuple[str, ...]) -> str:
    name = next((n for n in preferred if n in record.files), "episode.json")
    return f"{quote(record.folder or '')}/{quote(name)}"


def render_index(fmt: str, channel_title: str, channel_url: str | None, rows: list[IndexRow]) -> str:
    from recap.stages.render import environment

    template = environment(html=fmt == "html").get_template(f"index.{fmt}.j2")
    # the channel's URL without a private feed's user, password and tokens, as feed.xml has it
    return template.render(channel={"title": channel_title, "url": public_url(channel_url)}, episodes=rows)


def write_index(out_dir: Path, channel_title: str, channel_url: str | None,
                records: Iterable[Record]) -> list[Path]:
    rows = index_rows(records)
    paths = []
    for fmt in _PREFERRED:
        path = out_dir / f"index.{fmt}"
        write_atomic(path, render_index(fmt, channel_title, channel_url, rows))
        paths.append(path)
    feed = out_dir / FEED_NAME
    write_atomic(feed, render_feed(channel_title, channel_url, [_feed_entry(out_dir, row) for row in rows]))
    return [*paths, feed]


def _feed_entry(out_dir: Path, row: IndexRow) -> FeedEntry:
    link = row.links[_FEED_LINK]
    return FeedEntry(key=row.key, title=row.title, link=link, summary=row.summary or _counts(row),
                     published=row.date, written=_written(out_dir / unquote(link)), source=row.url)


def _counts(row: IndexRow) -> str:
    """What an article from before summaries were archived can still say of itself."""
    parts = [f"{row.stories} {'story' if row.stories == 1 else 'stories'}" if row.stories is not None else "",
             clock(row.duration) if row.duration else ""]
    return " · ".join(part for part in parts if part)


def _written(path: Path) -> datetime | None:
    """The article's modification time: when recap wrote it, the same on every rebuild of the feed."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
    except (OSError, ValueError):
        return None
