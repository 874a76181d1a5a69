"""Summaries an editor would keep: the sentences that say what a story is and why it matters,
cleaned of fillers, lead-ins, calls to action and the host pointing at the screen."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from recap.language.cues import Cues
from recap.language.disfluency import mark_disfluencies
from recap.language.lexicon import ENGLISH, english_words, stop_words
from recap.language.profile import default_cues
from recap.language.sentences import split_sentences, without_speaker_labels
from recap.language.tokens import has_comma, tokens_from_text

SUMMARY_WORDS = 60
SUMMARY_SENTENCES = 3
POINTS = 4
POINT_WORDS = 30
LONG_STORY_WORDS = 150  # stories longer than this also get key points

# What an editor leaves out of a host's sentence, and what makes one worth keeping, are the
# profile's ([qualifier], [self_reference], [for_the_viewer], [what_it_is], [why_it_matters]).
# Disfluencies ("um", "you know,", "the the") are not among them: _without_disfluencies removes them
# by the English lexicon and the rules of `recap clean`, so one word list serves both.
_CLAUSE_JOINERS = "|".join(english_words("clause_joiners"))
_TRAILING_JOINER = re.compile(rf"\s+(?:{_CLAUSE_JOINERS}|{'|'.join(english_words('trailing_joiners'))})$")


@dataclass
class Sentence:
    index: int
    text: str  # cleaned
    score: float = 0.0

    @property
    def words(self) -> int:
        return len(self.text.split())


def clean_sentence(sentence: str, cues: Cues | None = None) -> str:
    """One transcript sentence as an editor would print it, or "" when nothing is left.
    ``cues``: the profile's (the default profile's when None)."""
    cues = cues or default_cues()
    text = " ".join(sentence.split())
    text = without_speaker_labels(text)
    text = _without_disfluencies(text)  # first: "Um, next up" is a lead-in once the "um" is out
    text = cues.lead_in.sub("", text)
    text = cues.qualifier.sub("", text)
    text = cues.self_reference.sub("", text)
    text = _drop_calls_to_action(text, cues)
    text = _tidy(text)
    return text if len(text.split()) >= 4 and not cues.still_greeting.search(text) else ""


def _without_disfluencies(text: str) -> str:
    """What `recap clean` removes, by its word lists and rules, but not its re-casing: clean_text
    capitalises after every full stop ("the U.S. Company"), and sentences here are already split."""
    tokens = tokens_from_text(text)
    mark_disfluencies(tokens, ENGLISH)
    kept: list[str] = []
    for token in tokens:
        if token.kept:
            kept.append(token.text)
        elif kept and has_comma(token.text) and has_comma(kept[-1]):
            kept[-1] = kept[-1].rstrip(",;")  # "was, like, amazing": both commas go with the word
    return " ".join(kept)


def _drop_calls_to_action(text: str, cues: Cues) -> str:
    """Clauses for the viewer ([for_the_viewer]) and the host's closing pointers at the links
    ([closer]: "Give it a spin", "check out the paper"): the segmenter's rule, applied here too."""
    clauses = re.split(rf"(?<=,)\s+|\s+(?=(?:{_CLAUSE_JOINERS}) )", text)
    kept = [c for c in clauses if not (cues.for_the_viewer.search(c) or cues.closer.search(c))]
    if len(kept) == len(clauses):
        return text
    return " ".join(kept).rstrip(",")


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r"^[,;:\s]+|[,;:\s]+$", "", text)
    text = _TRAILING_JOINER.sub("", text)
    if not text:
        return ""
    if text[-1] not in ".!?":
        text += "."
    return text[:1].upper() + text[1:]


def cleaned_sentences(text: str, cues: Cues | None = None) -> list[Sentence]:
    cues = cues or default_cues()
    out = []
    for i, raw in enumerate(split_sentences(text, cues=cues)):
        cleaned = clean_sentence(raw.text, cues)
        if cleaned:
            out.append(Sentence(i, cleaned))
    return out


def summarise(text: str, max_words: int = SUMMARY_WORDS, max_sentences: int = SUMMARY_SENTENCES,
              cues: Cues | None = None) -> str:
    """1-3 sentences that say what the story is and why it matters, within ``max_words``."""
    cues = cues or default_cues()
    sentences = _scored(cleaned_sentences(text, cues), cues)
    return " ".join(s.text for s in _pick(sentences, max_sentences, max_words))


def key_points(text: str, summary: str, limit: int = POINTS, cues: Cues | None = None) -> list[str]:
    """For long stories: up to ``limit`` sentences beyond the summary, in the story's order."""
    if len(text.split()) < LONG_STORY_WORDS:
        return []
    cues = cues or default_cues()
    rest = [s for s in _scored(cleaned_sentences(text, cues), cues) if s.text not in summary and s.words >= 6]
    chosen = sorted(sorted(rest, key=lambda s: -s.score)[:limit], key=lambda s: s.index)
    return [_clip(s.text, POINT_WORDS) for s in chosen]


def _scored(sentences: list[Sentence], cues: Cues) -> list[Sentence]:
    counts = Counter(w for s in sentences for w in _content(s.text))
    for rank, sentence in enumerate(sentences):
        sentence.score = _sentence_score(sentence, rank, counts, cues)
    return sentences


def _sentence_score(sentence: Sentence, rank: int, counts: Counter[str], cues: Cues) -> float:
    """Opening sentences say what it is; numbers and comparisons say why it matters; sentences
    sharing the story's frequent words are central to it; run-ons and questions read badly."""
    text = sentence.text
    words = set(_content(text))
    centrality = sum(counts[w] - 1 for w in words) / (len(words) + 3)
    score = max(0.0, 2.0 - rank * 0.7) + centrality
    score += 0.8 * bool(cues.what_it_is.search(text)) + 0.6 * bool(cues.why_it_matters.search(text))
    score -= 1.0 * (sentence.words > 45) + 0.8 * text.endswith("?")
    score -= 0.4 * bool(rank and cues.dangling_pronoun.match(text))
    return score


def _pick(sentences: list[Sentence], limit: int, max_words: int) -> list[Sentence]:
    chosen: list[Sentence] = []
    total = 0
    for sentence in sorted(sentences, key=lambda s: -s.score):
        if len(chosen) == limit:
            break
        if total + sentence.words <= max_words:
            chosen.append(sentence)
            total += sentence.words
    if not chosen and sentences:
        best = max(sentences, key=lambda s: s.score)
        chosen = [Sentence(best.index, _clip(best.text, max_words), best.score)]
    return sorted(chosen, key=lambda s: s.index)


def _clip(text: str, max_words: int) -> str:
    """At most ``max_words``, cut at a clause boundary where one is near the limit."""
    words = text.split()
    if len(words) <= max_words:
        return text
    head = " ".join(words[:max_words])
    cut = max(head.rfind(", "), head.rfind("; "))
    if cut > len(head) // 2:
        head = head[:cut]
    return head.rstrip(",;: ") + "…"


def _content(text: str) -> list[str]:
    """The words that say what a sentence is about, numbers included. Not segment.topics' rule
    (spoken stop words, plurals folded): that one would pick other summaries."""
    stop = stop_words()
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in stop and len(w) > 2]
