"""The conductor: fetch -> transcribe -> segment -> render (and clean), and the only writer of files.

Each stage's result is saved as soon as it exists: episode.json and transcript.json when the
transcript is ready, then stories.json, then the article, so a failure in a later stage keeps
what the earlier ones made. It knows nothing of argv or terminals: the CLI passes options in and
a Reporter that shows progress however suits the terminal.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from recap import inputs
from recap.cache import TranscriptCache
from recap.document import Article, Chapter, Episode, Outline, Story, TimedText, Transcriber, Transcript
from recap.errors import RecapError
from recap.fetch import download, file_digest, local_episode, local_media
from recap.files import ensure_writable_dir, read_text, safe_filename, write_atomic
from recap.formats import chosen
from recap.guard import WriteGuard
from recap.media import probe_audio
from recap.options import CleanOptions, Overrides, RunOptions

log = logging.getLogger(__name__)


class Reporter(Protocol):
    def stage(self, name: str) -> None: ...
    def progress(self, done: float, total: float) -> None: ...


class SilentReporter:
    def stage(self, name: str) -> None:
        log.info("%s", name)

    def progress(self, done: float, total: float) -> None:
        pass


@dataclass
class Result:
    out_dir: Path
    files: list[Path]
    article: Article
    transcribed: bool = False  # False when the transcript came from the cache or a file


class Pipeline:
    """One instance can run many episodes; the Whisper model loads once, when first needed."""

    def __init__(self, options: RunOptions, transcriber: Transcriber | None = None,
                 reporter: Reporter | None = None) -> None:
        self.options = options
        self._transcriber = transcriber
        self.reporter = reporter or SilentReporter()
        self.cache = TranscriptCache(options.cache_dir)

    @property
    def transcriber(self) -> Transcriber:
        if self._transcriber is None:
            from recap.transcribe import WhisperTranscriber

            self._transcriber = WhisperTranscriber()
        return self._transcriber

    # -- stages -------------------------------------------------------------------------
    def fetch(self, source: str) -> tuple[Episode, Path]:
        if inputs.kind_of(source) == inputs.URL:
            self.reporter.stage("download")
            return download(source, self.options.fetch_options())
        media = local_media(source)
        return local_episode(media), media

    def transcript(self, media: Path, shown: str | None = None) -> tuple[Transcript, bool]:
        """The cached transcript of this media with these options, or a new one. Media whose audio
        does not decode is an error here, before the cache or any transcriber sees it; ``shown``
        names the media in that error (a URL rather than its download's file name)."""
        duration = probe_audio(media, shown)
        key = self.cache.key(file_digest(media), self.transcriber.cache_fields)
        cached = self.cache.get(key, duration)
        if cached is not None:
            log.info("using the cached transcript")
            return cached, False
        self.reporter.stage("transcribe")
        transcript = self.transcriber.transcribe(media, progress=self.reporter.progress)
        self.cache.put(key, transcript, duration)
        return transcript, True

    def stories(self, timed: TimedText, chapters: list[Chapter], description: str = "") -> list[Story]:
        from recap.segment import segment

        self.reporter.stage("segment")
        return segment(timed, chapters=[] if self.options.ignore_chapters else chapters,
                       description=description)

    def outline(self, episode: Episode, stories: list[Story]) -> Outline:
        from recap.segment import outline

        return outline(stories, episode.description, show=episode.uploader or None)

    # -- whole jobs ---------------------------------------------------------------------
    def run(self, source: str) -> Result:
        """Any input to an article: URL, media file, transcript file or stories.json."""
        if inputs.is_transcript(source):
            return self.render_file(Path(source))
        episode, media = self.fetch(source)
        return self.process(episode, media)

    def process(self, episode: Episode, media: Path) -> Result:
        """An episode already fetched to its article (`recap channel` downloads ahead, then calls this)."""
        shown = _shown(episode, media)
        self.apply_overrides(episode)
        transcript, transcribed = self.transcript(media, shown)
        if episode.duration is None:
            episode.duration = transcript.duration
        out_dir = self.out_dir(episode, str(media))
        files = save(out_dir, [("episode.json", _dumps(episode.to_dict())),
                               ("transcript.json", _dumps(transcript.to_dict()))])
        stories = self.stories(TimedText.from_transcript(transcript), episode.chapters, episode.description)
        result = self.finish(out_dir, episode, stories, files)
        result.transcribed = transcribed
        return result

    def render_file(self, path: Path) -> Result:
        """Re-render from a transcript (.txt/.srt/.vtt/.json), a stories.json or an edited clean.md."""
        saved = inputs.read_saved(path)
        episode, stories = saved.episode, saved.stories
        if saved.edited:
            from recap.clean import parse_edited

            episode, stories = parse_edited(saved.text or "", episode, path.name)
        self.apply_overrides(episode)
        out_dir = self.out_dir(episode, str(path))
        outputs = [("episode.json", _dumps(episode.to_dict()))]
        if saved.transcript is not None and inputs.kind_of(str(path)) == inputs.JSON:
            outputs.append(("transcript.json", _dumps(saved.transcript.to_dict())))
        files = save(out_dir, outputs)
        if stories is None:
            timed = _not_empty(saved.timed_text(), path)
            stories = self.stories(timed, episode.chapters, episode.description)
        return self.finish(out_dir, episode, stories, files)

    def finish(self, out_dir: Path, episode: Episode, stories: list[Story], files: list[Path]) -> Result:
        """Outline the stories, save them, then write the article in each format."""
        from recap.render import article_formats, build_article

        outline = self.outline(episode, stories)
        saved = {"episode": episode.to_dict(), "stories": [s.to_dict() for s in outline.stories]}
        files += save(out_dir, [("stories.json", _dumps(saved))])
        self.reporter.stage("render")
        article = build_article(episode, outline)
        formats = chosen(article_formats(self.options.template), self.options.formats)
        files += save(out_dir, [(fmt.filename, fmt.write(article)) for fmt in formats])
        return Result(out_dir=out_dir, files=files, article=article)

    def segment_file(self, path: Path) -> list[Story]:
        """`recap segment`: a transcript file's stories, cut at the chapters and guided by the
        description of the episode.json a run saved beside it (or the user's --description)."""
        episode = self.apply_overrides(inputs.episode_beside(path) or Episode(id=path.stem, title=path.stem))
        return self.stories(inputs.read_timed_text(path), episode.chapters, episode.description)

    def transcribe_to(self, source: str, formats: Iterable[str], out_dir: Path | None = None) -> list[Path]:
        """`recap transcribe`: the transcript in each format."""
        from recap.transcribe import FORMATS

        episode, media = self.fetch(source)
        transcript, _ = self.transcript(media, _shown(episode, media))
        out_dir = ensure_writable_dir(out_dir or _default_out_dir(episode, source))
        return save(out_dir, [(fmt.filename, fmt.write(transcript)) for fmt in chosen(FORMATS, formats)])

    def clean(self, source: str, options: CleanOptions) -> list[Path]:
        """`recap clean`: the cleaned transcript in each format, never over an editor's changes."""
        from recap.clean import FORMATS

        timed = inputs.kind_of(source) != inputs.TEXT
        formats = chosen(FORMATS, self.clean_formats(source, options.formats, timed))
        names = [fmt.filename for fmt in formats]
        if options.out_dir and not options.force:
            WriteGuard(options.out_dir).check(names)  # before the long work, when the folder is known
        doc = self.cleaned(source, options.flag_below) if timed else self.cleaned_text(Path(source))
        out_dir = ensure_writable_dir(options.out_dir or _default_out_dir(doc.episode, source))
        guard = WriteGuard(out_dir)
        if not options.force:
            guard.check(names)  # before writing anything: all or nothing
        outputs = [(fmt.filename, fmt.write(doc)) for fmt in formats]
        try:
            return [guard.write(name, content) for name, content in outputs]
        except OSError as exc:
            raise RecapError(f"cannot write to {out_dir}: {exc.strerror or exc}") from exc

    @staticmethod
    def clean_formats(source: str, asked: tuple[str, ...] | None, timed: bool) -> tuple[str, ...]:
        """The formats asked for, else all the input allows: subtitles need times."""
        from recap.clean import CLEAN_FORMATS, NEED_TIMES

        if timed:
            return asked or CLEAN_FORMATS
        if asked and (subtitles := [name for name in asked if name in NEED_TIMES]):
            raise RecapError(f"{Path(source).name} has no times, so no subtitles ({', '.join(subtitles)}); "
                             "give the video, its media file, or a transcript .json, .srt or .vtt")
        return asked or tuple(name for name in CLEAN_FORMATS if name not in NEED_TIMES)

    def cleaned(self, source: str, flag_below: float):
        from recap.clean import clean_transcript
        from recap.segment import segment

        episode, transcript = self.words_to_clean(source)
        self.apply_overrides(episode)
        self.reporter.stage("clean")
        return clean_transcript(transcript, episode, flag_below, segmenter=segment)

    def cleaned_text(self, path: Path):
        """A plain-text transcript: cleaned, in paragraphs under story headings, without times."""
        from recap.clean import clean_plain_text
        from recap.segment import segment

        saved = inputs.read_saved(local_media(str(path)))
        self.apply_overrides(saved.episode)
        self.reporter.stage("clean")
        return clean_plain_text(saved.text or "", saved.episode, segmenter=segment)

    def words_to_clean(self, source: str) -> tuple[Episode, Transcript]:
        kind = inputs.kind_of(source)
        if kind == inputs.EDITED:
            raise RecapError(f"{Path(source).name} is a cleaned transcript already; give the video, its "
                             "media file, or a transcript .json, .srt, .vtt or .txt")
        if kind in inputs.TIMED:
            saved = inputs.read_saved(local_media(source))
            if saved.transcript is None:
                raise RecapError(f"{Path(source).name}: a stories file has no words to clean; "
                                 "give its transcript.json")
            return saved.episode, saved.transcript
        episode, media = self.fetch(source)
        transcript, _ = self.transcript(media, _shown(episode, media))
        if episode.duration is None:
            episode.duration = transcript.duration
        return episode, transcript

    # -- helpers ------------------------------------------------------------------------
    def apply_overrides(self, episode: Episode) -> Episode:
        """What the user said about the episode wins over what the input carries."""
        overrides: Overrides = self.options.overrides
        if overrides.title:
            episode.title = overrides.title
        if overrides.url:
            episode.url = overrides.url
        if overrides.description_file:
            episode.description = read_text(overrides.description_file)
        return episode

    def out_dir(self, episode: Episode, source: str | None = None) -> Path:
        return ensure_writable_dir(self.options.out_dir or _default_out_dir(episode, source))


def save(out_dir: Path, outputs: list[tuple[str, str | bytes]]) -> list[Path]:
    """Each (file name, content) written atomically into ``out_dir``."""
    paths = []
    try:
        for name, content in outputs:
            write_atomic(out_dir / name, content)
            paths.append(out_dir / name)
    except OSError as exc:
        raise RecapError(f"cannot write to {out_dir}: {exc.strerror or exc}") from exc
    return paths


def _not_empty(timed: TimedText, path: Path) -> TimedText:
    if not timed.text.strip():
        raise RecapError(f"{path.name}: the transcript is empty")
    return timed


def _dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _default_out_dir(episode: Episode, source: str | None = None) -> Path:
    """A folder named after the episode's title; a title with nothing usable in a file name
    ("..", "~", blanks) gives "episode-" and a hash of what the episode is, so two such episodes
    never share (and overwrite) one folder, and a run again on the same input finds its own."""
    identity = "\n".join([episode.extractor, episode.id, episode.url or "", episode.media_url or "",
                          _where(source)])
    tag = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:10]
    return Path.cwd() / safe_filename(episode.title, fallback=f"episode-{tag}")


def _where(source: str | None) -> str:
    if not source or inputs.kind_of(source) == inputs.URL:
        return source or ""
    return str(Path(source).resolve())


def _shown(episode: Episode, media: Path) -> str:
    """How errors about the media name it: a download by its URL, a local file by its name."""
    return media.name if episode.extractor == "local" or not episode.url else episode.url
