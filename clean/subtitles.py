"""SRT and WebVTT cues re-timed from the cleaned words.

Limits (common broadcast practice): at most 2 lines of 42 characters, 1 to 7 seconds on
screen, no overlaps. Cues end at sentence ends and pauses where they can.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from recap.core.timecodes import vtt_escape, vtt_time
from recap.language.tokens import Token, ends_sentence, has_comma
from recap.stages.clean.model import CleanTranscript

LINE_CHARS = 42
MAX_LINES = 2
MIN_CUE_S = 1.0
MAX_CUE_S = 7.0
PAUSE_S = 0.6  # silence that ends a cue
SENTENCE_CUE_S = 1.2  # a sentence end closes a cue at least this long


@dataclass
class Cue:
    start: float
    end: float
    lines: list[str]


def make_cues(doc: CleanTranscript) -> list[Cue]:
    cues = [Cue(group[0].start, group[-1].end, wrap([t.text for t in group]) or [])
            for group in _groups(doc)]
    _retime(cues)
    return cues


def _groups(doc: CleanTranscript) -> Iterator[list[Token]]:
    for section in doc.sections:
        for paragraph in section.paragraphs:
            group: list[Token] = []
            for token in paragraph.kept:
                if group and _must_close(group, token):
                    yield group
                    group = []
                group.append(token)
            if group:
                yield group


def _must_close(group: list[Token], token: Token) -> bool:
    last, length = group[-1], group[-1].end - group[0].start
    if token.end - group[0].start > MAX_CUE_S or token.start - last.end >= PAUSE_S:
        return True
    if ends_sentence(last.text) and length >= SENTENCE_CUE_S:
        return True
    if has_comma(last.text) and sum(len(t.text) + 1 for t in group) > LINE_CHARS:
        return True  # a full line already: the comma is the natural place to cut
    return wrap([t.text for t in [*group, token]]) is None


def wrap(words: list[str]) -> list[str] | None:
    """One line, or two as even as possible, each within LINE_CHARS; None when they do not fit."""
    words = [piece for word in words for piece in _pieces(word)]
    if len(" ".join(words)) <= LINE_CHARS:
        return [" ".join(words)]
    splits = [[" ".join(words[:cut]), " ".join(words[cut:])] for cut in range(1, len(words))]
    fitting = [lines for lines in splits if max(map(len, lines)) <= LINE_CHARS]
    return min(fitting, key=lambda lines: max(map(len, lines)), default=None)


def _pieces(word: str) -> list[str]:
    """A word longer than a line (a URL read out) is cut into line-sized pieces."""
    return [word[i:i + LINE_CHARS] for i in range(0, len(word), LINE_CHARS)] or [word]


def _retime(cues: list[Cue]) -> None:
    """Stretch short cues to MIN_CUE_S, cap long ones, and push a cue back when the last one overlaps."""
    for cue, following in zip(cues, [*cues[1:], None]):
        cue.end = min(max(cue.end, cue.start + MIN_CUE_S), cue.start + MAX_CUE_S)
        if following is not None and following.start < cue.end:
            room = following.start - cue.start
            if room >= MIN_CUE_S:
                cue.end = following.start
            else:
                following.start = cue.end
                following.end = max(following.end, following.start)


def write_srt(doc: CleanTranscript) -> str:
    import srt

    # escaped as in WebVTT: players read tags in SRT too, and a "-->" in the text ends a timing line
    return srt.compose([srt.Subtitle(i, timedelta(seconds=cue.start), timedelta(seconds=cue.end),
                                     vtt_escape("\n".join(cue.lines)))
                        for i, cue in enumerate(make_cues(doc), start=1)])


def write_vtt(doc: CleanTranscript) -> str:

    blocks = ["WEBVTT"]
    for cue in make_cues(doc):
        text = vtt_escape("\n".join(cue.lines))
        blocks.append(f"{vtt_time(cue.start)} --> {vtt_time(cue.end)}\n{text}")
    return "\n\n".join(blocks) + "\n"
