"""The video's chapter list, as a publisher pastes it back into the video's description.

Video sites take such a list only when the first chapter starts at 0:00, there are at least
three, and each lasts at least ten seconds; a list that breaks a rule is ignored whole. So a
chapter too short to keep is merged into its neighbour, and an article that cannot give three
chapters gives no list.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from recap.core.document import Article, plain_text
from recap.core.timecodes import clock

log = logging.getLogger(__name__)

MIN_CHAPTERS = 3
MIN_SECONDS = 10.0
OPENING = "Intro"  # the time before the first story


@dataclass
class Chapter:
    start: float
    title: str


def chapter_list(article: Article) -> list[Chapter] | None:
    """The stories as chapters under the three rules, or None where they cannot make three."""
    chapters = [Chapter(story.start, _one_line(story.title))
                for section in article.sections for story in section.stories if story.start is not None]
    chapters.sort(key=lambda chapter: chapter.start)
    if not chapters:
        return None
    if chapters[0].start >= MIN_SECONDS:
        chapters.insert(0, Chapter(0.0, OPENING))
    chapters[0].start = 0.0  # a first story a few seconds in opens the video
    merged = _merge_short(chapters, article.duration)
    if merged:
        log.warning("chapters.txt: %d chapter(s) shorter than %g s merged into the one before", merged,
                    MIN_SECONDS)
    if len(chapters) < MIN_CHAPTERS:
        log.info("no chapters.txt: the stories make fewer than %d chapters of %g s or more", MIN_CHAPTERS,
                 MIN_SECONDS)  # a short episode is no problem to warn about
        return None
    return chapters


def _merge_short(chapters: list[Chapter], duration: float | None) -> int:
    """Chapters shorter than MIN_SECONDS go into the one before (the first into the one after,
    which then starts at 0:00). Returns how many went."""
    merged = 0
    while len(chapters) > 1:
        ends = [chapter.start for chapter in chapters[1:]] + [duration if duration else float("inf")]
        lengths = [end - chapter.start for chapter, end in zip(chapters, ends)]
        short = next((i for i, length in enumerate(lengths) if length < MIN_SECONDS), None)
        if short is None:
            break
        if short == 0:
            chapters[1].start = 0.0
        del chapters[short]
        merged += 1
    return merged


def _one_line(title: str) -> str:
    return " ".join(plain_text(title).split()) or "Untitled"


def render_chapters(article: Article) -> str | None:
    """"0:00 Intro" lines; None when the article has no list that a video site would take."""
    chapters = chapter_list(article)
    if chapters is None:
        return None
    return "".join(f"{clock(chapter.start)} {chapter.title}\n" for chapter in chapters)
