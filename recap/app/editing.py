"""The editor's path: `recap clean` cleans a transcript into files an editor reads and edits
(clean.md goes back through `recap render`), never over an editor's changes."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from recap.app import inputs
from recap.app.guard import WriteGuard
from recap.app.output import switch_in
from recap.app.pipeline import Pipeline, shown_as
from recap.core.document import (
    Episode,
    Transcript,
)
from recap.core.errors import RecapError
from recap.core.files import (
    ensure_writable_dir,
)
from recap.core.formats import chosen
from recap.core.options import CleanOptions
from recap.stages.fetch import local_media

if TYPE_CHECKING:
    from recap.stages.clean import CleanTranscript


def clean_files(pipeline: Pipeline, source: str, options: CleanOptions) -> list[Path]:
    """`recap clean`: the cleaned transcript in each format, never over an editor's changes."""
    from recap.stages.clean import FORMATS

    timed = inputs.kind_of(source) != inputs.TEXT
    formats = chosen(FORMATS, clean_formats(source, options.formats, timed))
    names = [fmt.filename for fmt in formats]
    if options.out_dir and not options.force:
        WriteGuard(options.out_dir).check(names)  # before the long work, when the folder is known
    doc = cleaned(pipeline, source, options.flag_below) if timed else cleaned_text(pipeline, Path(source))
    out_dir = ensure_writable_dir(options.out_dir or pipeline.named_dir(doc.episode, source))
    outputs = {fmt.filename: fmt.write(doc) for fmt in formats}
    with pipeline.outputs.holding(out_dir):  # a run writing the folder (render, channel, clean) keeps it
        guard = WriteGuard(out_dir)
        if not options.force:
            guard.check(names)  # before writing anything: all or nothing
        try:
            return switch_in(out_dir, outputs, guard, [fmt.filename for fmt in FORMATS.values()])
        except OSError as exc:
            raise RecapError(f"cannot write to {out_dir}: {exc.strerror or exc}") from exc


def clean_formats(source: str, asked: tuple[str, ...] | None, timed: bool) -> tuple[str, ...]:
    """The formats asked for, else all the input allows: subtitles need times."""
    from recap.stages.clean import CLEAN_FORMATS, NEED_TIMES

    if timed:
        return asked or CLEAN_FORMATS
    if asked and (subtitles := [name for name in asked if name in NEED_TIMES]):
        raise RecapError(f"{Path(source).name} has no times, so no subtitles ({', '.join(subtitles)}); "
                         "give the video, its media file, or a transcript .json, .srt or .vtt")
    return asked or tuple(name for name in CLEAN_FORMATS if name not in NEED_TIMES)


def cleaned(pipeline: Pipeline, source: str, flag_below: float) -> CleanTranscript:
    episode, transcript = words_to_clean(pipeline, source)
    return clean_words(pipeline, transcript, pipeline.apply_overrides(episode), flag_below)


def clean_words(pipeline: Pipeline, transcript: Transcript, episode: Episode,
                flag_below: float) -> CleanTranscript:
    """The transcript cleaned, under the stories the pipeline's profile cuts, unsure words flagged
    and checked against the names the episode's description spells."""
    from recap.stages.clean import clean_transcript
    from recap.stages.segment import names_written, segment

    pipeline.reporter.stage("clean")
    return clean_transcript(transcript, episode, flag_below,
                            segmenter=functools.partial(segment, profile=pipeline.profile),
                            names=names_written(episode.description, pipeline.profile.cues))


def cleaned_text(pipeline: Pipeline, path: Path) -> CleanTranscript:
    """A plain-text transcript: cleaned, in paragraphs under story headings, without times."""
    from recap.stages.clean import clean_plain_text
    from recap.stages.segment import segment

    saved = inputs.read_saved(local_media(str(path)))
    pipeline.apply_overrides(saved.episode)
    pipeline.reporter.stage("clean")
    return clean_plain_text(saved.text or "", saved.episode,
                            segmenter=functools.partial(segment, profile=pipeline.profile))


def words_to_clean(pipeline: Pipeline, source: str) -> tuple[Episode, Transcript]:
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
    episode, media = pipeline.fetch(source)
    transcript, _ = pipeline.transcript(media, shown_as(episode, media), episode)
    if episode.duration is None:
        episode.duration = transcript.duration
    return episode, transcript
