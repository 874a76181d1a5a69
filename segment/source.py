"""The text to segment, with a map from character offsets back to video time."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

from recap.document import Transcript
from recap.errors import RecapError
from recap.files import read_text


@dataclass
class TimedText:
    """Plain text plus sorted anchors ``(char offset, start s, end s)``.

    Spans reported by the segmenter index ``text``; for a .txt input it is the file itself.
    """

    text: str
    anchors: list[tuple[int, float, float]] = field(default_factory=list)

    def start_at(self, offset: int) -> float | None:
        """Start time of the first timed token at or after ``offset``."""
        if not self.anchors:
            return None
        i = bisect.bisect_left(self.anchors, (offset, float("-inf"), 0.0))
        return self.anchors[min(i, len(self.anchors) - 1)][1]

    def end_at(self, offset: int) -> float | None:
        """End time of the last timed token that starts before ``offset``."""
        if not self.anchors:
            return None
        i = bisect.bisect_left(self.anchors, (offset, float("-inf"), 0.0))
        return self.anchors[max(i - 1, 0)][2]

    @classmethod
    def from_transcript(cls, transcript: Transcript) -> TimedText:
        pieces: list[str] = []
        anchors: list[tuple[int, float, float]] = []
        offset = 0
        for segment in transcript.segments:
            text = segment.text.strip()
            if not text:
                continue
            if pieces:
                pieces.append(" ")
                offset += 1
            anchors += _word_anchors(text, offset, segment) or [(offset, segment.start, segment.end)]
            pieces.append(text)
            offset += len(text)
        return cls("".join(pieces), anchors)


def _word_anchors(text: str, offset: int, segment) -> list[tuple[int, float, float]]:
    """Place each timed word in the segment text; words Whisper merged oddly are skipped."""
    anchors, cursor = [], 0
    for word in segment.words:
        token = word.text.strip()
        found = text.find(token, cursor) if token else -1
        if found < 0:
            continue
        anchors.append((offset + found, word.start, word.end))
        cursor = found + len(token)
    return anchors


def load_timed_text(path: Path) -> TimedText:
    """Read .txt, .srt, .vtt or transcript .json into text to segment."""
    from recap.transcribe.formats import load_transcript

    if path.suffix.lower() in (".txt", ".text", ".md"):
        timed = TimedText(read_text(path))
    else:
        timed = TimedText.from_transcript(load_transcript(path))
    if not timed.text.strip():
        raise RecapError(f"{path.name}: the transcript is empty")
    return timed
