"""From a Transcript to a CleanTranscript: disfluencies marked, text tidied, laid out in stories."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from recap.core.document import Episode, Transcript
from recap.core.errors import RecapError
from recap.core.options import FLAG_BELOW
from recap.language.disfluency import mark_disfluencies
from recap.language.lexicon import lexicon_for
from recap.language.spelling import misheard
from recap.language.tokens import Token, tokens_from_text, tokens_from_transcript
from recap.stages.clean.layout import PARAGRAPH_PAUSE_S, Segmenter, lay_out
from recap.stages.clean.model import CleanTranscript
from recap.stages.clean.readable import tidy

log = logging.getLogger(__name__)


def clean_transcript(transcript: Transcript, episode: Episode, flag_below: float = FLAG_BELOW,
                     segmenter: Segmenter | None = None, names: Sequence[str] = ()) -> CleanTranscript:
    """``segmenter`` cuts the cleaned text into stories (headings); None keeps one section.
    ``names``: as the description spells them; words that mishear one are flagged with it."""
    tokens = tokens_from_transcript(transcript)
    if not tokens:
        raise RecapError("the transcript is empty: nothing to clean")
    clean_tokens(tokens, transcript.language)
    suggest_spellings(tokens, names)
    return CleanTranscript(episode, lay_out(tokens, segmenter), transcript.language or "en", flag_below)


def suggest_spellings(tokens: list[Token], names: Sequence[str]) -> None:
    """Each kept word that, with its neighbours, mishears one of ``names`` gets it as its
    suggestion: the editor decides; the words stay as heard."""
    kept = [token for token in tokens if token.kept]
    together = lambda a, b: not _STOP_AFTER.search(kept[a].text)  # noqa: E731 - a name never spans a comma
    for i, name in misheard([token.text for token in kept], names, together).items():
        kept[i].suggestion = name


_STOP_AFTER = re.compile(r"[,.;:!?]$")


def clean_plain_text(text: str, episode: Episode, language: str = "en",
                     segmenter: Segmenter | None = None) -> CleanTranscript:
    """A transcript with no times (a .txt): paragraphs at its blank lines and every so many words,
    story headings, no times and no flags (nothing says how sure the words are)."""
    tokens = _untimed_tokens(text)
    if not tokens:
        raise RecapError("the transcript is empty: nothing to clean")
    clean_tokens(tokens, language)
    return CleanTranscript(episode, lay_out(tokens, segmenter), language, timed=False)


def _untimed_tokens(text: str) -> list[Token]:
    """Tokens at an even made-up pace, with a paragraph's pause at each blank line, so the layout
    rules that read pauses work unchanged; the writers never show these times."""
    tokens: list[Token] = []
    for block in re.split(r"\n\s*\n", text):
        words = tokens_from_text(block)
        shift = tokens[-1].end + PARAGRAPH_PAUSE_S if tokens else 0.0
        for token in words:
            token.start, token.end = token.start + shift, token.end + shift
        tokens += words
    return tokens


def clean_tokens(tokens: list[Token], language: str | None) -> None:
    lexicon = lexicon_for(language)
    if lexicon is None:
        log.info("no disfluency word lists for language %r: only tidying the text", language)
    else:
        mark_disfluencies(tokens, lexicon)
    tidy(tokens)


def clean_text(text: str, language: str = "en") -> str:
    """Plain text in, cleaned plain text out: the rules without timings (one ASR segment a line)."""
    tokens = tokens_from_text(text)
    clean_tokens(tokens, language)
    return " ".join(t.text for t in tokens if t.kept)
