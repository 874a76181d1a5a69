"""Summaries an editor would keep: the sentences that say what a story is and why it matters,
cleaned of fillers, lead-ins, calls to action and the host pointing at the screen."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from recap.language import cues
from recap.language.disfluency import mark_disfluencies
from recap.language.lexicon import ENGLISH, stop_words
from recap.language.sentences import split_sentences, without_speaker_labels
from recap.language.tokens import has_comma, tokens_from_text

SUMMARY_WORDS = 60
SUMMARY_SENTENCES = 3
POINTS = 4
POINT_WORDS = 30
LONG_STORY_WORDS = 150  # stories longer than this also get key points

# The host hedging a claim: a cleaned transcript keeps these words, a summary states the claim.
# Disfluencies ("um", "you know,", "the the") are not listed here: _without_disfluencies removes them
# by clean.lexicon and the rules of `recap clean`, so one word list serves both.
_QUALIFIER = re.compile(
    r",?\s*\b(?:i guess|i think|kind of|sort of|basically|literally|you see)\b,?(?=\s|$)", re.IGNORECASE)
_SELF_REFERENCE = re.compile(
    r",?\s*\b(?:as you can (?:see|tell)(?: (?:right )?(?:here|there|on (?:the|my) screen))?|"
    r"(?:right )?here on (?:the|my) screen|on (?:the|my) screen|(?:right )?over here|right here|"
    r"in this video|in today'?s video|"
    r"which i(?:'ll| will)? (?:have )?link(?:ed)?(?: below| in the description)?|"
    r"down below|in the description(?: below)?|if you look (?:at this|here|closely))\b,?",
    re.IGNORECASE)
# Clauses that are for the viewer, not the story: links, trials, subscriptions.
_CALL_TO_ACTION = re.compile(
    r"\b(?:check (?:it|them|this|that)? ?out|give it a (?:try|go|shot)|try it (?:out|yourself)|"
    r"link(?:ed)?\b(?! list)|in the description|description below|subscribe|like button|in the comments|"
    r"let me know|if you(?:'re| are) interested|"
    r"play with (?:it|the demo)|have a look|go (?:check|read|see)|follow us|patreon|discord|"
    r"see you|thanks? (?:you )?for (?:watching|listening)|let'?s (?:dive|get|jump|move|go|start|talk))\b",
    re.IGNORECASE)
_WHAT_IT_IS = re.compile(rf"\b(?:is an?|are|called|named|{cues.RELEASED}|new|adds?|lets?|allows?|makes?)\b",
                         re.IGNORECASE)
_WHY_IT_MATTERS = re.compile(r"\d|\b(?:faster|cheaper|better|smaller|larger|first|half|twice|times|percent|"
                             r"matches|beats|outperforms|without|instead|because|so that|fixes|security|"
                             r"vulnerab\w*|free|open)\b", re.IGNORECASE)
_DANGLING_PRONOUN = re.compile(r"(?:it|they|this|that|these)\b", re.IGNORECASE)  # needs what came before


@dataclass
class Sentence:
    index: int
    text: str  # cleaned
    score: float = 0.0

    @property
    def words(self) -> int:
        return len(self.text.split())


def clean_sentence(sentence: str) -> str:
    """One transcript sentence as an editor would print it, or "" when nothing is left."""
    text = " ".join(sentence.split())
    text = without_speaker_labels(text)
    text = _without_disfluencies(text)  # first: "Um, next up" is a lead-in once the "um" is out
    text = cues.LEAD_IN.sub("", text)
    text = _QUALIFIER.sub("", text)
    text = _SELF_REFERENCE.sub("", text)
    text = _drop_calls_to_action(text)
    text = _tidy(text)
    return text if len(text.split()) >= 4 and not cues.STILL_GREETING.search(text) else ""


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


def _drop_calls_to_action(text: str) -> str:
    clauses = re.split(r"(?<=,)\s+|\s+(?=(?:and|so|but) )", text)
    kept = [c for c in clauses if not _CALL_TO_ACTION.search(c)]
    if len(kept) == len(clauses):
        return text
    return " ".join(kept).rstrip(",")


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r"^[,;:\s]+|[,;:\s]+$", "", text)
    text = re.sub(r"\s+(?:and|so|but|or)$", "", text)
    if not text:
        return ""
    if text[-1] not in ".!?":
        text += "."
    return text[:1].upper() + text[1:]


def cleaned_sentences(text: str) -> list[Sentence]:
    out = []
    for i, raw in enumerate(split_sentences(text)):
        cleaned = clean_sentence(raw.text)
        if cleaned:
            out.append(Sentence(i, cleaned))
    return out


def summarise(text: str, max_words: int = SUMMARY_WORDS, max_sentences: int = SUMMARY_SENTENCES) -> str:
    """1-3 sentences that say what the story is and why it matters, within ``max_words``."""
    sentences = _scored(cleaned_sentences(text))
    return " ".join(s.text for s in _pick(sentences, max_sentences, max_words))


def key_points(text: str, summary: str, limit: int = POINTS) -> list[str]:
    """For long stories: up to ``limit`` sentences beyond the summary, in the story's order."""
    if len(text.split()) < LONG_STORY_WORDS:
        return []
    rest = [s for s in _scored(cleaned_sentences(text)) if s.text not in summary and s.words >= 6]
    chosen = sorted(sorted(rest, key=lambda s: -s.score)[:limit], key=lambda s: s.index)
    return [_clip(s.text, POINT_WORDS) for s in chosen]


def _scored(sentences: list[Sentence]) -> list[Sentence]:
    counts = Counter(w for s in sentences for w in _content(s.text))
    for rank, sentence in enumerate(sentences):
        sentence.score = _sentence_score(sentence, rank, counts)
    return sentences


def _sentence_score(sentence: Sentence, rank: int, counts: Counter[str]) -> float:
    """Opening sentences say what it is; numbers and comparisons say why it matters; sentences
    sharing the story's frequent words are central to it; run-ons and questions read badly."""
    text = sentence.text
    words = set(_content(text))
    centrality = sum(counts[w] - 1 for w in words) / (len(words) + 3)
    score = max(0.0, 2.0 - rank * 0.7) + centrality
    score += 0.8 * bool(_WHAT_IT_IS.search(text)) + 0.6 * bool(_WHY_IT_MATTERS.search(text))
    score -= 1.0 * (sentence.words > 45) + 0.8 * text.endswith("?")
    score -= 0.4 * bool(rank and _DANGLING_PRONOUN.match(text))
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
