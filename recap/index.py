"""OUTDIR/index.md and index.html: every finished episode of a channel, newest first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from recap.archive import Record
from recap.files import write_atomic

# Which article file an index links to, best first, for each index format.
_PREFERRED = {
    "md": ("article.md", "article.html", "article.json"),
    "html": ("article.html", "article.md", "article.json"),
}


@dataclass
class IndexRow:
    title: str
    date: str | None
    stories: int | None
    duration: float | None
    url: str | None  # the episode's own page or media
    links: dict[str, str]  # index format -> relative link to the article


def index_rows(records: Iterable[Record]) -> list[IndexRow]:
    done = [r for r in records if r.status == "done" and r.folder]
    done.sort(key=lambda r: (r.date or "", r.title), reverse=True)  # undated ones last
    return [IndexRow(title=r.title, date=r.date, stories=r.stories, duration=r.duration, url=r.url,
                     links={fmt: _article_link(r, names) for fmt, names in _PREFERRED.items()})
            for r in done]


def _article_link(record: Record, preferred: tuple[str, ...]) -> str:
    name = next((n for n in preferred if n in record.files), "episode.json")
    return f"{quote(record.folder or '')}/{quote(name)}"


def render_index(fmt: str, channel_title: str, channel_url: str | None, rows: list[IndexRow]) -> str:
    from recap.render.writers import environment

    template = environment(html=fmt == "html").get_template(f"index.{fmt}.j2")
    return template.render(channel={"title": channel_title, "url": channel_url}, episodes=rows)


def write_index(out_dir: Path, channel_title: str, channel_url: str | None,
                records: Iterable[Record]) -> list[Path]:
    rows = index_rows(records)
    paths = []
    for fmt in _PREFERRED:
        path = out_dir / f"index.{fmt}"
        write_atomic(path, render_index(fmt, channel_title, channel_url, rows))
        paths.append(path)
    return paths
