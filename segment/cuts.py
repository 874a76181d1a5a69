"""Where a chosen cut moves before it becomes a story's start: to the sentence that names the story's
link, to a sponsor read's announcement, to the start of a host's turn, or back to the comma a
recogniser ran a story's first words on after; and which cuts at a named link fall away."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from recap.language.cues import Cues
from recap.language.sentences import Sentence
from recap.stages.segment.signals import announced_across
from recap.stages.segment.topics import topic_words

LATE_NAME_WORDS = 120  # a link named this far into its story still belongs to the text's cut before it


def late_names(cuts: list[int], named: dict[int, bool], sentences: Sequence[Sentence]) -> list[int]:
    """Cuts at a named link dropped where the text's cut just before opens the same story: a host
    often names the link a few sentences in, so a piece no link names, short, and ending where a
    link is named is that link's story's opening. A link named in the sentence before the text's
    cut names that piece, a link never heard may be its subject: then the cut stays. A sponsor
    read names its sponsor's link a few sentences in like any story (its opener, run on after a
    comma, now starts a sentence: sentences._run_on_openers)."""
    kept: list[int] = []
    for cut in cuts:
        previous = kept[-1] if kept else 0
        if (named.get(cut) and previous and previous not in named
                and not any(previous - 1 <= k < cut for k in named)
                and sum(s.words for s in sentences[previous:cut]) <= LATE_NAME_WORDS):
            continue
        kept.append(cut)
    return kept


def back_to_name(cuts: list[int], named: dict[int, bool], sentences: Sequence[Sentence],
                  cues: Cues) -> list[int]:
    """A cut just after the sentence that first names a link moves back to that sentence: the
    story opens where its link is named, and a cue a sentence later ("When Claude Code runs low
    on context...") would leave the link to the story before. A sponsor read stays where it opens."""
    moved: list[int] = []
    for cut in cuts:
        previous = moved[-1] if moved else 0
        if (cut not in named and cut - 1 in named and cut - 1 > previous
                and not cues.sponsor.search(sentences[cut].body)):
            cut -= 1
        moved.append(cut)
    return moved


def to_sponsor_read(cuts: list[int], sentences: Sequence[Sentence], min_words: int, cues: Cues) -> list[int]:
    """A cut that a sponsor read announced a few words later ("Oh, and he built a CLI and an
    Obsidian plugin, it's now time for sponsored news.") moves to the announcement: the link named
    just before it was the last story's, and the read is an item of its own."""
    moved: list[int] = []
    for n, cut in enumerate(cuts):
        limit = cuts[n + 1] if n + 1 < len(cuts) else len(sentences)
        words, j = 0, cut
        while j < limit and not cues.sponsor_read.match(sentences[j].body):
            words += sentences[j].words
            j += 1
        moved.append(j if cut < j < limit and words < min_words else cut)
    return moved


def to_turn_start(cuts: list[int], sentences: Sequence[Sentence], stuck: Sequence[bool],
                   max_words: int = 12) -> list[int]:
    """Move a cut back to the start of its paragraph over a short reply ("Thanks, Mark. Next item...")."""
    moved, previous = [], 0
    for cut in cuts:
        start = cut
        while start > previous + 1 and not sentences[start].paragraph_start and cut - start < 2:
            start -= 1
        words = sum(s.words for s in sentences[start:cut])
        if start != cut and sentences[start].paragraph_start and not stuck[start] and words <= max_words:
            cut = start
        moved.append(cut)
        previous = cut
    return moved


CLAUSE_WORDS = 12  # a story's opening clause run on after a comma: a headline, a name and a verb
_SIDE_CHARS = 600  # about a hundred words either side


def to_run_on_clause(cuts: list[int], sentences: Sequence[Sentence], fired: list[list[str]],
                      text: str, cues: Cues) -> tuple[list[Sentence], list[list[str]], list[int]]:
    """A recogniser runs a story's first words on after a comma in the last sentence of the story
    before ("...the ideal choice for 95% of our services, JSON for LLM prompts at half the
    tokens"), or breaks off a segment's announcement there ("..., how about something | funny"):
    the cut moves back to that comma and the sentence is split there. (Moving a cut forward over
    a stale head, "in the newsletter, that framework theory...", did worse.)"""
    cut_at, split = set(cuts), set()
    out: list[Sentence] = []
    out_fired: list[list[str]] = []
    out_cuts: list[int] = []
    for i, sentence in enumerate(sentences):
        comma = _run_on_comma(sentence, sentences[i + 1], text, cues) if i + 1 in cut_at else None
        if i in cut_at and i - 1 not in split:
            out_cuts.append(len(out))
        if comma is None:
            out.append(sentence)
            out_fired.append(fired[i])
            continue
        head, clause = text[sentence.start:comma + 1], text[comma + 2:sentence.end]
        out += [replace(sentence, end=comma + 1, text=" ".join(head.split())),
                replace(sentence, start=comma + 2, text=" ".join(clause.split()), paragraph_start=False,
                        speaker=None)]
        out_fired += [fired[i], fired[i + 1]]
        out_cuts.append(len(out) - 1)
        split.add(i)
    return out, out_fired, out_cuts


def _run_on_comma(sentence: Sentence, following: Sentence, text: str, cues: Cues) -> int | None:
    """The comma in ``sentence`` after which the story ``following`` opens it: the clause after it
    begins the segment announced across the break, or (2 to CLAUSE_WORDS words) says two of that
    story's words and none of the words before it."""
    comma = text.rfind(", ", sentence.start, sentence.end)
    if comma == -1 or following.speaker:
        return None
    if announced_across(sentence, following, cues):
        return comma
    clause = text[comma + 2:sentence.end]
    said = set(topic_words(clause))
    after = set(topic_words(text[following.start:following.start + _SIDE_CHARS]))
    before = set(topic_words(text[max(0, sentence.start - _SIDE_CHARS):comma]))
    fits = 2 <= len(clause.split()) <= CLAUSE_WORDS
    return comma if fits and len(said & after) >= 2 and not said & before else None
