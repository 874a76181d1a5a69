"""The transcript as files: our JSON (read back by recap.app.inputs), plain text, SRT and WebVTT."""

from __future__ import annotations

import json
from datetime import timedelta

from recap.core.document import Segment, Transcript
from recap.core.formats import Format, registry
from recap.core.timecodes import vtt_escape, vtt_time


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


FORMATS = registry(
    Format("json", "transcript.json", _json), Format("txt", "transcript.txt", _txt),
    Format("srt", "transcript.srt", _srt), Format("vtt", "transcript.vtt", _vtt),
)
