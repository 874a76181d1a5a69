"""What the web gives an article beyond its transcript: the description links' pages, the video's
picture and, with --images, the stories' pictures. Read under the fetch stage's rules for pages (never
with link pages off), once a run: a page or a picture is the same for every stage that asks.

A description from a local file or a server on this network may point inside it; a video's may not.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from recap.core.document import Episode, LinkPage, Outline
from recap.core.files import write_atomic
from recap.core.options import RunOptions
from recap.core.urls import is_internal_address
from recap.language.cues import Cues

STORY_PICTURE = 640  # pixels wide: a story's picture sits beside its text


class WebReads:
    def __init__(self, options: RunOptions, reporter) -> None:
        self.options = options
        self.reporter = reporter
        self._pages: dict[tuple[str, str | None], dict[str, LinkPage]] = {}  # by description and page

    def pages(self, episode: Episode, cues: Cues) -> dict[str, LinkPage]:
        """The pages of the description's links (not the channel's own), by URL."""
        if not (self.options.link_pages and episode.description):
            return {}
        key = (episode.description, episode.url)
        if key not in self._pages:
            from recap.language.description import read_description
            from recap.stages.fetch import read_link_pages

            urls = [d.link.url for d in read_description(episode.description, cues) if not d.boilerplate]
            if urls:
                self.reporter.stage("link pages")
            read = read_link_pages(urls, self.options.cache_dir, _inside(episode), self.options.refresh_links)
            self._pages[key] = read.pages
        return self._pages[key]

    def picture(self, episode: Episode, media: Path | None = None) -> bytes | None:
        """The video's picture as a JPEG: the one its site shows, else the first frame of the
        media's video track."""
        from recap.core.media import picture_jpeg

        if episode.thumbnail and self.options.link_pages:
            from recap.stages.fetch import read_picture

            shown = read_picture(episode.thumbnail, _inside(episode))
            if shown and (jpeg := picture_jpeg(shown)):
                return jpeg
        return picture_jpeg(media) if media is not None else None

    def story_pictures(self, episode: Episode, outline: Outline) -> dict[str, bytes]:
        """With --images: each story's first linked page picture (og:image), by its URL, as a
        small JPEG, from the picture cache or the web; never a file that is no picture."""
        if not (self.options.images and self.options.link_pages):
            return {}
        wanted = {link.image for story in outline.body for link in story.links[:1] if link.image}
        return {url: jpeg for url in wanted if (jpeg := self._story_picture(url, _inside(episode)))}

    def _story_picture(self, url: str, inside: bool) -> bytes | None:
        from recap.core.media import picture_jpeg
        from recap.stages.fetch import read_picture

        cached = self.options.cache_dir / "pictures" / f"{hashlib.sha256(url.encode()).hexdigest()[:32]}.jpg"
        if cached.is_file():
            return cached.read_bytes()
        shown = read_picture(url, inside, missed=None)
        jpeg = picture_jpeg(shown, STORY_PICTURE) if shown else None
        if jpeg:
            with contextlib.suppress(OSError):  # a cache that cannot be written costs a download
                cached.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(cached, jpeg)
        return jpeg


def _inside(episode: Episode) -> bool:
    return episode.url is None or is_internal_address(episode.url)
