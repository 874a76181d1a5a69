"""What a linked page is (paper, repository, demo...) and how a host says so in speech."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from recap.core.document import Link
from recap.language.cues import Cues

_KIND_BY_PLACE = (  # matched against host + path, without "www."
    (re.compile(r"^(?:arxiv\.org|openreview\.net|aclanthology\.org|papers\.)|\.pdf$"), "paper"),
    (re.compile(r"^(?:github\.com|gitlab\.com|codeberg\.org)/"), "repository"),
    (re.compile(r"^huggingface\.co/spaces/"), "demo"),
    (re.compile(r"^(?:huggingface\.co|kaggle\.com)/datasets/"), "dataset"),
    (re.compile(r"^huggingface\.co/"), "model"),
    (re.compile(r"^(?:youtube\.com/watch|youtu\.be/|vimeo\.com/\d)"), "video"),
)
MENTIONED_KINDS = ("paper", "repository", "demo", "dataset")  # "post" and "model" are too vague in speech
# A clip played places a video link ("Here's a moment from that show"), but a video show says
# "video" too often for an article to note a video as unlinked.
POINTED_KINDS = (*MENTIONED_KINDS, "video")


def link_kind(link: Link, cues: Cues) -> str | None:
    """What the link is: paper, repository, demo, dataset, post, model or video (None when unclear)."""
    parsed = urlparse(link.url)
    where = (parsed.netloc + parsed.path).lower().removeprefix("www.")
    for pattern, kind in _KIND_BY_PLACE:
        if pattern.search(where):
            return kind
    for kind, words in cues.entries("kind_said").items():  # how the profile says each kind
        if words.search(link.label):
            return kind
    return None


def kinds_said(text: str, cues: Cues, kinds: tuple[str, ...] = MENTIONED_KINDS) -> list[str]:
    """The ``kinds`` of thing a story points at in words ("check out the paper", "the repo")."""
    said = cues.entries("kind_said")
    return [kind for kind in kinds if kind in said and said[kind].search(text)]
