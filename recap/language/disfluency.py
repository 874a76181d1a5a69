"""Find disfluencies and mark them removed, conservatively: a wrong cut changes meaning.

Each rule looks only at the words still kept, so "the, um, the" becomes a plain repeat once
the filler is out. Rules lean on the commas and dashes Whisper writes: without them a
"you know" or a "like" is left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from recap.language.lexicon import Lexicon
from recap.language.tokens import Token, ends_clause, ends_sentence, has_comma, is_cut_off

MAX_REPEAT = 4  # longest phrase checked for an immediate repeat: "let's just let's just"
MAX_FALSE_START = 5  # longest abandoned start: "we were building a, we built"


def mark_disfluencies(tokens: list[Token], lexicon: Lexicon) -> None:
    for rule in RULES:
        rule(tokens, lexicon)


def _kept(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.kept]


def _remove(tokens: Sequence[Token], reason: str) -> None:
    for token in tokens:
        token.removed = reason


def mark_fillers(tokens: list[Token], lexicon: Lexicon) -> None:
    _remove([t for t in tokens if t.norm in lexicon.fillers], "filler")


def mark_stutters(tokens: list[Token], lexicon: Lexicon) -> None:
    """A broken-off fragment the next word completes: "th- the", "I- I"."""
    kept = _kept(tokens)
    for fragment, word in zip(kept, kept[1:]):
        if fragment.norm and is_cut_off(fragment.text) and word.norm.startswith(fragment.norm):
            fragment.removed = "stutter"


def mark_hedges(tokens: list[Token], lexicon: Lexicon) -> None:
    """"you know", "I mean", "like" where commas set them off from the sentence around them."""
    kept, after_cut = _kept(tokens), _after_removed(tokens)
    norms = [t.norm for t in kept]
    for i in range(len(kept)):
        for hedge in lexicon.hedges:
            last = i + len(hedge) - 1
            if tuple(norms[i:last + 1]) == hedge and _set_off(kept, i, last, after_cut, lexicon):
                _remove(kept[i:last + 1], "hedge")


def _set_off(kept: list[Token], first: int, last: int, after_cut: set[int], lexicon: Lexicon) -> bool:
    if any(ends_clause(t.text) for t in kept[first:last]):
        return False  # "you, know" is not the phrase
    before = kept[first - 1] if first else None
    opens = before is None or ends_clause(before.text) or before.norm in lexicon.hedge_openers \
        or id(kept[first]) in after_cut
    closes_with_comma = has_comma(kept[last].text)
    closes_sentence = ends_sentence(kept[last].text) and before is not None and has_comma(before.text)
    return opens and (closes_with_comma or closes_sentence)


def _after_removed(tokens: list[Token]) -> set[int]:
    """ids of kept tokens right after a removed one: a cut filler opens a clause like a comma."""
    return {id(token) for before, token in zip(tokens, tokens[1:]) if token.kept and not before.kept}


def mark_repeats(tokens: list[Token], lexicon: Lexicon) -> None:
    """An immediately repeated word or phrase loses its first copy: "the the", "let's just let's just"."""
    kept = _kept(tokens)
    norms = [t.norm for t in kept]
    i = 0
    while i < len(kept):
        size = _repeat_size(kept, norms, i, lexicon)
        if size:
            _remove(kept[i:i + size], "repeat")
        i += size or 1


def _repeat_size(kept: list[Token], norms: list[str], i: int, lexicon: Lexicon) -> int:
    for size in range(MAX_REPEAT, 0, -1):
        first, second = norms[i:i + size], norms[i + size:i + 2 * size]
        if len(second) < size or first != second or not all(first):
            continue
        if all(word in lexicon.repeatable or word.isdigit() for word in first):
            continue  # "that that is", "very very", "twenty twenty"
        if any(ends_sentence(t.text) for t in kept[i:i + size]):
            continue  # "Harbor. Harbor is": two sentences, not a stammer
        if any(ends_clause(t.text) for t in kept[i:i + size - 1]):
            continue
        return size
    return 0


def mark_false_starts(tokens: list[Token], lexicon: Lexicon) -> None:
    """A clause abandoned mid-phrase and begun again: "we built a, we built the model".

    Three things must hold: the fragment opens a clause, it breaks off on a word no clause ends on
    (an article, a preposition) or with a dash, and the restart repeats its first word.
    """
    kept, after_cut = _kept(tokens), _after_removed(tokens)
    for i in range(len(kept)):
        if kept[i].kept and _opens_clause(kept, i, after_cut):
            end = _abandoned_end(kept, i, lexicon)
            if end:
                _remove(kept[i:end], "false_start")


def _opens_clause(kept: list[Token], i: int, after_cut: set[int]) -> bool:
    return i == 0 or ends_clause(kept[i - 1].text) or id(kept[i]) in after_cut


def _abandoned_end(kept: list[Token], i: int, lexicon: Lexicon) -> int:
    for end in range(i + 2, min(i + MAX_FALSE_START, len(kept) - 1) + 1):
        last = kept[end - 1]
        if any(ends_clause(t.text) for t in kept[i:end - 1]) or ends_sentence(last.text):
            return 0
        breaks_off = is_cut_off(last.text) or (has_comma(last.text) and last.norm in lexicon.dangling)
        if breaks_off and kept[end].norm == kept[i].norm:
            return end
    return 0


RULES: tuple[Callable[[list[Token], Lexicon], None], ...] = (
    mark_fillers, mark_stutters, mark_hedges, mark_repeats, mark_false_starts,
)
