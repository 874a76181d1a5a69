"""From an Episode and its Stories to the Article the templates render."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

from recap.document import Article, ArticleStory, Episode, Section, Story
from render.links import assign_links, description_links, is_http_url

SUMMARY_WORDS = 60
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_FILLER = re.compile(r"\b(?:um+|uh+|erm|you know|i guess|i mean|kind of|sort of),?\s*", re.IGNORECASE)
_YOUTUBE_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com")


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


def summarise(text: str, max_words: int = SUMMARY_WORDS) -> str:
    """The story's opening sentences, fillers out, within ``max_words``."""
    chosen: list[str] = []
    count = 0
    for sentence in _SENTENCE.split(text.strip()):
        sentence = _FILLER.sub("", sentence).strip()
        words = len(sentence.split())
        if not words:
            continue
        if chosen and count + words > max_words:
            break
        chosen.append(sentence[:1].upper() + sentence[1:])
        count += words
        if len(chosen) == 3:
            break
    return " ".join(chosen)


def build_article(episode: Episode, stories: Sequence[Story]) -> Article:
    placed, footer = assign_links(description_links(episode.description), stories)
    body = []
    for i, story in enumerate(stories):
        if story.kind in ("intro", "outro"):
            continue
        body.append(ArticleStory(
            title=story.title, summary=summarise(story.text), start=story.start, end=story.end,
            span=story.span, kind=story.kind, links=placed.get(i, []),
            time_url=time_url(episode, story.start),
        ))
    intro = next((summarise(s.text, 40) for s in stories if s.kind == "intro"), "")
    if not intro and episode.description:
        intro = episode.description.strip().splitlines()[0]
    return Article(
        title=episode.title, url=episode.url if episode.url and is_http_url(episode.url) else None,
        date=episode.upload_date, intro=intro, sections=[Section("Stories", body)] if body else [],
        footer_links=footer, show=episode.uploader, duration=episode.duration,
    )
