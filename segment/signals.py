"""Boundary signals: each component scores the gap before every sentence in [0, 1].

A component sees the whole sentence list (plus timings when there are any) and returns
one score per sentence; score[i] is the evidence that a new story starts at sentence i.
``segment.segmenter`` weighs and combines them in one place.
"""

from __future__ import annotations

import functools
import math
import re
import statistics
from collections import Counter
from collections.abc import Callable, Sequence

from segment import cues
from segment.sentences import Sentence
from segment.source import TimedText

Signal = Callable[[Sequence[Sentence], TimedText], list[float]]
SIGNALS: dict[str, Signal] = {}


def signal(name: str) -> Callable[[Signal], Signal]:
    def register(fn: Signal) -> Signal:
        SIGNALS[name] = fn
        return fn
    return register


def _after(flags: Sequence[bool]) -> list[float]:
    """A flag on the sentence before each gap: the first sentence has none before it."""
    return [0.0] + [1.0 if flag else 0.0 for flag in flags[:-1]]


@signal("cue_open")
def cue_open(sentences: Sequence[Sentence], timed: TimedText) -> list[float]:
    return [opener_strength(s.body) for s in sentences]


def opener_strength(text: str) -> float:
    if cues.OPENER.search(text) or cues.OUTRO_OPENER.search(text) or cues.SECTION.search(text):
        return 1.0
    if cues.RELEASE.search(text):
        return 0.75
    return 0.5 if cues.TRANSITION.search(text) else 0.0


@signal("cue_close")
def cue_close(sentences: Sequence[Sentence], timed: TimedText) -> list[float]:
    """A closing phrase in the sentence before the gap."""
    return _after([bool(cues.CLOSER.search(s.body)) for s in sentences])


@signal("link_mention")
def link_mention(sentences: Sequence[Sentence], timed: TimedText) -> list[float]:
    return _after([bool(cues.LINK_WORDS.search(s.body)) for s in sentences])


@signal("paragraph")
def paragraph(sentences: Sequence[Sentence], timed: TimedText) -> list[float]:
    """A paragraph break that is not a speaker's turn (``speaker`` scores those)."""
    return [1.0 if s.paragraph_start and not s.speaker else 0.0 for s in sentences]


_NOT_HEADING = re.compile(r"[.:;,]\W*$|\b\w+\.(?:com|org|net|io|dev|news|ai|fm)\b|://")


def is_heading(sentences: Sequence[Sentence], i: int, max_words: int = 14) -> bool:
    """A short line standing alone as its own paragraph: a published transcript's story title."""
    s = sentences[i]
    alone = s.paragraph_start and i + 1 < len(sentences) and sentences[i + 1].paragraph_start
    return alone and not s.speaker and s.words <= max_words and not _NOT_HEADING.search(s.text)


@signal("heading")
def heading(sentences: Sequence[Sentence], timed: TimedText) -> list[float]:
    return [1.0 if is_heading(sentences, i) else 0.0 for i in range(len(sentences))]


def glued(sentences: Sequence[Sentence], announcement_words: int = 8) -> list[bool]:
    """Gaps never to cut: a heading, or a short "On to hardware.", belongs with the text after it."""
    def holds_on(i: int) -> bool:
        s = sentences[i]
        return is_heading(sentences, i) or s.words <= announcement_words and bool(cues.SECTION.search(s.body))
    return [i > 0 and holds_on(i - 1) for i in range(len(sentences))]


@signal("speaker")
def speaker(sentences: Sequence[Sentence], timed: TimedText) -> list[float]:
    """A new speaker's turn; the host's turns (the most frequent label) count most."""
    labels = [s.speaker for s in sentences if s.speaker]
    if not labels:
        return [0.0] * len(sentences)
    host = Counter(labels).most_common(1)[0][0]
    scores, current = [], None
    for s in sentences:
        changed = s.speaker is not None and s.speaker != current
        scores.append((1.0 if s.speaker == host else 0.5) if changed else 0.0)
        current = s.speaker or current
    return scores


@signal("pause")
def pause(sentences: Sequence[Sentence], timed: TimedText) -> list[float]:
    """Silence before the sentence, relative to this speaker's usual pause."""
    if not timed.anchors:
        return [0.0] * len(sentences)
    gaps = [0.0]
    for before, after in zip(sentences, sentences[1:]):
        end, start = timed.end_at(before.end), timed.start_at(after.start)
        gaps.append(max(0.0, start - end) if end is not None and start is not None else 0.0)
    usual = statistics.median(gaps[1:]) if len(gaps) > 1 else 0.0
    spread = max(0.3, 2 * usual)
    return [min(1.0, max(0.0, (g - usual) / spread)) for g in gaps]


# -- topic and entity shift -------------------------------------------------------------------
_WORD = re.compile(r"[a-z][a-z'-]+")


@functools.lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | {"yeah", "okay", "right", "think", "like", "know", "going", "kind",
                                    "thing", "things", "lot", "bit", "actually", "really", "want"}


def _content_words(text: str) -> list[str]:
    stop = stop_words()
    return [w.rstrip("s") for w in _WORD.findall(text.lower()) if w not in stop and len(w) > 2]


def _windows(sentences: Sequence[Sentence], i: int, words: int) -> tuple[range, range]:
    """Sentence ranges just before and from ``i`` holding at least ``words`` words each."""
    left, count = i, 0
    while left > 0 and count < words:
        left -= 1
        count += sentences[left].words
    right, count = i, 0
    while right < len(sentences) and count < words:
        count += sentences[right].words
        right += 1
    return range(left, i), range(i, right)


def _depths(similarity: Sequence[float], reach: int) -> list[float]:
    """TextTiling depth: how far each gap's similarity dips below the peaks on either side."""
    n = len(similarity)
    depth = [0.0] * n
    for i in range(1, n):
        left_peak = max(similarity[max(1, i - reach):i + 1])
        right_peak = max(similarity[i:min(n, i + reach + 1)])
        depth[i] = (left_peak - similarity[i]) + (right_peak - similarity[i])
    return depth


def _coverage(sentences: Sequence[Sentence], left: range, right: range, window: int) -> float:
    """How full the thinner side is: near either end of the text a window holds too few words to judge."""
    return min(1.0, *(sum(sentences[j].words for j in side) / window for side in (left, right)))


@signal("cohesion")
def cohesion(sentences: Sequence[Sentence], timed: TimedText, windows: tuple[int, ...] = (50, 150),
             ) -> list[float]:
    """TextTiling-style depth of the dip in lexical similarity, averaged over two window sizes.

    A dip scores 1 at twice the text's 90th-percentile depth, kept within absolute bounds:
    a text that holds one story has no deep dips, so none of its gaps scores high.
    """
    bags = [Counter(_content_words(s.body)) for s in sentences]
    scales = [_window_depths(sentences, bags, w) for w in windows]
    depths = [sum(values) / len(values) for values in zip(*scales)]
    typical = sorted(depths)[int(len(depths) * 0.9)]
    full = min(_DEEPEST, max(_DEEPEST / 2, 2 * typical))
    return [min(1.0, d / full) for d in depths]


_DEEPEST = 0.9  # a depth (of 2 at most) that is a clear topic change in any text


def _window_depths(sentences: Sequence[Sentence], bags: Sequence[Counter], window: int) -> list[float]:
    similarity, coverage = [1.0] * len(sentences), [0.0] * len(sentences)
    for i in range(1, len(sentences)):
        left, right = _windows(sentences, i, window)
        similarity[i] = _cosine(sum((bags[j] for j in left), Counter()),
                                sum((bags[j] for j in right), Counter()))
        coverage[i] = _coverage(sentences, left, right, window)
    return [d * c for d, c in zip(_depths(similarity, reach=6), coverage)]


def _cosine(a: Counter, b: Counter) -> float:
    dot = sum(v * b[k] for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


# Names without a tagger (spaCy's NER takes over 1 s per 8,000 words): capitalised words that do
# not open the sentence, acronyms, and identifiers with digits ("GPT-4", "#1234", "v0.18").
_TOKEN = re.compile(r"#\d+|[\w][\w.+'-]*[\w+]|\w")
_LEAD_WORDS = 10
_COMMON_CAPS = frozenset(["i", "i'm", "i've", "i'll", "i'd", "ok", "okay", "yeah", "so", "and", "but", "the"])


def names(text: str) -> set[str]:
    found = set()
    for n, token in enumerate(_TOKEN.findall(text)):
        word = token.removesuffix("'s").lower()
        if word in _COMMON_CAPS or word.isdigit():
            continue
        has_digit = any(c.isdigit() for c in token)
        if token.startswith("#") or (has_digit and any(c.isalpha() for c in token)) or (
                n > 0 and token[0].isupper() and word not in stop_words()):
            found.add(word)
    return found


@signal("entity_shift")
def entity_shift(sentences: Sequence[Sentence], timed: TimedText, window: int = 120) -> list[float]:
    """A sentence that opens on names the words before never mention: a new item is introduced.

    Full marks when a new name comes back in the words after (it is the topic) or carries a
    number ("Core Lightning #7528", "Llama 3"); half for a new name that is said once.
    """
    bags = [names(s.body) for s in sentences]
    scores = [0.0] * len(sentences)
    for i in range(1, len(sentences)):
        left, right = _windows(sentences, i, window)
        before = set().union(*(bags[j] for j in left))
        new = names(" ".join(sentences[i].body.split()[:_LEAD_WORDS])) - before
        if not new:
            continue
        after = set().union(*(bags[j] for j in right if j > i))
        numbered = any(any(c.isdigit() for c in name) for name in new)
        coverage = min(1.0, sum(sentences[j].words for j in left) / window)
        scores[i] = (1.0 if numbered or new & after else 0.5) * coverage
    return scores
