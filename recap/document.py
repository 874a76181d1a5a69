"""The typed objects that flow between the stages, each saved as JSON.

fetch -> Episode, transcribe -> Transcript, segment -> Story list, render -> Article.
Every object round-trips through ``to_dict``/``from_dict`` so any stage can restart
from the file the previous one wrote.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


def _build(cls: type[T], data: dict[str, Any]) -> T:
    """Make a dataclass from a dict, ignoring keys it does not know (newer files)."""
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in names})


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

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Episode:
        episode = _build(cls, data)
        episode.chapters = [_build(Chapter, c) for c in data.get("chapters") or []]
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
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        transcript = _build(cls, data)
        transcript.segments = [
            Segment(
                start=float(s["start"]),
                end=float(s["end"]),
                text=s["text"],
                words=[_build(Word, w) for w in s.get("words") or []],
            )
            for s in data["segments"]
        ]
        return transcript


EDITED = "edited"  # the signal of a story under a heading an editor wrote (recap clean's clean.md)


@dataclass
class Story:
    """One story of the episode, as the segmenter cut it."""

    title: str
    text: str
    span: tuple[int, int]  # character offsets into the segmented plain text
    start: float | None = None  # seconds into the video
    end: float | None = None
    kind: str = "story"  # intro | story | quick_hit | outro
    section: str | None = None
    signals: list[str] = field(default_factory=list)  # what fired at its start

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["span"] = list(self.span)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Story:
        story = _build(cls, data)
        story.span = (int(data["span"][0]), int(data["span"][1]))
        return story


@dataclass
class Link:
    url: str
    label: str = ""


@dataclass
class ArticleStory:
    title: str
    summary: str
    start: float | None
    end: float | None
    span: tuple[int, int]
    kind: str = "story"
    points: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)  # "paper", "repository", ... said but unlinked
    time_url: str | None = None  # the video at this story's start
    anchor: str = ""  # the story's id in the article, unique within it


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

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        for section in data["sections"]:
            for story in section["stories"]:
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


Progress = Callable[[float, float], None]  # (seconds done, seconds in all)


class Transcriber(Protocol):
    """Media to a Transcript; recap.transcribe.WhisperTranscriber is the real one."""

    @property
    def cache_fields(self) -> dict[str, Any]:
        """Whatever changes the words that come out: part of the transcript cache key."""
        ...

    def transcribe(self, media: Path, progress: Progress | None = None) -> Transcript: ...
