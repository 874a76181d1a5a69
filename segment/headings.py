"""A heading that names what a story is about: the paper, product, model, library or company.

Candidates come from the story's opening sentences, strongest first: an explicit name ("a paper
called X", a quoted title, "Bitcoin Core #123"), a release ("X has released Y"), a definition
("X is a new ..."), spaCy's named entities, title-cased runs and, last, noun chunks. Names the
story repeats score higher. ``hints`` are names from the story's links: when one matches what
was said, its spelling wins over the transcript's (ASR lowercases and misspells names).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from recap.language.cues import Cues, group
from recap.language.lexicon import english_words, stop_words
from recap.stages.segment.parsing import lead_text, parse

MAX_WORDS = 8
MAX_QUOTED_WORDS = 16  # a quoted title is kept whole, even a long question
_SMALL_WORDS = frozenset(english_words("small_words"))
_NAME_JOINERS = frozenset(english_words("name_joiners"))
_KIND_NOUNS = frozenset(english_words("kind_nouns"))
# A name the transcript lowercased is read more warily: no numbers, no "with" or "in".
_LOWERCASE_POS = {"PROPN", "NOUN", "ADJ"}
_LOWERCASE_JOINERS = frozenset(english_words("lowercase_joiners"))
_NAME_POS = {"PROPN", "NOUN", "ADJ", "NUM", "X", "SYM"}
_QUOTED = re.compile(r"[\"“]([^\"“”]{2,90})[\"”]")
_VERSIONED = re.compile(r"\b((?:[A-Z][\w-]*\s){0,3}[A-Z][\w-]*)\s(v?\d+(?:\.\d+)+[\w.-]*)")
_GENERIC = frozenset(english_words("generic_nouns"))
# Words that name no particular thing: a heading of only these (and small words) says nothing.
_NAMES_NOTHING = _GENERIC | frozenset(english_words("names_nothing"))
_DETERMINERS = frozenset(english_words("determiners"))
_NAME_DETERMINER = re.compile(r"^(?:" + "|".join(english_words("name_determiners")) + r")\s+", re.IGNORECASE)


# How strongly each kind of evidence says "this is what the story is about".
SCORES = {
    "project_ref": 6.5,  # "Bitcoin Core #123": a news item's own label
    "called": 6.0,  # "a paper called X"
    "item": 4.5,  # "the next item is X"
    "release": 4.5,  # "Maple Research has released X"
    "quoted": 4.0,  # a quoted title
    "versioned": 4.0,  # "LND v0.18.0"
    "definition": 3.5,  # "X is a new ..."
    "by": 3.0,  # "X by Y"
    "maker": 2.5,  # "X has released a new model": X, when the thing has no name
    "title_run": 1.5,  # capitalised words inside a sentence
    "noun_chunk": 0.5,
}


@dataclass
class Candidate:
    text: str
    score: float


def heading_for(text: str, cues: Cues, hints: Sequence[str] = (), avoid: Iterable[str] = (),
                said: Candidate | None = None) -> str:
    """The name of what ``text`` is about; ``hints`` (link names) win when they match what was said;
    ``avoid`` holds names that are never the subject (the show's own name). ``said``: the
    strongest_name(text, avoid) a caller already scored, so it is not scored twice."""
    lead = lead_text(text, cues)
    if not lead:
        return cues.title("untitled")
    best = said if said is not None else strongest_name(text, cues, avoid)
    hint = matching_hint(hints, best, lead)
    if hint:
        return hint
    if best is None:
        return _shorten(capitalise(lead.split(".")[0]))
    return capitalise(best.text) if _is_quoted(best.text, lead) else _shorten(capitalise(best.text))


def strongest_name(text: str, cues: Cues, avoid: Iterable[str] = ()) -> Candidate | None:
    """The best-supported name in the story's opening, with its score (see SCORES)."""
    lead = lead_text(text, cues)
    avoided = {w.lower() for phrase in avoid for w in content_words(phrase)}
    candidates = [c for c in candidates_in(lead, cues)
                  if not _is_avoided(c.text, avoided) and not is_generic(c.text)] if lead else []
    for candidate in candidates:
        candidate.score += _repetition_bonus(candidate.text, text)
    return max(candidates, key=lambda c: c.score, default=None)


def is_generic(name: str) -> bool:
    """True for a name that names nothing in particular ("Library", "The AI", "GPU updates", a
    lone letter: "M")."""
    words = [w.lower().strip(".-'") for w in re.findall(r"[\w'+#.-]+", name)]
    return all(len(w) < 2 or w in _NAMES_NOTHING or w in stop_words() or _is_number(w) for w in words)


def _is_number(word: str) -> bool:
    """"10", "2,000", "4.5": a count names nothing on its own."""
    return bool(re.fullmatch(r"[\d.,]+", word))


def candidates_in(lead: str, cues: Cues) -> list[Candidate]:
    doc = parse(lead)
    found: list[Candidate] = []
    found += _after(cues.called, doc, SCORES["called"])
    found += _after(cues.item_named, doc, SCORES["item"])
    found += [Candidate(m.group(1).strip(" ,."), SCORES["quoted"]) for m in _QUOTED.finditer(lead)
              if len(m.group(1).split()) <= MAX_QUOTED_WORDS]
    found += [Candidate(_project_ref(group(m, "name"), group(m, "ref")), SCORES["project_ref"])
              for m in cues.project_ref.finditer(lead)]
    found += [Candidate(_project_ref(m.group(1), m.group(2)), SCORES["versioned"])
              for m in _VERSIONED.finditer(lead)]
    found += [Candidate(_strip_determiner(name), SCORES["by"]) for m in cues.made_by.finditer(lead)
              if (name := group(m, "name")) and name.split()[0].lower() not in stop_words()]
    found += _releases(doc, cues)
    found += _definitions(doc, cues)
    found += _entities(doc)
    found += _title_runs(doc)
    found += _noun_chunks(doc)
    return [c for c in found if c.text and content_words(c.text)]


def _after(pattern: re.Pattern[str], doc, score: float) -> list[Candidate]:
    """The name that follows each match of ``pattern`` ("called X", "next item is X")."""
    out = []
    for match in pattern.finditer(doc.text):
        span = doc.char_span(match.end(), len(doc.text), alignment_mode="expand")
        if span is None:
            continue
        quoted = _QUOTED.match(doc.text, match.end())
        name = quoted.group(1).strip(" ,.") if quoted else _name_at(span)
        if name:
            out.append(Candidate(name, score - 0.02 * match.start() / 100))
    return out


def _name_at(span) -> str:
    """The name that opens ``span``: capitalised words (with "for", "to"... between them), or, when
    the transcript lowercased it, a short run of nouns and adjectives."""
    tokens = [t for t in span if not t.is_space]
    if not tokens:
        return ""
    capitalised = _is_capitalised(tokens[0].text)
    taken = []
    for i, token in enumerate(tokens):
        if len(taken) >= MAX_WORDS or token.is_punct and token.text not in "-+&":
            break
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if taken and token.lower_ in (_NAME_JOINERS if capitalised else _LOWERCASE_JOINERS):
            if nxt is not None and (_is_capitalised(nxt.text) if capitalised else nxt.pos_ in _LOWERCASE_POS):
                taken.append(token)
                continue
            break
        if capitalised and not (_is_capitalised(token.text) or token.like_num):
            break
        if not capitalised and (token.pos_ not in _LOWERCASE_POS or len(taken) >= 4):
            break
        taken.append(token)
    name = "".join(t.text_with_ws for t in taken).strip(" -")
    if not capitalised or not name:
        return title_case(name)
    rest = tokens[len(taken):]
    if rest and rest[0].lower_ in _KIND_NOUNS:
        return f"{name} {rest[0].text}"  # "the Falcon chip": the kind says what the name is
    tail = _lowercase_tail(rest)
    return title_case(" ".join([name, *(t.text for t in tail)])) if tail else name


def _project_ref(name: str, ref: str) -> str:
    """"Bitcoin Core #123", "LND v0.18.0-beta": the project's name without a sentence's lead words."""
    words = name.split()
    while words and (words[0].lower() in stop_words() or words[0].lower() in _GENERIC):
        words.pop(0)
    if not words or words[-1].lower() in _GENERIC:
        return ""
    return f"{' '.join(words)} {ref.rstrip('.-')}"


def _lowercase_tail(tokens: Sequence) -> list:
    """The rest of a title the transcript lowercased ("Power mixtures for speech."): nouns and
    joiners that run to the sentence's end, where a clause would go on."""
    tail = []
    for token in tokens[:5]:
        if token.is_punct or token.is_sent_start:
            ends_title = tail and tail[-1].pos_ in ("NOUN", "PROPN") and tail[-1].lower_ not in _NAME_JOINERS
            return tail if ends_title else []
        if token.pos_ not in _NAME_POS and token.lower_ not in _NAME_JOINERS:
            return []
        tail.append(token)
    return []


def _releases(doc, cues: Cues) -> list[Candidate]:
    """"X has released Y": Y when it is a name, else X (the maker) as a weaker guess."""
    out = []
    for match in cues.release_said.finditer(doc.text):
        after = doc.char_span(match.end(), len(doc.text), alignment_mode="expand")
        before = doc.char_span(0, match.start(), alignment_mode="contract")
        tokens = _drop_leading_determiners(after) if after is not None else []
        thing = _name_at(tokens) if tokens and _is_capitalised(tokens[0].text) else ""
        if thing:
            out.append(Candidate(thing, SCORES["release"]))
        elif before is not None and len(before) and before[-1].pos_ == "PROPN":
            out.append(Candidate(_proper_tail(before), SCORES["maker"]))
    return out


def _definitions(doc, cues: Cues) -> list[Candidate]:
    """"Harbor is a seven billion parameter model": the subject of a defining sentence."""
    out = []
    for sent in doc.sents:
        match = cues.defined_as.search(sent.text)
        if not match:
            continue
        subject = sent.text[:match.start()].strip()
        first = subject.split()[0].lower() if subject else ""
        if 0 < len(subject.split()) <= 4 and _is_capitalised(subject) and first not in stop_words():
            out.append(Candidate(subject, SCORES["definition"]))
    return out


_ENTITY_SCORES = {"PRODUCT": 3.0, "WORK_OF_ART": 3.0, "ORG": 2.5, "EVENT": 2.5, "LAW": 2.0, "PERSON": 1.5,
                  "FAC": 1.5, "GPE": 1.0, "NORP": 0.5}


def _entities(doc) -> list[Candidate]:
    return [Candidate(_strip_determiner(ent.text), _ENTITY_SCORES[ent.label_] - 0.3 * _sentence_index(ent))
            for ent in doc.ents if ent.label_ in _ENTITY_SCORES and len(ent.text) > 1]


def _title_runs(doc) -> list[Candidate]:
    """Capitalised words away from a sentence start ("the Falcon chip"), which NER often misses."""
    out, run = [], []
    for token in [*doc, None]:
        if token is not None and _is_capitalised(token.text) and not token.is_sent_start \
                and token.lower_ not in stop_words():  # "I" too
            run.append(token)
            continue
        if run:
            score = SCORES["title_run"] - 0.3 * _sentence_index(run[0])
            out.append(Candidate(" ".join(t.text for t in run), score))
            run = []
    return out


def _noun_chunks(doc) -> list[Candidate]:
    if not doc.has_annotation("DEP"):  # the blank fallback pipeline has no parser
        return []
    return [Candidate(_strip_determiner(c.text), SCORES["noun_chunk"] - 0.1 * c.start / max(len(doc), 1))
            for c in doc.noun_chunks if _useful_chunk(c)]


def matching_hint(hints: Sequence[str], best: Candidate | None, lead: str) -> str | None:
    """A link's name when it names what was said: it contains the best candidate's words, or the
    lead says it (perhaps misheard: "catch to song" for "Sketch to Song") and nothing strong competes."""
    for hint in hints:
        words = {w.lower() for w in content_words(hint)}
        if not words:
            continue
        said = fuzzy_find(hint, lead) >= 0.75
        if best is not None and words & {w.lower() for w in content_words(best.text)} and (
                said or _words_in(words, lead)):
            return hint
        if said and (best is None or best.score < SCORES["called"] - 1):
            return hint
    return None


def fuzzy_find(phrase: str, text: str) -> float:
    """How well ``phrase`` matches its closest same-length window of ``text`` (0..1)."""
    target = phrase.lower()
    words = text.lower().split()
    size = len(target.split())
    best = 0.0
    for width in {max(size - 1, 1), size, size + 1}:
        for i in range(max(len(words) - width + 1, 1)):
            window = " ".join(words[i:i + width]).strip(".,;:!?\"'")
            best = max(best, difflib.SequenceMatcher(None, target, window).ratio())
    return best


def content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w+#.-]+", text) if w.lower().strip(".-") not in stop_words()
            and w.strip(".-")]


def title_case(name: str) -> str:
    """"kitchen world" -> "Kitchen World"; words that already carry capitals keep them."""
    words = name.split()
    return " ".join(
        w if any(c.isupper() for c in w) or (i and w in _SMALL_WORDS) else w[:1].upper() + w[1:]
        for i, w in enumerate(words))


def _repetition_bonus(name: str, text: str) -> float:
    """The story's subject is said again and again; a passing mention is not."""
    words = [w.lower() for w in content_words(name) if w.lower() not in _GENERIC]
    if not words:
        return -1.0
    lowered = text.lower()
    count = min(lowered.count(w) for w in words)
    return 0.4 * min(count - 1, 3)


def _is_quoted(name: str, lead: str) -> bool:
    return any(m.group(1).strip(" ,.") == name for m in _QUOTED.finditer(lead))


def _words_in(words: set[str], text: str) -> bool:
    lowered = text.lower()
    return all(w in lowered for w in words)


def _is_avoided(name: str, avoided: set[str]) -> bool:
    """All of ``name``'s words are avoided ones, but for numbers ("Changelog #479")."""
    words = {w.lower() for w in content_words(name) if not _is_number(w.lstrip("#"))}
    return bool(avoided) and bool(words) and words <= avoided


def _useful_chunk(chunk) -> bool:
    return chunk.root.pos_ != "PRON" and not chunk.root.is_stop and chunk.root.lower_ not in _GENERIC


def _is_capitalised(text: str) -> bool:
    """True for "Harbor", "7B", "eDiff-I": the first word carries a capital or opens with a digit."""
    word = text.split()[0] if text.split() else ""
    return bool(word) and (word[0].isupper() or word[0].isdigit() or any(c.isupper() for c in word[1:]))


def _proper_tail(span) -> str:
    tokens = []
    for token in reversed(span):
        if token.pos_ != "PROPN":
            break
        tokens.insert(0, token.text)
    return " ".join(tokens)


def _sentence_index(span) -> int:
    doc = span.doc
    start = span.start if hasattr(span, "start") else span.i
    return sum(1 for s in doc.sents if s.end <= start)


def _drop_leading_determiners(span) -> list:
    tokens = list(span)
    while tokens and tokens[0].lower_ in _DETERMINERS:
        tokens.pop(0)
    return tokens


def _strip_determiner(text: str) -> str:
    return _NAME_DETERMINER.sub("", text.strip())


def capitalise(text: str) -> str:
    text = text.strip(" .,;:")
    return text[:1].upper() + text[1:]


def _shorten(text: str) -> str:
    words = text.split()
    return " ".join(words[:MAX_WORDS]) if len(words) > MAX_WORDS else text


# The host talking rather than reading a headline: "I think...", "So...", "It's now time for...".
