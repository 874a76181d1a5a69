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
    words = list(_WORD.finditer(text))
    out, cursor = [], 0
    for first, last in name_runs([w.group() for w in words], name,
                                 lambda a, b: not text[words[a].end():words[b].start()].strip()):
        out += [text[cursor:words[first].start()], name]
        cursor = words[last - 1].end()
    return "".join(out) + text[cursor:]


def misheard(words: Sequence[str], names: Iterable[str], together=lambda a, b: True) -> dict[int, str]:
    """The words (by index) that are a run spelling one of ``names`` otherwise, each with the
    name; for `recap clean`, which flags them with the spelling rather than changing them."""
    found: dict[int, str] = {}
    for name in sorted(set(names), key=len, reverse=True):
        if len(_key(name)) < MIN_LETTERS:
            continue
        for first, last in name_runs(words, name, together):
            spelt = re.sub(r"[^\w\s'’+.-]|(?<=\w)[.]$", "", " ".join(words[first:last]))
            if spelt != name and not found.keys() & set(range(first, last)):
                found.update(dict.fromkeys(range(first, last), name))
    return found


def name_runs(words: Sequence[str], name: str, together=lambda a, b: True) -> list[tuple[int, int]]:
    """[first, last) word runs that spell ``name``: its letters split or cased otherwise, or a
    letter or a small word off (rapidfuzz); ``together(a, b)``: nothing but spaces between words
    a and b (a name never spans a comma or a sentence's end)."""
    from rapidfuzz import fuzz

    target, size = _key(name), len(name.split())
    runs, i = [], 0
    while i < len(words):
        for width in range(size + 1, max(0, size - 2), -1):  # the widest run first
            run = words[i:i + width]
            if len(run) < width or width == 0 or not all(together(j, j + 1) for j in range(i, i + width - 1)):
                continue
            said = _key(" ".join(run))
            if said == target or (_same_ends(run, name) and fuzz.ratio(said, target) >= CLOSE):
                runs.append((i, i + width))
                i += width - 1
                break
        i += 1
    return runs


def _same_ends(run: Sequence[str], name: str) -> bool:
    """A near miss starts with the name's first word and ends with its last, or nearly: "Sketch
    Song" is "Sketch to Song", "Kitchen World and" is not "Kitchen World", "to Tensor Weekly" is
    not "Tensor Weekly"."""
    from rapidfuzz import fuzz

    first, last = _key(run[0]), _key(run[-1])
    name_words = name.split()
    return fuzz.ratio(first, _key(name_words[0])) >= 80 and fuzz.ratio(last, _key(name_words[-1])) >= 80


def _key(text: str) -> str:
    return "".join(_KEY.findall(text.lower()))
