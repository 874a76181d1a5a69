"""What a linked page is (paper, repository, demo...) and how a host says so in speech."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from recap.document import Link

_KIND_BY_PLACE = (  # matched against host + path, without "www."
    (re.compile(r"^(?:arxiv\.org|openreview\.net|aclanthology\.org|papers\.)|\.pdf$"), "paper"),
    (re.compile(r"^(?:github\.com|gitlab\.com|codeberg\.org)/"), "repository"),
    (re.compile(r"^huggingface\.co/spaces/"), "demo"),
    (re.compile(r"^(?:huggingface\.co|kaggle\.com)/datasets/"), "dataset"),
    (re.compile(r"^huggingface\.co/"), "model"),
    (re.compile(r"^(?:youtube\.com/watch|youtu\.be/|vimeo\.com/\d)"), "video"),
)
_KIND_WORDS = {
    "paper": r"\bpaper\b|\bpreprint\b|\barxiv\b",
    "repository": r"\brepo(?:sitory)?\b|\bgithub\b|\bsource code\b|\bthe code\b",
    "demo": r"\bdemo\b|\btry it\b|\bplay with\b|\bin your browser\b",
    "dataset": r"\bdataset\b|\bdata set\b",
    "post": r"\bblog\b|\bpost\b|\barticle\b|\bwrite-?up\b|\bannouncement\b",
    "model": r"\bweights\b|\bmodel card\b|\bcheckpoint\b",
    "video": r"\bvideo\b|\bclip\b|\bkeynote\b|\bhere'?s a (?:moment|bit|taste|snippet)\b",
}
MENTIONED_KINDS = ("paper", "repository", "demo", "dataset")  # "post" and "model" are too vague in speech
# A clip played places a video link ("Here's a moment from that show"), but a video show says
# "video" too often for an article to note a video as unlinked.
POINTED_KINDS = (*MENTIONED_KINDS, "video")


def link_kind(link: Link) -> str | None:
    """What the link is: paper, repository, demo, dataset, post, model or video (None when unclear)."""
    parsed = urlparse(link.url)
    where = (parsed.netloc + parsed.path).lower().removeprefix("www.")
    for pattern, kind in _KIND_BY_PLACE:
        if pattern.search(where):
            return kind
    for kind, words in _KIND_WORDS.items():
        if re.search(words, link.label, re.IGNORECASE):
            return kind
    return None


def kinds_said(text: str, kinds: tuple[str, ...] = MENTIONED_KINDS) -> list[str]:
    """The ``kinds`` of thing a story points at in words ("check out the paper", "the repo")."""
    return [kind for kind in kinds if re.search(_KIND_WORDS[kind], text, re.IGNORECASE)]
