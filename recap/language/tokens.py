"""Timed words as the cleanup sees them, and the punctuation tests every rule shares."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from recap.core.document import Transcript, Word

REASONS = ("filler", "hedge", "repeat", "stutter", "false_start")

_NON_WORD = re.compile(r"[^\w']+")
_CLOSERS = "\"'”’)]"
_CUT_OFF = ("-", "—", "–", "...", "…")


@dataclass
class Token:
    text: str  # as spoken; tidied (case, end punctuation) once the token is known to stay
    start: float
    end: float
    probability: float = 1.0
    removed: str | None = None  # one of REASONS, or None for a word that stays
    segment_end: bool = False  # last word of an ASR segment, where sentences usually end
    original: str = ""
    suggestion: str | None = None  # the name the description spells, where these words mishear it
    norm: str = field(init=False)  # lower case, letters and apostrophes only: what rules compare

    def __post_init__(self) -> None:
        self.original = self.original or self.text
        self.norm = _NON_WORD.sub("", self.original.lower().replace("’", "'"))

    @property
    def kept(self) -> bool:
        return self.removed is None


def _bare(text: str) -> str:
    return text.rstrip().rstrip(_CLOSERS)


def is_cut_off(text: str) -> bool:
    """The speaker broke off: "the-", "gener—", "and..."."""
    return _bare(text).endswith(_CUT_OFF)


def ends_sentence(text: str) -> bool:
    bare = _bare(text)
    return bare.endswith((".", "?", "!")) and not is_cut_off(text)


def ends_clause(text: str) -> bool:
    """Any break a new clause can start after: sentence end, comma, colon, cut-off."""
    return ends_sentence(text) or is_cut_off(text) or _bare(text).endswith((",", ";", ":"))


def has_comma(text: str) -> bool:
    return _bare(text).endswith((",", ";"))


def tokens_from_transcript(transcript: Transcript) -> list[Token]:
    """One token per timed word; segments without word timings are split evenly over their time."""
    tokens: list[Token] = []
    for segment in transcript.segments:
        words = _whole_words(segment.words)
        if not words:
            words = _spread(segment.text.split(), segment.start, segment.end)
        tokens += [Token(text, float(start), float(end), float(p)) for text, start, end, p in words]
        if words:
            tokens[-1].segment_end = True
    return tokens


def _whole_words(words: list[Word]) -> list[tuple[str, float, float, float]]:
    """Whisper's words, with pieces that carry no leading space (",000", "-ugging") glued back on."""
    whole: list[tuple[str, float, float, float]] = []
    for word in words:
        text = word.text.strip()
        if not text:
            continue
        if whole and not word.text[:1].isspace():
            last = whole[-1]
            whole[-1] = (last[0] + text, last[1], word.end, min(last[3], word.probability))
        else:
            whole.append((text, word.start, word.end, word.probability))
    return whole


def tokens_from_text(text: str, seconds_per_word: float = 0.4) -> list[Token]:
    """Plain text as tokens with even made-up timings, one segment per line."""
    tokens: list[Token] = []
    for line in text.splitlines():
        start = len(tokens) * seconds_per_word
        words = line.split()
        end = start + len(words) * seconds_per_word
        tokens += [Token(t, s, e, p) for t, s, e, p in _spread(words, start, end)]
        if words:
            tokens[-1].segment_end = True
    return tokens


def _spread(words: list[str], start: float, end: float) -> list[tuple[str, float, float, float]]:
    step = (end - start) / max(1, len(words))
    return [(word, start + i * step, start + (i + 1) * step, 1.0) for i, word in enumerate(words)]
