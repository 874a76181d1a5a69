"""Sentence splitting that copes with ASR text: missing capitals, wrapped lines, labels."""

from __future__ import annotations

import re
from dataclasses import dataclass

# End punctuation followed by space and something that can open a sentence; or a
# blank line (a paragraph); or a speaker label ("Mike Schmidt:") at a line start.
_BREAK = re.compile(
    r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])"
    r"|\n\s*\n\s*"
    r"|\n(?=[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}:\s)"
)
_ABBREVIATION = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|vs|etc|e\.g|i\.e|Inc|Ltd|No|U\.S)\.$")


@dataclass(frozen=True)
class Sentence:
    start: int  # character offsets into the source text
    end: int
    text: str
    paragraph_start: bool = False  # follows a blank line or opens a speaker turn


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    cursor, paragraph = 0, True
    for match in _BREAK.finditer(text):
        if _ABBREVIATION.search(text[cursor:match.start()]):
            continue
        _add(sentences, text, cursor, match.start(), paragraph)
        paragraph = "\n" in match.group()
        cursor = match.end()
    _add(sentences, text, cursor, len(text), paragraph)
    return sentences


def _add(sentences: list[Sentence], text: str, start: int, end: int, paragraph: bool) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    start += len(chunk) - len(chunk.lstrip())
    sentences.append(Sentence(start, start + len(stripped), " ".join(stripped.split()), paragraph))
