"""The segmented stories made ready for an article: the greeting split from a first story it
swallowed, the description's links placed under their stories, and each story titled by the
name its link spells out."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from recap.core.document import Link, LinkPage, Outline, Story, TitleSource
from recap.language.cues import Cues
from recap.language.description import is_reference, link_name, read_description, written_name
from recap.language.lexicon import english_words
from recap.language.profile import Profile, default_profile
from recap.language.sentences import split_sentences
from recap.language.spelling import written_names
from recap.stages.segment.headings import (
    MAX_WORDS,
    SCORES,
    heading_for,
    is_generic,
    strongest_name,
    title_case,
)
from recap.stages.segment.headline import spoken_headline
from recap.stages.segment.parsing import prepare
from recap.stages.segment.placement import place_links

_SMALL = frozenset(english_words("small_words"))
_HEADLINE_MARK = re.compile(r"[,;!?]")  # "Stop generating, start thinking" is a headline
MAX_NAME_WORDS = 4  # a longer page title is a headline, not a name to respell the summary with
SURE_NAME = SCORES["release"]  # "X has released", "the next item is X": a name said this plainly is right


def outline(stories: Sequence[Story], description: str = "", show: str | None = None,
            profile: Profile | None = None, pages: Mapping[str, LinkPage] | None = None) -> Outline:
    """``show``: the channel's name, never a story's title. Stories keep a person's title.
    ``profile``: how the show's hosts talk (the default profile when None). ``pages``: the
    description links' pages (recap.stages.fetch.pages), by URL."""
    cues = (profile or default_profile()).cues
    intro, rest = split_intro(stories, cues)
    result = Outline([intro, *rest] if intro else rest)
    body = result.body
    # the greeting is searched too, as the segmenter searched it, but not the sign-off: its own
    # links and thanks draw the last stories' links there
    searched = [story for story in result.stories if story.kind != "outro"]
    placement = place_links(read_description(description, cues, pages), body, cues, searched)
    result.footer = placement.footer
    prepare((story.text for story in body), cues)
    # the channel's name and the name the greeting gives the show ("this is Changelog News") are
    # never a story's subject: "The Changelog #479" is the show's own episode
    not_subjects = [name for name in (show, cues.show_named(intro.text) if intro else None) if name]
    not_subjects += cues.hosts_named(intro.text) if intro else []  # a host's name heads no story either
    for i, story in enumerate(body):
        story.links = placement.by_story.get(i, [])
        if not story.titled_by_a_person and story.title_from != "segment":
            story.title, story.title_from = titled(story, not_subjects, cues, placement.named.get(i))
            # a month's part leads with its month (below); an item handed over in conversation
            # ("All right, over to you") is introduced in talk, never with a headline read
            if not {"period", "handoff", "segment"} & set(story.signals):
                story.title = with_headline(story.title, story.text, cues)
    _name_the_periods(body, cues)
    result.names = spelt_names(description, [link for story in body for link in story.links], cues.glossary)
    return result


def names_written(description: str, cues: Cues | None = None) -> list[str]:
    """The names a description spells, in its prose and its links' labels, and the profile's
    glossary (spelt_names)."""
    cues = cues or default_profile().cues
    links = [d.link for d in read_description(description, cues) if not d.boilerplate]
    return spelt_names(description, links, cues.glossary)


def spelt_names(description: str, links: Sequence[Link], glossary: Sequence[str] = ()) -> list[str]:
    """The names the description's prose, the links' labels and their pages' titles spell, and
    the profile's ``glossary``: how the article writes what the recogniser misheard."""
    from_links = [name for link in links if (name := written_name(link)) and not is_generic(name)]
    found = [name for name in dict.fromkeys([*written_names(description), *from_links])
             if len(name.split()) <= MAX_NAME_WORDS and name != name.lower()
             and not _HEADLINE_MARK.search(name)]
    return list(dict.fromkeys([*found, *glossary]))  # a person wrote the glossary: taken as it is


def _name_the_periods(stories: Sequence[Story], cues: Cues) -> None:
    """In a year reviewed month by month (the segmenter cut at its months: signal "period") each
    part is about its month, and the month leads its heading ("March: Vibe Coding")."""
    for story in stories:
        month = cues.month_opening(story.text) if "period" in story.signals else None
        if month and not story.titled_by_a_person and month.lower() not in story.title.lower():
            story.title = f"{month}: {story.title}" if story.title != cues.title("untitled") else month


def titled(story: Story, avoid: Sequence[str], cues: Cues,
           named: Link | None = None) -> tuple[str, TitleSource]:
    """The name in the link the story names, as the description spells it; else the name the
    host introduces (never one of ``avoid``, the show's names), spelt as its link spells it; else,
    when the host's words name nothing surely (speech recognition garbles names), the name in the
    story's first link."""
    if named and is_reference(named) and not all(map(is_reference, story.links)):
        named = None  # an encyclopedia entry explains a term; the story's own link names it
    if named and (name := _specific_name(named)):
        return as_said(name, story.text), "link"
    said = strongest_name(story.text, cues, avoid)
    if said is None or said.score < SURE_NAME:
        for name in filter(None, map(_specific_name, sorted(story.links, key=is_reference))):
            return as_said(name, story.text), "link"
    hints = [name for name in (link_name(link) for link in story.links) if name]
    return heading_for(story.text, cues, hints=hints, avoid=avoid, said=said), "text"


def with_headline(name: str, text: str, cues: Cues, max_name_words: int = 3) -> str:
    """A short name followed by the headline the host read ("Toon: JSON for LLM prompts at half
    the tokens"): a name alone says what, not what about it is news. A longer name is a page's
    own title, which the host's headline may echo ("Your URL Is Your State: the overlooked power
    of URL")."""
    if name == cues.title("untitled"):
        return name
    headline = spoken_headline(text, cues, name, echoes=len(name.split()) > max_name_words)
    return f"{name}: {headline}" if headline else name


def _specific_name(link: Link) -> str | None:
    name = _shortened(link_name(link) or "")
    return name if name and not is_generic(name) else None


def _shortened(name: str) -> str:
    """A long page title cut before the small word that starts its last part ("Rust C and Python
    Trends in Jobs on Hacker News February 2025" -> "Rust C and Python Trends in Jobs"), never
    after a small word ("Our Plan for"); "" when no such cut leaves MAX_WORDS words or fewer."""
    words = name.split()
    if len(words) <= MAX_WORDS:
        return name
    cuts = [k for k in range(3, MAX_WORDS + 1)
            if words[k].lower() in _SMALL and words[k - 1].lower() not in _SMALL]
    return " ".join(words[:cuts[-1]]) if cuts else ""


def as_said(name: str, text: str) -> str:
    """A slug's words as the transcript writes them: with its capitals ("Sre" -> "SRE",
    "Postgresql" -> "PostgreSQL") and with the apostrophe a URL cannot hold ("Arent" -> "Aren't",
    "Parkinsons" -> "Parkinson's") where the transcript writes one more often than not."""
    cased = {word.lower(): word for word in re.findall(r"[A-Za-z0-9]+", text)
             if any(c.isupper() for c in word[1:])}
    said = Counter(word.replace("’", "'") for word in re.findall(r"\w[\w'’]*", text.lower()))
    spaced = _run_together(name, text)
    words = [spaced.get(word.lower()) or _with_apostrophe(cased.get(word.lower(), word), said)
             for word in name.split()]
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]]) if words else name


def _run_together(name: str, text: str, most: int = 4) -> dict[str, str]:
    """Slug words that run a phrase's words together ("adventofcode") -> the words as the
    transcript says them in a row ("Advent of Code"), title-cased: a phrase with a small word in
    it ("of", "the"), not a compound name ("zeroclaw" stays whole)."""
    found: dict[str, str] = {}
    wanted = {w.lower() for w in name.split() if len(w) >= 8 and w.isalpha()}
    if not wanted:
        return found
    said = re.findall(r"[A-Za-z]+", text)
    for i in range(len(said)):
        for n in range(2, most + 1):
            joined = "".join(said[i:i + n]).lower()
            inside = {w.lower() for w in said[i + 1:i + n - 1]}
            if joined in wanted and joined not in found and _SMALL & inside:
                found[joined] = title_case(" ".join(w.lower() for w in said[i:i + n]))
    return found


def _with_apostrophe(word: str, said: Counter) -> str:
    """``word`` with the apostrophe the transcript (``said``: its words, lowercased) writes in it
    more often than not ("arent" -> "aren't"); as it is where it is said bare as often ("its")."""
    bare = word.lower()
    forms = {form: n for form, n in said.items() if "'" in form and form.replace("'", "") == bare}
    if sum(forms.values()) <= said[bare]:
        return word
    return word[:1] + max(forms, key=lambda form: (forms[form], form))[1:]


def split_intro(stories: Sequence[Story], cues: Cues) -> tuple[Story | None, list[Story]]:
    """The greeting, and the stories; a first story the intro swallowed comes back out of it."""
    if not stories or stories[0].kind != "intro":
        return None, list(stories)
    intro, rest = stories[0], list(stories[1:])
    sentences = split_sentences(intro.text, cues=cues)
    greeting = 1  # the first sentence, and those after it that still greet
    while greeting < len(sentences) and cues.still_greeting.search(sentences[greeting].text):
        greeting += 1
    tail = sentences[greeting:]
    if len(tail) < 2 or not cues.story_opener.search(tail[0].text):
        return intro, rest
    cut = tail[0].start
    greeting_story = replace(intro, text=intro.text[:cut].rstrip(), span=(intro.span[0], intro.span[0] + cut),
                             end=_time_at(intro, cut))
    swallowed = replace(intro, text=intro.text[cut:], span=(intro.span[0] + cut, intro.span[1]),
                        start=_time_at(intro, cut), kind="story", signals=["intro_split"], title_from="text")
    return greeting_story, [swallowed, *rest]


def _time_at(story: Story, offset: int) -> float | None:
    """The time ``offset`` characters into a story, interpolated: speech runs at an even pace."""
    if story.start is None or story.end is None or not story.text:
        return story.start
    return round(story.start + (story.end - story.start) * offset / len(story.text), 2)
