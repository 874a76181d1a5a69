"""An editor's Markdown (see clean.markdown) read back into the episode and its stories.

Forgiving by design: headings may move, paragraphs may lose their time or be split or joined,
comments may vanish. A paragraph without a time is placed between its timed neighbours by
word count, so the paragraphs the editor left alone keep exactly the times they had.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from itertools import accumulate

from recap.core.checks import MAX_SECONDS
from recap.core.document import Episode, Story
from recap.core.errors import RecapError
from recap.core.timecodes import clock

log = logging.getLogger(__name__)

SECONDS_PER_WORD = 0.4  # speaking pace, for paragraphs with no timed neighbour on one side
KINDS = ("intro", "story", "quick_hit", "outro")

_META = re.compile(r"<!--\s*recap-clean\s+(\{.*?\})\s*-->", re.DOTALL)
_KIND = re.compile(r"<!--\s*kind:\s*([\w-]+)\s*-->")
# recap's own comments, in the forms it writes them: the note to the editor and the metadata. Any
# other "<!--" is the editor's or the transcript's text ("...opens with <!-- and the parser
# skips it"), and stays text: a comment there would swallow every word up to the next "-->".
_OWN_COMMENT = re.compile(r"<!-- recap clean transcript\..*?-->|<!--\s*recap-clean\s+\{.*?\}\s*-->",
                          re.DOTALL)
_HEADING_WORDS = 12  # a heading longer than this had its paragraph joined to it
_TITLE = re.compile(r"^#\s+(.+?)(?:\s+#+)?\s*$")
_HEADING = re.compile(r"^#{2,6}(?:\s+(.*?))?(?:\s+#+)?\s*$")  # "## " with no title is a heading too
_UNDERLINE = re.compile(r"^(?:=+|-+)$")  # a setext heading's second line: "Harbor" over "======"
_STAMP = re.compile(r"^\[(\d+(?::\d{1,2}){1,2})\](?:\(<[^>\n]*>\)|\([^)\s]*\))?\s*")
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|\*")


@dataclass
class _Block:
    """A heading and the paragraphs under it: (time or None, text)."""

    title: str | None
    kind: str = "story"
    paragraphs: list[tuple[float | None, str]] = field(default_factory=list)


def parse_edited(text: str, fallback: Episode, name: str = "clean.md") -> tuple[Episode, list[Story]]:
    """The episode (from the file's metadata comment, else ``fallback``) and one Story per heading."""
    episode = _episode(text, fallback)
    title, blocks = parse_markdown(text)
    if title:
        episode.title = title
    stories = stories_from_blocks(blocks, episode.duration)
    if not stories:
        raise RecapError(f"{name}: no paragraphs left to render")
    return episode, stories


def _episode(text: str, fallback: Episode) -> Episode:
    found = _META.search(text)
    if not found:
        return fallback
    try:
        return Episode.from_dict(json.loads(found.group(1))["episode"])
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("the recap-clean comment is damaged (%s): using the episode's defaults", exc)
        return fallback


def parse_markdown(text: str) -> tuple[str | None, list[_Block]]:
    text = _OWN_COMMENT.sub("", text)
    title: str | None = None
    blocks = [_Block(title=None)]
    lines: list[str] = []
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        kind = _KIND.search(line)
        bare = _KIND.sub("", line).strip()
        heading = _HEADING.match(bare) or (title is not None and _TITLE.match(bare))  # a second "# " too
        if lines and len(lines) == 1 and len(bare) >= 3 and _UNDERLINE.match(bare):
            heading, bare, lines = _TITLE.match(f"# {lines[0]}"), "", []  # setext: the line above it
        if not bare or heading or _TITLE.match(bare):
            _add_paragraph(blocks[-1], lines, number - len(lines))
            lines = []
        if heading:
            name, joined = _heading_and_text(heading.group(1) or "", number)
            blocks.append(_Block(name, _kind(kind.group(1) if kind else "story")))
            lines = [joined] if joined else []
        elif _TITLE.match(bare):
            title = unescape(_TITLE.match(bare).group(1))
        elif bare:
            lines.append(bare)
    return title, [b for b in blocks if b.paragraphs]


def _heading_and_text(heading: str, number: int) -> tuple[str | None, str]:
    """A heading, and the paragraph an editor joined onto its line: from its [m:ss] stamp on, or,
    in a heading too long to be one, all of it (the story keeps its words; its title comes from
    them, with a warning naming the line)."""
    stamp = re.search(r"\s\[\d+(?::\d{1,2}){1,2}\]", heading)
    if stamp:
        return unescape(heading[:stamp.start()]).strip() or None, heading[stamp.start():].strip()
    if len(heading.split()) > _HEADING_WORDS:
        log.warning("line %d: a heading of %d words holds its story's text; it is read as a paragraph",
                    number, len(heading.split()))
        return None, heading
    return unescape(heading) or None, ""


def _kind(name: str) -> str:
    return name if name in KINDS else "story"


def _add_paragraph(block: _Block, lines: list[str], number: int = 0) -> None:
    joined = " ".join(lines)
    stamp = _STAMP.match(joined)
    words = unescape(joined[stamp.end():] if stamp else joined).strip()
    if words:
        block.paragraphs.append((_checked_clock(stamp.group(1), number) if stamp else None, words))


def _checked_clock(stamp: str, number: int) -> float | None:
    """The stamp's time, or None (the paragraph then takes its time from its neighbours, with a
    warning naming the line) for one that is no time: [0:99], an hour of twenty digits."""
    parts = stamp.split(":")
    seconds = parse_clock(stamp) if len(parts[0]) <= 5 else float("inf")
    if any(int(part) > 59 for part in parts[1:]) or seconds > MAX_SECONDS:
        log.warning("line %d: [%s] is no time; the paragraph is timed by its neighbours", number, stamp)
        return None
    return seconds


def unescape(text: str) -> str:
    """Undo the backslash escapes and drop the asterisks that marked low-confidence words."""
    return _UNESCAPE.sub(lambda m: m.group(1) or "", text)


def parse_clock(stamp: str) -> float:
    seconds = 0
    for part in stamp.split(":"):
        seconds = seconds * 60 + int(part)
    return float(seconds)


def stories_from_blocks(blocks: list[_Block], duration: float | None) -> list[Story]:
    paragraphs = [p for block in blocks for p in block.paragraphs]
    stamps = _in_order([t for t, _ in paragraphs], duration)
    times = fill_times(stamps, [len(text.split()) for _, text in paragraphs])
    stories, offset, first = [], 0, 0
    for block in blocks:
        text = "\n\n".join(words for _, words in block.paragraphs)
        title = block.title or " ".join(text.split()[:6])
        stories.append(Story(title=title, text=text, span=(offset, offset + len(text)), start=times[first],
                             kind=block.kind, title_from="editor" if block.title else "text"))
        offset += len(text) + 2
        first += len(block.paragraphs)
    for story, following in zip(stories, [*stories[1:], None]):
        story.end = following.start if following else duration
    return stories


def _in_order(times: list[float | None], duration: float | None) -> list[float | None]:
    """Stamps that go back in time or past the episode's end (an editor's slip) are dropped, with a
    warning: the paragraphs keep their words and are timed by their neighbours."""
    kept: list[float | None] = []
    latest = 0.0
    for n, time in enumerate(times, start=1):
        if time is not None and (time < latest or (duration is not None and time > duration)):
            log.warning("paragraph %d: its time %s is %s; it is timed by its neighbours", n, clock(time),
                        "before the one above" if time < latest else "past the episode's end")
            time = None
        kept.append(time)
        latest = time if time is not None else latest
    return kept


def fill_times(times: list[float | None], words: list[int]) -> list[float | None]:
    """Times for untimed paragraphs: interpolated by words between timed ones, else at speaking pace."""
    before = list(accumulate(words, initial=0))  # words before each paragraph
    known = [i for i, t in enumerate(times) if t is not None]
    if not known:
        return times
    filled: list[float | None] = []
    for i, time in enumerate(times):
        previous = max((k for k in known if k < i), default=None)
        following = min((k for k in known if k > i), default=None)
        if time is not None:
            filled.append(time)
        elif previous is not None and following is not None:
            share = (before[i] - before[previous]) / max(1, before[following] - before[previous])
            filled.append(times[previous] + share * (times[following] - times[previous]))
        elif previous is not None:
            filled.append(times[previous] + (before[i] - before[previous]) * SECONDS_PER_WORD)
        else:
            filled.append(max(0.0, times[following] - (before[following] - before[i]) * SECONDS_PER_WORD))
    return filled
