"""Boundary signals: each component scores the gap before every sentence in [0, 1].

A component sees the whole sentence list (plus timings when there are any, and the profile's
cues) and returns one score per sentence; score[i] is the evidence that a new story starts at
sentence i.
``segment.segmenter`` weighs and combines them in one place.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Sequence

from recap.core.document import TimedText
from recap.language.cues import MONTHS, Cues
from recap.language.sentences import Sentence
from recap.stages.segment import topics

Signal = Callable[[Sequence[Sentence], TimedText, Cues], list[float]]
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
def cue_open(sentences: Sequence[Sentence], timed: TimedText, cues: Cues) -> list[float]:
    return [opener_strength(s.body, cues) for s in sentences]


def opener_strength(text: str, cues: Cues) -> float:
    if cues.opener.search(text) or cues.outro_opener.search(text) or announces_section(text, cues):
        return 1.0
    if cues.release.search(text) or cues.definition.search(text):
        return 0.75
    return 0.5 if cues.transition.search(text) else 0.0


SEGMENT_OPENING_WORDS = 40  # a recurring segment announced opens here: its first words are its own
HANDOFF_WORDS = 25  # a hand-off is said in a turn's first words, after the thanks for the last item


def _opening(sentence: Sentence) -> str:
    return " ".join(sentence.body.split()[:HANDOFF_WORDS])


@signal("handoff")
def handoff(sentences: Sequence[Sentence], timed: TimedText, cues: Cues) -> list[float]:
    """One host handing the floor to the other, or announcing the item they brought ("All right,
    over to you.", "What do you got for us?", "On to my next item"): the discussion moves on."""
    return [1.0 if cues.handoff.search(_opening(s)) else 0.0 for s in sentences]


@signal("segment")
def segment_named(sentences: Sequence[Sentence], timed: TimedText, cues: Cues) -> list[float]:
    """A recurring segment of the show announced ("On to our extras", "Ready for a joke?"): where
    its name is first said; a segment opens once, and the hosts go on saying its name inside it."""
    scores, said = [0.0] * len(sentences), set()
    length = max(1, sentences[-1].end) if sentences else 1
    for i, sentence in enumerate(sentences):
        name = segment_announced(sentence, cues) or (announced_across(sentences[i - 1], sentence, cues)
                                                      if i else None)
        if not name or name in said:
            continue
        # "Our extras today..." in the greeting previews the show before the segment ever opens;
        # "Stick around for the extras at the end" promises it
        if sentence.start / length < cues.segment_from(name) or cues.promised.search(_opening(sentence)):
            continue
        scores[i] = 1.0
        said.add(name)
    return scores


def segment_announced(sentence: Sentence, cues: Cues) -> str | None:
    """The name of the profile's recurring segment the sentence announces, if any: in its opening
    words, or as a clause of its own there (a recogniser writes "...page. Joke? Yeah." as
    "...page, joke, yeah,")."""
    opening = _opening(sentence)
    clauses = [c.strip(" .?!") for c in opening.split(", ")[1:]]
    return next((name for name, pattern in cues.entries("segment").items()
                 if pattern.search(opening) or any(c and pattern.fullmatch(c) for c in clauses)), None)


def announced_across(before: Sentence, sentence: Sentence, cues: Cues) -> str | None:
    """The name of the profile's recurring segment announced across the recogniser's break
    between ``before`` and ``sentence``: begun in the last clause of ``before`` and ended in this
    sentence ("..., how about something | funny, I've got..."). A recogniser breaks where the
    speaker breathes, not where a sentence ends."""
    return next((name for name, pattern in cues.entries("segment").items()
                 if _said_across(before, sentence, pattern)), None)


def _said_across(before: Sentence, sentence: Sentence, pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` is said across the break: begun in ``before``'s last clause, ended in
    ``sentence``'s opening."""
    clause = _last_clause(before)
    if not clause:
        return False
    text = f"{clause} {_opening(sentence)}"
    return any(m.start() < len(clause) < m.end() for m in pattern.finditer(text))


def _last_clause(sentence: Sentence) -> str:
    """The words after the last comma of a sentence the recogniser broke off unfinished: none
    where it has no comma or ends on a full stop."""
    _, comma, clause = sentence.body.rpartition(", ")
    return clause.strip() if comma and not clause.rstrip().endswith((".", "?", "!")) else ""


@signal("cue_close")
def cue_close(sentences: Sequence[Sentence], timed: TimedText, cues: Cues) -> list[float]:
    """A closing phrase in the sentence before the gap, or said across the recogniser's break
    into it ("..., and that's | my item here, if you want...")."""
    closing = [bool(cues.closer.search(s.body)) for s in sentences]
    return _after([said or (i > 0 and _said_across(sentences[i - 1], sentences[i], cues.closer))
                   for i, said in enumerate(closing)])


@signal("link_mention")
def link_mention(sentences: Sequence[Sentence], timed: TimedText, cues: Cues) -> list[float]:
    return _after([bool(cues.link_words.search(s.body)) for s in sentences])


@signal("paragraph")
def paragraph(sentences: Sequence[Sentence], timed: TimedText, cues: Cues) -> list[float]:
    """A paragraph break that is not a speaker's turn (``speaker`` scores those)."""
    return [1.0 if s.paragraph_start and not s.speaker else 0.0 for s in sentences]


_NOT_HEADING = re.compile(r"[.:;,]\W*$|\b\w+\.(?:com|org|net|io|dev|news|ai|fm)\b|://")


def is_heading(sentences: Sequence[Sentence], i: int, max_words: int = 14) -> bool:
    """A short line standing alone as its own paragraph: a published transcript's story title."""
    s = sentences[i]
    alone = s.paragraph_start and i + 1 < len(sentences) and sentences[i + 1].paragraph_start
    return alone and not s.speaker and s.words <= max_words and not _NOT_HEADING.search(s.text)


@signal("heading")
def heading(sentences: Sequence[Sentence], timed: TimedText, cues: Cues) -> list[float]:
    return [1.0 if is_heading(sentences, i) else 0.0 for i in range(len(sentences))]


def glued(sentences: Sequence[Sentence], cues: Cues, announcement_words: int = 8, reply_words: int = 3,
          read_words: int = 240) -> list[bool]:
    """Gaps never to cut: a heading, a short "On to hardware." or a bare "Next news." belongs
    with the text after it, and so does a cohost's "Right." said in between; a sponsor read is
    one item from its announcement to its call to action (see _sponsor_reads)."""
    stuck = [False] * len(sentences)
    for i in range(1, len(sentences)):
        before = sentences[i - 1]
        stuck[i] = (is_heading(sentences, i - 1)
                    or before.words <= announcement_words and announces_section(before.body, cues)
                    or _bare_opener(before, reply_words, cues)
                    or stuck[i - 1] and before.words <= reply_words)
    for first, last in _sponsor_reads(sentences, read_words, cues):
        for j in range(first + 1, last + 1):
            stuck[j] = True
    for first, opens in enumerate(segment_named(sentences, TimedText(""), cues)):
        words = 0
        for j in range(first + 1, len(sentences)) if opens else ():
            stuck[j] = True  # "Are we ready for extras? Yeah. For something completely different,..."
            words += sentences[j - 1].words
            if words >= SEGMENT_OPENING_WORDS:
                break
    return stuck


def _sponsor_reads(sentences: Sequence[Sentence], max_words: int, cues: Cues) -> list[tuple[int, int]]:
    """(announcement, call to action) sentence pairs: "It's now time for sponsored news. ... Learn
    more at example.dev." A read names its product's features and customers, so the text signals
    see new subjects inside it; up to ``max_words`` (a minute and a half spoken) it is one item.
    A read with no call to action before a story is announced ("Next up, ..."), or that soon, is
    left to the signals; a product that "launched" or "is a new platform" is the read's own news."""
    reads = []
    for first, sentence in enumerate(sentences):
        if not cues.sponsor_read.match(sentence.body):
            continue
        words = sentence.words
        for last in range(first + 1, len(sentences)):
            body = sentences[last].body
            if opener_strength(body, cues) >= 1.0:
                break  # a story is announced first ("Next up, ..."): the read had no call
            if cues.closer.search(body):
                reads.append((first, last))
                break
            words += sentences[last].words
            if words > max_words:
                break
    return reads


def _bare_opener(sentence: Sentence, max_words: int, cues: Cues) -> bool:
    """"Next news.", "Moving on.": a cue said alone, with nothing of the story yet."""
    body = sentence.body.strip(" .!:")
    return len(body.split()) <= max_words and bool(cues.opener.fullmatch(body))


def announces_section(text: str, cues: Cues) -> bool:
    return bool(cues.section.search(text) or cues.section_announced.search(text))


@signal("speaker")
def speaker(sentences: Sequence[Sentence], timed: TimedText, cues: Cues) -> list[float]:
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
def pause(sentences: Sequence[Sentence], timed: TimedText, cues: Cues) -> list[float]:
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


@signal("period")
def period(sentences: Sequence[Sentence], timed: TimedText, cues: Cues, min_periods: int = 3) -> list[float]:
    """A month opening its part ("In March, ...", "Next up, April."), where the episode reviews
    its year month by month: at least ``min_periods`` such openings, in calendar order."""
    scores, last = [0.0] * len(sentences), -1
    for i, sentence in enumerate(sentences):
        month = cues.month_opening(sentence.body)
        if month and MONTHS.index(month) > last:  # a month said again, or out of order, opens nothing
            scores[i], last = 1.0, MONTHS.index(month)
    return scores if sum(scores) >= min_periods else [0.0] * len(sentences)


# the words' own signals need no cue phrases
signal("cohesion")(lambda sentences, timed, cues: topics.cohesion(sentences, timed))
signal("entity_shift")(lambda sentences, timed, cues: topics.entity_shift(sentences, timed))
signal("fresh_words")(lambda sentences, timed, cues: topics.fresh_words(sentences, timed))
