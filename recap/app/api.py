"""recap from Python: the whole job (``article``, ``channel``) and each stage on its own
(``transcribe``, ``segment``, ``render``, ``clean``), taking and returning recap's documents.

    import recap

    article = recap.article("https://www.youtube.com/watch?v=VIDEO_ID", out_dir="episode")
    for section in article.sections:
        for story in section.stories:
            print(story.start, story.title, story.summary)

Every function raises recap.RecapError (one line, as the command line prints it) for input it
cannot use. What a call leaves out is recap's default, not the user's config.toml: a program says
what it wants.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from recap.app.channel import ChannelReport, plan_channel, run_channel
from recap.app.episodes import ChannelOptions
from recap.app.pipeline import Pipeline
from recap.core.document import Article, Chapter, Episode, Story, TimedText, Transcript
from recap.core.errors import RecapError
from recap.core.options import (
    ARTICLE_FORMATS,
    DEFAULT_FORMATS,
    FLAG_BELOW,
    Overrides,
    RunOptions,
    TranscribeOptions,
)

if TYPE_CHECKING:
    from recap.stages.clean import CleanTranscript

__all__ = ["Article", "Episode", "Progress", "RecapError", "Story", "Transcript",
           "article", "channel", "clean", "render", "segment", "transcribe"]

Progress = Callable[[str, float], None]
"""Called with a stage's name ("download", "transcribe", "segment", "render", "clean") and the
fraction of it done: 0.0 as the stage starts, then as the transcription moves on."""


def article(source: str | Path, *, out_dir: str | Path | None = None, description: str | Path | None = None,
            title: str | None = None, url: str | None = None, formats: Sequence[str] = DEFAULT_FORMATS,
            model: str | None = None, device: str = "auto", profile: str | Path | None = None,
            link_pages: bool = True, cache_dir: str | Path | None = None, transcriber=None,
            progress: Progress | None = None) -> Article:
    """Turn one episode into its article and write the article's files.

    Args:
        source: A video URL (anything yt-dlp downloads), a local audio or video file, or a
            transcript: ``.txt``, ``.srt``, ``.vtt``, recap's ``transcript.json``, a saved
            ``stories.json`` or an edited ``clean.md`` (these need no model).
        out_dir: The folder for the files; None makes one named after the episode, here.
        description: The video's description, as text or as a ``Path`` to a file holding it, for
            inputs that carry none (its links go under their stories).
        title: The episode's title, over the one the input carries.
        url: The page to link back to, over the one the input carries (a transcript has none).
        formats: Any of ``md``, ``html``, ``json``, ``chapters``, ``email``, ``txt``.
        model: A Whisper model name (``tiny.en``, ``base``, ``small.en``...) or a CTranslate2
            model folder; None is the bundled ``tiny.en``, which needs no network.
        device: ``auto`` (CUDA float16 where a GPU is visible, else CPU int8), ``cpu`` or ``cuda``.
        profile: A show profile's name or TOML file (how the hosts talk); None is ``news``.
        link_pages: Read the description links' page titles (needs the network).
        cache_dir: Where downloads and transcripts are cached; None is the per-user cache folder.
        transcriber: Any object with the ``recap.core.document.Transcriber`` protocol, in place of
            faster-whisper (then ``model`` and ``device`` are not used).
        progress: Called as the stages run; see ``Progress``.

    Returns:
        The Article (title, intro, sections of stories with times, summaries and links), as
        ``article.json`` holds it.

    Raises:
        RecapError: The source cannot be read, downloaded or decoded, an option is not allowed,
            or the output folder is in use or cannot be written.
    """
    options = _run_options(out_dir, formats, description, title, url, profile, link_pages, cache_dir)
    return _pipeline(options, transcriber, model, device, progress).run(str(source)).article


def channel(url: str, *, out_dir: str | Path | None = None, formats: Sequence[str] = DEFAULT_FORMATS,
            since: str | None = None, until: str | None = None, limit: int | None = None,
            model: str | None = None, profile: str | Path | None = None, link_pages: bool = True,
            cache_dir: str | Path | None = None) -> ChannelReport:
    """Write the article of every episode of a channel, playlist or podcast feed not done yet.

    Args:
        url: The channel, playlist or feed (anything yt-dlp lists).
        out_dir: The channel's folder (one subfolder an episode, an index); None makes one named
            after the channel, here.
        formats: As for ``article``.
        since: Only episodes published on or after this day (YYYY-MM-DD).
        until: Only episodes published on or before this day (YYYY-MM-DD).
        limit: At most this many episodes, newest first.
        model: As for ``article``.
        profile: As for ``article``; None is the one the folder remembers, else ``news``.
        link_pages: As for ``article``.
        cache_dir: As for ``article``.

    Returns:
        The ChannelReport: ``records`` (each episode's status), ``count(status)``, ``out_dir``.

    Raises:
        RecapError: The channel cannot be listed, or its folder is in use.
    """
    from recap.app.entries import Selection, parse_date

    run = _run_options(None, formats, None, None, None, profile, link_pages, cache_dir)
    selection = Selection(since=parse_date(since) if since else None,
                          until=parse_date(until) if until else None, limit=limit)
    options = ChannelOptions(run=run, transcribe=TranscribeOptions(model=model),
                             out_dir=Path(out_dir) if out_dir else None, selection=selection)
    return run_channel(plan_channel(url, options), options)


def transcribe(source: str | Path, *, model: str | None = None, device: str = "auto",
               language: str | None = "en", description: str | Path | None = None,
               cache_dir: str | Path | None = None, transcriber=None,
               progress: Progress | None = None) -> Transcript:
    """Transcribe one episode's speech into timed words (cached: a second call is instant).

    Args:
        source: A video URL or a local audio or video file.
        model: As for ``article``.
        device: As for ``article``.
        language: The spoken language's code; None lets Whisper detect it.
        description: The video's description (text or a ``Path``): the names it spells guide
            the recogniser.
        cache_dir: As for ``article``.
        transcriber: As for ``article``.
        progress: As for ``article``.

    Returns:
        The Transcript: ``segments`` of timed ``words``, ``language``, ``duration``.

    Raises:
        RecapError: The source cannot be downloaded or decoded, or the model cannot be loaded.
    """
    options = _run_options(None, DEFAULT_FORMATS, description, None, None, None, False, cache_dir)
    pipeline = _pipeline(options, transcriber, model, device, progress, language)
    episode, media = pipeline.fetch(str(source))
    return pipeline.transcript(media, str(source), episode)[0]


def segment(transcript: Transcript, *, description: str = "", chapters: Sequence[Chapter] = (),
            profile: str | Path | None = None) -> list[Story]:
    """Cut a transcript into stories, each with its kind, heading and span of the text.

    Args:
        transcript: What ``transcribe`` returned (or ``Transcript.from_dict`` read).
        description: The video's description: its links' words place the stories.
        chapters: The video's chapters; where given, they are the cuts.
        profile: As for ``article``.

    Returns:
        The stories in spoken order (``start``/``end`` in seconds, ``title``, ``kind``).

    Raises:
        RecapError: The profile cannot be read.
    """
    from recap.stages.segment import segment as cut

    pipeline = _pipeline(_run_options(None, DEFAULT_FORMATS, None, None, None, profile, False, None))
    return cut(TimedText.from_transcript(transcript), chapters=list(chapters), description=description,
               profile=pipeline.profile)


def render(stories: Sequence[Story], episode: Episode, *, out_dir: str | Path | None = None,
           formats: Sequence[str] = DEFAULT_FORMATS, profile: str | Path | None = None) -> Article:
    """Outline stories into an article (intro, sections, headings, summaries, links under their
    stories) and, given a folder, write it.

    Args:
        stories: What ``segment`` returned.
        episode: The episode's title, description (its links), URL and date:
            ``recap.Episode(id="ep1", title="...", description="...")``.
        out_dir: Where to write the article in ``formats``; None writes nothing.
        formats: As for ``article``.
        profile: As for ``article``.

    Returns:
        The Article.

    Raises:
        RecapError: An option is not allowed, or the folder is in use or cannot be written.
    """
    options = _run_options(out_dir, formats, None, None, None, profile, False, None)
    pipeline = _pipeline(options)
    if out_dir is None:
        return pipeline.article(episode, list(stories))
    return pipeline.finish(Path(out_dir), episode, list(stories), []).article


def clean(transcript: Transcript, episode: Episode, *, flag_below: float = FLAG_BELOW,
          profile: str | Path | None = None) -> CleanTranscript:
    """Clean a transcript for an editor: fillers and false starts out, readable paragraphs under
    story headings, unsure words flagged.

    Args:
        transcript: What ``transcribe`` returned.
        episode: The episode (its description spells the names unsure words are checked against).
        flag_below: Words the recogniser gave less probability than this are flagged.
        profile: As for ``article``.

    Returns:
        The CleanTranscript (``sections`` of ``paragraphs``); ``recap.stages.clean.FORMATS`` write
        it as Markdown, text, subtitles, HTML or JSON.

    Raises:
        RecapError: The transcript holds no words.
    """
    from recap.app.editing import clean_words

    pipeline = _pipeline(_run_options(None, DEFAULT_FORMATS, None, None, None, profile, False, None))
    return clean_words(pipeline, transcript, episode, flag_below)


class _Callback:
    """The pipeline's Reporter, told to a ``Progress`` function."""

    def __init__(self, progress: Progress) -> None:
        self.tell = progress
        self.current = ""

    def stage(self, name: str) -> None:
        self.current = name
        self.tell(name, 0.0)

    def progress(self, done: float, total: float) -> None:
        if total > 0:
            self.tell(self.current, min(1.0, done / total))


def _pipeline(options: RunOptions, transcriber=None, model: str | None = None, device: str = "auto",
              progress: Progress | None = None, language: str | None = "en") -> Pipeline:
    transcribing = TranscribeOptions(model=model, device=device, language=language)
    return Pipeline(options, transcriber=transcriber, reporter=_Callback(progress) if progress else None,
                    transcribe_options=transcribing)


def _run_options(out_dir, formats, description, title, url, profile, link_pages, cache_dir) -> RunOptions:
    unknown = [name for name in formats if name not in ARTICLE_FORMATS]
    if unknown or not formats:
        raise RecapError(f"unknown format {','.join(unknown) or '(none)'}; "
                         f"choose from {','.join(ARTICLE_FORMATS)}")
    given = {"cache_dir": Path(cache_dir)} if cache_dir else {}
    written = isinstance(description, Path)
    overrides = Overrides(title=title, url=url, description_file=description if written else None,
                          description=None if written else description)
    return RunOptions(out_dir=Path(out_dir) if out_dir else None, formats=tuple(formats),
                      profile=str(profile) if profile else None, link_pages=link_pages, overrides=overrides,
                      **given)
