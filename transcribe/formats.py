"""Transcript files: our JSON, plain text, SRT and WebVTT, written and read back."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from recap.document import Segment, Transcript
from recap.errors import RecapError
from recap.files import read_text
from recap.timecodes import vtt_escape, vtt_time


def _json(transcript: Transcript) -> str:
    return json.dumps(transcript.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _txt(transcript: Transcript) -> str:
    return "\n".join(s.text.strip() for s in transcript.segments if s.text.strip()) + "\n"


def _srt(transcript: Transcript) -> str:
    import srt

    cues = [srt.Subtitle(index=i, start=timedelta(seconds=s.start),
                         end=timedelta(seconds=s.end), content=s.text.strip())
            for i, s in enumerate(_spoken(transcript), start=1)]
    return srt.compose(cues)


def _vtt(transcript: Transcript) -> str:
    lines = ["WEBVTT", ""]
    for s in _spoken(transcript):
        lines += [f"{vtt_time(s.start)} --> {vtt_time(s.end)}", vtt_escape(s.text.strip()), ""]
    return "\n".join(lines)


def _spoken(transcript: Transcript) -> list[Segment]:
    return [s for s in transcript.segments if s.text.strip()]


WRITERS: dict[str, Callable[[Transcript], str]] = {
    "json": _json, "txt": _txt, "srt": _srt, "vtt": _vtt,
}


def write_transcript(transcript: Transcript, fmt: str) -> str:
    return WRITERS[fmt](transcript)


def load_transcript(path: Path) -> Transcript:
    """Read our transcript JSON, an .srt or a .vtt file (cue-level timings, no words)."""
    text = read_text(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _read_json(text, path)
    if suffix == ".srt":
        return Transcript(segments=_read_srt(text, path))
    if suffix == ".vtt":
        return Transcript(segments=_read_vtt(text, path))
    raise RecapError(f"{path.name}: not a transcript file (expected .json, .srt or .vtt)")


def _read_json(text: str, path: Path) -> Transcript:
    try:
        return Transcript.from_dict(json.loads(text))
    except (ValueError, KeyError, TypeError) as exc:
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
