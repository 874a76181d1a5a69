"""Links from a video description, and which story each one belongs to."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlparse

from recap.document import Link, Story

_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
_LABEL_TRIM = " \t-–—:|•*>[]()"
# Channel furniture: social accounts, chat servers, donations, shops, sponsor codes.
_BOILERPLATE_HOSTS = (
    "twitter.com", "x.com", "facebook.com", "instagram.com", "tiktok.com", "linkedin.com",
    "discord.gg", "discord.com", "patreon.com", "buymeacoffee.com", "ko-fi.com", "paypal.me",
    "paypal.com", "teespring.com", "spreadshirt", "merch", "twitch.tv", "mastodon", "threads.net",
    "bsky.app", "substack.com", "t.me",
)
_BOILERPLATE_LABEL = re.compile(
    r"\b(?:follow|subscribe|support|merch|store|shop|discord|patreon|twitter|sponsor|donate|"
    r"instagram|linkedin|newsletter|join|code|discount|affiliate|tip)\b",
    re.IGNORECASE,
)


def is_http_url(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def description_links(description: str) -> list[Link]:
    """Every http(s) URL in the description with the words beside it as its label."""
    links, seen = [], set()
    for line in description.splitlines():
        for match in _URL.finditer(line):
            url = match.group().rstrip(".,;")
            if url in seen or not is_http_url(url):
                continue
            seen.add(url)
            label = (line[:match.start()] + " " + line[match.end():]).strip(_LABEL_TRIM)
            links.append(Link(url=url, label=" ".join(label.split())))
    return links


def is_boilerplate(link: Link) -> bool:
    host = urlparse(link.url).netloc.lower()
    return any(b in host for b in _BOILERPLATE_HOSTS) or bool(_BOILERPLATE_LABEL.search(link.label))


_TOKEN = re.compile(r"[a-z0-9]+")
_URL_NOISE = {"https", "http", "www", "com", "org", "net", "io", "html", "abs", "pdf", "blog",
              "news", "example", "github", "huggingface", "spaces", "arxiv", "the", "and"}


def url_words(link: Link) -> set[str]:
    parsed = urlparse(link.url)
    words = set(_TOKEN.findall(f"{parsed.netloc} {parsed.path} {link.label}".lower()))
    return {w for w in words if w not in _URL_NOISE and len(w) > 2}


def assign_links(links: Sequence[Link], stories: Sequence[Story]) -> tuple[dict[int, list[Link]], list[Link]]:
    """Each link goes to the story sharing most of its words; the rest go to the footer."""
    story_words = [set(_TOKEN.findall(s.text.lower())) for s in stories]
    placed: dict[int, list[Link]] = {}
    footer: list[Link] = []
    for link in links:
        if is_boilerplate(link):
            footer.append(link)
            continue
        words = url_words(link)
        overlaps = [len(words & sw) for sw in story_words]
        best = max(range(len(stories)), key=lambda i: overlaps[i], default=None)
        if best is None or overlaps[best] == 0:
            footer.append(link)
        else:
            placed.setdefault(best, []).append(link)
    return placed, footer
