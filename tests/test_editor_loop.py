"""The editor's loop loses no word: whatever an editor does to clean.md short of deleting text
(join, split, retitle, move stamps, type Markdown or HTML), every word reaches the article."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from recap.stages.clean.edited import parse_markdown, stories_from_blocks
from recap.stages.clean.markdown import NOTE

STRAY = ["*", "**", "_", "`", "<b>", "</b>", "<!--", "-->", "[x]", "#", "\\", "é", "—", "😀", "&amp;", "|"]
WORD = re.compile(r"\bw\d+\b")


def clean_md(stories: int, paragraphs: int, words: int) -> tuple[str, list[str]]:
    """clean.md as recap writes it: titled stories of timed paragraphs, numbered words w0, w1, ..."""
    lines, said, n = ["# Show", "", NOTE, ""], [], 0
    for s in range(stories):
        lines += [f"## Story {s} <!-- kind: story -->" if s else "## Intro <!-- kind: intro -->", ""]
        for p in range(paragraphs):
            text = " ".join(f"w{n + k}" for k in range(words))
            said += [f"w{n + k}" for k in range(words)]
            n += words
            lines += [f"[{(s * paragraphs + p) // 60}:{(s * paragraphs + p) % 60 * 1:02d}] {text}", ""]
    lines.append('<!-- recap-clean {"version": 1, "episode": {"id": "x", "title": "Show"}} -->')
    return "\n".join(lines) + "\n", said


def edit(lines: list[str], op: str, where: int, stray: str) -> list[str]:
    """One editor's edit at line ``where`` (taken modulo the document)."""
    lines = list(lines)
    i = where % len(lines)
    line = lines[i]
    if op == "join" and not line.strip() and 0 < i < len(lines) - 1:
        del lines[i]  # two paragraphs (or a heading and its paragraph) become one block
    elif op == "split" and " " in line.strip():
        head, _, tail = line.partition(" ")
        lines[i:i + 1] = [head, "", tail]
    elif op == "retitle" and line.startswith("## ") and " [" not in line:
        lines[i] = f"## New {stray} title"  # (a heading joined with its text keeps its text)
    elif op == "join_heading" and line.startswith("## "):
        following = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
        if following is not None and not lines[following].startswith(("#", "<!--")):
            lines[i:following + 1] = [f"{line} {lines[following]}"]  # the blank lines between go
    elif op == "unheading" and line.startswith("## "):
        lines[i] = line[3:]  # the editor turns a heading into a paragraph
    elif op == "stamp" and line.startswith("["):
        lines[i] = re.sub(r"^\[[^\]]*\]", f"[{where % 99}:{where % 97}]", line)
    elif op == "stray" and line.strip() and not line.startswith(("#", "<!--")):
        words = line.split(" ")
        words.insert(1 + where % len(words), stray)
        lines[i] = " ".join(words)
    elif op == "setext" and line.strip() and not line.startswith(("#", "[", "<!--")):
        lines.insert(i + 1, "=" * 3)
    return lines


EDITS = st.lists(st.tuples(st.sampled_from(["join", "split", "retitle", "join_heading", "unheading", "stamp",
                                            "stray", "setext"]),
                           st.integers(min_value=0, max_value=10_000), st.sampled_from(STRAY)),
                 max_size=25)


# the same 300 edits on every run (derandomize), and no example database left in the checkout
@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(stories=st.integers(1, 4), paragraphs=st.integers(1, 3), words=st.integers(1, 15), edits=EDITS)
def test_random_editor_edits_never_lose_a_word(stories, paragraphs, words, edits):
    markdown, said = clean_md(stories, paragraphs, words)
    lines = markdown.split("\n")
    for op, where, stray in edits:
        lines = edit(lines, op, where, stray)
    title, blocks = parse_markdown("\n".join(lines))
    rendered = stories_from_blocks(blocks, duration=3600.0)
    headed = (story.title if story.title_from == "editor" else "" for story in rendered)  # a heading's words
    reached = " ".join([title or "", *(f"{head} {story.text}" for head, story in zip(headed, rendered))])
    assert WORD.findall(reached) == said
