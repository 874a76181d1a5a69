"""Where the transcript first names each description link's subject, despite speech recognition.

A news show's description lists its links in the order the host talks about them, and a link's
words (its page's slug, its site, its label) are mostly the words the host says when the story
starts. Speech recognition mishears names, so each link word is looked for with tolerance: the
same spelling up to a letter or two (rapidfuzz), the same sound (jellyfish's metaphone), two words
heard for one ("tiger data" for "tigerdata", "zero clause" for "zeroclaw"), a number said as a
word. Then every link gets one anchor, in the description's order (never before the previous
link's), or none where nothing points at it: one order-keeping decision over all links, not a
best guess for each.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from recap.core.document import Link
from recap.language.lexicon import stop_words
from recap.language.links import link_words, shared_title_words, site_words

WINDOW = 30  # words: a story names its subject's words this close together
MIN_EVIDENCE = 5.0  # below this, a place only looks like the link by chance
# A link only one of whose words is heard anywhere has that word's weight alone: a word its story
# says a few times ("taste", "prompting") or a name misheard falls just short of MIN_EVIDENCE,
# though no other word of the link points elsewhere (segmenter._back_to_name uses it too).
LONE_WORD_EVIDENCE = 4.0
# A longer transcript has more places where a link's words meet by chance (a misheard "watch" for
# "patch"), and a rare word's weight grows with its length: past this many words the evidence a
# place needs grows by the log of the length's ratio (a Bonferroni-like correction).
CHANCE_WORDS = 1500
COMPOUND_LETTERS = 7  # a slug word this long may be two words run together ("zeroclaw")
COMPOUND_STRENGTH = 0.8  # as sure as a near spelling
_FUZZY = 80  # rapidfuzz ratio (0-100) of a misheard spelling
_RARE = 15  # a word heard more often than once in this many words points nowhere
_WORD = re.compile(r"[a-z0-9]+")


def _telling(words: list[str]) -> list[str]:
    """The link words that can point at one place: a stop word ("more", "only", a date's "eleven")
    is said in every story."""
    common = stop_words()
    return [word for word in words if word not in common]


@dataclass(frozen=True)
class Anchor:
    """Where a link's subject is first named."""

    char: int  # offset into the text
    evidence: float  # how surely: the rarity-weighted words of the link found there


def find_anchors(text: str, links: Sequence[Link], own: Sequence[Link] = ()) -> list[Anchor | None]:
    """One anchor per link, in order (each at or after the one before), or None. ``own``: the
    show's own links (boilerplate): their sites' words anchor nothing."""
    found = list(_WORD.finditer(text.lower()))
    words = tuple(m.group() for m in found)
    own_sites = site_words(own)
    shared = shared_title_words(links)
    places = _places(words, tuple(tuple(link_words(link, own_sites, shared)) for link in links))
    return [None if place is None else Anchor(found[place[0]].start(), place[1]) for place in places]


def heard_by_part(text: str, part_starts: Sequence[int], links: Sequence[Link],
                  own: Sequence[Link] = ()) -> list[list[float]]:
    """For each link, how strongly each part of ``text`` (parts begin at the character offsets
    ``part_starts``, sorted) says its words: each telling word heard in a part, exactly or
    misheard, counts once by its strength, weighted by how few parts say it. A word every part
    says points at none. Unlike an anchor this is no first naming: a story that discusses a
    supporting link's subject anywhere in it says that link's words."""
    found = list(_WORD.finditer(text.lower()))
    spoken = _spoken(tuple(m.group() for m in found))
    part_of = [bisect.bisect_right(part_starts, m.start()) - 1 for m in found]
    own_sites, shared = site_words(own), shared_title_words(links)
    parts = len(part_starts)
    rows = []
    for link in links:
        row = [0.0] * parts
        for word in _telling(link_words(link, own_sites, shared)):
            strongest: dict[int, float] = {}
            for position, strength in spoken.hits(word).items():
                part = part_of[position]
                strongest[part] = max(strongest.get(part, 0.0), strength)
            if 0 < len(strongest) < parts:
                weight = math.log(1 + parts / len(strongest))
                for part, strength in strongest.items():
                    row[part] += weight * strength
        rows.append(row)
    return rows


@lru_cache(maxsize=4)
def _places(words: tuple[str, ...], links: tuple[tuple[str, ...], ...]) -> list[tuple[int, float] | None]:
    """Each link's word position and evidence, or None. Cached on the words alone: the segmenter
    and the link placement ask about the same transcript, joined differently (unless placement
    leaves out a sign-off: other words, other rarities, so a search of its own)."""
    if not words or not links:
        return [None] * len(links)
    spoken = _spoken(words)
    rows = [_evidence(spoken, _telling(list(link))) for link in links]
    return [None if place is None else (place, rows[i][place]) for i, place in enumerate(_in_order(rows))]


@lru_cache(maxsize=4)
def _spoken(words: tuple[str, ...]) -> _Spoken:
    """One transcript's words, indexed once for the anchors and the link placement alike."""
    return _Spoken(words)


class _Spoken:
    """The transcript's words, with each distinct word's positions and its sound."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = list(words)
        self.positions: dict[str, list[int]] = {}
        for i, word in enumerate(self.words):
            self.positions.setdefault(word, []).append(i)
        self.joined: set[str] = set()
        for i in range(len(self.words) - 1):  # "tiger data" heard for "tigerdata"
            pair = self.words[i] + self.words[i + 1]
            self.positions.setdefault(pair, []).append(i)
            self.joined.add(pair)
        self.vocabulary = tuple(self.positions)
        self.words_said = frozenset(self.words)
        self._by_sound: dict[str, list[str]] | None = None  # built once: sounding every word is the cost
        self._by_vowels: dict[str, list[str]] | None = None
        self._hits: dict[str, dict[int, float]] = {}  # each link word is scored, then placed

    def hits(self, word: str) -> dict[int, float]:
        """Positions where ``word`` was said, exactly (1.0) or as a mishearing (0.7-0.8)."""
        if word not in self._hits:
            found = dict.fromkeys(self.positions.get(word, []), 1.0)
            if len(word) >= 4:
                for heard, strength in _misheard_as(word, self):
                    for i in self.positions[heard]:
                        found[i] = max(found.get(i, 0.0), strength)
            if len(word) >= COMPOUND_LETTERS:
                for i in self.split_compound(word):
                    found[i] = max(found.get(i, 0.0), COMPOUND_STRENGTH)
            self._hits[word] = found
        return self._hits[word]

    def split_compound(self, word: str) -> list[int]:
        """Where a name made of two words was heard as the first word exactly and a second that
        begins like the rest ("zero clause" for "zeroclaw")."""
        found = []
        for cut in range(3, len(word) - 2):
            head, rest = word[:cut], word[cut:]
            for i in self.positions.get(head, []):
                nxt = self.words[i + 1] if i + 1 < len(self.words) else ""
                if nxt != rest and nxt.startswith(rest[:3]) and len(nxt) >= len(rest) - 1:
                    found.append(i)
        return found

    def sounding_like(self, word: str) -> list[str]:
        """The heard words of four letters or more with ``word``'s sound, in the order first heard."""
        if self._by_sound is None:
            self._by_sound = {}
            for heard in self.vocabulary:
                if len(heard) >= 4:
                    self._by_sound.setdefault(_sound(heard), []).append(heard)
        return self._by_sound.get(_sound(word), [])

    def spelt_with_i(self, word: str) -> list[str]:
        """The heard words spelt as ``word`` is when its vowel y is written i ("pipi" for "pypi"):
        one letter in four is past the near-spelling tolerance of a short word."""
        if self._by_vowels is None:
            self._by_vowels = {}
            for heard in self.vocabulary:
                self._by_vowels.setdefault(_y_as_i(heard), []).append(heard)
        return self._by_vowels.get(_y_as_i(word), [])


def _misheard_as(word: str, spoken: _Spoken) -> list[tuple[str, float]]:
    """Heard words that may be ``word``: a near spelling, or the same sound for a long word."""
    from rapidfuzz import fuzz, process

    near = process.extract(word, spoken.vocabulary, scorer=fuzz.ratio, score_cutoff=_FUZZY, limit=None)
    heard = {candidate: 0.8 for candidate, _, _ in near
             if candidate != word and not _beside(word, candidate, spoken)}
    heard.update({c: 0.8 for c in spoken.spelt_with_i(word) if c != word})
    if len(word) >= 5:
        heard.update({c: 0.7 for c in spoken.sounding_like(word) if c not in heard and c != word})
    return list(heard.items())


def _beside(word: str, candidate: str, spoken: _Spoken) -> bool:
    """Two heard words joined, one of them ``word`` itself ("my younger" for "younger"): not a
    mishearing, and the place is the word before it."""
    return candidate in spoken.joined and candidate not in spoken.words_said and (
        candidate.startswith(word) or candidate.endswith(word))


_VOWEL_Y = re.compile(r"(?<=.)y(?![aeiouy])")


def _y_as_i(word: str) -> str:
    """``word`` with each y that sounds as a vowel (not a leading y, not one before a vowel) as i."""
    return _VOWEL_Y.sub("i", word)


@lru_cache(maxsize=65536)
def _sound(word: str) -> str:
    import jellyfish

    return jellyfish.metaphone(word)


def _evidence(spoken: _Spoken, words: list[str]) -> dict[int, float]:
    """Position -> how strongly the link's subject starts being named there: each of its words
    heard within WINDOW words after the position counts, rarer words more."""
    total = len(spoken.words)
    row: dict[int, float] = {}
    heard = 0
    for word in words:
        hits = spoken.hits(word)
        if not hits or len(hits) > max(2, total / _RARE):
            continue
        heard += 1
        weight = math.log(1 + total / len(hits))
        best: dict[int, float] = {}
        for i, strength in hits.items():
            for start in range(max(0, i - WINDOW), i + 1):
                best[start] = max(best.get(start, 0.0), strength * weight)
        for start, value in best.items():
            row[start] = row.get(start, 0.0) + value
    least = (MIN_EVIDENCE if heard > 1 else LONE_WORD_EVIDENCE) + chance_allowance(total)
    return _first_words(spoken, words, row, least)


def chance_allowance(words: int) -> float:
    """The evidence a place needs beyond MIN_EVIDENCE in a transcript of ``words`` (CHANCE_WORDS)."""
    return max(0.0, math.log(max(words, 1) / CHANCE_WORDS))


def _first_words(spoken: _Spoken, words: list[str], row: dict[int, float], least: float) -> dict[int, float]:
    """Each run of equal evidence (``least`` or more) moved to the first of its words actually
    said, so an anchor sits on the name itself rather than up to WINDOW words before it."""
    said = sorted({i for word in words for i in spoken.hits(word)})
    moved: dict[int, float] = {}
    for start, value in row.items():
        if value < least:
            continue
        k = bisect.bisect_left(said, start)
        place = said[k] if k < len(said) else start
        moved[place] = max(moved.get(place, 0.0), value)
    return moved


def _in_order(rows: list[dict[int, float]]) -> list[int | None]:
    """One place per link or none, never decreasing, with the most evidence in total.

    Dynamic programming over the links: the states worth keeping are those no state with an
    earlier (or equal) last place beats, so they rise in total as they rise in place, and the
    best state a new anchor can follow is found by bisection."""
    states: list[tuple[int, float, tuple[int | None, ...]]] = [(-1, 0.0, ())]  # (last place, total, picks)
    for row in rows:
        lasts = [state[0] for state in states]
        grown = [(last, total, (*picks, None)) for last, total, picks in states]  # the link not found
        for place, evidence in row.items():
            last, total, picks = states[bisect.bisect_right(lasts, place) - 1]
            grown.append((place, total + evidence, (*picks, place)))
        states = _undominated(grown)
    return list(states[-1][2])


def _undominated(states: list[tuple[int, float, tuple]]) -> list[tuple[int, float, tuple]]:
    """The states, by place, that beat every state at an earlier or equal place."""
    kept: list[tuple[int, float, tuple]] = []
    for state in sorted(states, key=lambda s: (s[0], -s[1])):
        if not kept or state[1] > kept[-1][1]:
            kept.append(state)
    return kept
