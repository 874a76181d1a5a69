"""Known Whisper failures, found in its output: repetition loops and coverage holes.

Both happen more with the batched decoder: a clip decoded in one go can stop after its
first sentence (a hole) or repeat one token for a minute (a loop). The engine re-decodes
the clips these checks flag and keeps whichever result is better.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from recap.core.document import Word

# Runs of the same n-gram, back to back, beyond what speech does ("no no no" is fine).
LOOP_REPEATS = {1: 5, 2: 4, 3: 3, 4: 3}
HOLE_MIN_S = 2.0  # a voiced stretch at least this long with no words is a hole
# A clip spoken at under half the speaker's usual rate lost words. At 40% a 29 s clip of a
# 45-minute show that had lost its first 45 words (33 left, 79 when decoded alone) passed or not
# from run to run as the usual rate moved; a repair that finds no more words keeps the original.
SLOW_FACTOR = 0.5
TYPICAL_RATE = 2.5  # words per second, used when a file has too few clips to judge


def _token(word: Word) -> str:
    return re.sub(r"[^\w']", "", word.text.lower())


def find_loops(words: Sequence[Word]) -> list[tuple[int, int]]:
    """Index ranges ``[start, end)`` of words that repeat one n-gram too many times."""
    tokens = [_token(w) for w in words]
    loops: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        end = _loop_end(tokens, i)
        if end > i:
            loops.append((i, end))
            i = end
        else:
            i += 1
    return loops


def _loop_end(tokens: list[str], start: int) -> int:
    for n, needed in LOOP_REPEATS.items():
        gram = tokens[start:start + n]
        if len(gram) < n or not all(gram):
            continue
        repeats, j = 1, start + n
        while tokens[j:j + n] == gram:
            repeats, j = repeats + 1, j + n
        if repeats >= needed:
            return j
    return start


@dataclass(frozen=True)
class Clip:
    start: float  # seconds, within the audio being checked
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Problem:
    clip: Clip
    reason: str  # "loop", "hole" or "slow"


def words_in(clip: Clip, words: Sequence[Word]) -> list[Word]:
    return [w for w in words if clip.start - 0.2 <= (w.start + w.end) / 2 < clip.end + 0.2]


def usual_rate(clips: Sequence[Clip], words: Sequence[Word]) -> float:
    rates = [len(words_in(c, words)) / c.duration for c in clips if c.duration >= 5]
    return statistics.median(rates) if len(rates) >= 3 else TYPICAL_RATE


def find_problems(clips: Sequence[Clip], words: Sequence[Word]) -> list[Problem]:
    """The voiced clips whose words look wrong: looping, missing, or far too few."""
    rate = usual_rate(clips, words)
    problems = []
    for clip in clips:
        inside = words_in(clip, words)
        if find_loops(inside):
            problems.append(Problem(clip, "loop"))
        elif not inside and clip.duration >= HOLE_MIN_S:
            problems.append(Problem(clip, "hole"))
        elif clip.duration >= 5 and len(inside) < SLOW_FACTOR * rate * clip.duration:
            problems.append(Problem(clip, "slow"))
    return problems


def quality(words: Sequence[Word]) -> float:
    """More words is better, but words inside a loop count against the result."""
    looped = sum(end - start for start, end in find_loops(words))
    return len(words) - 2 * looped
