"""From a Transcript to a CleanTranscript: disfluencies marked, text tidied, laid out in stories."""

from __future__ import annotations

import logging

from recap.clean.layout import Segmenter, lay_out
from recap.clean.model import CleanTranscript
from recap.clean.readable import tidy
from recap.document import Episode, Transcript
from recap.errors import RecapError
from recap.language.disfluency import mark_disfluencies
from recap.language.lexicon import lexicon_for
from recap.language.tokens import Token, tokens_from_text, tokens_from_transcript
from recap.options import FLAG_BELOW

log = logging.getLogger(__name__)


def clean_transcript(transcript: Transcript, episode: Episode, flag_below: float = FLAG_BELOW,
                     segmenter: Segmenter | None = None) -> CleanTranscript:
    """``segmenter`` cuts the cleaned text into stories (headings); None keeps one section."""
    tokens = tokens_from_transcript(transcript)
    if not tokens:
        raise RecapError("the transcript is empty: nothing to clean")
    clean_tokens(tokens, transcript.language)
    return CleanTranscript(episode, lay_out(tokens, segmenter), transcript.language or "en", flag_below)


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
