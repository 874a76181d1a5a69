"""`recap clean`: any input with word timings -> the cleaned transcript in the chosen formats."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from recap.clean.cleanup import clean_transcript, default_segmenter
from recap.clean.formats import CLEAN_FORMATS, WRITERS
from recap.clean.guard import WriteGuard
from recap.clean.model import FLAG_BELOW
from recap.document import Episode, Transcript
from recap.errors import RecapError
from recap.fetch import local_media
from recap.files import ensure_writable_dir, safe_filename
from recap.urls import is_url

TIMED_SUFFIXES = (".json", ".srt", ".vtt")
UNTIMED_SUFFIXES = (".txt", ".md")


@dataclass
class CleanOptions:
    out_dir: Path | None = None  # None: a folder named after the episode, here
    formats: tuple[str, ...] = CLEAN_FORMATS
    force: bool = False  # overwrite files an editor changed
    flag_below: float = FLAG_BELOW


def run_clean(pipeline, source: str, options: CleanOptions) -> list[Path]:
    """``pipeline`` is a recap.pipeline.Pipeline: its fetch, cache and transcriber are reused."""
    names = [WRITERS[fmt][0] for fmt in options.formats]
    if options.out_dir and not options.force:
        WriteGuard(options.out_dir).check(names)  # before the long work, when the folder is known
    episode, transcript = load_source(pipeline, source)
    pipeline.options.overrides.apply(episode)
    out_dir = ensure_writable_dir(options.out_dir or Path.cwd() / safe_filename(episode.title))
    guard = WriteGuard(out_dir)
    if not options.force:
        guard.check(names)  # before writing anything: all or nothing
    pipeline.reporter.stage("clean")
    doc = clean_transcript(transcript, episode, options.flag_below, default_segmenter())
    outputs = [(name, WRITERS[fmt][1](doc)) for name, fmt in zip(names, options.formats)]
    try:
        return [guard.write(name, content) for name, content in outputs]
    except OSError as exc:
        raise RecapError(f"cannot write to {out_dir}: {exc.strerror or exc}") from exc


def load_source(pipeline, source: str) -> tuple[Episode, Transcript]:
    suffix = Path(source).suffix.lower()
    if not is_url(source) and suffix in UNTIMED_SUFFIXES:
        raise RecapError(f"{Path(source).name}: clean needs word timings; give the video, its media file, "
                         f"or a transcript .json, .srt or .vtt")
    if not is_url(source) and suffix in TIMED_SUFFIXES:
        return _transcript_file(pipeline, local_media(source))
    episode, media = pipeline.fetch(source)
    transcript, _ = pipeline.transcript(media)
    if episode.duration is None:
        episode.duration = transcript.duration
    return episode, transcript


def _transcript_file(pipeline, path: Path) -> tuple[Episode, Transcript]:
    from recap.transcribe.formats import load_transcript

    episode, _, transcript = pipeline.load_saved(path)
    if path.suffix.lower() != ".json":
        transcript = load_transcript(path)
    if transcript is None:
        raise RecapError(f"{path.name}: a stories file has no words to clean; give its transcript.json")
    return episode, transcript
