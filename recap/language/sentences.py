"""Sentence splitting that copes with ASR text: missing capitals, wrapped lines, labels, no punctuation."""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from recap.language.cues import Cues
from recap.language.lexicon import english_words

# A speaker label at a line start: "Host: ", "Dr. Jane Smith: ". Up to four capitalised words,
# a colon and a space or tab on the same line ("Links:" closing a line labels no one).
_SPEAKER_NAME = r"[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}"
SPEAKER_LABEL = re.compile(rf"^[ \t]*({_SPEAKER_NAME}):[ \t]+", re.MULTILINE)
# End punctuation followed by space and something that can open a sentence (ASR often starts
# one in lowercase); or a blank line (a paragraph); or a speaker label at a line start.
_BREAK = re.compile(
    r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Za-z0-9])"
    r"|\n\s*\n\s*"
    rf"|\n(?={_SPEAKER_NAME}:[ \t])"
)
# Abbreviations and initials ("J. Smith") whose full stop ends no sentence.
_ABBREVIATION = re.compile(r"(?:\b(?:" + "|".join(map(re.escape, english_words("abbreviations"))) + r")"
                           r"|\b[A-Za-z])\.$")
# Text with no punctuation at all (auto captions) runs on: it is cut before the plainest
# story openers, then into even pieces of at most _PIECE_WORDS words.
_RUN_ON_WORDS = 80
_PIECE_WORDS = 25
_MIN_PIECE_WORDS = 5
_MIN_BREAK_WORDS = 4  # a recogniser's segment shorter than this is a stumble, not a phrase
# Where a sentence runs on into an opener without a full stop: after a comma, a closing quote or
# bracket, or a word followed by a capital (a flattened page's paragraph that ended without one).
_RUN_ON = re.compile(r"(?<=[,\"”)])\s+|(?<=\w)\s+(?=[A-Z])")
_OPENER_CHARS = 100  # enough to read a sign-off's opening phrase


@dataclass(frozen=True)
class Sentence:
    start: int  # character offsets into the source text
    end: int
    text: str  # whitespace collapsed, speaker label included
    paragraph_start: bool = False  # follows a blank line or opens a speaker turn
    speaker: str | None = None  # the "Name:" label that opens it, if any

    @property
    def body(self) -> str:
        """The words spoken, without the speaker label."""
        return self.text[len(self.speaker) + 1:].lstrip() if self.speaker else self.text

    @property
    def words(self) -> int:
        return self.text.count(" ") + 1


def split_sentences(text: str, breaks: Sequence[int] = (), cues: Cues | None = None) -> list[Sentence]:
    """``breaks``: offsets where a sentence may also end without punctuation (the starts of a
    recogniser's segments); a piece shorter than _MIN_BREAK_WORDS stays with the one before.
    ``cues``: the profile's (the default profile's when None)."""
    if cues is None:
        from recap.language.profile import default_cues

        cues = default_cues()
    sentences: list[Sentence] = []
    cursor, paragraph = 0, True
    for match in sorted([*_BREAK.finditer(text), *_run_on_openers(text, cues)], key=lambda m: m.start()):
        if "\n" not in match.group() and _ABBREVIATION.search(text[cursor:match.start()]):
            continue
        _add(sentences, text, cursor, match.start(), paragraph, cues)
        paragraph = "\n" in match.group()
        cursor = match.end()
    _add(sentences, text, cursor, len(text), paragraph, cues)
    return _split_at(sentences, text, sorted(breaks)) if breaks else sentences


def _run_on_openers(text: str, cues: Cues) -> list[re.Match[str]]:
    """Commas a sign-off follows: a recogniser often writes one where the host ended a sentence
    ("... as we can muster, that's the news for now"), and the sign-off must be able to open its
    own story. So does a month a review moves on to ("..., next up, February.") and a sponsor
    read ("..., it's now time for sponsored news"). A closing quote or a word without a stop
    before a capitalised opener runs on the same way ('..."the highest-demand job of the decade"
    That's the news for now!'). A story's opener after a comma splits too often to help."""
    openers = [match for match in _RUN_ON.finditer(text)
               if _opens_run_on(text[match.end():match.end() + _OPENER_CHARS], cues)]
    return openers + list(_run_on_read(cues).finditer(text))


def _opens_run_on(following: str, cues: Cues) -> bool:
    openers = (cues.outro_opener, cues.period_opening, cues.sponsor_read)
    return any(opener.match(following) for opener in openers)


@functools.lru_cache(maxsize=8)
def _run_on_read(cues: Cues) -> re.Pattern[str]:
    """A sponsor read announced opens a sentence even run on with no comma ("...deliver the goods
    it's now time for sponsored news", "...with `pipx` It's now time"). After a stop or a comma
    the breaks above already split."""
    return re.compile(rf"(?<=[^\s.,;:!?…])\s+(?={cues.sponsor_read.pattern})", re.IGNORECASE)


def _split_at(sentences: list[Sentence], text: str, breaks: list[int]) -> list[Sentence]:
    out: list[Sentence] = []
    for sentence in sentences:
        inside = breaks[bisect.bisect_right(breaks, sentence.start):bisect.bisect_left(breaks, sentence.end)]
        bounds = [sentence.start]
        for cut in inside:
            if len(text[bounds[-1]:cut].split()) >= _MIN_BREAK_WORDS and \
                    len(text[cut:sentence.end].split()) >= _MIN_BREAK_WORDS:
                bounds.append(cut)
        for j, (start, end) in enumerate(zip(bounds, [*bounds[1:], sentence.end])):
            piece = text[start:end].rstrip()
            out.append(replace(sentence, start=start, end=start + len(piece), text=" ".join(piece.split()),
                               paragraph_start=sentence.paragraph_start and j == 0,
                               speaker=sentence.speaker if j == 0 else None))
    return out


def without_speaker_labels(text: str) -> str:
    """``text`` with every line's speaker label taken out ("Host: Hello" -> "Hello")."""
    return SPEAKER_LABEL.sub("", text)


def _add(sentences: list[Sentence], text: str, start: int, end: int, paragraph: bool, cues: Cues) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    start += len(chunk) - len(chunk.lstrip())
    label = SPEAKER_LABEL.match(stripped)
    speaker = label.group(1) if label and paragraph else None
    for offset, length in _pieces(stripped, cues):
        piece = stripped[offset:offset + length]
        sentences.append(Sentence(start + offset, start + offset + length, " ".join(piece.split()),
                                  paragraph and offset == 0, speaker if offset == 0 else None))


def _pieces(sentence: str, cues: Cues) -> list[tuple[int, int]]:
    """(offset, length) of each piece: the whole sentence unless it runs on without punctuation."""
    words = [m.start() for m in re.finditer(r"\S+", sentence)]
    if len(words) <= _RUN_ON_WORDS:
        return [(0, len(sentence))]
    index = {offset: i for i, offset in enumerate(words)}
    cue_words = [index[m.start()] for m in cues.run_on_break.finditer(sentence) if m.start() in index]
    starts = [0]
    for stop in [*cue_words, len(words)]:
        if stop - starts[-1] < _MIN_PIECE_WORDS:
            continue  # too close to the last start (a short tail joins the piece before)
        count = math.ceil((stop - starts[-1]) / _PIECE_WORDS)
        step = (stop - starts[-1]) / count
        starts += [round(starts[-1] + k * step) for k in range(1, count)] + [stop]
    bounds = [words[i] for i in starts[:-1]] + [len(sentence)]
    return [(a, len(sentence[a:b].rstrip())) for a, b in zip(bounds, bounds[1:])]
