"""The conductor: fetch -> transcribe -> segment -> render, and what is saved when (the editor's path,
`recap clean`, is recap.app.editing; where files go and how they switch in, recap.app.output).

Each stage's result is saved as soon as it exists: episode.json and transcript.json when the
transcript is ready, then stories.json, then the article. They are saved into the output folder's
staging folder and switched in together when the run ends, under the folder's lock, so the folder
never holds files of two runs; a run that fails in a later stage still switches in what the earlier
stages made, unless the folder holds a previous run's files, which then stay whole (see
``recap.app.output``). It knows nothing of argv or terminals: the CLI passes options in and a
Reporter that shows progress however suits the terminal.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from recap.app import inputs
from recap.app.cache import TranscriptCache
from recap.app.linked import WebReads
from recap.app.output import Outputs, save
from recap.core.document import (
    Article,
    Episode,
    Outline,
    Story,
    TimedText,
    Transcriber,
    Transcript,
    plain_text,
)
from recap.core.errors import RecapError
from recap.core.files import (
    ensure_writable_dir,
    read_text,
    safe_filename,
)
from recap.core.formats import chosen
from recap.core.media import probe_audio
from recap.core.options import Overrides, RunOptions, TranscribeOptions
from recap.core.urls import public_url
from recap.language.profile import DEFAULT, Profile, configured_profile, load_profile
from recap.stages.fetch import download, file_digest, local_episode, local_media

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


STAGE_FILES = ("episode.json", "transcript.json", "stories.json")  # the article's files come from render


class Pipeline:
    """One instance can run many episodes; the Whisper model loads once, when first needed.

    ``own_folder``: the output folder is this pipeline's alone (`recap channel` gives each episode
    a staging folder it renames into place whole), so files are written straight into it, unlocked.
    """

    def __init__(self, options: RunOptions, transcriber: Transcriber | None = None,
                 reporter: Reporter | None = None, own_folder: bool = False,
                 transcribe_options: TranscribeOptions | None = None) -> None:
        self.options = options
        self._transcriber = transcriber
        self.reporter = reporter or SilentReporter()
        self.cache = TranscriptCache(options.cache_dir)
        self.transcribe_options = transcribe_options  # for the Whisper model loaded when first needed
        self.outputs = Outputs(own_folder, self._set_names)  # the folders it locks and the files it stages
        self.web = WebReads(options, self.reporter)  # link pages and pictures, read once a run

    @functools.cached_property
    def profile(self) -> Profile:
        """How the show's hosts talk (--profile, else the user's configured profile, else the
        shipped one); loaded, and so checked, before a run's long work."""
        return load_profile(self.options.profile or configured_profile() or DEFAULT)

    @property
    def transcriber(self) -> Transcriber:
        if self._transcriber is None:
            from recap.stages.transcribe import WhisperTranscriber

            self._transcriber = WhisperTranscriber(self.transcribe_options, self.options.cache_dir)
        return self._transcriber

    # -- stages -------------------------------------------------------------------------
    def fetch(self, source: str) -> tuple[Episode, Path]:
        if inputs.kind_of(source) == inputs.URL:
            self.reporter.stage("download")
            return download(source, self.options.fetch_options())
        media = local_media(source)
        return local_episode(media), media

    def transcript(self, media: Path, shown: str | None = None,
                   episode: Episode | None = None) -> tuple[Transcript, bool]:
        """The cached transcript of this media with these options, or a new one. Media whose audio
        does not decode is an error here, before the cache or any transcriber sees it; ``shown``
        names the media in that error (a URL rather than its download's file name). The names in
        ``episode``'s title and description (the user's overrides first) guide the transcriber,
        and are part of the cache key."""
        duration = probe_audio(media, shown)
        guidance = self.guidance(episode) if episode is not None else None
        key = self.cache.key(file_digest(media), self.transcriber.cache_fields, guidance)
        cached = self.cache.get(key, duration)
        if cached is not None:
            log.info("using the cached transcript")
            return cached, False
        self.reporter.stage("transcribe")
        transcript = self.transcriber.transcribe(media, progress=self.reporter.progress, guidance=guidance)
        self.cache.put(key, transcript, duration)
        return transcript, True

    def guidance(self, episode: Episode) -> str | None:
        """What the transcriber is told to expect for this episode (see transcription_guidance);
        a local file's name is no title anyone wrote, so it guides nothing."""
        shown = self.apply_overrides(copy.copy(episode))  # the episode itself is left as it is
        written = episode.extractor != "local" or bool(self.options.overrides.title)
        from recap.stages.transcribe import transcription_guidance

        return transcription_guidance(shown.title if written else "", shown.description, self.profile.cues)

    def stories(self, timed: TimedText, episode: Episode) -> list[Story]:
        from recap.stages.segment import segment

        pages = self.web.pages(episode, self.profile.cues)
        self.reporter.stage("segment")
        return segment(timed, chapters=[] if self.options.ignore_chapters else episode.chapters,
                       description=episode.description, profile=self.profile, pages=pages)

    def outline(self, episode: Episode, stories: list[Story]) -> Outline:
        from recap.stages.segment import outline

        return outline(stories, episode.description, show=episode.uploader or None, profile=self.profile,
                       pages=self.web.pages(episode, self.profile.cues))

    # -- whole jobs ---------------------------------------------------------------------
    def run(self, source: str) -> Result:
        """Any input to an article: URL, media file, transcript file or stories.json. An output
        folder that exists already is locked first, so a second run into it stops before its work."""
        given = self.options.out_dir
        self.profile  # noqa: B018 - a profile that cannot be read ends the run before its work
        existing = ensure_writable_dir(given) if given is not None and given.is_dir() else None
        with self.outputs.holding(existing):
            if inputs.is_transcript(source):
                return self.render_file(Path(source))
            episode, media = self.fetch(source)
            return self.process(episode, media)

    def process(self, episode: Episode, media: Path) -> Result:
        """An episode already fetched to its article (`recap channel` downloads ahead, then calls this)."""
        shown = shown_as(episode, media)
        _publishable(self.apply_overrides(episode))
        self.profile  # noqa: B018 - read before the transcription, not after it
        transcript, transcribed = self.transcript(media, shown, episode)
        if episode.duration is None:
            episode.duration = transcript.duration
        out_dir = self.out_dir(episode, str(media))
        with self.outputs.output(out_dir) as output:
            files = output.save([("episode.json", _dumps(episode.to_dict())),
                                 ("transcript.json", _dumps(transcript.to_dict()))])
            stories = self.stories(TimedText.from_transcript(transcript), episode)
            result = self.finish(out_dir, episode, stories, files, self.web.picture(episode, media))
        result.transcribed = transcribed
        return result

    def render_file(self, path: Path) -> Result:
        """Re-render from a transcript (.txt/.srt/.vtt/.json), a stories.json or an edited clean.md."""
        saved = inputs.read_saved(path)
        episode, stories = saved.episode, saved.stories
        if saved.edited:
            from recap.stages.clean import parse_edited

            episode, stories = parse_edited(saved.text or "", episode, path.name)
        _publishable(self.apply_overrides(episode))
        out_dir = self.out_dir(episode, str(path))
        outputs = [("episode.json", _dumps(episode.to_dict()))]
        if saved.transcript is not None and inputs.kind_of(str(path)) == inputs.JSON:
            outputs.append(("transcript.json", _dumps(saved.transcript.to_dict())))
        with self.outputs.output(out_dir) as output:
            files = output.save(outputs)
            if stories is None:
                timed = _not_empty(saved.timed_text(), path)
                stories = self.stories(timed, episode)
            return self.finish(out_dir, episode, stories, files, self.web.picture(episode))

    def finish(self, out_dir: Path, episode: Episode, stories: list[Story], files: list[Path],
               picture: bytes | None = None) -> Result:
        """Outline the stories, save them, then write the article in each format (into the run's
        staging folder when a run is writing ``out_dir``, else as a set of its own), with the
        video's ``picture`` (JPEG) beside it."""
        from recap.stages.render import PICTURE_FILE, article_formats, build_article

        episode, stories = _publishable_copy(episode, stories)
        with self.outputs.output(out_dir) as output:
            outline = self.outline(episode, stories)
            saved = {"episode": episode.to_dict(), "stories": [s.to_dict() for s in outline.stories]}
            files += output.save([("stories.json", _dumps(saved))])
            self.reporter.stage("render")
            article = build_article(episode, outline, self.profile, picture,
                                    self.web.story_pictures(episode, outline))
            formats = chosen(article_formats(self.options.template), self.options.formats)
            pictured = [(PICTURE_FILE, picture)] if picture else []
            written = [(fmt.filename, text) for fmt in formats if (text := fmt.write(article)) is not None]
            files += output.save([*pictured, *written], article=True)
        return Result(out_dir=out_dir, files=files, article=article)

    def article(self, episode: Episode, stories: list[Story]) -> Article:
        """The article of these stories, outlined and built as ``finish`` does, written nowhere."""
        from recap.stages.render import build_article

        episode, stories = _publishable_copy(episode, stories)
        return build_article(episode, self.outline(episode, stories), self.profile)

    def segment_file(self, path: Path) -> list[Story]:
        """`recap segment`: a transcript file's stories, cut at the chapters and guided by the
        description of the episode.json a run saved beside it (or the user's --description)."""
        episode = self.apply_overrides(inputs.episode_beside(path) or inputs.named_after(path))
        return self.stories(inputs.read_timed_text(path), episode)

    def transcribe_to(self, source: str, formats: Iterable[str], out_dir: Path | None = None) -> list[Path]:
        """`recap transcribe`: the transcript in each format."""
        from recap.stages.transcribe import FORMATS

        episode, media = self.fetch(source)
        transcript, _ = self.transcript(media, shown_as(episode, media), episode)
        out_dir = ensure_writable_dir(out_dir or self.named_dir(episode, source))
        outputs = [(fmt.filename, fmt.write(transcript)) for fmt in chosen(FORMATS, formats)]
        with self.outputs.holding(out_dir):  # never in the middle of a run's switch into the same folder
            return save(out_dir, outputs)

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
        elif overrides.description is not None:
            episode.description = overrides.description
        return episode

    def out_dir(self, episode: Episode, source: str | None = None) -> Path:
        return ensure_writable_dir(self.options.out_dir or self.named_dir(episode, source))

    def named_dir(self, episode: Episode, source: str | None = None) -> Path:
        """The folder a run names after its episode, in --output-root (default: here)."""
        return _default_out_dir(episode, source, self.options.out_root)

    def _set_names(self) -> list[str]:
        from recap.stages.render import PICTURE_FILE, article_formats

        return [*STAGE_FILES, PICTURE_FILE,
                *(fmt.filename for fmt in article_formats(self.options.template).values())]


def _publishable(episode: Episode) -> Episode:
    """The episode as recap may publish it, whatever file or option it came from: its texts without
    control characters or bidi overrides, its links without user:pass@ and secret-looking parameters
    (recap.stages.fetch cleans what a download brings the same way). Changed in place, and returned."""
    episode.title = plain_text(episode.title)
    episode.uploader = plain_text(episode.uploader) if episode.uploader else episode.uploader
    episode.description = plain_text(episode.description, lines=True)
    episode.url = public_url(episode.url)
    episode.media_url = public_url(episode.media_url)
    episode.chapters = [replace(chapter, title=plain_text(chapter.title)) for chapter in episode.chapters]
    return episode


def _publishable_copy(episode: Episode, stories: list[Story]) -> tuple[Episode, list[Story]]:
    """Copies of the episode and its stories as recap may publish them; the caller's stay as they are."""
    episode = _publishable(replace(episode, chapters=list(episode.chapters)))
    return episode, [_publishable_story(story) for story in stories]


def _publishable_story(story: Story) -> Story:
    return replace(story, title=plain_text(story.title), text=plain_text(story.text, lines=True),
                   section=plain_text(story.section) if story.section else story.section,
                   links=[replace(link, label=plain_text(link.label)) for link in story.links])


def _not_empty(timed: TimedText, path: Path) -> TimedText:
    if not timed.text.strip():
        raise RecapError(f"{path.name}: the transcript is empty")
    return timed


def _dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _default_out_dir(episode: Episode, source: str | None = None, root: Path | None = None) -> Path:
    """A folder named after the episode's title, in ``root`` (default: here); a title with nothing
    usable in a file name ("..", "~", blanks) gives "episode-" and a hash of what the episode is, so
    two such episodes never share (and overwrite) one folder, and a run again on the same input
    finds its own."""
    identity = "\n".join([episode.extractor, episode.id, episode.url or "", episode.media_url or "",
                          _where(source)])
    tag = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:10]
    return (root or Path.cwd()) / safe_filename(episode.title, fallback=f"episode-{tag}")


def _where(source: str | None) -> str:
    if not source or inputs.kind_of(source) == inputs.URL:
        return source or ""
    return str(Path(source).resolve())


def shown_as(episode: Episode, media: Path) -> str:
    """How errors about the media name it: a download by its URL, a local file by its name."""
    return media.name if episode.extractor == "local" or not episode.url else episode.url
