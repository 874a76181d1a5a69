"""Paragraphs at long pauses and every so many words, sections where the segmenter sees stories."""

from __future__ import annotations

import bisect
from collections.abc import Callable

from recap.core.document import Story, TimedText
from recap.language.tokens import Token, ends_sentence
from recap.stages.clean.model import Paragraph, Section

PARAGRAPH_PAUSE_S = 1.5  # silence after a sentence that starts a new paragraph
PARAGRAPH_WORDS = 80  # past this, the next sentence end starts one anyway

Segmenter = Callable[[TimedText], list[Story]]  # recap.stages.segment.segment, or anything shaped like it


def lay_out(tokens: list[Token], segmenter: Segmenter | None) -> list[Section]:
    positions = [i for i, token in enumerate(tokens) if token.kept]
    kept = [tokens[i] for i in positions]
    if not kept:
        return [Section("Transcript", paragraphs=[Paragraph(tokens)])]
    breaks = pause_breaks(kept)
    stories = find_stories(kept, breaks, segmenter) if segmenter else {}
    starts = sorted(breaks | stories.keys())
    # Removed words between two paragraphs open the later one: "Um, so, next news" stays together.
    bounds = [0] + [positions[b - 1] + 1 for b in starts[1:]] + [len(tokens)]
    sections: list[Section] = []
    for b, first, last in zip(starts, bounds, bounds[1:]):
        story = stories.get(b)
        if story or not sections:
            sections.append(Section(story.title if story else "Transcript", story.kind if story else "story",
                                    section=story.section if story else None))
        sections[-1].paragraphs.append(Paragraph(tokens[first:last]))
    return sections


def pause_breaks(kept: list[Token]) -> set[int]:
    """Indices into ``kept`` that open a paragraph; only ever after a sentence end."""
    breaks, words = {0}, 0
    for i in range(1, len(kept)):
        words += 1
        pause = kept[i].start - kept[i - 1].end
        if ends_sentence(kept[i - 1].text) and (pause >= PARAGRAPH_PAUSE_S or words >= PARAGRAPH_WORDS):
            breaks.add(i)
            words = 0
    return breaks


def find_stories(kept: list[Token], breaks: set[int], segmenter: Segmenter) -> dict[int, Story]:
    """Run the segmenter on the cleaned text (paragraphs as blank lines); key stories by kept index."""
    pieces, offsets, cursor = [], [], 0
    for i, token in enumerate(kept):
        gap = "" if i == 0 else "\n\n" if i in breaks else " "
        pieces += [gap, token.text]
        cursor += len(gap)
        offsets.append(cursor)
        cursor += len(token.text)
    anchors = [(offset, t.start, t.end) for offset, t in zip(offsets, kept)]
    stories = segmenter(TimedText("".join(pieces), anchors))
    found = {}
    for story in stories:
        index = min(bisect.bisect_left(offsets, story.span[0]), len(kept) - 1)
        found.setdefault(index, story)
    return found
