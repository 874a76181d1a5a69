"""From an Episode and its Stories to the Article the templates render."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from recap.document import EDITED, Article, ArticleStory, Episode, Link, Section, Story
from recap.render.links import assign_links, kinds_said, link_kind, link_name, read_description
from recap.render.summary import GREETING, cleaned_sentences, key_points, summarise
from recap.segment.headings import heading_for, prepare
from recap.segment.sentences import split_sentences
from recap.urls import is_http_url, time_url

STORIES = "Stories"
QUICK_HITS = "Quick hits"
INTRO_WORDS = 50
QUICK_HIT_WORDS = 35  # a quick hit says what it is in one sentence
_STORY_OPENER = re.compile(  # how a first story opens when the intro runs straight into it
    r"\b(?:released|announced|launched|unveiled|published|introduced|open-sourced)\b|\b(?:called|named)\b"
    r"|\bthere'?s a new\b|\b(?:first|our) (?:story|item|up)\b", re.IGNORECASE)
_TIMESTAMP_LINE = re.compile(r"^\s*(?:\d{1,2}:)?\d{1,2}:\d{2}\b")
# A title a person wrote is final: the publisher's chapter, or an editor's heading in clean.md.
KEPT_TITLE_SIGNALS = frozenset({"chapter", EDITED})


def build_article(episode: Episode, stories: Sequence[Story]) -> Article:
    intro, body = split_intro(stories)
    body = [s for s in body if s.kind != "outro"]
    placed, footer = assign_links(read_description(episode.description), body)
    show = episode.uploader or None
    prepare(story.text for story in body)
    entries = [article_story(episode, story, placed.get(i, []), show) for i, story in enumerate(body)]
    _make_anchors_unique(entries)
    sections = group_sections(body, entries)
    page = episode.url if episode.url and is_http_url(episode.url) else None
    return Article(
        title=display_title(episode.title), url=page,
        date=episode.upload_date, intro=intro_text(episode, intro, entries), sections=sections,
        footer_links=footer, show=show, duration=episode.duration,
    )


def article_story(episode: Episode, story: Story, links: list[Link], show: str | None) -> ArticleStory:
    quick = story.kind == "quick_hit"
    title = story_heading(story, links, show)
    summary = summarise(story.text, QUICK_HIT_WORDS, 1) if quick else summarise(story.text)
    return ArticleStory(
        title=title, summary=respell(summary, title), start=story.start, end=story.end, span=story.span,
        kind=story.kind, points=[respell(p, title) for p in key_points(story.text, summary)], links=links,
        mentions=mentions(story.text, links), time_url=time_url(episode, story.start),
    )


def story_heading(story: Story, links: Sequence[Link], show: str | None) -> str:
    """A chapter's or an editor's own title, else the name of the thing, spelt as its link spells it."""
    if KEPT_TITLE_SIGNALS.intersection(story.signals) and story.title.strip():
        return story.title.strip()
    hints = [name for name in (link_name(link) for link in links) if name]
    return heading_for(story.text, hints=hints, avoid=[show] if show else [])


def respell(text: str, name: str) -> str:
    """The heading's spelling of its name in the text too ("lovely tensors" -> "Lovely Tensors")."""
    if len(name) < 3:
        return text
    return re.sub(rf"\b{re.escape(name)}\b", lambda m: name if m.start() else name[:1].upper() + name[1:],
                  text, flags=re.IGNORECASE)


def mentions(text: str, links: Sequence[Link]) -> list[str]:
    """Kinds of thing the host points at ("check out the paper") that no link here supplies."""
    linked = {link_kind(link) for link in links}
    return [kind for kind in kinds_said(text) if kind not in linked]


def split_intro(stories: Sequence[Story]) -> tuple[Story | None, list[Story]]:
    """The greeting, and the stories; a first story the intro swallowed comes back out of it."""
    if not stories or stories[0].kind != "intro":
        return None, list(stories)
    intro, rest = stories[0], list(stories[1:])
    sentences = split_sentences(intro.text)
    greeting = 0
    while greeting < len(sentences) and (greeting == 0 or GREETING.search(sentences[greeting].text)):
        greeting += 1
    tail = sentences[greeting:]
    if len(tail) < 2 or not _STORY_OPENER.search(tail[0].text):
        return intro, rest
    cut = tail[0].start
    greeting_story = replace(intro, text=intro.text[:cut].rstrip(), span=(intro.span[0], intro.span[0] + cut),
                             end=_time_at(intro, cut))
    swallowed = replace(intro, text=intro.text[cut:], span=(intro.span[0] + cut, intro.span[1]),
                        start=_time_at(intro, cut), kind="story", signals=["intro_split"])
    return greeting_story, [swallowed, *rest]


def _time_at(story: Story, offset: int) -> float | None:
    """The time ``offset`` characters into a story, interpolated: speech runs at an even pace."""
    if story.start is None or story.end is None or not story.text:
        return story.start
    return round(story.start + (story.end - story.start) * offset / len(story.text), 2)


def group_sections(stories: Sequence[Story], entries: Sequence[ArticleStory]) -> list[Section]:
    """The segmenter's sections in order of appearance; short items gathered as quick hits."""
    sections: dict[str, Section] = {}
    for story, entry in zip(stories, entries):
        quick = story.kind == "quick_hit"
        title = story.section or (QUICK_HITS if quick else STORIES)
        section = sections.setdefault(title, Section(title, kind="quick_hits" if quick else "stories"))
        section.stories.append(entry)
    return list(sections.values())


def intro_text(episode: Episode, intro: Story | None, entries: Sequence[ArticleStory]) -> str:
    """Two lines: the description's opening (or the host's), then what the episode covers."""
    opening = _description_opening(episode.description)
    if not opening and intro is not None:
        opening = " ".join(s.text for s in cleaned_sentences(intro.text)[:2]) or summarise(intro.text, 40)
    rundown = _rundown([e.title for e in entries])
    return "\n".join(line for line in (opening, rundown) if line)


def _description_opening(description: str) -> str:
    """The description's first prose paragraph, clipped to a couple of sentences."""
    for paragraph in re.split(r"\n\s*\n", description.strip()):
        lines = [line for line in paragraph.splitlines() if line.strip()]
        if not lines or "://" in paragraph or _TIMESTAMP_LINE.match(lines[0]) or len(paragraph.split()) < 6:
            continue
        return summarise(" ".join(lines), INTRO_WORDS)
    return ""


def _rundown(titles: Sequence[str]) -> str:
    if not titles:
        return ""
    shown = list(titles[:6]) if len(titles) <= 6 else list(titles[:5])
    more = len(titles) - len(shown)
    if more:
        listed = f"{', '.join(shown)} and {more} more"
    elif len(shown) > 1:
        listed = f"{', '.join(shown[:-1])} and {shown[-1]}"
    else:
        listed = shown[0]
    count = f"{len(titles)} {'story' if len(titles) == 1 else 'stories'}"
    return f"In this episode, {count}: {listed}."


def display_title(title: str) -> str:
    """A file name used as a title ("tensor_weekly_12") reads as words."""
    if " " not in title.strip() and re.search(r"[_]", title):
        return " ".join(w[:1].upper() + w[1:] for w in re.split(r"[_]+", title) if w)
    return title


def _make_anchors_unique(entries: Sequence[ArticleStory]) -> None:
    from recap.render.writers import slug

    taken = {"contents", "links", "stories", "quick-hits"}
    for entry in entries:
        base = slug(entry.title)
        anchor, n = base, 1
        while anchor in taken:
            anchor, n = f"{base}-{n}", n + 1
        taken.add(anchor)
        entry.anchor = anchor
