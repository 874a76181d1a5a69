"""Each description link under its story: where the transcript names it, else in a story no named
link reached between its neighbours' stories, else between its neighbours by the words they
share, else beside the link listed before it, else the footer."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from recap.core.document import Link, Story
from recap.language.cues import Cues
from recap.language.description import DescribedLink
from recap.language.links import link_words
from recap.stages.segment.anchors import MIN_EVIDENCE, chance_allowance, find_anchors
from recap.stages.segment.links import assign_links

NAMED = 1.2 * MIN_EVIDENCE  # a link found this surely is what its story is about: it names it


@dataclass
class Placement:
    by_story: dict[int, list[Link]] = field(default_factory=dict)  # story index -> its links, in order
    footer: list[Link] = field(default_factory=list)  # channel furniture and what nothing placed
    named: dict[int, Link] = field(default_factory=dict)  # story index -> its first link surely named in it


def place_links(described: Sequence[DescribedLink], stories: Sequence[Story], cues: Cues,
                transcript: Sequence[Story] = ()) -> Placement:
    """One order-keeping decision: a link the host names goes to the story where it is named; one
    never named goes to a story left without a named link between its neighbours' (_fill_gaps),
    else where the word-overlap alignment puts it if that keeps the order, else beside the link
    listed before it (see _between). ``transcript``: the stories searched for the links' names,
    ``stories`` among them; a link named in one of the others (the greeting) is placed as unnamed."""
    content = [d for d in described if not d.boilerplate]
    if not stories:
        return Placement(footer=[d.link for d in described])
    transcript = transcript or stories
    starts, text = _joined(transcript)
    anchors = find_anchors(text, [d.link for d in content], [d.link for d in described if d.boilerplate])
    listed = {id(story): i for i, story in enumerate(stories)}
    placed = [None if a is None else listed.get(id(transcript[bisect.bisect_right(starts, a.char) - 1]))
              for a in anchors]
    sure = NAMED + chance_allowance(len(text.split()))
    named = {}
    for described_link, story, anchor in zip(content, placed, anchors):
        if story is not None and anchor is not None and anchor.evidence >= sure:
            named.setdefault(story, described_link.link)
    guessed, _ = assign_links(content, stories, cues)
    guess = {id(link): i for i, links in guessed.items() for link in links}
    filled = _fill_gaps(placed, stories)
    for i, described_link in enumerate(content):
        if placed[i] is None:
            placed[i] = filled[i] if filled[i] is not None else _between(
                guess.get(id(described_link.link)), placed[:i], placed[i + 1:],
                has_words=bool(link_words(described_link.link)))
    result = Placement(named=named)
    for described_link, story in zip(content, placed):
        if story is not None:
            result.by_story.setdefault(story, []).append(described_link.link)
    unplaced = {id(d) for d, story in zip(content, placed) if story is None}
    result.footer = [d.link for d in described if d.boilerplate or id(d) in unplaced]
    return result


def _joined(stories: Sequence[Story]) -> tuple[list[int], str]:
    """The stories' texts joined by a space, and where each starts."""
    starts, offset = [], 0
    for story in stories:
        starts.append(offset)
        offset += len(story.text) + 1
    return starts, " ".join(story.text for story in stories)


def _fill_gaps(placed: Sequence[int | None], stories: Sequence[Story]) -> list[int | None]:
    """Links no anchor placed, shared among the stories no anchor reached between the named
    links around them: a news show gives each story a link, so a story whose link went unheard
    (its name misheard) holds the links listed between its neighbours' links, in order."""
    filled: list[int | None] = [None] * len(placed)
    named = [(i, story) for i, story in enumerate(placed) if story is not None]
    bounds = [(-1, -1), *named, (len(placed), len(stories))]
    for (first, low), (last, high) in zip(bounds, bounds[1:]):
        run = range(first + 1, last)
        empty = [j for j in range(low + 1, high) if stories[j].kind not in ("intro", "outro")]
        for k, i in enumerate(run):
            if empty:
                filled[i] = empty[k * len(empty) // len(run)]
    return filled


def _between(guess: int | None, before: Sequence[int | None], after: Sequence[int | None],
             has_words: bool) -> int | None:
    """The guess, if it keeps the description's order with the links placed around it; else, for
    a link with words of its own, the story of the link listed before it (a description lists a
    story's main link, then the links that support it). A link with nothing to go on (a short
    link, an id) goes only where both its neighbours agree, else nowhere."""
    low = next((p for p in reversed(before) if p is not None), None)
    high = next((p for p in after if p is not None), None)
    if guess is not None and (low is None or low <= guess) and (high is None or guess <= high):
        return guess
    if not has_words:
        return low if low is not None and low == high else None
    return low if low is not None else high
