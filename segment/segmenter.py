"""Combine the boundary signals, choose the cuts, and make Stories."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from recap.document import Story
from segment.headings import heading_for
from segment.sentences import Sentence, split_sentences
from segment.signals import SIGNALS
from segment.source import TimedText

DEFAULT_WEIGHTS = {
    "cue_open": 0.45,
    "cue_close": 0.25,
    "link_mention": 0.1,
    "cohesion": 0.3,
    "pause": 0.25,
    "paragraph": 0.1,
}


@dataclass
class SegmentOptions:
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    threshold: float = 0.5
    min_sentences: int = 2  # stories are rarely shorter than this


def boundary_scores(sentences: Sequence[Sentence], timed: TimedText,
                    weights: dict[str, float]) -> tuple[list[float], list[list[str]]]:
    """The weighted sum of every signal per gap, and the names of those that fired."""
    total = [0.0] * len(sentences)
    fired: list[list[str]] = [[] for _ in sentences]
    for name, weight in weights.items():
        for i, score in enumerate(SIGNALS[name](sentences, timed)):
            total[i] += weight * score
            if score >= 0.5:
                fired[i].append(name)
    return total, fired


def choose_cuts(scores: Sequence[float], threshold: float, min_gap: int) -> list[int]:
    """Strongest gaps first, each at least ``min_gap`` sentences from every cut taken."""
    cuts: list[int] = []
    for i in sorted(range(1, len(scores)), key=lambda i: -scores[i]):
        if scores[i] < threshold:
            break
        if i < min_gap or len(scores) - i < 1:
            continue
        if all(abs(i - c) >= min_gap for c in cuts):
            cuts.append(i)
    return sorted(cuts)


def segment(timed: TimedText, options: SegmentOptions | None = None) -> list[Story]:
    options = options or SegmentOptions()
    sentences = split_sentences(timed.text)
    if not sentences:
        return []
    scores, fired = boundary_scores(sentences, timed, options.weights)
    cuts = choose_cuts(scores, options.threshold, options.min_sentences)
    stories = []
    for first, last in zip([0, *cuts], [*cuts, len(sentences)]):
        start, end = sentences[first].start, sentences[last - 1].end
        text = timed.text[start:end]
        stories.append(Story(title=heading_for(text), text=text, span=(start, end),
                             start=timed.start_at(start), end=timed.end_at(end),
                             signals=fired[first] if first else ["start"]))
    tag_kinds(stories)
    return stories


_INTRO = re.compile(r"\b(?:welcome|hello|hi (?:everyone|all|there)|this week on|today we|"
                    r"on today'?s|in this episode|i'?m your host)\b", re.IGNORECASE)
_OUTRO = re.compile(r"\b(?:that'?s (?:it|all)|that was (?:it|all)|see you next|thanks? (?:you )?for "
                    r"(?:watching|listening)|subscribe|until next time|bye)\b", re.IGNORECASE)


def tag_kinds(stories: list[Story]) -> None:
    """Mark a greeting at the start as the intro and a sign-off at the end as the outro."""
    if len(stories) > 1 and _INTRO.search(stories[0].text):
        stories[0].kind, stories[0].title = "intro", "Intro"
    if len(stories) > 1 and _OUTRO.search(stories[-1].text[-400:]):
        stories[-1].kind, stories[-1].title = "outro", "Outro"
