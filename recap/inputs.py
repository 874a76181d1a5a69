"""What the user handed recap, decided in one place, and input files read into recap's types.

Every command asks ``kind_of`` first: a URL to download, media to transcribe, or a file a run
(or an editor) left: transcript JSON, stories JSON, subtitles, plain text, an edited clean.md.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

from recap.document import Episode, Segment, Story, TimedText, Transcript
from recap.errors import RecapError
from recap.files import read_text
from recap.urls import is_url

URL, MEDIA, JSON, SUBTITLES, TEXT, EDITED = "url", "media", "json", "subtitles", "text", "edited"
_BY_SUFFIX = {".json": JSON, ".srt": SUBTITLES, ".vtt": SUBTITLES, ".txt": TEXT, ".text": TEXT,
              ".md": EDITED}  # .md: the clean.md of `recap clean`, after an editor's changes
TIMED = (JSON, SUBTITLES)  # inputs that carry times


def kind_of(source: str) -> str:
    """URL, MEDIA or one of the transcript kinds, by the source's form and its suffix."""
    if is_url(source):
        return URL
    return _BY_SUFFIX.get(Path(source).suffix.lower(), MEDIA)


def is_transcript(source: str) -> bool:
    return kind_of(source) not in (URL, MEDIA)


@dataclass
class Saved:
    """What a transcript-like file holds; the fields it lacks are None."""

    episode: Episode
    stories: list[Story] | None = None  # stories.json
    transcript: Transcript | None = None  # transcript .json, .srt, .vtt
    text: str | None = None  # .txt and .md: words without times
    edited: bool = False  # an editor's clean.md: parse ``text`` with recap.clean

    def timed_text(self) -> TimedText:
        if self.transcript is not None:
            return TimedText.from_transcript(self.transcript)
        return TimedText(self.text or "")


def read_saved(path: Path) -> Saved:
    """The file, with the episode.json a run left beside it (else an episode named after it)."""
    episode = episode_beside(path) or Episode(id=path.stem, title=path.stem)
    kind = kind_of(str(path))
    if kind in (TEXT, EDITED):
        return Saved(episode, text=read_text(path), edited=kind == EDITED)
    if kind == SUBTITLES:
        return Saved(episode, transcript=read_transcript(path))
    if kind != JSON:
        raise RecapError(f"{path.name}: not a transcript file (expected .json, .srt, .vtt, .txt or .md)")
    data = _json(path)
    if isinstance(data, dict) and "stories" in data:
        if isinstance(data.get("episode"), dict):
            episode = Episode.from_dict(data["episode"])
        return Saved(episode, stories=[Story.from_dict(s) for s in data["stories"]])
    if isinstance(data, dict) and "segments" in data:
        transcript = _transcript(data, path)
        if episode.duration is None:
            episode.duration = transcript.duration
        return Saved(episode, transcript=transcript)
    raise RecapError(f"{path.name}: not a recap transcript or stories file")


def read_transcript(path: Path) -> Transcript:
    """Our transcript JSON, an .srt or a .vtt file (cue-level timings, no words)."""
    kind = kind_of(str(path))
    if kind == JSON:
        return _transcript(_json(path), path)
    if kind == SUBTITLES:
        text = read_text(path)
        read = _read_srt if path.suffix.lower() == ".srt" else _read_vtt
        return Transcript(segments=read(text, path))
    raise RecapError(f"{path.name}: not a transcript file (expected .json, .srt or .vtt)")


def read_timed_text(path: Path) -> TimedText:
    """Any transcript-like file as text to segment (stories.json has none)."""
    saved = read_saved(path)
    if saved.stories is not None:
        raise RecapError(f"{path.name}: a stories file, not a transcript; give its transcript.json")
    timed = saved.timed_text()
    if not timed.text.strip():
        raise RecapError(f"{path.name}: the transcript is empty")
    return timed


def chapters_beside(path: Path) -> list:
    """The chapters in the episode.json a run left beside ``path``; none when there is none."""
    episode = episode_beside(path)
    return episode.chapters if episode else []


def episode_beside(path: Path) -> Episode | None:
    beside = path.parent / "episode.json"
    if path.name == "episode.json" or not beside.is_file():
        return None
    try:
        return Episode.from_dict(json.loads(beside.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _json(path: Path):
    try:
        return json.loads(read_text(path))
    except ValueError as exc:
        raise RecapError(f"{path.name}: not valid JSON ({exc})") from exc


def _transcript(data, path: Path) -> Transcript:
    try:
        return Transcript.from_dict(data)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise RecapError(f"{path.name}: not a recap transcript JSON ({exc})") from exc


def _read_srt(text: str, path: Path) -> list[Segment]:
    import srt

    try:
        cues = list(srt.parse(text))
    except srt.SRTParseError as exc:
        raise RecapError(f"{path.name}: not a valid SRT file") from exc
    return [Segment(start=c.start.total_seconds(), end=c.end.total_seconds(),
                    text=" ".join(c.content.split())) for c in cues]


def _read_vtt(text: str, path: Path) -> list[Segment]:
    import webvtt

    try:
        cues = webvtt.from_buffer(io.StringIO(text)).captions
    except Exception as exc:  # webvtt-py raises its own MalformedFileError and friends
        raise RecapError(f"{path.name}: not a valid WebVTT file") from exc
    return [Segment(start=c.start_in_seconds, end=c.end_in_seconds,
                    text=" ".join(c.text.split())) for c in cues]
