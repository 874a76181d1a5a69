"""Per-language word lists that decide what counts as a disfluency.

A language without a lexicon gets no removals at all: "um" is a word in Portuguese and
"die die" is grammatical German, so guessing would change meaning.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from recap.core.datafiles import read_toml

ENGLISH_FILE = Path(__file__).with_name("english.toml")


@dataclass(frozen=True)
class Lexicon:
    fillers: frozenset[str]  # always filler: "um", "uh"
    hedges: tuple[tuple[str, ...], ...]  # filler only when set off by commas: "you know,"
    hedge_openers: frozenset[str]  # words a hedge may follow without a comma: "and, you know"
    repeatable: frozenset[str]  # doubled on purpose: "that that is", "very very"
    dangling: frozenset[str]  # a clause cut off on one of these was abandoned: "we built a,"


@functools.lru_cache(maxsize=1)
def _english() -> dict[str, dict]:
    return read_toml(ENGLISH_FILE)


def english_words(name: str) -> tuple[str, ...]:
    """An English word list of english.toml, in its order ([words], [links] or [lexicon]).
    KeyError for a name it does not hold."""
    for table in _english().values():
        if name in table and isinstance(table[name], str):
            return tuple(table[name].split())
    raise KeyError(name)


def _lexicon(table: dict) -> Lexicon:
    words = {key: frozenset(value.split()) for key, value in table.items() if isinstance(value, str)}
    return Lexicon(fillers=words["fillers"], hedges=tuple(tuple(h.split()) for h in table["hedges"]),
                   hedge_openers=words["hedge_openers"], repeatable=words["repeatable"] | words["numbers"],
                   dangling=words["dangling"])


ENGLISH = _lexicon(_english()["lexicon"])

LEXICONS: dict[str, Lexicon] = {"en": ENGLISH}


def lexicon_for(language: str | None) -> Lexicon | None:
    """The lexicon for a Whisper language code ("en", "en-US"), or None when there is none."""
    if not language:
        return None
    return LEXICONS.get(language.lower().split("-")[0])


# -- stop words -----------------------------------------------------------------------------
# Words that say nothing about a story's subject. spaCy's list is imported on first use, not at
# import: importing spaCy costs half a second that `recap render` and `recap clean` need not pay.
# Speech adds its own: what a host says in every story ("yeah", "I think", "a lot").


@functools.lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stop words (lowercase)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@functools.lru_cache(maxsize=1)
def spoken_stop_words() -> frozenset[str]:
    """``stop_words()`` and the words a host says in every story, whatever it is about."""
    return stop_words() | frozenset(english_words("spoken_stop_words"))


# -- spelling ---------------------------------------------------------------------------------
# Initialisms a URL slug lowercases ("ai-broke-interviews", "why-csv-is-still-king") and a heading
# writes in capitals. Only those that are never an English word: "it", "us" and "os" stay out.
INITIALISMS = frozenset(english_words("initialisms"))


def initialism(word: str) -> str | None:
    """"llms" -> "LLMs", "csv" -> "CSV"; None for a word that is not one."""
    lower = word.lower()
    if lower not in INITIALISMS:
        return None
    return lower[:-1].upper() + "s" if lower.endswith("s") and lower[:-1] in INITIALISMS else lower.upper()
