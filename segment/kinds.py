"""What each story is: intro, story, quick hit or outro, and the section the host put it in."""

from __future__ import annotations

import statistics

from recap.core.document import Story
from recap.language.cues import Cues, group
from recap.language.sentences import split_sentences
from recap.stages.segment.signals import segment_announced

# A quick hit: under this share of the episode's median story length, or under this many words.
QUICK_HIT_SHARE = 0.4
QUICK_HIT_WORDS = 45
_OPENING_CHARS = 300
_SEGMENT_SENTENCES = 3  # "All right. Extras. We're on to our extras."
_MAX_SECTION_WORDS = 6
_ANNOUNCEMENT_WORDS = 14  # "a bunch of new models" counts only in a short sentence


def tag_kinds(stories: list[Story], cues: Cues, keep_titles: bool = False) -> None:
    """Mark the greeting as the intro, the sign-off as the outro, and very short items as quick hits.

    ``keep_titles``: the titles came from chapters; they are kept, and "Intro"/"Outro" ones count.
    """
    if len(stories) < 2:
        return
    first, last = stories[0], stories[-1]
    opening = first.text[:_OPENING_CHARS]
    chapter_kind = cues.entries("chapter_kind")
    if cues.greeting.search(opening) or keep_titles and _titled(first, chapter_kind.get("intro")):
        _mark(first, "intro", keep_titles, cues)
    if _is_outro(last.text, cues) or keep_titles and _titled(last, chapter_kind.get("outro")):
        _mark(last, "outro", keep_titles, cues)
    _tag_sponsor_reads(stories, keep_titles, cues)
    if not keep_titles:
        _name_the_segments(stories, cues)
    body = [s for s in stories if s.kind == "story"]
    if len(body) < 3:
        return
    typical = statistics.median(_words(s) for s in body)
    for story in body:
        if _words(story) < max(QUICK_HIT_WORDS, QUICK_HIT_SHARE * typical):
            story.kind = "quick_hit"


def _name_the_segments(stories: list[Story], cues: Cues) -> None:
    """A story that opens on one of the show's recurring segments ("On to our extras") is that
    segment, and its heading is the segment's name; a segment opens once."""
    named: set[str] = set()
    length = max(1, stories[-1].span[1]) if stories else 1
    for story in stories:
        if story.kind != "story":
            continue
        opening = split_sentences(story.text[:_OPENING_CHARS], cues=cues)[:_SEGMENT_SENTENCES]
        name = next(filter(None, (segment_announced(s, cues) for s in opening)), None)
        if name and story.span[0] / length < cues.segment_from(name):
            continue  # named before the segment ever opens: a passing mention
        if name and name not in named:
            story.title, story.title_from = name, "segment"
            named.add(name)


def _titled(story: Story, pattern) -> bool:
    return pattern is not None and bool(pattern.search(story.title))


def _tag_sponsor_reads(stories: list[Story], keep_titles: bool, cues: Cues) -> None:
    """A sponsor read right after the intro or right before the outro belongs to it."""
    for i, story in enumerate(stories[1:-1], start=1):
        neighbours = {stories[i - 1].kind, stories[i + 1].kind} & {"intro", "outro"}
        if story.kind == "story" and neighbours and cues.sponsor.search(story.text[:_OPENING_CHARS]):
            story.kind = "intro" if stories[i - 1].kind == "intro" else "outro"
            if not keep_titles:
                story.title, story.title_from = cues.title("sponsor"), "kind"


def _mark(story: Story, kind: str, keep_title: bool, cues: Cues) -> None:
    story.kind = kind
    if not keep_title:
        story.title, story.title_from = cues.title(kind), "kind"


def _is_outro(text: str, cues: Cues) -> bool:
    first = split_sentences(text[:_OPENING_CHARS], cues=cues)
    opening = first[0].body if first else ""
    return bool(cues.outro_opener.search(opening) or cues.sign_off.search(opening))


def _words(story: Story) -> int:
    return len(story.text.split())


def tag_sections(stories: list[Story], cues: Cues) -> None:
    """Carry each section the host announces onto the stories that follow it."""
    current: str | None = None
    for i, story in enumerate(stories):
        sentences = split_sentences(story.text, cues=cues)
        opening = next(filter(None, (section_named(s.body, cues) for s in sentences[:2])), None)
        current = opening or current
        if story.kind in ("story", "quick_hit"):
            story.section = current
        if current and cues.sponsor.search(current):
            current = None  # a sponsor read is one item; the news goes on after it
        closing = next(filter(None, (section_named(s.body, cues) for s in sentences[-1:])), None)
        if closing and i + 1 < len(stories) and len(sentences) > 2:
            current = closing


def _names_an_item(name: str) -> bool:
    """"Core Lightning #8523", "LDK", "v0.18": a product or a change, not a section."""
    return any(c.isdigit() or c == "#" for c in name) or any(
        sum(c.isupper() for c in word) > 1 for word in name.split())


def section_named(sentence: str, cues: Cues) -> str | None:
    """The section a sentence announces ("On to hardware." -> "Hardware"), or None."""
    match = cues.section.search(sentence)
    if not match and len(sentence.split()) <= _ANNOUNCEMENT_WORDS:
        match = cues.section_announced.search(sentence)
    if not match:
        return None
    name = (group(match, "name") or "").strip()
    around = cues.entries("section_words")
    for part in ("tail", "head"):
        if part in around:
            name = around[part].sub("", name)
    name = name.strip(" '\"")
    if (not name or cues.not_a_section.search(name) or len(name.split()) > _MAX_SECTION_WORDS
            or _names_an_item(name)):
        return None
    return name[:1].upper() + name[1:]
