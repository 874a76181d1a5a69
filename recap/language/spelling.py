"""Names spelt as the publisher spells them. Speech recognition hears "Orca Labs" as "Or Calabs"
and "Sketch to Song" as "Sketch Song"; the description, its links and their pages spell them
right. Text recap writes (summaries, key points) takes those spellings where a run of its words
is the name's letters, or nearly (rapidfuzz); the transcript itself keeps what was heard."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_NAME_WORD = r"[A-Z0-9][\w'’.+-]*[\w+]|[A-Z]"
# "Orca Labs", "Sketch to Song", "Harbor 7B": capitalised words, with small words between them.
_SMALL = r"(?:of|to|for|the|de|la)[ \t]+"
_PHRASE = re.compile(rf"(?<![\w.-])(?:{_NAME_WORD})(?:[ \t]+(?:{_SMALL})?(?:{_NAME_WORD}))+")
# "TimescaleDB", "eDiff-I", "PyTorch": one word whose capitals say it is a name.
_ODD_CASE = re.compile(r"(?<![\w.-])(?=\w*[a-z])(?=\w*[A-Z]\w*[A-Z]|[a-z]+[A-Z])[\w-]{4,}(?![\w-])")
_URL = re.compile(r"\S+://\S+")
_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
_KEY = re.compile(r"[a-z0-9]+")
CLOSE = 88  # rapidfuzz ratio (0-100): a name misheard by a letter or a small word
MIN_LETTERS = 6  # a shorter name is too like ordinary words to respell anything
_SENTENCE_START = frozenset({"this", "the", "a", "an", "in", "on", "and", "but", "so", "our", "we", "it",
                             "today", "next", "welcome", "hello", "hi", "links", "outline"})


def written_names(description: str) -> list[str]:
    """The names the description's prose spells ("an open model from Orca Labs"); its link lines
    are left out (their labels are the links' business: "Join the Discord")."""
    prose = "\n".join(line for line in description.splitlines() if not _URL.search(line))
    found = [m.group() for m in _PHRASE.finditer(prose)] + [m.group() for m in _ODD_CASE.finditer(prose)]
    return list(dict.fromkeys(_without_opener(name) for name in found if _without_opener(name)))


def _without_opener(name: str) -> str:
    """"This Week" is a sentence's first word and its next, not a name."""
    words = name.split()
    while words and words[0].lower() in _SENTENCE_START:
        words = words[1:]
    return " ".join(words) if len(words) > 1 or (words and _ODD_CASE.fullmatch(words[0])) else ""


def respell_names(text: str, names: Iterable[str]) -> str:
    """``text`` with each run of words that spells one of ``names`` (the same letters split or
    cased otherwise, or a letter or a small word off) written as the name is."""
    for name in sorted(set(names), key=len, reverse=True):  # "Sketch to Song" before "Song"
        if len(_key(name)) >= MIN_LETTERS:
            text = _respell(text, name)
    return text


def _respell(text: str, name: str) -> str:
    from rapidfuzz import fuzz

    target, size = _key(name), len(name.split())
    words = list(_WORD.finditer(text))
    out, cursor, i = [], 0, 0
    while i < len(words):
        match = None
        for width in range(size + 1, max(0, size - 2), -1):  # the widest run first
            run = words[i:i + width]
            if len(run) == width and width > 0 and _one_phrase(text, run):
                said = _key(" ".join(w.group() for w in run))
                if said == target or (_same_ends(run, name) and fuzz.ratio(said, target) >= CLOSE):
                    match = run
                    break
        if match:
            out += [text[cursor:match[0].start()], name]
            cursor, i = match[-1].end(), i + len(match)
        else:
            i += 1
    return "".join(out) + text[cursor:]


def _same_ends(run: Sequence[re.Match[str]], name: str) -> bool:
    """A near miss starts with the name's first letter and ends with its last word, or nearly:
    "Sketch Song" is "Sketch to Song", "Kitchen World and" is not "Kitchen World"."""
    from rapidfuzz import fuzz

    first, last = _key(run[0].group()), _key(run[-1].group())
    name_words = name.split()
    return first[:1] == _key(name_words[0])[:1] and fuzz.ratio(last, _key(name_words[-1])) >= 80


def _one_phrase(text: str, run: Sequence[re.Match[str]]) -> bool:
    """Words with only spaces between them: a name never spans a comma or a sentence's end."""
    return all(not text[a.end():b.start()].strip() for a, b in zip(run, run[1:]))


def _key(text: str) -> str:
    return "".join(_KEY.findall(text.lower()))
