"""Topic shift and entity shift: where the words and the names of one stretch differ from the next.

Both score the gap before each sentence in [0, 1], like every signal in ``segment.signals``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from itertools import chain

from recap.core.document import TimedText
from recap.language.lexicon import spoken_stop_words
from recap.language.sentences import Sentence

_WORD = re.compile(r"[a-z][a-z'-]+")


def topic_words(text: str) -> list[str]:
    """The words that carry a topic: no numbers, no talk ("yeah", "I think"), plurals folded."""
    stop = spoken_stop_words()
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


def cohesion(sentences: Sequence[Sentence], timed: TimedText,
             windows: tuple[int, ...] = (50, 150)) -> list[float]:
    """TextTiling-style depth of the dip in lexical similarity, averaged over two window sizes.

    A dip scores 1 at twice the text's 90th-percentile depth, kept within absolute bounds:
    a text that holds one story has no deep dips, so none of its gaps scores high.
    """
    words = [topic_words(s.body) for s in sentences]
    scales = [_window_depths(sentences, words, w) for w in windows]
    depths = [sum(values) / len(values) for values in zip(*scales)]
    typical = sorted(depths)[int(len(depths) * 0.9)]
    full = min(_DEEPEST, max(_DEEPEST / 2, 2 * typical))
    return [min(1.0, d / full) for d in depths]


_DEEPEST = 0.9  # a depth (of 2 at most) that is a clear topic change in any text


def _window_depths(sentences: Sequence[Sentence], words: Sequence[list[str]], window: int) -> list[float]:
    similarity, coverage = [1.0] * len(sentences), [0.0] * len(sentences)
    for i in range(1, len(sentences)):
        left, right = _windows(sentences, i, window)
        similarity[i] = _cosine(Counter(chain.from_iterable(words[j] for j in left)),
                                Counter(chain.from_iterable(words[j] for j in right)))
        coverage[i] = _coverage(sentences, left, right, window)
    return [d * c for d, c in zip(_depths(similarity, reach=6), coverage)]


def _cosine(a: Counter, b: Counter) -> float:
    dot = sum(v * b[k] for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def fresh_words(sentences: Sequence[Sentence], timed: TimedText, window: int = 120, lead: int = 10,
                enough: int = 3, phrase_lead: int = 15, phrase_words: int = 20) -> list[float]:
    """A sentence that opens on ``enough`` words the stretch before never said and the stretch
    after keeps saying: the host names a new subject and talks about it. Unlike ``entity_shift``
    it needs no capitals, so it survives a recogniser that lowercases and splits names ("gas
    town", "zero clause"); unlike ``cohesion`` it looks at the one sentence that opens the story.
    Its opening is its first ``lead`` words; a recogniser's segment of ``phrase_words`` or fewer
    is a phrase said in one go, and its opening reaches ``phrase_lead`` (published text has no
    segments)."""
    words = [topic_words(s.body) for s in sentences]
    scores = [0.0] * len(sentences)
    for i in range(1, len(sentences)):
        left, right = _windows(sentences, i, window)
        before = set(chain.from_iterable(words[j] for j in left))
        after = Counter(chain.from_iterable(words[j] for j in right))
        reach = phrase_lead if timed.breaks and sentences[i].words <= phrase_words else lead
        opening = set(topic_words(" ".join(sentences[i].body.split()[:reach]))) - before
        if sum(1 for word in opening if after[word] >= 2) >= enough:
            scores[i] = _coverage(sentences, left, right, window)
    return scores


# Names without a tagger (spaCy's NER takes over 1 s per 8,000 words): capitalised words that do
# not open the sentence, acronyms, and identifiers with digits ("GPT-4", "#1234", "v0.18").
_TOKEN = re.compile(r"#\d+|[\w][\w.+'-]*[\w+]|\w")
_LEAD_WORDS = 10
_SEEN_ENOUGH = 40  # words before a gap: fewer, and every name looks new


def names(text: str, known: frozenset[str] = frozenset()) -> set[str]:
    """The names in ``text``, lowercased. A capitalised word that opens the sentence counts only
    when it is ``known`` as a name elsewhere: "Tidepool is a dataset. Tidepool has ..." """
    found = set()
    for n, token in enumerate(_TOKEN.findall(text)):
        word = token.removesuffix("'s").lower()
        if word.isdigit() or word in spoken_stop_words():
            continue
        has_digit = any(c.isdigit() for c in token)
        if token.startswith("#") or (has_digit and any(c.isalpha() for c in token)) or (
                token[0].isupper() and (n > 0 or word in known)):
            found.add(word)
    return found


def _capitalised_names(sentences: Sequence[Sentence]) -> frozenset[str]:
    """Words the text capitalises at least twice and never writes in lowercase."""
    capitalised, lowercase = Counter(), set()
    for s in sentences:
        for token in _TOKEN.findall(s.body):
            if token[0].isupper():
                capitalised[token.lower()] += 1
            elif token.islower():
                lowercase.add(token)
    return frozenset(w for w, count in capitalised.items() if count > 1 and w not in lowercase)


def entity_shift(sentences: Sequence[Sentence], timed: TimedText, window: int = 120) -> list[float]:
    """A sentence that opens on names the words before never mention: a new item is introduced.

    Full marks when a new name comes back in the words after (it is the topic) or carries a
    number ("Core Lightning #7528", "Llama 3"); half for a new name that is said once.
    """
    known = _capitalised_names(sentences)
    bags = [names(s.body, known) for s in sentences]
    scores = [0.0] * len(sentences)
    for i in range(1, len(sentences)):
        left, right = _windows(sentences, i, window)
        before = set().union(*(bags[j] for j in left))
        new = names(" ".join(sentences[i].body.split()[:_LEAD_WORDS]), known) - before
        if not new:
            continue
        after = set().union(*(bags[j] for j in right if j > i))
        numbered = any(any(c.isdigit() for c in name) for name in new)
        coverage = min(1.0, sum(sentences[j].words for j in left) / _SEEN_ENOUGH)
        scores[i] = (1.0 if numbered or new & after else 0.5) * coverage
    return scores
