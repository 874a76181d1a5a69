"""What Whisper is told to expect of an episode: the names its title and description spell, so it
hears "Orca Labs" rather than "Or Calabs"."""

from __future__ import annotations

import re

from recap.language.cues import Cues
from recap.language.description import read_description
from recap.language.links import link_words

# Whisper's previous-text budget is 223 tokens; names take a token for every three to four and a
# half characters, so this fits with room to spare (bench/guided.py prints the count, and how many
# names are heard with other budgets).
GUIDANCE_CHARS = 500
_SPELLED = re.compile(r"[A-Za-z0-9]+")


def transcription_guidance(title: str, description: str, cues: Cues | None = None,
                           limit: int = GUIDANCE_CHARS) -> str | None:
    """What Whisper is told to expect, written as text it should continue: the episode's title as
    a sentence, then one sentence listing, for each description link in the description's order,
    its words (link_words: site, path slug, label) spelled as the description spells
    them (its label before its URL), each word once, channel furniture skipped; whole
    links only, up to ``limit`` characters. None when there is nothing. (Whisper copies the
    prompt's style: a bare list without full stops made it drop its own, a sentence per link
    made it cut sentences too often; see bench/guided.py.)"""
    groups: list[str] = []
    seen: set[str] = set()
    for described in read_description(description or "", cues):
        if described.boilerplate:
            continue
        link = described.link
        as_written = {w.lower(): w for w in reversed(_SPELLED.findall(f"{link.label} {link.url}"))}
        words = [as_written[w] for w in link_words(link) if w in as_written and w not in seen]
        seen.update(w.lower() for w in words)
        if words:
            groups.append(words[0][:1].upper() + " ".join(words)[1:])
    title = " ".join(title.split())
    if len(title) >= limit:
        title = title[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    if title and title[-1] not in ".?!":
        title += "."
    listed = ""
    for group in groups:
        longer = f"{listed}, {group}" if listed else group
        if len(title) + 1 + len(longer) + 1 > limit:
            break
        listed = longer
    text = f"{title} {listed}." if listed else title
    return text.strip() or None
