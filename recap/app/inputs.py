"""What the user handed recap, decided in one place, and input files read into recap's types.

Every command asks ``kind_of`` first: a URL to download, media to transcribe, or a file a run
(or an editor) left: transcript JSON, stories JSON, subtitles, plain text, an edited clean.md.
"""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from recap.core.document import Episode, Segment, Story, TimedText, Transcript, plain_text
from recap.core.errors import RecapError
from recap.core.files import read_text
from recap.core.urls import is_url

log = logging.getLogger(__name__)

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
    edited: bool = False  # an editor's clean.md: parse ``text`` with recap.stages.clean

    def timed_text(self) -> TimedText:
        if self.transcript is not None:
            return TimedText.from_transcript(self.transcript)
        return TimedText(self.text or "")


def named_after(path: Path) -> Episode:
    """An episode with no episode.json beside it, named after its file: "show_12.transcript.json"
    is "show_12", not "show_12.transcript"."""
    name = re.sub(r"\.(?:transcript|stories|clean|captions|subtitles)$", "", path.stem, flags=re.IGNORECASE)
    return Episode(id=name or path.stem, title=name or path.stem)


def read_saved(path: Path) -> Saved:
    """The file, with the episode.json a run left beside it (else an episode named after it).
    Its words come without control characters, terminal escapes or bidi overrides (plain_text):
    every output made from them, `recap segment`'s and `recap clean`'s included, is clean. A
    transcript longer than MAX_WORDS words or MAX_SEGMENTS segments is refused at once."""
    episode = episode_beside(path) or named_after(path)
    kind = kind_of(str(path))
    if kind in (TEXT, EDITED):
        return Saved(episode, text=_bounded(plain_text(read_text(path), lines=True), path),
                     edited=kind == EDITED)
    if kind == SUBTITLES:
        return Saved(episode, transcript=_plain_words(read_transcript(path), path))
    if kind != JSON:
        raise RecapError(f"{path.name}: not a transcript file (expected .json, .srt, .vtt, .txt or .md)")
    data = _json(path)
    if isinstance(data, dict) and "stories" in data:
        episode, stories = _stories(data, episode, path)
        return Saved(episode, stories=stories)
    if isinstance(data, dict) and "segments" in data:
        if isinstance(data["segments"], list) and len(data["segments"]) > MAX_SEGMENTS:
            _plain_words(Transcript(segments=data["segments"]), path)  # refused before a segment is built
        transcript = _plain_words(_transcript(data, path), path)
        if episode.duration is None:
            episode.duration = transcript.duration
        return Saved(episode, transcript=transcript)
    raise RecapError(f"{path.name}: not a recap transcript or stories file")


# About a day of speech (150 words a minute): far past any episode, and work recap does in a
# minute or two; more would run for long with no output and end out of memory.
MAX_WORDS = 250_000
MAX_SEGMENTS = 100_000


def _bounded(text: str, path: Path) -> str:
    words = len(text.split())
    if words > MAX_WORDS:
        raise RecapError(f"{path.name}: {words:,} words; recap reads transcripts of up to {MAX_WORDS:,} "
                         "words (about a day of speech)")
    return text


def _plain_words(transcript: Transcript, path: Path | None = None) -> Transcript:
    """The transcript with plain_text applied to every segment's and word's text."""
    if len(transcript.segments) > MAX_SEGMENTS:
        raise RecapError(f"{path.name if path else 'the transcript'}: {len(transcript.segments):,} segments; "
                         f"recap reads transcripts of up to {MAX_SEGMENTS:,}")
    _bounded(" ".join(segment.text for segment in transcript.segments), path or Path("the transcript"))
    for segment in transcript.segments:
        segment.text = plain_text(segment.text)
        for word in segment.words:
            word.text = plain_text(word.text)
    return transcript


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


def episode_beside(path: Path, warn: bool = True) -> Episode | None:
    """The episode.json a run left beside ``path``; a damaged one is ignored (with a warning): it
    is metadata only, and the transcript works without it."""
    beside = path.parent / "episode.json"
    if path.name == "episode.json" or not beside.is_file():
        return None
    try:
        return Episode.from_dict(_json(beside))
    except (RecapError, ValueError) as exc:
        if warn:
            log.warning("ignoring %s: %s", beside, str(exc).removeprefix(f"{beside.name}: "))
        return None


def _json(path: Path):
    """A JSON file; nesting deeper than Python's recursion limit is an error like any bad JSON."""
    try:
        return json.loads(read_text(path))
    except ValueError as exc:
        raise RecapError(f"{path.name}: not valid JSON ({exc})") from exc
    except RecursionError:
        raise RecapError(f"{path.name}: not a recap file (JSON nested too deeply)") from None


def _transcript(data, path: Path) -> Transcript:
    try:
        return Transcript.from_dict(data)
    except ValueError as exc:  # SchemaError names the field
        raise RecapError(f"{path.name}: not a recap transcript JSON ({exc})") from exc


def _stories(data: dict, episode: Episode, path: Path) -> tuple[Episode, list[Story]]:
    """stories.json: its stories, and the episode it carries (else the one from beside it)."""
    try:
        if data.get("episode") is not None:
            episode = Episode.from_dict(data["episode"], "episode")
        if not isinstance(data["stories"], list):
            raise ValueError("stories: expected a list")
        stories = [Story.from_dict(s, f"stories[{i}]") for i, s in enumerate(data["stories"])]
    except ValueError as exc:  # SchemaError names the field
        raise RecapError(f"{path.name}: not a recap stories file ({exc})") from exc
    return episode, stories


def _read_srt(text: str, path: Path) -> list[Segment]:
    import srt

    try:
        cues = list(srt.parse(text))
    except srt.SRTParseError as exc:
        raise RecapError(f"{path.name}: not a valid SRT file") from exc
    for cue in cues:  # srt reads a broken timing line as the cue before's text: it is no text
        broken = next((line for line in cue.content.splitlines() if _TIMING_LINE.search(line)), None)
        if broken is not None:
            raise RecapError(f"{path.name}: cue {cue.index} is followed by a timing line that does not "
                             f"parse ({broken.strip()[:60]!r}): fix it")
    return [Segment(start=c.start.total_seconds(), end=c.end.total_seconds(),
                    text=" ".join(c.content.split())) for c in cues]


_TIMING_LINE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?[,.]\d{1,3}\s*-->")


def _read_vtt(text: str, path: Path) -> list[Segment]:
    import webvtt

    try:
        cues = webvtt.from_buffer(io.StringIO(text)).captions
    except Exception as exc:  # webvtt-py raises its own MalformedFileError and friends
        raise RecapError(f"{path.name}: not a valid WebVTT file") from exc
    return [Segment(start=c.start_in_seconds, end=c.end_in_seconds,
                    text=" ".join(c.text.split())) for c in cues]
