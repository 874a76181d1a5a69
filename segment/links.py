"""Links from a video description, and which story each one belongs to.

Reference lists in descriptions follow the episode's order, so links are aligned to stories
by an order-keeping alignment over word evidence (the URL's words and the line's label
against each story's text), not by independent best guesses. A link with no words to go
on (an arXiv id, a short link) is placed between its neighbours, on the one story there
that points at such a thing ("check out the paper"); where nothing decides, it goes to the
footer rather than to a guessed story. Channel furniture (social accounts, Discord, Patreon,
merch, sponsor codes) always goes to the footer.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from urllib.parse import unquote, urlparse

from recap.core.document import Link, Story
from recap.language.cues import Cues
from recap.language.description import DescribedLink
from recap.language.lexicon import english_words
from recap.language.links import POINTED_KINDS, kinds_said, link_kind

_TOKEN = re.compile(r"[a-z0-9]+")
_URL_NOISE = frozenset(english_words("url_noise"))
ORDER_PENALTY = 1.5  # what a link must gain to be placed against the description's order
MIN_EVIDENCE = 0.8  # word evidence below this counts as none


# -- which story each link belongs to ---------------------------------------------------------
def url_words(link: Link) -> set[str]:
    parsed = urlparse(link.url)
    words = set(_TOKEN.findall(f"{parsed.netloc} {unquote(parsed.path)} {link.caption}".lower()))
    return {_stem(w) for w in words if w not in _URL_NOISE and len(w) > 2 and not w.isdigit()}


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def story_vocabulary(text: str) -> set[str]:
    """A story's words, plus each pair run together, so "Orca Labs" matches "orcalabs.com"."""
    tokens = _TOKEN.findall(text.lower())
    return {_stem(t) for t in tokens} | {a + b for a, b in zip(tokens, tokens[1:])}


def evidence_matrix(links: Sequence[DescribedLink], stories: Sequence[Story]) -> list[list[float]]:
    """How strongly each link's words point at each story; rare words count more."""
    vocabularies = [story_vocabulary(s.text) for s in stories]
    frequency = Counter(w for v in vocabularies for w in v)
    matrix = []
    for described in links:
        words = url_words(described.link)
        row = [sum(math.log(1 + len(stories) / frequency[w]) for w in words & v) for v in vocabularies]
        if described.seconds is not None:
            row = [r + 3.0 * _covers(s, described.seconds) for r, s in zip(row, stories)]
        matrix.append(row)
    return matrix


def _covers(story: Story, seconds: float) -> bool:
    return story.start is not None and story.start - 2 <= seconds < (story.end or math.inf)


def align(evidence: Sequence[Sequence[float]]) -> list[int | None]:
    """The best story for each link keeping the description's order where evidence allows:
    a link may go against the order only if its evidence beats ``ORDER_PENALTY``; links with no
    evidence anywhere stay unplaced (None)."""
    if not evidence:
        return []
    n_stories = len(evidence[0])
    # best[j]: the best total with the last placed link on story j (-1: nothing placed yet)
    best: dict[int, tuple[float, list[int | None]]] = {-1: (0.0, [])}
    for row in evidence:
        step: dict[int, tuple[float, list[int | None]]] = {}
        for last, (score, path) in best.items():
            _keep(step, last, score, [*path, None])
            for j in range(n_stories):
                if row[j] < MIN_EVIDENCE:
                    continue
                total = score + row[j] - (ORDER_PENALTY if j < last else 0.0)
                _keep(step, j, total, [*path, j])
        best = step
    return max(best.values(), key=lambda entry: entry[0])[1]


def _keep(table: dict, key: int, score: float, path: list[int | None]) -> None:
    if key not in table or score > table[key][0]:
        table[key] = (score, path)


def place_between(unplaced: int, placed: Sequence[int | None], links: Sequence[DescribedLink],
                  stories: Sequence[Story], cues: Cues) -> int | None:
    """A wordless link's story: between its placed neighbours, the one that points at such a link."""
    before = [p for p in placed[:unplaced] if p is not None]
    after = [p for p in placed[unplaced + 1:] if p is not None]
    low = before[-1] if before else 0
    high = after[0] if after else len(stories) - 1
    if low > high:
        return None
    kind = link_kind(links[unplaced].link, cues)
    linked = Counter(p for p in placed if p is not None)
    scores = {j: _pointer_score(stories[j].text, kind, linked[j], cues) for j in range(low, high + 1)}
    top = max(scores.values())
    winners = [j for j, s in scores.items() if s == top]
    return winners[0] if top > 0 and len(winners) == 1 else None


def _pointer_score(text: str, kind: str | None, links_already: int, cues: Cues) -> float:
    said = 2.0 if kind and kind in kinds_said(text, cues, POINTED_KINDS) else 0.0
    points = 0.5 if cues.pointer.search(text) else 0.0
    return said + points - 0.25 * links_already if said or points else 0.0


def assign_links(links: Sequence[DescribedLink], stories: Sequence[Story],
                 cues: Cues) -> tuple[dict[int, list[Link]], list[Link]]:
    """Links by story index, and the footer: channel furniture plus what nothing could place."""
    content = [d for d in links if not d.boilerplate]
    placed = align(evidence_matrix(content, stories)) if stories else [None] * len(content)
    for i, story_index in enumerate(placed):
        if story_index is None and stories:
            placed[i] = place_between(i, placed, content, stories, cues)
    by_story: dict[int, list[Link]] = {}
    for described, story_index in zip(content, placed):
        if story_index is not None:
            by_story.setdefault(story_index, []).append(described.link)
    unplaced = {id(d) for d, p in zip(content, placed) if p is None}
    footer = [d.link for d in links if d.boilerplate or id(d) in unplaced]
    return by_story, footer
