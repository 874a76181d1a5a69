"""Make the kept words read like written text: end punctuation, sentence case, "I"."""

from __future__ import annotations

import re

from recap.language.tokens import Token, ends_sentence, has_comma, is_cut_off

_TRAILING_BREAK = re.compile(r"[,;:\-—–]+$")
_PRONOUN_I = re.compile(r"^i(?=$|['’](?:m|ve|ll|d)\b)")


def tidy(tokens: list[Token]) -> None:
    """Rewrite the text of kept tokens in place; removed tokens keep what was said."""
    _close_parentheticals(tokens)
    _carry_sentence_ends(tokens)
    _close_segments(tokens)
    kept = [t for t in tokens if t.kept]
    for before, token in zip([None, *kept], kept):
        if before is None or ends_sentence(before.text):
            token.text = _capitalise(token.text)
        token.text = _PRONOUN_I.sub("I", token.text)
    if kept and not ends_sentence(kept[-1].text):
        kept[-1].text = _end_sentence(kept[-1].text)


def _close_parentheticals(tokens: list[Token]) -> None:
    """"It was, like, amazing" loses both commas with the hedge, not only the second."""
    last_kept: Token | None = None
    for token, following in zip(tokens, [*tokens[1:], None]):
        if token.kept:
            last_kept = token
        elif (token.removed == "hedge" and has_comma(token.text) and last_kept and has_comma(last_kept.text)
              and (following is None or following.kept)):
            last_kept.text = _TRAILING_BREAK.sub("", last_kept.text.rstrip())


def _carry_sentence_ends(tokens: list[Token]) -> None:
    """A removed "you know." took the sentence's full stop with it: give it to the word before."""
    last_kept: Token | None = None
    for token in tokens:
        if token.kept:
            last_kept = token
        elif last_kept and ends_sentence(token.text) and not ends_sentence(last_kept.text):
            last_kept.text = _end_sentence(last_kept.text, _stop_of(token))


def _close_segments(tokens: list[Token]) -> None:
    """ASR segments end at sentence ends: add the full stop where the next segment opens in capitals."""
    kept = [t for t in tokens if t.kept]
    for token, following in zip(kept, kept[1:]):
        bare = token.text.rstrip()
        if token.segment_end and bare[-1:].isalnum() and following.text[:1].isupper():
            token.text = bare + "."


def _stop_of(token: Token) -> str:
    if token.removed == "hedge":
        return "."  # "…, you know?" asks nothing
    return next((mark for mark in "?!" if mark in token.text), ".")


def _end_sentence(text: str, mark: str = ".") -> str:
    if is_cut_off(text):
        return text
    return _TRAILING_BREAK.sub("", text.rstrip()) + mark


def _capitalise(text: str) -> str:
    for i, char in enumerate(text):
        if char.isalpha():
            return text[:i] + char.upper() + text[i + 1:]
        if char.isdigit():
            break
    return text
