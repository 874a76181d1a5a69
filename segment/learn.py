"""`recap learn`: a show's own profile, read off its episodes.

The shipped profile knows how news hosts talk in general; a show says some things its own way
("What do you got for us first?", "Let's kick it off"). Segmented with the base profile and
their descriptions, a show's episodes show what its hosts say where stories start: phrases said
there in many episodes, and seldom anywhere else, are this show's hand-offs. The greeting and the
sign-off are what every episode says first and last; the recurring segments, where in an episode
they usually come; the shape, how many stories an episode has and how long they are. Everything
learned is an entry of a readable profile, each with a comment saying what it catches and from
how many episodes it was learned.
"""

from __future__ import annotations

import bisect
import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from recap.core.document import Story, TimedText
from recap.language.lexicon import stop_words
from recap.language.profile import Profile
from recap.language.sentences import split_sentences
from recap.stages.segment.segmenter import segment
from recap.stages.segment.signals import SIGNALS

MIN_EPISODES = 3  # fewer say nothing a show does every week
STARTS_SHARE = 0.5  # a phrase said at story starts in this share of the episodes (and at least 3)...
PRECISION = 0.6  # ...and, where it is said at all, at a story start this often
OPENING_WORDS = 12  # a hand-off is said in the first words of its sentence
OPENING_PREFIX = rf"(?:\S+\s+){{0,{OPENING_WORDS - 2}}}?"  # a learned opener after a few words of talk
# Acknowledgements per 1,000 words above which a show is a conversation: two hosts "Yeah."-ing
# each other (Python Bytes 8-28, the one-host Changelog News 0-7).
CONVERSATION = 8.0
NGRAMS = (2, 3, 4)
KNOWN = 0.5  # a phrase whose starts the base profile already marks this often teaches nothing new
MOST_PHRASES = 12
GREETING_WORDS, SIGN_OFF_WORDS = 40, 60
EVERY_EPISODE = 0.8  # the greeting and sign-off: said in this share of the episodes
SEGMENT_MARGIN = 0.05  # a recurring segment may open this much earlier than it ever did
_WORD = re.compile(r"[a-z][a-z']*")


@dataclass(frozen=True)
class LearnedEntry:
    table: str
    key: str
    pattern: str
    comment: str


@dataclass
class Learned:
    episodes: int
    entries: list[LearnedEntry] = field(default_factory=list)
    shape: dict[str, float] = field(default_factory=dict)
    shape_comments: dict[str, str] = field(default_factory=dict)


@dataclass
class _Observed:
    """One episode as the base profile segments it."""

    words: list[str]  # the transcript's words, lowercased
    openings: list[list[str]]  # each sentence's first words, lead-in taken off
    endings: list[list[str]]  # each sentence's last words
    opens: set[int]  # sentences that open a story
    closes: set[int]  # sentences that end a story
    known_open: set[int]  # sentences the base profile's hand-offs, openers or segments already mark
    known_close: set[int]  # sentences the base profile's closers already mark
    stories: list[Story]
    conversation: float  # acknowledgements ("Yeah.", "Nice,") per 1,000 words


def learn(episodes: Sequence[tuple[TimedText, str]], base: Profile) -> Learned:
    """What ``episodes`` (each a transcript and its description) teach beyond ``base``."""
    if len(episodes) < MIN_EPISODES:
        raise ValueError(f"learning a show needs at least {MIN_EPISODES} episodes, got {len(episodes)}")
    observed = [_observe(timed, description, base) for timed, description in episodes]
    learned = Learned(episodes=len(observed))
    # two hosts hand over to each other; a single host opens the next story
    discussion = sum(e.conversation >= CONVERSATION for e in observed) * 2 > len(observed)
    opening = ("handoff", "") if discussion else ("opener", OPENING_PREFIX)
    learned.entries += _phrases(observed, "opens", *opening, "at a story start")
    learned.entries += _phrases(observed, "closes", "closer", "", "ending a story")
    learned.entries += _said_every_time(observed, "greeting", GREETING_WORDS, "the show's greeting")
    learned.entries += _said_every_time(observed, "sign_off", -SIGN_OFF_WORDS, "the show's sign-off")
    _shape(observed, learned)
    return learned


def _observe(timed: TimedText, description: str, base: Profile) -> _Observed:
    cues = base.cues
    sentences = split_sentences(timed.text, timed.breaks, cues)
    stories = segment(timed, description=description, profile=base)
    firsts = [s.start for s in sentences]
    cut_at = {bisect.bisect_right(firsts, story.span[0]) - 1 for story in stories[1:]}
    opens = set(cut_at)
    closes = {i - 1 for i in cut_at if i}
    marks = [SIGNALS[name](sentences, timed, cues) for name in ("handoff", "cue_open", "segment")]
    known_open = {i for i in range(len(sentences)) if any(m[i] >= 1.0 for m in marks)}
    known_close = {i for i, s in enumerate(sentences) if cues.closer.search(s.body)}
    # a sentence of a word or two ("All right.") opens with the next one's words too
    bodies = [s.body if len(s.body.split()) > 3 or i + 1 == len(sentences)
              else f"{s.body} {sentences[i + 1].body}" for i, s in enumerate(sentences)]
    openings = [_WORD.findall(cues.lead_in.sub("", body).lower())[:OPENING_WORDS] for body in bodies]
    endings = [_WORD.findall(s.body.lower())[-OPENING_WORDS:] for s in sentences]
    words = _WORD.findall(timed.text.lower())
    conversation = 1000 * len(cues.acknowledgement.findall(timed.text)) / max(1, len(words))
    return _Observed(words, openings, endings, opens, closes, known_open, known_close, stories, conversation)


def _phrases(observed: Sequence[_Observed], where: str, table: str, prefix: str,
             said_as: str) -> list[LearnedEntry]:
    """Phrases said where stories start (``where`` "opens": a sentence's first words) or end
    ("closes": its last words) in many episodes and seldom elsewhere, which the base profile does
    not already know: the show's own hand-offs, announcements and closing lines."""
    texts, known_at = ("openings", "known_open") if where == "opens" else ("endings", "known_close")
    at_place: dict[tuple[str, ...], set[int]] = defaultdict(set)
    said, placed, known = Counter(), Counter(), Counter()
    for n, episode in enumerate(observed):
        places, marked = getattr(episode, where), getattr(episode, known_at)
        for i, words in enumerate(getattr(episode, texts)):
            for gram in _grams(words):
                said[gram] += 1
                if i in places:
                    placed[gram] += 1
                    at_place[gram].add(n)
                    known[gram] += i in marked
    least = max(MIN_EPISODES, math.ceil(STARTS_SHARE * len(observed)))
    found = [gram for gram, episodes in at_place.items()
             if len(episodes) >= least and placed[gram] / said[gram] >= PRECISION
             and known[gram] / placed[gram] < KNOWN]
    found.sort(key=lambda g: (-len(at_place[g]), -placed[g] / said[g], len(g), g))
    kept: list[tuple[str, ...]] = []
    for gram in found:
        if not any(_within(gram, other) or _within(other, gram) for other in kept):
            kept.append(gram)
    return [LearnedEntry(table, f"learned_{'_'.join(gram)}".replace("'", ""), prefix + _phrase(gram),
                         f'"{" ".join(gram)}": {said_as} in {len(at_place[gram])} of {len(observed)} '
                         f"episodes ({placed[gram]} of the {said[gram]} times it is said)")
            for gram in kept[:MOST_PHRASES]]


def _grams(words: list[str]) -> set[tuple[str, ...]]:
    common = stop_words()
    grams = set()
    for n in NGRAMS:
        for i in range(len(words) - n + 1):
            gram = tuple(words[i:i + n])
            if n > 2 or not all(w in common for w in gram):  # "to you" alone says nothing
                grams.add(gram)
    return grams


def _within(small: tuple[str, ...], big: tuple[str, ...]) -> bool:
    n = len(small)
    return n <= len(big) and any(big[i:i + n] == small for i in range(len(big) - n + 1))


def _phrase(words: Sequence[str]) -> str:
    r"""The words as a pattern that lets the recogniser's punctuation fall between them:
    ("over", "to", "you") -> \bover\W+to\W+you\b."""
    return r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b"


def _said_every_time(observed: Sequence[_Observed], table: str, words: int, what: str) -> list[LearnedEntry]:
    """The longest phrase (3 or 4 words) in the first (or last) ``words`` of nearly every episode."""
    episodes, first_said = Counter(), {}
    for episode in observed:
        part = episode.words[:words] if words > 0 else episode.words[words:]
        grams = _grams(part)
        episodes.update({g for g in grams if len(g) > 2})
        for g in grams:
            first_said.setdefault(g, _place(part, g))
    every = [g for g, n in episodes.items() if n >= EVERY_EPISODE * len(observed)]
    if not every:
        return []
    # said by the most episodes, naming the most (the show's name, not "hello and welcome to"),
    # the greeting's first, the sign-off's last
    where = 1 if words > 0 else -1
    common = stop_words()
    best = min(every, key=lambda g: (-episodes[g], -sum(w not in common for w in g),
                                     where * first_said[g], g))
    return [LearnedEntry(table, f"learned_{table}", _phrase(best),
                         f'{what}: "{" ".join(best)}", in {episodes[best]} of {len(observed)} episodes')]


def _place(words: list[str], gram: tuple[str, ...]) -> int:
    return next(i for i in range(len(words)) if tuple(words[i:i + len(gram)]) == gram)


def _shape(observed: Sequence[_Observed], learned: Learned) -> None:
    """How many stories an episode has, how long they are, and how early the segment that closes
    the show opens."""
    counts = [len(e.stories) for e in observed]
    lengths = [len(s.text.split()) for e in observed for s in e.stories if s.kind == "story"]
    n = len(observed)
    learned.shape["stories"] = float(statistics.median(counts))
    learned.shape_comments["stories"] = f"stories in an episode, the greeting included (median of {n})"
    if lengths:
        learned.shape["story_words"] = float(round(statistics.median(lengths)))
        learned.shape_comments["story_words"] = f"words in a story (median of {len(lengths)} in {n} episodes)"
    # Only the segment that closes the show (the joke) gets a bound: hosts promise it ahead ("I
    # have a joke, but first, any extras?"), and it opens at a steady share of an episode; a
    # segment in mid-show opens where the items before it end, and a bound from a few episodes
    # refuses its opening in a show whose items ran short.
    opened: dict[str, list[float]] = defaultdict(list)
    closing: Counter[str] = Counter()
    for episode in observed:
        total = max(1, sum(len(s.text.split()) for s in episode.stories))
        before = 0
        for story in episode.stories:
            if story.title_from == "segment":
                opened[story.title].append(before / total)
            before += len(story.text.split())
        if episode.stories and episode.stories[-1].title_from == "segment":
            closing[episode.stories[-1].title] += 1
    for name, places in opened.items():
        if len(places) >= max(2, math.ceil(STARTS_SHARE * n)) and 2 * closing[name] > len(places):
            key = f"{name} from"
            learned.shape[key] = max(0.0, math.floor((min(places) - SEGMENT_MARGIN) * 100) / 100)
            learned.shape_comments[key] = (f"{name} opens no earlier than this share of an episode (the "
                                           f"earliest of {len(places)} episodes, less {SEGMENT_MARGIN:g})")
