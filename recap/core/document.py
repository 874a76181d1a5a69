"""The typed objects that flow between the stages, each saved as JSON.

fetch -> Episode, transcribe -> Transcript, segment -> Story list, render -> Article.
Every object round-trips through ``to_dict``/``from_dict`` so any stage can restart
from the file the previous one wrote.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, get_args

from recap.core.checks import SchemaError as SchemaError  # the documents' reading error
from recap.core.checks import Shape, T, build, items
from recap.core.checks import plain_text as plain_text  # what a document's text may hold


@dataclass
class Chapter:
    title: str
    start: float
    end: float | None = None


@dataclass
class Episode:
    """Where the audio came from and what its publisher said about it."""

    id: str
    title: str
    url: str | None = None  # the page to link back to (None for a local file)
    media_url: str | None = None  # the media itself, for "#t=" links
    extractor: str = "local"
    uploader: str | None = None
    upload_date: str | None = None  # ISO date, YYYY-MM-DD
    description: str = ""
    duration: float | None = None
    chapters: list[Chapter] = field(default_factory=list)
    thumbnail: str | None = None  # the video's picture, an http(s) URL (yt-dlp gives it)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "") -> Episode:
        """SchemaError (a ValueError) naming the field when ``data`` is not an episode's shape."""
        episode = _build(cls, data, where)
        episode.chapters = [_build(Chapter, c, at) for at, c in items(data, "chapters", where)]
        return episode


@dataclass
class Word:
    text: str  # as Whisper wrote it, with its leading space
    start: float
    end: float
    probability: float = 1.0


@dataclass
class Segment:
    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)


@dataclass
class Transcript:
    segments: list[Segment]
    language: str = "en"
    duration: float | None = None
    model: str | None = None
    repairs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "") -> Transcript:
        """SchemaError (a ValueError) naming the field when ``data`` is not a transcript's shape."""
        transcript = _build(cls, data, where)
        transcript.segments = []
        for at, s in items(data, "segments", where):
            segment = _build(Segment, s, at)
            segment.start, segment.end = float(segment.start), float(segment.end)
            segment.words = [_build(Word, w, word_at) for word_at, w in items(s, "words", at)]
            if transcript.segments and segment.start < transcript.segments[-1].start:
                raise SchemaError(f"{at}.start: {segment.start:g} s comes before the segment above "
                                  f"({transcript.segments[-1].start:g} s); segments go in time order")
            transcript.segments.append(segment)
        return transcript


@dataclass
class TimedText:
    """Plain text plus sorted anchors ``(char offset, start s, end s)``.

    Spans reported by the segmenter index ``text``; for a .txt input it is the file itself.
    """

    text: str
    anchors: list[tuple[int, float, float]] = field(default_factory=list)
    # Where the recogniser began a new segment: a pause or a new phrase, where a sentence may end
    # though no punctuation says so (ASR runs stories together with a comma).
    breaks: list[int] = field(default_factory=list)

    def start_at(self, offset: int) -> float | None:
        """Start time of the first timed token at or after ``offset``."""
        if not self.anchors:
            return None
        i = bisect.bisect_left(self.anchors, (offset, float("-inf"), 0.0))
        return self.anchors[min(i, len(self.anchors) - 1)][1]

    def end_at(self, offset: int) -> float | None:
        """End time of the last timed token that starts before ``offset``."""
        if not self.anchors:
            return None
        i = bisect.bisect_left(self.anchors, (offset, float("-inf"), 0.0))
        return self.anchors[max(i - 1, 0)][2]

    @classmethod
    def from_transcript(cls, transcript: Transcript) -> TimedText:
        """The segment texts joined by one space; each timed word anchors its offset."""
        pieces: list[str] = []
        anchors: list[tuple[int, float, float]] = []
        breaks: list[int] = []
        offset = 0
        for segment in transcript.segments:
            text = segment.text.strip()
            if not text:
                continue
            if pieces:
                pieces.append(" ")
                offset += 1
                breaks.append(offset)
            anchors += _word_anchors(text, offset, segment) or [(offset, segment.start, segment.end)]
            pieces.append(text)
            offset += len(text)
        return cls("".join(pieces), anchors, breaks)


def _word_anchors(text: str, offset: int, segment: Segment) -> list[tuple[int, float, float]]:
    """Place each timed word in the segment text; words Whisper merged oddly are skipped."""
    anchors, cursor = [], 0
    for word in segment.words:
        token = word.text.strip()
        found = text.find(token, cursor) if token else -1
        if found < 0:
            continue
        anchors.append((offset + found, word.start, word.end))
        cursor = found + len(token)
    return anchors


StoryKind = Literal["intro", "story", "quick_hit", "outro"]
# Where a story's title came from. A person's title ("chapter": the publisher's chapter,
# "editor": a heading in an edited clean.md) is final; "link" (the name in the description's
# link the story names), "text" (a name found in the story's words) and "kind" ("Intro",
# "Sponsor") may be found again.
TitleSource = Literal["link", "text", "kind", "segment", "chapter", "editor"]
PEOPLES_TITLES = ("chapter", "editor")


@dataclass
class Link:
    url: str
    label: str = ""  # the description's own words for it
    title: str = ""  # the linked page's title, cleaned of the site's furniture (the fetch stage read it)
    image: str = ""  # the linked page's picture (og:image), an http(s) URL

    @property
    def caption(self) -> str:
        """What names the link: the publisher's label, else its page's title."""
        return self.label or self.title


@dataclass(frozen=True)
class LinkPage:
    """What a linked page's head says about it, as the page gives it."""

    url: str  # where the page was read, after redirects
    title: str = ""  # og:title, else <title>
    site: str = ""  # og:site_name
    description: str = ""  # og:description, else the description meta tag
    image: str = ""  # og:image, an http(s) URL

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "") -> LinkPage:
        return _build(cls, data, where)


@dataclass
class Story:
    """One story of the episode, as the segmenter cut it."""

    title: str
    text: str
    span: tuple[int, int]  # character offsets into the segmented plain text
    start: float | None = None  # seconds into the video
    end: float | None = None
    kind: StoryKind = "story"
    section: str | None = None
    signals: list[str] = field(default_factory=list)  # the boundary evidence that fired at its start
    title_from: TitleSource = "text"
    links: list[Link] = field(default_factory=list)  # the description's links about this story

    @property
    def titled_by_a_person(self) -> bool:
        return self.title_from in PEOPLES_TITLES and bool(self.title.strip())

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["span"] = list(self.span)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "") -> Story:
        """SchemaError (a ValueError) naming the field when ``data`` is not a story's shape."""
        story = _build(cls, data, where)
        story.span = (int(data["span"][0]), int(data["span"][1]))
        story.links = [_build(Link, link, at) for at, link in items(data, "links", where)]
        if "title_from" not in data:  # stories.json from before title_from: the signal said so
            signals = data.get("signals") or []
            story.title_from = ("editor" if "edited" in signals
                                else "chapter" if "chapter" in signals else "text")
        return story


@dataclass
class Outline:
    """The segmenter's stories made ready for an article (recap.stages.segment.outline)."""

    stories: list[Story]  # in spoken order, intro and outro included
    footer: list[Link] = field(default_factory=list)  # the channel's own links and any nothing placed
    names: list[str] = field(default_factory=list)  # as the description and the links spell them

    @property
    def intro(self) -> Story | None:
        return self.stories[0] if self.stories and self.stories[0].kind == "intro" else None

    @property
    def body(self) -> list[Story]:
        """The stories an article lists: all but the greeting and the sign-off (a sponsor read
        after the greeting is listed)."""
        rest = self.stories[1:] if self.intro else self.stories
        return [s for s in rest if s.kind != "outro"]


@dataclass
class ArticleStory:
    title: str
    summary: str
    start: float | None
    end: float | None
    span: tuple[int, int]
    kind: StoryKind = "story"
    points: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)  # "paper", "repository", ... said but unlinked
    time_url: str | None = None  # the video at this story's start
    anchor: str = ""  # the story's id in the article, unique within it
    deck: str = ""  # what the first link's page title says beyond the heading's name
    picture_url: str | None = None  # with --images: the picture of its first link's page
    picture_data: str | None = None  # that picture as a data: URI (not in article.json)


@dataclass
class Section:
    title: str
    stories: list[ArticleStory] = field(default_factory=list)
    kind: str = "stories"  # stories | quick_hits (short items, rendered compactly)


@dataclass
class Article:
    title: str
    url: str | None
    date: str | None
    intro: str
    sections: list[Section]
    footer_links: list[Link] = field(default_factory=list)
    show: str | None = None
    duration: float | None = None
    picture: str | None = None  # the video's picture, a file beside the article (thumbnail.jpg)
    picture_url: str | None = None  # where the video's site shows it, for sharing (og:image)
    picture_data: str | None = None  # the picture as a data: URI, so the HTML stands alone

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        del data["picture_data"]  # article.json names the file; it does not carry it
        for section in data["sections"]:
            for story in section["stories"]:
                del story["picture_data"]
                story["span"] = list(story["span"])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        article = _build(cls, data)
        article.footer_links = [_build(Link, link) for link in data.get("footer_links") or []]
        article.sections = [
            Section(
                title=s["title"],
                stories=[_article_story(story) for story in s.get("stories") or []],
                kind=s.get("kind", "stories"),
            )
            for s in data.get("sections") or []
        ]
        return article


def _article_story(data: dict[str, Any]) -> ArticleStory:
    story = _build(ArticleStory, data)
    story.span = (int(data["span"][0]), int(data["span"][1]))
    story.links = [_build(Link, link) for link in data.get("links") or []]
    return story


# The shape of each field a saved file may hold, checked by ``_build`` (lists are checked here as
# lists, and their elements by the class they are built into).
_SHAPES: dict[type, dict[str, Shape]] = {
    Chapter: {"title": "text", "start": "time", "end": "time?"},
    Episode: {"id": "text", "title": "text", "url": "text?", "media_url": "text?", "extractor": "text",
              "uploader": "text?", "upload_date": "date?", "description": "text", "duration": "time?",
              "chapters": "list?", "thumbnail": "text?"},
    Word: {"text": "text", "start": "time", "end": "time", "probability": "number"},
    Segment: {"start": "time", "end": "time", "text": "text", "words": "list?"},
    Transcript: {"segments": "list", "language": "text?", "duration": "time?", "model": "text?",
                 "repairs": "objects"},
    Link: {"url": "text", "label": "text", "title": "text", "image": "text"},
    LinkPage: {"url": "text", "title": "text", "site": "text", "description": "text", "image": "text"},
    Story: {"title": "text", "text": "text", "span": "span", "start": "time?", "end": "time?",
            "kind": get_args(StoryKind), "section": "text?", "signals": "texts",
            "title_from": get_args(TitleSource), "links": "list?"},
}


Progress = Callable[[float, float], None]  # (seconds done, seconds in all)


class Transcriber(Protocol):
    """Media to a Transcript; recap.stages.transcribe.WhisperTranscriber is the real one."""

    @property
    def cache_fields(self) -> dict[str, Any]:
        """Whatever changes the words that come out: part of the transcript cache key."""
        ...

    def transcribe(self, media: Path, progress: Progress | None = None,
                   guidance: str | None = None) -> Transcript:
        """``guidance``: names the episode's words depend on (its title and description links,
        as sentences), for the transcriber to spell as written; it may ignore them."""
        ...


def _build(cls: type[T], data: Any, where: str = "") -> T:
    return build(cls, data, where, _SHAPES.get(cls, {}))
