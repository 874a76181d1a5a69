"""The cleaned transcript: sections (stories) of paragraphs of tokens, removed ones included."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from recap.core.document import Episode
from recap.core.options import FLAG_BELOW
from recap.core.timecodes import clock
from recap.core.urls import time_url
from recap.language.tokens import Token


@dataclass
class Paragraph:
    tokens: list[Token]  # in spoken order, removed ones where they were said

    @property
    def kept(self) -> list[Token]:
        return [t for t in self.tokens if t.kept]

    @property
    def start(self) -> float:
        return (self.kept or self.tokens)[0].start

    @property
    def end(self) -> float:
        return (self.kept or self.tokens)[-1].end

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.kept)


@dataclass
class Section:
    title: str
    kind: str = "story"  # intro | story | quick_hit | outro, as the segmenter said
    paragraphs: list[Paragraph] = field(default_factory=list)
    section: str | None = None

    @property
    def start(self) -> float:
        return self.paragraphs[0].start


@dataclass
class RemovedSpan:
    text: str
    start: float
    end: float
    reason: str
    words: tuple[int, int]  # [first, last) into the transcript's words


@dataclass
class CleanTranscript:
    episode: Episode
    sections: list[Section]
    language: str = "en"
    flag_below: float = FLAG_BELOW
    timed: bool = True  # False for a plain-text transcript: its times are made up, never shown

    def clock(self, seconds: float) -> str:
        """A paragraph's time as printed beside it; "" where the transcript had no times."""
        return clock(seconds) if self.timed else ""

    def seconds(self, value: float) -> float | None:
        """A time as saved in clean.json: None where the transcript had no times."""
        return value if self.timed else None

    def tokens(self) -> Iterator[Token]:
        for section in self.sections:
            for paragraph in section.paragraphs:
                yield from paragraph.tokens

    def flagged(self, token: Token) -> bool:
        """Words for the editor to check: heard unsurely, or mishearing a name the description spells."""
        return token.kept and bool(token.norm) and (token.probability < self.flag_below
                                                    or token.suggestion is not None)

    def removed_spans(self) -> list[RemovedSpan]:
        """Runs of removed words that share a reason, each with where it sits in the transcript."""
        spans = []
        indexed = enumerate(self.tokens())
        for reason, run in itertools.groupby(indexed, key=lambda pair: pair[1].removed):
            if reason is None:
                continue
            run = list(run)
            words = [token for _, token in run]
            spans.append(RemovedSpan(" ".join(t.original for t in words), words[0].start, words[-1].end,
                                     reason, (run[0][0], run[-1][0] + 1)))
        return spans

    def stats(self) -> dict[str, Any]:
        tokens = list(self.tokens())
        removed = [t for t in tokens if not t.kept]
        return {
            "words": len(tokens),
            "removed": len(removed),
            "flagged": sum(self.flagged(t) for t in tokens),
            "removed_share": round(len(removed) / max(1, len(tokens)), 4),
            "by_reason": dict(Counter(t.removed for t in removed)),
        }

    def time_url(self, seconds: float) -> str | None:
        return time_url(self.episode, seconds) if self.timed else None

