"""recap from Python: what the command line does, for a script or a web app.

    import recap.app.api as recap

    result = recap.article("https://www.youtube.com/watch?v=VIDEO_ID", out_dir="episode")
    print(result.article.title, [p.name for p in result.files])
    for section in result.article.sections:
        for story in section.stories:
            print(story.start, story.title, story.summary)

    report = recap.channel("https://example.com/feed.xml", out_dir="my-show", limit=3)

Errors are recap.core.errors.RecapError (one line, as the command line prints them). Options are the
command line's, by their Python names; what is left out is the command line's default (not the
user's config.toml: a program says what it wants).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from recap.app.channel import ChannelReport, plan_channel, run_channel
from recap.app.entries import Selection
from recap.app.episodes import ChannelOptions
from recap.app.pipeline import Pipeline, Result
from recap.core.document import Article
from recap.core.errors import RecapError
from recap.core.options import ARTICLE_FORMATS, DEFAULT_FORMATS, Overrides, RunOptions, TranscribeOptions

__all__ = ["Article", "RecapError", "Result", "article", "channel"]


def article(source: str | Path, out_dir: str | Path | None = None, *,
            formats: Sequence[str] = DEFAULT_FORMATS, description: str | Path | None = None,
            title: str | None = None, url: str | None = None,
            model: str | None = None, profile: str | None = None, link_pages: bool = True,
            cache_dir: str | Path | None = None, transcriber=None) -> Result:
    """A video URL, a media file or a transcript (.txt, .srt, .vtt, transcript .json, stories.json,
    an edited clean.md) to its article, written into ``out_dir`` (default: a folder named after
    the episode, here). ``description``: a file holding the video's description, for inputs that
    carry none. ``transcriber``: any recap.core.document.Transcriber (default: faster-whisper)."""
    options = _run_options(out_dir, formats, description, title, url, profile, link_pages, cache_dir)
    if transcriber is None and not _is_transcript(source):
        from recap.stages.transcribe import WhisperTranscriber

        transcriber = WhisperTranscriber(TranscribeOptions(model=model), options.cache_dir)
    return Pipeline(options, transcriber=transcriber).run(str(source))


def channel(url: str, out_dir: str | Path | None = None, *,
            formats: Sequence[str] = DEFAULT_FORMATS, since: str | None = None, until: str | None = None,
            limit: int | None = None,
            model: str | None = None, profile: str | None = None, link_pages: bool = True,
            cache_dir: str | Path | None = None) -> ChannelReport:
    """Every episode of a channel, playlist or podcast feed not done yet, into ``out_dir`` (default:
    a folder named after the channel, here), with its index; ``since``/``until``: YYYY-MM-DD."""
    from recap.app.entries import parse_date

    run = _run_options(None, formats, None, None, None, profile, link_pages, cache_dir)
    selection = Selection(since=parse_date(since) if since else None,
                          until=parse_date(until) if until else None, limit=limit)
    options = ChannelOptions(run=run, transcribe=TranscribeOptions(model=model),
                             out_dir=Path(out_dir) if out_dir else None, selection=selection)
    return run_channel(plan_channel(url, options), options)


def _run_options(out_dir, formats, description, title, url, profile, link_pages, cache_dir) -> RunOptions:
    unknown = [name for name in formats if name not in ARTICLE_FORMATS]
    if unknown or not formats:
        raise RecapError(f"unknown format {','.join(unknown) or '(none)'}; "
                         f"choose from {','.join(ARTICLE_FORMATS)}")
    given = {"cache_dir": Path(cache_dir)} if cache_dir else {}
    overrides = Overrides(title=title, url=url, description_file=Path(description) if description else None)
    return RunOptions(out_dir=Path(out_dir) if out_dir else None, formats=tuple(formats), profile=profile,
                      link_pages=link_pages, overrides=overrides, **given)


def _is_transcript(source: str | Path) -> bool:
    from recap.app import inputs

    return inputs.is_transcript(str(source))
