"""Per-language word lists that decide what counts as a disfluency.

A language without a lexicon gets no removals at all: "um" is a word in Portuguese and
"die die" is grammatical German, so guessing would change meaning.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


@dataclass(frozen=True)
class Lexicon:
    fillers: frozenset[str]  # always filler: "um", "uh"
    hedges: tuple[tuple[str, ...], ...]  # filler only when set off by commas: "you know,"
    hedge_openers: frozenset[str]  # words a hedge may follow without a comma: "and, you know"
    repeatable: frozenset[str]  # doubled on purpose: "that that is", "very very"
    dangling: frozenset[str]  # a clause cut off on one of these was abandoned: "we built a,"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NUMBERS = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand "
    "million billion"
)

ENGLISH = Lexicon(
    fillers=_words("um umm ummm uh uhh uhm erm er ah ahh hmm hm mm mmm eh"),
    hedges=(("you", "know"), ("i", "mean"), ("like",)),
    hedge_openers=_words("and but or because cause"),
    repeatable=_NUMBERS | _words(
        "that had is do does did very really no yes yeah bye ha so much more far long again well okay ok "
        "too never ever go please wait right hey knock"
    ),
    dangling=_words(
        "the a an my our your his her their its this these those some to of for with in on at from into "
        "about by and but or"
    ),
)

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
_SPOKEN_STOP_WORDS = _words(
    "yeah okay ok right think like know going kind thing things lot bit actually really want i'm i've i'll "
    "i'd hi hey hello"
)


@functools.lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stop words (lowercase)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@functools.lru_cache(maxsize=1)
def spoken_stop_words() -> frozenset[str]:
    """``stop_words()`` and the words a host says in every story, whatever it is about."""
    return stop_words() | _SPOKEN_STOP_WORDS


# -- spelling ---------------------------------------------------------------------------------
# Initialisms a URL slug lowercases ("ai-broke-interviews", "why-csv-is-still-king") and a heading
# writes in capitals. Only those that are never an English word: "it", "us" and "os" stay out.
INITIALISMS = _words(
    "ai api apis aws cli cpu css csv cto ceo dns gpu html http https ide json jwt llm llms mcp ml "
    "npm pdf php sdk sql sre ssd ssh tls ui url urls ux vm wasm xml yaml"
)


def initialism(word: str) -> str | None:
    """"llms" -> "LLMs", "csv" -> "CSV"; None for a word that is not one."""
    lower = word.lower()
    if lower not in INITIALISMS:
        return None
    return lower[:-1].upper() + "s" if lower.endswith("s") and lower[:-1] in INITIALISMS else lower.upper()
