"""Combine the boundary signals, choose the cuts, and make Stories."""

from __future__ import annotations

import bisect
import logging
import statistics
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from recap.core.document import Chapter, LinkPage, Story, TimedText
from recap.language.cues import Cues
from recap.language.description import read_description
from recap.language.profile import Profile, default_profile
from recap.language.sentences import Sentence, split_sentences
from recap.stages.segment.anchors import MIN_EVIDENCE, find_anchors
from recap.stages.segment.chapters import chapter_cuts
from recap.stages.segment.cuts import (
    back_to_name,
    late_names,
    to_run_on_clause,
    to_sponsor_read,
    to_turn_start,
)
from recap.stages.segment.headings import heading_for
from recap.stages.segment.kinds import tag_kinds, tag_sections
from recap.stages.segment.parsing import prepare
from recap.stages.segment.signals import SIGNALS, glued

log = logging.getLogger(__name__)

DEFAULT_WEIGHTS = {
    "cue_open": 0.9,
    "cue_close": 0.8,
    "handoff": 0.0,  # one host's "let's talk about" is no hand-off: they count in a discussion (below)
    "segment": 1.0,
    "link_mention": 0.05,
    "paragraph": 0.3,
    "heading": 0.6,
    "speaker": 0.05,
    "pause": 0.25,
    "cohesion": 0.6,
    "entity_shift": 0.5,
    "fresh_words": 0.5,
    "period": 1.5,
}


@dataclass
class Discussion:
    """A discussion show: two hosts take turns, talking each item through for minutes with
    supporting links and tangents. An episode is one when hand-offs and recurring segments are
    announced at least ``cues`` times and the hosts acknowledge each other ("Yeah.", "Nice,": the
    profile's [acknowledgement]) ``acknowledgements`` times per 1,000 words (Python Bytes 8 to 28,
    the one-host Changelog 0 to 7). Then the hand-offs and segments place the cuts, the shifts of
    words and names that tangents cause weigh less, a cut needs more, a story is longer, and a
    description link named as an item is talked through supports a cut but alone makes none."""

    cues: int = 3
    acknowledgements: float = 5.0
    weights: dict[str, float] = field(default_factory=lambda: {
        "handoff": 1.3, "segment": 1.3, "cohesion": 0.3, "entity_shift": 0.25, "fresh_words": 0.25})
    threshold: float = 1.3
    min_words: int = 250
    short_penalty: float = 1.0
    link_anchor_weight: float = 1.0  # under the threshold: a named link supports a cut, alone makes none


@dataclass
class SegmentOptions:
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    threshold: float = 0.95  # the evidence a gap needs to become a cut
    min_words: int = 30  # a story shorter than this pays up to ``short_penalty``
    short_penalty: float = 0.65
    # The length prior: a story longer than the limit (``long_words``, or ``long_share`` of the
    # episode's words when that is more) pays ``long_penalty`` for each limit's length beyond it.
    # A weekly news show's stories are short, so weak evidence inside a stretch of a quarter of the
    # episode is a cut missed; the share keeps a long-form show's long discussions whole.
    long_words: int = 200
    long_share: float = 0.25
    long_penalty: float = 1.0
    # The pace prior: where a first choice of cuts leaves stories of ``short_story_words`` or fewer
    # (median), a show of short items, the threshold falls to ``short_threshold``; a host who moves
    # on every minute marks the move faintly, while long discussions keep the full threshold (at
    # ``long_story_words`` and more). Off when description links are heard or months structure the
    # episode (they place the cuts).
    short_threshold: float = 0.7
    short_story_words: int = 250
    long_story_words: int = 350
    # Where the description's links are heard they place most cuts and the priors are off; a
    # cut the text makes between two of them needs less evidence than one the text makes alone.
    linked_threshold: float = 0.85
    # A year reviewed month by month is a story a month, as its publisher lists it: inside a
    # month a cut needs this much evidence, more than a new subject has, but at a sponsor read.
    # The price: a month misheard ("May" as "made") is merged with the one before.
    period_threshold: float = 1.2
    first_min_words: int = 30  # the greeting is short in any show: min_words does not apply to it
    # A description link named in the transcript opens its story there (recap.stages.segment.anchors);
    # above the threshold on its own, so a named link cuts unless a short story would result.
    link_anchor_weight: float = 1.3
    # Until the hosts of a discussion first hand over or announce a segment, nothing but a named
    # link marks where the greeting ends and the first item begins: a link named there weighs this.
    opening_link_anchor_weight: float = 1.3
    discussion: Discussion = field(default_factory=lambda: Discussion())
    fired_at: float = 0.5  # a signal this strong at a cut is listed in Story.signals


def signal_scores(sentences: Sequence[Sentence], timed: TimedText, cues: Cues,
                  names: Iterable[str]) -> dict[str, list[float]]:
    """Each named signal's score per gap, unweighted."""
    return {name: SIGNALS[name](sentences, timed, cues) for name in names}


def boundary_scores(sentences: Sequence[Sentence], timed: TimedText, options: SegmentOptions, cues: Cues,
                    raw: Mapping[str, list[float]] | None = None) -> tuple[list[float], list[list[str]]]:
    """The weighted sum of every signal per gap, and the names of those that fired. ``raw``: the
    signals' scores where a caller has them already (signal_scores)."""
    total = [float("-inf") if stuck else 0.0 for stuck in glued(sentences, cues)]
    fired: list[list[str]] = [[] for _ in sentences]
    for name, weight in options.weights.items():
        if not weight:
            continue
        for i, score in enumerate(raw[name] if raw else SIGNALS[name](sentences, timed, cues)):
            total[i] += weight * score
            if score >= options.fired_at:
                fired[i].append(name)
    return total, fired


def add_link_anchors(scores: list[float], fired: list[list[str]], sentences: Sequence[Sentence], text: str,
                     description: str, options: SegmentOptions, cues: Cues,
                     pages: Mapping[str, LinkPage] | None = None,
                     in_segment: Sequence[bool] = ()) -> dict[int, bool]:
    """Evidence of a story start at the sentence where each description link is first named,
    but not inside a recurring segment (``in_segment``: inside_segments), where each extra has a
    link; before the first hand-off or segment, with the opening's weight (SegmentOptions).
    Returns those sentences, each True where its link may be named late in a story the text's
    cut opens: False where the link listed before it was never heard (the piece before may be
    that link's story)."""
    described = read_description(description, cues, pages)
    links = [d.link for d in described if not d.boilerplate]
    starts = [s.start for s in sentences]
    strongest: dict[int, float] = {}  # several links named in one sentence open one story there
    named: dict[int, bool] = {}
    anchors = find_anchors(text, links, [d.link for d in described if d.boilerplate])
    for i, anchor in enumerate(anchors):
        if anchor is None:
            continue
        k = _headline_before(bisect.bisect_right(starts, anchor.char) - 1, sentences, fired, scores)
        named[k] = named.get(k, True) and (i == 0 or anchors[i - 1] is not None)
        if k > 0 and scores[k] != float("-inf") and not (in_segment and in_segment[k]):
            strongest[k] = max(strongest.get(k, 0.0), min(1.0, anchor.evidence / (2 * MIN_EVIDENCE)))
    first_turn = next((i for i, names in enumerate(fired) if i and {"handoff", "segment"} & set(names)),
                      len(fired))
    for k, strength in strongest.items():
        weight = options.opening_link_anchor_weight if k < first_turn else options.link_anchor_weight
        scores[k] += weight * strength
        if strength >= options.fired_at and "link_anchor" not in fired[k]:
            fired[k].append("link_anchor")
    return named


HEADLINE_WORDS = 15  # a link named this soon after a sentence that opens a story


def _headline_before(k: int, sentences: Sequence[Sentence], fired: Sequence[list[str]],
                     scores: Sequence[float]) -> int:
    """The sentence a link named in sentence ``k`` opens: ``k``, or one of the two before it when
    that opens on words nothing before said (fresh_words) or follows a closing sentence
    (cue_close: "Let's get into this week's news.") and is at most HEADLINE_WORDS before: the host
    reads the story's headline, then names its link ("Doing web dev using only vanilla
    techniques. ... But how does one go about using plain vanilla tools...")."""
    between = 0
    for j in range(k - 1, max(0, k - 3), -1):
        if between > HEADLINE_WORDS or scores[j + 1] == float("-inf"):
            break
        if {"fresh_words", "cue_close"} & set(fired[j]) and scores[j] != float("-inf"):
            return j
        between += sentences[j].words
    return k


def _within_periods(scores: Sequence[float], fired: Sequence[list[str]], sentences: Sequence[Sentence],
                    options: SegmentOptions, cues: Cues) -> list[float]:
    """Scores with a gap inside a month needing period_threshold to cut, unless a sponsor read
    is announced there."""
    extra = options.period_threshold - options.threshold
    return [score if "period" in names or cues.sponsor_read.match(sentence.body) else score - extra
            for score, names, sentence in zip(scores, fired, sentences)]


def choose_cuts(scores: Sequence[float], lengths: Sequence[int], options: SegmentOptions) -> list[int]:
    """The cuts that maximise the evidence above threshold, less the length prior's penalties:
    for a story shorter than ``min_words`` and for one longer than the long limit.

    Dynamic programming over sentence gaps; ``lengths`` are the sentences' word counts. For a story
    ending at gap j, the earlier cuts i fall in three bands by the story's length: short ones are
    scanned; those of a free length are a sliding window whose best is kept in a monotonic deque;
    the long ones' penalty grows linearly in length, so their best is a running maximum. Linear time.
    """
    n = len(scores)
    ends = [0]
    for length in lengths:
        ends.append(ends[-1] + length)
    limit = max(options.long_words, options.long_share * ends[-1])
    slope = options.long_penalty / limit
    best = [0.0] + [float("-inf")] * n
    back = [0] * (n + 1)
    window: deque[tuple[int, float]] = deque()  # (cut, value) of free length, values falling
    entered = left = 0  # cuts i < entered leave a story of min_words or more; i < left, a long one
    long_best, long_from = float("-inf"), 0

    def value(i: int) -> float:
        return best[i] + _gain(scores, i, options)

    for j in range(1, n + 1):
        while entered < j and ends[j] - ends[entered] >= options.min_words:
            while window and window[-1][1] <= value(entered):
                window.pop()
            window.append((entered, value(entered)))
            entered += 1
        while left < entered and ends[j] - ends[left] > limit:
            if value(left) + slope * ends[left] > long_best:
                long_best, long_from = value(left) + slope * ends[left], left
            left += 1
        while window and window[0][0] < left:
            window.popleft()
        if window:
            best[j], back[j] = window[0][1], window[0][0]
        if long_best - slope * (ends[j] - limit) > best[j]:
            best[j], back[j] = long_best - slope * (ends[j] - limit), long_from
        for i in range(entered, j):
            least = options.min_words if i else min(options.first_min_words, options.min_words)
            shortfall = max(0.0, 1 - (ends[j] - ends[i]) / least)
            candidate = value(i) - options.short_penalty * shortfall
            if candidate > best[j]:
                best[j], back[j] = candidate, i
    cuts, j = [], n
    while j > 0:
        j = back[j]
        if j:
            cuts.append(j)
    return sorted(cuts)


def paced(scores: Sequence[float], sentences: Sequence[Sentence], options: SegmentOptions) -> SegmentOptions:
    """``options`` with the threshold the episode's pace calls for (see SegmentOptions): the
    median story of a first choice of cuts, from short_threshold at short_story_words or fewer
    to the full threshold at long_story_words."""
    if options.short_threshold >= options.threshold:
        return options
    lengths = [s.words for s in sentences]
    bounds = [0, *choose_cuts(scores, lengths, options), len(sentences)]
    median = statistics.median(sum(lengths[a:b]) for a, b in zip(bounds, bounds[1:]))
    share = (options.long_story_words - median) / (options.long_story_words - options.short_story_words)
    drop = min(1.0, max(0.0, share)) * (options.threshold - options.short_threshold)
    return replace(options, threshold=options.threshold - drop)


def is_discussion(sentences: Sequence[Sentence], timed: TimedText, cues: Cues, options: SegmentOptions,
                  raw: Mapping[str, list[float]] | None = None) -> bool:
    """Hosts who hand items to each other and announce their show's segments, in a conversation
    (see Discussion): a single host who says "the next story" is no discussion. ``raw``: the
    signals' scores where the caller has them (signal_scores)."""
    words = sum(s.words for s in sentences)
    acknowledged = 1000 * sum(len(cues.acknowledgement.findall(s.body)) for s in sentences) / max(1, words)
    if acknowledged < options.discussion.acknowledgements:
        return False
    raw = raw or signal_scores(sentences, timed, cues, ("handoff", "segment"))
    said = sum(max(pair) >= options.fired_at for pair in zip(raw["handoff"], raw["segment"]))
    return said >= options.discussion.cues


def discussed(options: SegmentOptions, story_words: float | None = None) -> SegmentOptions:
    """``options`` for a discussion show (see Discussion): its stories are long, as long as the
    show's profile says (``story_words``: the median `recap learn` measured) where it does."""
    talk = options.discussion
    least = talk.min_words
    if story_words:
        least = round(min(MOST_LEAST_WORDS, max(options.min_words, story_words * LEAST_SHARE)))
    return replace(options, weights={**options.weights, **talk.weights},
                   link_anchor_weight=talk.link_anchor_weight, threshold=talk.threshold,
                   short_threshold=talk.threshold, min_words=least, short_penalty=talk.short_penalty)


LEAST_SHARE = 0.35  # a discussion shorter than this share of the show's usual one pays the short penalty
MOST_LEAST_WORDS = 400


def _gain(scores: Sequence[float], i: int, options: SegmentOptions) -> float:
    return scores[i] - options.threshold if i else 0.0


def segment(timed: TimedText, options: SegmentOptions | None = None,
            chapters: Sequence[Chapter] | None = None, description: str = "",
            profile: Profile | None = None, pages: Mapping[str, LinkPage] | None = None) -> list[Story]:
    """Cut the text into stories; chapters, when they can be placed in time, are the cuts; the
    description's links, where the transcript names them (or their ``pages``' titles), are strong
    evidence of a story's start. ``profile``: how the show's hosts talk (the default profile when None)."""
    options = options or SegmentOptions()
    cues = (profile or default_profile()).cues
    sentences = split_sentences(timed.text, timed.breaks, cues)
    if not sentences:
        return []
    weighed = {name for weights in (options.weights, options.discussion.weights) for name in weights}
    raw = signal_scores(sentences, timed, cues, weighed | {"handoff", "segment"})
    discussion = is_discussion(sentences, timed, cues, options, raw)
    in_segment = inside_segments(raw["segment"])
    for name in {"handoff", "cue_open"} & set(raw):  # "over to you", "next up": the segment's next part
        raw[name] = [0.0 if inside else score for score, inside in zip(raw[name], in_segment)]
    if discussion:
        options = discussed(options, cues.shape.get("story_words"))
    scores, fired = boundary_scores(sentences, timed, options, cues, raw)
    # A year reviewed month by month is cut at its months, and the links named in a month go to it.
    by_period = any("period" in names for names in fired)
    named = {} if by_period else add_link_anchors(scores, fired, sentences, timed.text, description, options,
                                                  cues, pages, in_segment)
    if by_period:  # the months place the cuts, with no lower threshold between them
        options = replace(options, short_threshold=options.threshold)
        scores = _within_periods(scores, fired, sentences, options, cues)
    if any(k > 0 for k in named) and not discussion:  # a link named in the first sentence opens nothing
        # the named links already say where stories start: the length prior would only add cuts
        # between a story's links
        options = replace(options, long_penalty=0.0, threshold=options.linked_threshold,
                          short_threshold=options.linked_threshold)
    fired[0] = ["start"]
    titles = dict(chapter_cuts(sentences, timed, chapters or []))
    if titles:
        for i in titles:
            fired[i].insert(1 if i == 0 else 0, "chapter")
        cuts = sorted(i for i in titles if i)
    else:
        if chapters:
            log.warning("chapters need a transcript with timings; cutting without them")
        cuts = choose_cuts(scores, [s.words for s in sentences], paced(scores, sentences, options))
        cuts = to_turn_start(cuts, sentences, [score == float("-inf") for score in scores])
        cuts = late_names(cuts, named, sentences)
        cuts = back_to_name(cuts, named, sentences, cues)
        cuts = to_sponsor_read(cuts, sentences, options.min_words, cues)
        sentences, fired, cuts = to_run_on_clause(cuts, sentences, fired, timed.text, cues)
    stories = _stories(timed, sentences, cuts, fired, titles, cues)
    tag_kinds(stories, cues, keep_titles=bool(titles))
    tag_sections(stories, cues)
    return stories


def inside_segments(opened_at: Sequence[float]) -> list[bool]:
    """For each sentence, whether it falls inside a recurring segment the show announced
    (``opened_at``: the segment signal) after the sentence that opens it. A segment is one story:
    in the extras the hosts hand the floor to each other, move on ("Next up, ...") and name each
    extra's link, and only the next segment's announcement ("ready for a joke?") opens another."""
    inside, opened = [], False
    for opens in opened_at:
        opened = opened or opens > 0
        inside.append(opened and not opens)
    return inside


def _stories(timed: TimedText, sentences: Sequence[Sentence], cuts: list[int],
             fired: list[list[str]], titles: dict[int, str], cues: Cues) -> list[Story]:
    """A Story per span between cuts, titled by its chapter or by what its opening names."""
    spans = [(sentences[first].start, sentences[last - 1].end, first)
             for first, last in zip([0, *cuts], [*cuts, len(sentences)])]
    prepare((timed.text[start:end] for start, end, first in spans if first not in titles), cues)
    return [Story(title=titles.get(first) or heading_for(timed.text[start:end], cues),
                  text=timed.text[start:end], span=(start, end), start=timed.start_at(start),
                  end=timed.end_at(end),
                  signals=list(fired[first]), title_from="chapter" if first in titles else "text")
            for start, end, first in spans]
