"""Each description link under its story, in three steps: the links cut into one run per story in
the description's order (recap.stages.segment.links.in_runs); the links heard nowhere shared out
among the stories no heard link reached; a wordless link whose run decided nothing placed on the
story between its neighbours that points at such a link, else the footer. And, for headings, the
link each story surely names (its first naming, an anchor, lies in the story)."""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from recap.core.document import Link, Story
from recap.language.cues import Cues
from recap.language.description import DescribedLink
from recap.language.links import link_words, listed_together
from recap.stages.segment.anchors import MIN_EVIDENCE, chance_allowance, find_anchors, heard_by_part
from recap.stages.segment.links import TIMESTAMP, in_runs, pointed_at, takes_a_link

NAMED = 1.2 * MIN_EVIDENCE  # a link found this surely is what its story is about: it names it


@dataclass
class Placement:
    by_story: dict[int, list[Link]] = field(default_factory=dict)  # story index -> its links, in order
    footer: list[Link] = field(default_factory=list)  # channel furniture and what nothing placed
    named: dict[int, Link] = field(default_factory=dict)  # story index -> its first link surely named in it


def place_links(described: Sequence[DescribedLink], stories: Sequence[Story], cues: Cues,
                transcript: Sequence[Story] = ()) -> Placement:
    """``transcript``: the stories searched for the links' words, ``stories`` among them; a link
    said only in one of the others (the greeting) is placed by its neighbours."""
    content = [d for d in described if not d.boilerplate]
    if not stories:
        return Placement(footer=[d.link for d in described])
    transcript = transcript or stories
    starts, text = _joined(transcript)
    own = [d.link for d in described if d.boilerplate]
    links = [d.link for d in content]
    listed = {id(story): i for i, story in enumerate(stories)}
    heard = heard_by_part(text, starts, links, own)
    columns = [i for i, story in enumerate(transcript) if id(story) in listed]
    evidence = [[row[i] + TIMESTAMP * _told_at(transcript[i], d.seconds) for i in columns]
                for row, d in zip(heard, content)]
    placed = _decided(evidence, links, stories, cues)
    result = Placement()
    for link, story in zip(links, placed):
        if story is not None:
            result.by_story.setdefault(story, []).append(link)
    unplaced = {id(link) for link, story in zip(links, placed) if story is None}
    result.footer = [d.link for d in described if d.boilerplate or id(d.link) in unplaced]
    sure = NAMED + chance_allowance(len(text.split()))
    for link, story, anchor in zip(links, placed, find_anchors(text, links, own)):
        if story is not None and anchor is not None and anchor.evidence >= sure \
                and listed.get(id(transcript[bisect.bisect_right(starts, anchor.char) - 1])) == story:
            result.named.setdefault(story, link)
    return result


def _decided(evidence: list[list[float]], links: list[Link], stories: Sequence[Story],
             cues: Cues) -> list[int | None]:
    """Each link's story, or None for the footer (the module's three steps)."""
    placed: list[int | None] = list(in_runs(evidence, listed_together(links), stories))
    heard_anywhere = [any(row) for row in evidence]
    gaps = _fill_gaps([p if heard else None for p, heard in zip(placed, heard_anywhere)], stories)
    for i, heard in enumerate(heard_anywhere):
        if not heard and gaps[i] is not None:
            placed[i] = gaps[i]
    for i, link in enumerate(links):
        if not link_words(link) and gaps[i] is None and not _settled(i, placed):
            placed[i] = pointed_at(i, placed, links, stories, cues)
    return placed


def _fill_gaps(placed: Sequence[int | None], stories: Sequence[Story]) -> list[int | None]:
    """Links heard nowhere, shared in order among the stories no heard link reached between the
    heard links around them: a news show gives each story a link, so a story whose link went
    unheard (its name misheard, an id) holds the links listed between its neighbours' links."""
    filled: list[int | None] = [None] * len(placed)
    named = [(i, story) for i, story in enumerate(placed) if story is not None]
    bounds = [(-1, -1), *named, (len(placed), len(stories))]
    for (first, low), (last, high) in zip(bounds, bounds[1:]):
        run = range(first + 1, last)
        empty = [j for j in range(low + 1, high) if takes_a_link(stories[j])]
        for k, i in enumerate(run):
            if empty:
                filled[i] = empty[k * len(empty) // len(run)]
    return filled


def _settled(i: int, placed: Sequence[int | None]) -> bool:
    """Whether the runs decided a wordless link's story: it is alone there, or the links listed
    around it are both there."""
    alone = placed.count(placed[i]) == 1
    return alone or (0 < i < len(placed) - 1 and placed[i - 1] == placed[i] == placed[i + 1])


def _told_at(story: Story, seconds: float | None) -> bool:
    if seconds is None or story.start is None:
        return False
    return story.start - 2 <= seconds < (story.end or math.inf)


def _joined(stories: Sequence[Story]) -> tuple[list[int], str]:
    """The stories' texts joined by a space, and where each starts."""
    starts, offset = [], 0
    for story in stories:
        starts.append(offset)
        offset += len(story.text) + 1
    return starts, " ".join(story.text for story in stories)
