"""The conductor: fetch -> transcribe -> segment -> render, each stage's result saved.

It knows nothing of argv or terminals: the CLI passes options in and a Reporter that
shows progress however suits the terminal.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from recap.cache import TranscriptCache, default_cache_dir
from recap.document import Article, Chapter, Episode, Story, Transcript
from recap.errors import RecapError
from recap.fetch import FetchOptions, download, file_digest, local_episode, local_media
from recap.files import ensure_writable_dir, read_text, write_atomic
from recap.urls import is_url

log = logging.getLogger(__name__)

TRANSCRIPT_SUFFIXES = (".json", ".srt", ".vtt", ".txt", ".md")  # .md: an edited `recap clean` transcript


class Reporter(Protocol):
    def stage(self, name: str) -> None: ...
    def progress(self, done: float, total: float) -> None: ...


class SilentReporter:
    def stage(self, name: str) -> None:
        log.info("%s", name)

    def progress(self, done: float, total: float) -> None:
        pass


@dataclass
class Overrides:
    """Metadata a user supplies for inputs that carry none (transcript files)."""

    title: str | None = None
    url: str | None = None
    description_file: Path | None = None

    def apply(self, episode: Episode) -> Episode:
        if self.title:
            episode.title = self.title
        if self.url:
            episode.url = self.url
        if self.description_file:
            episode.description = read_text(self.description_file)
        return episode


@dataclass
class RunOptions:
    out_dir: Path | None = None  # None: a folder named after the episode, here
    formats: tuple[str, ...] = ("md", "html", "json")
    cache_dir: Path = field(default_factory=default_cache_dir)
    cookies: Path | None = None
    cookies_from_browser: str | None = None
    socket_timeout: float = 20.0
    retries: int = 3
    overrides: Overrides = field(default_factory=Overrides)
    template: Path | None = None
    ignore_chapters: bool = False

    def fetch_options(self) -> FetchOptions:
        return FetchOptions(download_dir=self.cache_dir / "media", cookies=self.cookies,
                            cookies_from_browser=self.cookies_from_browser,
                            socket_timeout=self.socket_timeout, retries=self.retries)


@dataclass
class Result:
    out_dir: Path
    files: list[Path]
    article: Article
    transcribed: bool  # False when the transcript came from the cache or a file


class Pipeline:
    """One instance can run many episodes; the Whisper model loads once, when first needed."""

    def __init__(self, options: RunOptions, transcriber=None, reporter: Reporter | None = None) -> None:
        from recap.transcribe import WhisperTranscriber

        self.options = options
        self.transcriber = transcriber or WhisperTranscriber()
        self.reporter = reporter or SilentReporter()
        self.cache = TranscriptCache(options.cache_dir)

    # -- stages -------------------------------------------------------------------------
    def fetch(self, source: str) -> tuple[Episode, Path]:
        if is_url(source):
            self.reporter.stage("download")
            return download(source, self.options.fetch_options())
        media = local_media(source)
        return local_episode(media), media

    def transcript(self, media: Path) -> tuple[Transcript, bool]:
        """The cached transcript of this media with these options, or a new one."""
        key = self.cache.key(file_digest(media), self.transcriber.cache_fields)
        cached = self.cache.get(key)
        if cached is not None:
            log.info("using the cached transcript")
            return cached, False
        self.reporter.stage("transcribe")
        transcript = self.transcriber.transcribe(media, progress=self.reporter.progress)
        self.cache.put(key, transcript)
        return transcript, True

    def stories(self, transcript: Transcript, episode: Episode) -> list[Story]:
        from recap.segment import TimedText, segment

        self.reporter.stage("segment")
        return segment(TimedText.from_transcript(transcript), chapters=self.chapters(episode))

    def chapters(self, episode: Episode) -> list[Chapter]:
        """The video's chapters, which become the story boundaries, unless told to ignore them."""
        return [] if self.options.ignore_chapters else episode.chapters

    def article(self, episode: Episode, stories: list[Story]) -> Article:
        from recap.render import build_article

        return build_article(episode, stories)

    # -- whole jobs ---------------------------------------------------------------------
    def run(self, source: str) -> Result:
        """Any input to an article: URL, media file, transcript file or stories.json."""
        path = Path(source)
        if not is_url(source) and path.suffix.lower() in TRANSCRIPT_SUFFIXES:
            return self.render_file(path)
        episode, media = self.fetch(source)
        return self.process(episode, media)

    def process(self, episode: Episode, media: Path) -> Result:
        """An episode already fetched to its article (`recap channel` downloads ahead, then calls this)."""
        self.options.overrides.apply(episode)
        transcript, transcribed = self.transcript(media)
        if episode.duration is None:
            episode.duration = transcript.duration
        stories = self.stories(transcript, episode)
        result = self.write(episode, stories, transcript)
        result.transcribed = transcribed
        return result

    def render_file(self, path: Path) -> Result:
        """Re-render from a transcript (.txt/.srt/.vtt/.json), a stories.json or an edited clean.md."""
        episode, stories, transcript = self.load_saved(path)
        self.options.overrides.apply(episode)
        if stories is None:
            stories = self.stories_from_file(path, transcript, self.chapters(episode))
        return self.write(episode, stories, transcript)

    def load_saved(self, path: Path) -> tuple[Episode, list[Story] | None, Transcript | None]:
        """What a previous run left: stories.json keeps its episode, transcript.json looks beside it."""
        episode = _episode_beside(path) or Episode(id=path.stem, title=path.stem)
        if path.suffix.lower() == ".md":
            from recap.clean import read_edited

            return *read_edited(path, episode), None
        if path.suffix.lower() != ".json":
            return episode, None, None
        data = _read_json(path)
        if isinstance(data, dict) and "stories" in data:
            if isinstance(data.get("episode"), dict):
                episode = Episode.from_dict(data["episode"])
            return episode, [Story.from_dict(s) for s in data["stories"]], None
        if isinstance(data, dict) and "segments" in data:
            transcript = Transcript.from_dict(data)
            if episode.duration is None:
                episode.duration = transcript.duration
            return episode, None, transcript
        raise RecapError(f"{path.name}: not a recap transcript or stories file")

    def stories_from_file(self, path: Path, transcript: Transcript | None,
                          chapters: list[Chapter] | None = None) -> list[Story]:
        from recap.segment import TimedText, load_timed_text, segment

        self.reporter.stage("segment")
        timed = TimedText.from_transcript(transcript) if transcript else load_timed_text(path)
        if not timed.text.strip():
            raise RecapError(f"{path.name}: the transcript is empty")
        return segment(timed, chapters=chapters)

    def write(self, episode: Episode, stories: list[Story], transcript: Transcript | None) -> Result:
        from recap.render import WRITERS, render

        self.reporter.stage("render")
        out_dir = ensure_writable_dir(self.options.out_dir or _default_out_dir(episode))
        article = self.article(episode, stories)
        files = []
        outputs: list[tuple[str, str]] = [(WRITERS[fmt][0], render(article, fmt, self.options.template))
                                          for fmt in self.options.formats]
        if transcript is not None:
            outputs.append(("transcript.json", _dumps(transcript.to_dict())))
        outputs += [
            ("episode.json", _dumps(episode.to_dict())),
            ("stories.json", _dumps({"episode": episode.to_dict(),
                                     "stories": [s.to_dict() for s in stories]})),
        ]
        try:
            for name, content in outputs:
                write_atomic(out_dir / name, content)
                files.append(out_dir / name)
        except OSError as exc:
            raise RecapError(f"cannot write to {out_dir}: {exc.strerror or exc}") from exc
        return Result(out_dir=out_dir, files=files, article=article, transcribed=False)


def _dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _read_json(path: Path):
    try:
        return json.loads(read_text(path))
    except ValueError as exc:
        raise RecapError(f"{path.name}: not valid JSON ({exc})") from exc


def chapters_beside(path: Path) -> list[Chapter]:
    """The chapters in the episode.json a run left beside ``path``; none when there is none."""
    episode = _episode_beside(path)
    return episode.chapters if episode else []


def _episode_beside(path: Path) -> Episode | None:
    beside = path.parent / "episode.json"
    if path.name == "episode.json" or not beside.is_file():
        return None
    try:
        return Episode.from_dict(json.loads(beside.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _default_out_dir(episode: Episode) -> Path:
    from recap.files import safe_filename

    return Path.cwd() / safe_filename(episode.title)

