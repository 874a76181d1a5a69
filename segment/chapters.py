"""Chapters from the video's metadata as story boundaries, moved to the nearest sentence start."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from recap.core.document import Chapter, TimedText
from recap.language.sentences import Sentence


def chapter_cuts(sentences: Sequence[Sentence], timed: TimedText,
                 chapters: Sequence[Chapter]) -> list[tuple[int, str]]:
    """``(sentence index, chapter title)`` per chapter; none when the text has no timings."""
    if not chapters or not timed.anchors or not sentences:
        return []
    starts = [timed.start_at(s.start) or 0.0 for s in sentences]
    placed: dict[int, str] = {}
    for chapter in sorted(chapters, key=lambda c: c.start):
        index = _nearest(starts, chapter.start)
        placed.setdefault(index, chapter.title.strip())
    return sorted(placed.items())


def _nearest(times: Sequence[float], target: float) -> int:
    i = bisect.bisect_left(times, target)
    if i == 0:
        return 0
    if i == len(times):
        return len(times) - 1
    return i if times[i] - target < target - times[i - 1] else i - 1
