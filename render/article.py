"""From an Episode and its Stories to the Article the templates render."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence

from recap.core.document import Article, ArticleStory, Episode, Link, Outline, Section, Story
from recap.core.urls import is_http_url, time_url
from recap.language.cues import Cues
from recap.language.links import kinds_said, link_kind
from recap.language.profile import Profile, default_profile
from recap.language.spelling import respell_names
from recap.stages.render.summary import cleaned_sentences, key_points, summarise

PICTURE_FILE = "thumbnail.jpg"
STORIES = "Stories"
QUICK_HITS = "Quick hits"
INTRO_WORDS = 50
QUICK_HIT_WORDS = 35  # a quick hit says what it is in one sentence
_TIMESTAMP_LINE = re.compile(r"^\s*(?:\d{1,2}:)?\d{1,2}:\d{2}\b")


def build_article(episode: Episode, outline: Outline, profile: Profile | None = None,
                  picture: bytes | None = None, story_pictures: Mapping[str, bytes] | None = None) -> Article:
    """The article of an episode whose stories recap.stages.segment has outlined (links placed, titled);
    ``profile``: how the show's hosts talk, for the summaries (the default profile when None);
    ``picture``: the video's, as a JPEG, saved beside the article as PICTURE_FILE;
    ``story_pictures``: JPEGs by page picture URL, shown beside the stories whose first link has it."""
    cues = (profile or default_profile()).cues
    body = outline.body
    entries = [article_story(episode, story, cues, outline.names) for story in body]
    for entry in entries:
        shown = next((link.image for link in entry.links[:1] if link.image in (story_pictures or {})), None)
        if shown:
            entry.picture_url, entry.picture_data = shown, _data_uri(story_pictures[shown])
    _make_anchors_unique(entries)
    sections = group_sections(body, entries)
    page = episode.url if episode.url and is_http_url(episode.url) else None
    intro = respell_names(intro_text(episode, outline.intro, entries, cues), outline.names)
    return Article(
        title=display_title(episode.title), url=page, date=episode.upload_date, intro=intro,
        sections=sections, footer_links=outline.footer, show=episode.uploader or None,
        duration=episode.duration, picture=PICTURE_FILE if picture else None,
        picture_url=episode.thumbnail if picture else None,
        picture_data=_data_uri(picture) if picture else None,
    )


def _data_uri(jpeg: bytes) -> str:
    return f"data:image/jpeg;base64,{base64.b64encode(jpeg).decode('ascii')}"


def article_story(episode: Episode, story: Story, cues: Cues, names: Sequence[str] = ()) -> ArticleStory:
    """``names``: as the description and the links spell them, for what the recogniser misheard."""
    quick = story.kind == "quick_hit"
    title, links = story.title.strip(), story.links
    summary = summarise(story.text, QUICK_HIT_WORDS, 1, cues) if quick else summarise(story.text, cues=cues)
    points = key_points(story.text, summary, cues=cues)
    return ArticleStory(
        title=title, deck=deck_of(title, links), summary=respell_names(respell(summary, title), names),
        start=story.start, end=story.end,
        span=story.span, kind=story.kind, points=[respell_names(respell(p, title), names) for p in points],
        links=links,
        mentions=mentions(story.text, links, cues), time_url=time_url(episode, story.start),
    )


def deck_of(title: str, links: Sequence[Link]) -> str:
    """The line under a heading that is a page's short name: the rest of that page's title
    ("Dayflow" -> "A private, automatic work journal for Mac"); "" where it adds nothing."""
    page_title = next((link.title for link in links[:1] if link.title), "")
    name, colon, rest = page_title.partition(": ")
    if not colon or _letters(name) != _letters(title) or _letters(rest).startswith(_letters(name)):
        return ""  # "lovely-tensors" is the heading "Lovely Tensors"; "hlogf: hlogf" adds nothing
    return rest[:1].upper() + rest[1:]


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def respell(text: str, name: str) -> str:
    """The heading's spelling of its name in the text too ("lovely tensors" -> "Lovely Tensors")."""
    if len(name) < 3:
        return text
    return re.sub(rf"\b{re.escape(name)}\b", lambda m: name if m.start() else name[:1].upper() + name[1:],
                  text, flags=re.IGNORECASE)


def mentions(text: str, links: Sequence[Link], cues: Cues) -> list[str]:
    """Kinds of thing the host points at ("check out the paper") that no link here supplies."""
    linked = {link_kind(link, cues) for link in links}
    return [kind for kind in kinds_said(text, cues) if kind not in linked]


def group_sections(stories: Sequence[Story], entries: Sequence[ArticleStory]) -> list[Section]:
    """The segmenter's sections in order of appearance; short items gathered as quick hits."""
    sections: dict[str, Section] = {}
    for story, entry in zip(stories, entries):
        quick = story.kind == "quick_hit"
        title = story.section or (QUICK_HITS if quick else STORIES)
        section = sections.setdefault(title, Section(title, kind="quick_hits" if quick else "stories"))
        section.stories.append(entry)
    return list(sections.values())


def intro_text(episode: Episode, intro: Story | None, entries: Sequence[ArticleStory], cues: Cues) -> str:
    """The description's opening (or the host's); what the episode covers where neither says."""
    opening = _description_opening(episode.description, cues)
    if not opening and intro is not None:
        opening = (" ".join(s.text for s in cleaned_sentences(intro.text, cues)[:2])
                   or summarise(intro.text, 40, cues=cues))
    return opening or _rundown([e.title for e in entries])  # the contents list the stories already


def _description_opening(description: str, cues: Cues) -> str:
    """The description's first prose paragraph, clipped to a couple of sentences."""
    for paragraph in re.split(r"\n\s*\n", description.strip()):
        lines = [line for line in paragraph.splitlines() if line.strip()]
        if not lines or "://" in paragraph or _TIMESTAMP_LINE.match(lines[0]) or len(paragraph.split()) < 6:
            continue
        return summarise(" ".join(lines), INTRO_WORDS, cues=cues)
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
    from recap.stages.render.writers import slug

    taken = {"contents", "links", "stories", "quick-hits"}
    for entry in entries:
        base = slug(entry.title)
        anchor, n = base, 1
        while anchor in taken:
            anchor, n = f"{base}-{n}", n + 1
        taken.add(anchor)
        entry.anchor = anchor
