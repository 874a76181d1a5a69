"""Which story each description link belongs to.

A description lists its links in the order the show talks about them, a story's main link first
and the links that support it after. So the links are cut into runs, one run per story, in
order, by one decision over all of them (dynamic programming), not by a best guess for each:
a run's links are said in its story (their words, heard with tolerance for speech recognition),
neighbours about one thing stay together, and a story the show discussed is rarely left without a
link. A link with no words to go on (an arXiv id, a short link) that its run does not settle is
placed between its neighbours on the one story there that points at such a thing ("check out the
paper"); where nothing decides, it goes to the footer rather than to a guessed story.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from recap.core.document import Link, Story
from recap.language.cues import Cues
from recap.language.links import POINTED_KINDS, kinds_said, link_kind

TOGETHER = 1.5  # what keeping two links about one thing in one story is worth, in word evidence
UNLINKED = 2.0  # what leaving a discussed story without any link costs, in word evidence
TIMESTAMP = 3.0  # a link whose line gives a time belongs to the story told at that time
_LINKED_KINDS = ("story", "quick_hit")


def takes_a_link(story: Story) -> bool:
    """Whether a show gives this story a link of its own (a news item does; the greeting, a
    sponsor read folded into it and the sign-off do not)."""
    return story.kind in _LINKED_KINDS


def in_runs(evidence: Sequence[Sequence[float]], together: Sequence[bool],
            stories: Sequence[Story]) -> list[int]:
    """Each link's story, in the description's order. ``evidence[i][j]``: how strongly story j
    says link i's words; ``together[i]``: link i is about what link i - 1 is about.

    The states are the story of the last link placed; each link stays in that story or moves on,
    leaving the stories it skips unlinked. Ties keep a link with the link listed before it: a
    description lists a story's supporting links after its main one."""
    if not evidence:
        return []
    count = len(stories)
    linked_before = [0] * (count + 1)  # linked_before[j]: the linked kinds among stories[:j]
    for j, story in enumerate(stories):
        linked_before[j + 1] = linked_before[j] + takes_a_link(story)

    def skipping(after: int, before: int) -> float:  # the cost of the stories strictly between
        return UNLINKED * (linked_before[before] - linked_before[after + 1])

    best = {j: (evidence[0][j] - UNLINKED * linked_before[j], [j]) for j in range(count)}
    for i in range(1, len(evidence)):
        grown: dict[int, tuple[float, list[int]]] = {}
        for last, (score, path) in best.items():
            for j in range(last, count):
                gain = evidence[i][j] + (TOGETHER * together[i] if j == last else -skipping(last, j))
                if j not in grown or score + gain > grown[j][0] + 1e-9:
                    grown[j] = (score + gain, [*path, j])
        best = grown
    last = max(best, key=lambda j: best[j][0] - skipping(j, count))
    return best[last][1]


def pointed_at(link: int, placed: Sequence[int | None], links: Sequence[Link], stories: Sequence[Story],
               cues: Cues) -> int | None:
    """The one story between a link's placed neighbours that points at such a link ("check out
    the paper", "here's a clip of the video"), or None."""
    before = [p for p in placed[:link] if p is not None]
    after = [p for p in placed[link + 1:] if p is not None]
    low = before[-1] if before else 0
    high = after[0] if after else len(stories) - 1
    if low > high:
        return None
    kind = link_kind(links[link], cues)
    linked = Counter(p for k, p in enumerate(placed) if p is not None and k != link)
    scores = {j: _pointer_score(stories[j].text, kind, linked[j], cues) for j in range(low, high + 1)}
    top = max(scores.values())
    winners = [j for j, s in scores.items() if s == top]
    return winners[0] if top > 0 and len(winners) == 1 else None


def _pointer_score(text: str, kind: str | None, links_already: int, cues: Cues) -> float:
    said = 2.0 if kind and kind in kinds_said(text, cues, POINTED_KINDS) else 0.0
    points = 0.5 if cues.pointer.search(text) else 0.0
    return said + points - 0.25 * links_already if said or points else 0.0
