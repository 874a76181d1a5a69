"""A spoken headline: the host's own sentence that opens a story ("Orca Labs released Harbor, an
open model"), cut to a heading's length where its words are said again in the story."""

from __future__ import annotations

import re
from collections import Counter

from recap.language.cues import Cues
from recap.language.lexicon import english_words
from recap.stages.segment.headings import capitalise
from recap.stages.segment.parsing import lead_text
from recap.stages.segment.topics import topic_words

_TALK_OPENERS = frozenset(english_words("talk_openers"))
_TALK_WORDS = frozenset(english_words("talk_words"))


def spoken_headline(text: str, cues: Cues, name: str = "", max_words: int = 9,
                    echoes: bool = False) -> str | None:
    """The headline a host reads before telling the story ("JSON for LLM prompts at half the
    tokens. Token-oriented object notation is..."): the opening sentence's first clauses, as many
    as it takes to say two topic words beyond ``name``, ended after the last word the story says
    again (the recogniser runs a headline into the next sentence). None when the opening is talk
    or a sponsor read, or names the subject itself ("Maple Research has released Quill": the
    story's first sentence proper, and the name says it already), or never gets that far. With
    ``echoes`` (``name`` is a page's own title) the headline must say one of the name's words."""
    lead = _without_stale_head(cues.lead_in.sub("", lead_text(text, cues)), text, cues)
    if not lead or cues.sponsor.search(lead[:200]) or cues.sponsor_read.search(lead[:200]):
        return None
    named = "".join(topic_words(name))  # and "zero clause" names "Zeroclaw"
    words = _opening_clauses(lead, named, max_words)
    opening = " ".join(words)
    # talk, a reported sentence, a name introduced ("a fun demo called Sketch to Song") or a
    # sponsor's call: no headline
    if not words or words[0].lower().strip(",.") in _TALK_OPENERS or cues.reporting.search(opening) or (
            cues.called.search(opening)) or cues.call_to_action.match(opening):
        return None
    headline = _up_to_last_word_said_again(words, text, "" if echoes else named)
    if _TALK_WORDS & {w.strip(",.?!").lower() for w in headline.split()}:
        return None  # "Keep them listening, yeah": a host talking to a cohost reads no headline
    said = topic_words(headline)
    news = [word for word in said if not _within(word, named)]
    # a page's title echoed says the host is reading its headline; a short name said is the
    # story's first sentence proper
    named_too = len(news) < len(said)
    return capitalise(headline) if len(news) >= 2 and named_too == echoes else None


def _without_stale_head(lead: str, text: str, cues: Cues) -> str:
    """The lead without the last story's end that the cut left on it: a closing sentence ("Learn
    more at example.com"), a stray word or two ("doesn't."), or a first clause whose words the
    story never says again ("choice for most of our services, JSON for LLM prompts...")."""
    first, _, rest = lead.partition(". ")
    stray = len(first.split()) == 1 or (len(first.split()) == 2 and _not_said_again(first, text))
    if rest and (stray or cues.closer.search(first)):
        lead = rest
    clause, _, rest = lead.partition(", ")
    if rest and "." not in clause and _not_said_again(clause, text):
        lead = rest
    return lead


def _not_said_again(opening: str, text: str) -> bool:
    """No topic word of the story's ``opening`` comes back in the rest of it."""
    later = text[text.find(opening) + len(opening):] if opening in text else text
    return set(topic_words(later)).isdisjoint(topic_words(opening))


def _opening_clauses(lead: str, named: str, max_words: int) -> list[str]:
    """The first sentence's words, clause by clause, until two topic words not of the name."""
    sentence = re.split(r"(?<=[.!?])\s", lead, maxsplit=1)[0]
    words: list[str] = []
    for clause in re.split(r"(?<=[,;:])\s", sentence):
        words += clause.split()
        if len([w for w in topic_words(" ".join(words[:max_words])) if not _within(w, named)]) >= 2:
            break
    return words[:max_words]


def _up_to_last_word_said_again(words: list[str], text: str, named: str) -> str:
    """``words`` up to the last one the story says again, not counting the name's ("... backup
    system Stefan": the next sentence's subject run on)."""
    said_again = Counter(topic_words(text)) - Counter(topic_words(" ".join(words)))
    last = max((k for k, word in enumerate(words)
                if set(topic_words(word)) & said_again.keys() and not _within(word, named)), default=-1)
    return " ".join(words[:last + 1]).strip(" ,.;:")


def _within(word: str, name: str) -> bool:
    """Every topic word of ``word`` is part of the (joined) name."""
    return bool(name) and all(w in name for w in topic_words(word))
