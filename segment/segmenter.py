"""Combine the boundary signals, choose the cuts, and make Stories."""

from __future__ import annotations

import bisect
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from recap.document import Chapter, Story, TimedText
from recap.language.sentences import Sentence, split_sentences
from recap.segment.anchors import MIN_EVIDENCE, find_anchors
from recap.segment.chapters import chapter_cuts
from recap.segment.headings import heading_for, prepare
from recap.segment.kinds import tag_kinds, tag_sections
from recap.segment.links import read_description
from recap.segment.signals import SIGNALS, glued

log = logging.getLogger(__name__)

DEFAULT_WEIGHTS = {
    "cue_open": 0.9,
    "cue_close": 0.8,
    "link_mention": 0.05,
    "paragraph": 0.3,
    "heading": 0.6,
    "speaker": 0.05,
    "pause": 0.25,
    "cohesion": 0.6,
    "entity_shift": 0.5,
}
# A description link named in the transcript opens its story there (recap.segment.anchors);
# above the threshold on its own, so a named link cuts unless a short story would result.
LINK_ANCHOR_WEIGHT = 1.3


@dataclass
class SegmentOptions:
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    threshold: float = 0.85  # the evidence a gap needs to become a cut
    min_words: int = 30  # a story shorter than this pays up to ``short_penalty``
    short_penalty: float = 0.65
    fired_at: float = 0.5  # a signal this strong at a cut is listed in Story.signals


def boundary_scores(sentences: Sequence[Sentence], timed: TimedText,
                    options: SegmentOptions) -> tuple[list[float], list[list[str]]]:
    """The weighted sum of every signal per gap, and the names of those that fired."""
    total = [float("-inf") if stuck else 0.0 for stuck in glued(sentences)]
    fired: list[list[str]] = [[] for _ in sentences]
    for name, weight in options.weights.items():
        if not weight:
            continue
        for i, score in enumerate(SIGNALS[name](sentences, timed)):
            total[i] += weight * score
            if score >= options.fired_at:
                fired[i].append(name)
    return total, fired


def add_link_anchors(scores: list[float], fired: list[list[str]], sentences: Sequence[Sentence], text: str,
                     description: str, options: SegmentOptions) -> None:
    """Evidence of a story start at the sentence where each description link is first named."""
    links = [d.link for d in read_description(description) if not d.boilerplate]
    starts = [s.start for s in sentences]
    for anchor in find_anchors(text, links):
        if anchor is None:
            continue
        k = bisect.bisect_right(starts, anchor.char) - 1
        if k <= 0 or scores[k] == float("-inf"):
            continue
        strength = min(1.0, anchor.evidence / (2 * MIN_EVIDENCE))
        scores[k] += LINK_ANCHOR_WEIGHT * strength
        if strength >= options.fired_at and "link_anchor" not in fired[k]:
            fired[k].append("link_anchor")


def choose_cuts(scores: Sequence[float], lengths: Sequence[int], options: SegmentOptions) -> list[int]:
    """The cuts that maximise the evidence above threshold, less a penalty for short stories.

    Dynamic programming over sentence gaps; ``lengths`` are the sentences' word counts.
    A story of ``min_words`` or more costs nothing, so the best earlier prefix that leaves
    at least that many words is kept as a running maximum and only short spans are scanned.
    """
    n = len(scores)
    ends = [0]
    for length in lengths:
        ends.append(ends[-1] + length)
    best = [0.0] + [float("-inf")] * n
    back = [0] * (n + 1)
    far_best, far_from, far_limit = float("-inf"), 0, 0  # over cuts i < far_limit
    for j in range(1, n + 1):
        while far_limit < j and ends[j] - ends[far_limit] >= options.min_words:
            value = best[far_limit] + _gain(scores, far_limit, options)
            if value > far_best:
                far_best, far_from = value, far_limit
            far_limit += 1
        best[j], back[j] = far_best, far_from
        for i in range(far_limit, j):
            shortfall = 1 - (ends[j] - ends[i]) / options.min_words
            value = best[i] + _gain(scores, i, options) - options.short_penalty * shortfall
            if value > best[j]:
                best[j], back[j] = value, i
    cuts, j = [], n
    while j > 0:
        j = back[j]
        if j:
            cuts.append(j)
    return sorted(cuts)


def _gain(scores: Sequence[float], i: int, options: SegmentOptions) -> float:
    return scores[i] - options.threshold if i else 0.0


def _to_turn_start(cuts: list[int], sentences: Sequence[Sentence], stuck: Sequence[bool],
                   max_words: int = 12) -> list[int]:
    """Move a cut back to the start of its paragraph over a short reply ("Thanks, Mark. Next item...")."""
    moved, previous = [], 0
    for cut in cuts:
        start = cut
        while start > previous + 1 and not sentences[start].paragraph_start and cut - start < 2:
            start -= 1
        words = sum(s.words for s in sentences[start:cut])
        if start != cut and sentences[start].paragraph_start and not stuck[start] and words <= max_words:
            cut = start
        moved.append(cut)
        previous = cut
    return moved


def segment(timed: TimedText, options: SegmentOptions | None = None,
            chapters: Sequence[Chapter] | None = None, description: str = "") -> list[Story]:
    """Cut the text into stories; chapters, when they can be placed in time, are the cuts; the
    description's links, where the transcript names them, are strong evidence of a story's start."""
    options = options or SegmentOptions()
    sentences = split_sentences(timed.text, timed.breaks)
    if not sentences:
        return []
    scores, fired = boundary_scores(sentences, timed, options)
    add_link_anchors(scores, fired, sentences, timed.text, description, options)
    fired[0] = ["start"]
    titles = dict(chapter_cuts(sentences, timed, chapters or []))
    if titles:
        for i in titles:
            fired[i].insert(1 if i == 0 else 0, "chapter")
        cuts = sorted(i for i in titles if i)
    else:
        if chapters:
            log.warning("chapters need a transcript with timings; cutting without them")
        cuts = choose_cuts(scores, [s.words for s in sentences], options)
        cuts = _to_turn_start(cuts, sentences, [score == float("-inf") for score in scores])
    stories = _stories(timed, sentences, cuts, fired, titles)
    tag_kinds(stories, keep_titles=bool(titles))
    tag_sections(stories)
    return stories


def _stories(timed: TimedText, sentences: Sequence[Sentence], cuts: list[int],
             fired: list[list[str]], titles: dict[int, str]) -> list[Story]:
    """A Story per span between cuts, titled by its chapter or by what its opening names."""
    spans = [(sentences[first].start, sentences[last - 1].end, first)
             for first, last in zip([0, *cuts], [*cuts, len(sentences)])]
    prepare(timed.text[start:end] for start, end, first in spans if first not in titles)
    return [Story(title=titles.get(first) or heading_for(timed.text[start:end]), text=timed.text[start:end],
                  span=(start, end), start=timed.start_at(start), end=timed.end_at(end),
                  signals=list(fired[first]), title_from="chapter" if first in titles else "text")
            for start, end, first in spans]
