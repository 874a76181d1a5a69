"""A profile's phrases compiled into the patterns the segmenter, headings and summaries ask.

The words are data (recap/language/profiles/*.toml, recap/language/english.toml); this module only
knows each table's role: where in a sentence it is looked for, and how its entries combine. An
entry is a regular expression; ``${name}`` in it stands for a fragment, an English word list or a
whole table (see ``Expander``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from recap.language.lexicon import english_words

_I = re.IGNORECASE


class BadEntry(ValueError):
    """One entry of a profile that cannot be used; the loader adds where it stands."""

    def __init__(self, table: str, key: str | None, problem: str) -> None:
        super().__init__(problem)
        self.table, self.key, self.problem = table, key, problem


# How the code reads each table. "opening": at a sentence's start, after filler ("Okay, so, next
# up"); "start": at a sentence's start; "anywhere": searched or matched as the caller needs.
# "entries": each entry apart, by its key; "text": plain text, not a pattern.
ROLES: dict[str, str] = {
    "fragments": "fragments",
    "lead_in": "start", "heading_lead_in": "start", "period_opening": "opening",
    "opener": "opening", "handoff": "anywhere", "acknowledgement": "anywhere", "segment": "entries",
    "promised": "anywhere", "run_on_break": "anywhere",
    "release": "start", "definition": "start",
    "transition": "start", "sponsor_call": "anywhere", "closer": "anywhere", "link_words": "anywhere",
    "greeting": "anywhere", "still_greeting": "anywhere", "show_named": "anywhere", "host_named": "anywhere",
    "story_opener": "anywhere", "sign_off": "anywhere", "outro_opener": "opening", "sponsor": "anywhere",
    "sponsor_read": "anywhere", "section": "opening", "section_announced": "opening",
    "not_a_section": "start", "section_words": "entries", "chapter_kind": "entries", "titles": "text",
    "called": "anywhere", "item_named": "anywhere", "release_said": "anywhere", "defined_as": "anywhere",
    "made_by": "anywhere", "project_ref": "anywhere", "call_to_action": "anywhere", "reporting": "anywhere",
    "furniture_label": "anywhere", "furniture_header": "anywhere", "list_header": "anywhere",
    "pointer": "anywhere", "kind_said": "entries", "qualifier": "anywhere", "self_reference": "anywhere",
    "for_the_viewer": "anywhere", "what_it_is": "anywhere", "why_it_matters": "anywhere",
    "dangling_pronoun": "anywhere", "glossary": "text",
}
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][\w]*)\}")
_GROUP = re.compile(r"\(\?P([<=])(\w+)([>)])")


def words_pattern(words: tuple[str, ...] | frozenset[str]) -> str:
    """Words as one alternation, longest first, so "umm" is tried before "um"."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda word: (-len(word), word)))


class Expander:
    """Puts the text of ``${name}`` into an entry: a fragment of the profile, a whole table as one
    alternation, an English word list, or the filler every opening may start with."""

    def __init__(self, tables: Mapping[str, Mapping[str, Any]]) -> None:
        self.tables = tables
        self.fragments = dict(tables.get("fragments", {}))
        self._busy: list[str] = []

    def expand(self, text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: self.named(m.group(1)), text)

    def named(self, name: str) -> str:
        if name in self._busy:
            raise ValueError(f"${{{name}}} refers to itself")
        self._busy.append(name)
        try:
            return self._lookup(name)
        finally:
            self._busy.pop()

    def _lookup(self, name: str) -> str:
        if name in self.fragments:
            return self.expand(self.fragments[name])
        if name == "filler":
            return rf"(?:(?:{self.named('filler_words')})[,.!]?\s+)*"
        if name == "all_filler":  # filler that gives no words back: an atomic group for Python 3.10
            return rf"(?=(?P<filler>{self.named('filler')}))(?P=filler)"
        if name in self.tables and ROLES.get(name) not in ("entries", "text", "fragments"):
            return "(?:" + self.alternation(name) + ")"
        try:
            return words_pattern(english_words(name))
        except KeyError:
            raise ValueError(f"${{{name}}} names no fragment, table or English word list") from None

    def alternation(self, table: str) -> str:
        """The table's entries, in order, as one alternation; each entry's named groups get the
        entry's number, so two entries may use one name (``group`` finds it)."""
        entries = [self.entry(table, key) for key in self.tables[table]]
        return "|".join(_numbered_groups(pattern, n) for n, pattern in enumerate(entries))

    def entry(self, table: str, key: str) -> str:
        try:
            pattern = self.expand(self.tables[table][key])
            re.compile(pattern, _I)
        except (ValueError, re.error) as exc:
            raise BadEntry(table, key, str(exc)) from None
        return pattern


def _numbered_groups(pattern: str, n: int) -> str:
    if n == 0:
        return pattern
    return _GROUP.sub(lambda m: f"(?P{m.group(1)}{m.group(2)}__{n}{m.group(3)}", pattern)


def group(match: re.Match[str], name: str) -> str | None:
    """The text of the group ``name`` in a match of a table's alternation (in whichever entry)."""
    for key in match.re.groupindex:
        if (key == name or key.startswith(name + "__")) and match.group(key) is not None:
            return match.group(key)
    return None


_WRAPPERS = {"opening": "^{filler}(?:{body})", "start": "^(?:{body})", "anywhere": "(?:{body})"}


@dataclass(frozen=True, eq=False)  # hashed by identity: caches keyed on a profile's cues
class Cues:
    """Every table of a profile, compiled: ``cues.opener.search(sentence)``; ``cues.entries(table)``
    for the tables read entry by entry; ``cues.title(kind)`` for the headings of kinds."""

    patterns: Mapping[str, re.Pattern[str]]
    by_key: Mapping[str, Mapping[str, re.Pattern[str]]]
    texts: Mapping[str, Mapping[str, str]]
    shape: Mapping[str, float]  # the episodes' shape: the shipped bounds, what `recap learn` measured

    @classmethod
    def compile(cls, tables: Mapping[str, Mapping[str, Any]],
                shape: Mapping[str, float] | None = None) -> Cues:
        """Raises BadEntry for the first entry that is no valid pattern."""
        expander = Expander(tables)
        patterns, by_key, texts = {}, {}, {}
        for table, role in ROLES.items():
            entries = tables.get(table, {})
            if role == "text":
                texts[table] = dict(entries)
            elif role == "entries":
                by_key[table] = {key: re.compile(expander.entry(table, key), _I) for key in entries}
            elif role != "fragments":
                # a table left empty matches nothing
                body = expander.alternation(table) if entries else "(?!)"
                wrapped = _WRAPPERS[role].format(filler=expander.named("filler") if role == "opening" else "",
                                                 body=body)
                patterns[table] = re.compile(wrapped, _I)
        return cls(patterns, by_key, texts, dict(shape or {}))

    def __getattr__(self, table: str) -> re.Pattern[str]:
        try:
            return self.patterns[table]
        except KeyError:
            raise AttributeError(table) from None

    def entries(self, table: str) -> Mapping[str, re.Pattern[str]]:
        return self.by_key[table]

    def segment_from(self, name: str) -> float:
        """How early (a share of the episode) the show's recurring segment ``name`` may open: 0
        where the profile sets no bound (the shipped one bounds the segments that end a show;
        `recap learn` measures the show's own)."""
        return self.shape.get(f"{name} from", 0.0)

    @property
    def glossary(self) -> list[str]:
        """The names the show says, spelt as it writes them ([glossary]): what a recogniser garbles."""
        return list(self.texts.get("glossary", {}).values())

    def title(self, kind: str) -> str:
        return self.texts["titles"].get(kind) or kind.capitalize()

    # -- what some tables say, read for the caller ------------------------------------------
    def month_opening(self, text: str) -> str | None:
        """The month a sentence opens on as a review's part ("Next up, February." -> "February")."""
        match = self.period_opening.match(text.lstrip())
        return month.capitalize() if match and (month := group(match, "month")) else None

    def hosts_named(self, greeting: str) -> list[str]:
        """The hosts' names the greeting says ("I'm Michael Kennedy, and I'm Brian")."""
        return [name for match in self.patterns["host_named"].finditer(greeting)
                if (name := group(match, "host"))]

    def show_named(self, greeting: str) -> str | None:
        """The show's name the greeting says, or None."""
        match = self.patterns["show_named"].search(greeting)
        return group(match, "show") if match else None


MONTHS = english_words("months")
