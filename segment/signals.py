"""Boundary signals: each component scores the gap before every sentence in [0, 1].

A component sees the whole sentence list (plus timings when there are any) and returns
one score per sentence; score[i] is the evidence that a new story starts at sentence i.
``segment.segmenter`` weighs and combines them in one place.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Callable, Sequence

from segment.sentences import Sentence
from segment.source import TimedText

Signal = Callable[[Sequence[Sentence], TimedText], list[float]]
SIGNALS: dict[str, Signal] = {}


def signal(name: str) -> Callable[[Signal], Signal]:
    def register(fn: Signal) -> Signal:
        SIGNALS[name] = fn
        return fn
    return register


def _phrases(*items: str) -> re.Pattern[str]:
    return re.compile("|".join(items), re.IGNORECASE)


# Lead-ins that hosts use to open a story; matched at the sentence start, after filler.
_LEAD_FILLER = r"^(?:(?:so|and|okay|ok|well|um|uh|now|alright|all right)[,.]?\s+)*"
_OPENERS = re.compile(
    _LEAD_FILLER + r"(?:next news|next up|next story|up next|next,|next we have|in other news"
    r"|moving on|also from|also in|there'?s a new|there is a new|the last thing|last but not least"
    r"|last thing|finally|our first story|first up|first of all|to start|speaking of"
    r"|another (?:new |big |cool |interesting )?(?:paper|model|release|story|project|thing)"
    r"|let'?s (?:move on|talk about|start)|on to |onto )",
    re.IGNORECASE,
)
_BARE_TRANSITIONS = re.compile(r"^(?:all right|alright|okay|ok|so|next)[,.!]?\s", re.IGNORECASE)
# "<Org> has released ...": a name, then a release verb, at the sentence start.
_RELEASE = re.compile(
    r"^(?:[A-Z][\w.&'-]*\s){1,4}(?:has |have |just |recently |today )*"
    r"(?:released|announced|launched|unveiled|published|introduced|open[- ]sourced|shipped|dropped)\b"
)
_CLOSERS = _phrases(
    r"check out the (?:paper|repo|repository|blog|article|demo|video|project|website|code)",
    r"link(?:ed)? (?:is )?(?:in|below|down)", r"in the description", r"give it a try",
    r"if you(?:'re| are) interested", r"check it out", r"go check", r"have a look",
    r"try it (?:out|yourself)", r"(?:is|are) linked", r"play with (?:it|the demo)",
)
_LINK_WORDS = _phrases(
    r"\bpaper\b", r"\brepo(?:sitory)?\b", r"\bblog post\b", r"\bdemo\b", r"\blink\b",
    r"\bgithub\b", r"\bwebsite\b", r"\bhugging ?face\b", r"\barxiv\b",
)


@signal("cue_open")
def cue_open(sentences: Sequence[Sentence], timed: TimedText) -> list[float]:
    scores = []
    for s in sentences:
        if _OPENERS.search(s.text) or _RELEASE.search(s.text):
            scores.append(1.0)
        elif _BARE_TRANSITIONS.search(s.text):
            scores.append(0.5)
        else:
            scores.append(0.0)
    return scores


@signal("cue_close")
def cue_close(sentences: Sequence[Sentence], timed: TimedText) -> list[float]:
    """A closing phrase in the sentence before the gap."""
    return [0.0] + [1.0 if _CLOSERS.search(s.text) else 0.0 for s in sentences[:-1]]


@signal("link_mention")
def link_mention(sentences: Sequence[Sentence], timed: TimedText) -> list[float]:
    return [0.0] + [1.0 if _LINK_WORDS.search(s.text) else 0.0 for s in sentences[:-1]]


@signal("paragraph")
def paragraph(sentences: Sequence[Sentence], timed: TimedText) -> list[float]:
    return [1.0 if s.paragraph_start else 0.0 for s in sentences]


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


_WORD = re.compile(r"[a-z][a-z'-]+")


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _content_words(text: str, stop: frozenset[str]) -> list[str]:
    return [w.rstrip("s") for w in _WORD.findall(text.lower()) if w not in stop and len(w) > 2]


@signal("cohesion")
def cohesion(sentences: Sequence[Sentence], timed: TimedText, block: int = 3) -> list[float]:
    """TextTiling-style depth of the dip in lexical similarity across each gap."""
    stop = _stop_words()
    bags = [Counter(_content_words(s.text, stop)) for s in sentences]
    n = len(bags)
    similarity = [1.0] * n
    for i in range(1, n):
        left = sum(bags[max(0, i - block):i], Counter())
        right = sum(bags[i:i + block], Counter())
        similarity[i] = _cosine(left, right)
    depth = [0.0] * n
    for i in range(1, n):
        left_peak = max(similarity[max(1, i - block * 2):i + 1])
        right_peak = max(similarity[i:min(n, i + block * 2 + 1)])
        depth[i] = (left_peak - similarity[i]) + (right_peak - similarity[i])
    top = max(depth) or 1.0
    return [d / top for d in depth]


def _cosine(a: Counter, b: Counter) -> float:
    dot = sum(v * b[k] for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0
