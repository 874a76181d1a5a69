"""Page titles into the names a publisher prints: the site's furniture taken off, the page's own
words, capitals and small words kept ("GitHub - astral-sh/uv: An extremely fast Python package
manager" -> "uv: An extremely fast Python package manager"; "Open Social — overreacted" -> "Open
Social"; "[2211.06956] Seeing Beyond the Brain" -> "Seeing Beyond the Brain")."""

from __future__ import annotations

import re
from urllib.parse import urlparse

# Between a page's title and its site's name. A hyphen or en dash may also sit inside a title
# ("Python 3.13 - What's New"), so it only separates a part that names the site; the others are
# seldom anything but a site separator.
_SITE_SEPARATOR = re.compile(r"\s+(?:[|·—⚡»\\]|::)\s+")
_MAYBE_SEPARATOR = re.compile(r"\s+[-–]\s+")
_PAPER_ID = re.compile(r"^\[[\w./-]*\d[\w./-]*\]\s*")  # arXiv's "[2211.06956] " before the title
_REPOSITORY = re.compile(r"^[\w.-]+/([\w.-]+)(?::\s*(.*))?$", re.DOTALL)  # "owner/repo: what it is"
_WORD = re.compile(r"[a-z0-9]+")
_HOST_FURNITURE = ("www", "com", "org", "net", "io", "dev", "co", "uk", "app", "blog", "docs")


def clean_title(title: str, url: str, site: str = "") -> str:
    """``title`` without the site's name, taglines and id prefixes; a repository's title as
    "repo: what it is". ``site``: the page's og:site_name, when it gives one."""
    title = _PAPER_ID.sub("", " ".join(title.split()))
    names = _site_names(url, site)
    parts = _SITE_SEPARATOR.split(title)
    if len(parts) > 1:
        parts = _without_site(parts, names) or parts[:1]
        title = " | ".join(parts) if len(parts) > 1 else parts[0]
    maybe = _MAYBE_SEPARATOR.split(title)
    if len(maybe) > 1 and (_is_site(maybe[0], names) or any(_names_site(p, names) for p in maybe[1:])):
        title = " - ".join(_without_site(maybe, names)) or title
    return _repository(title).strip(" -|:·")


def short_name(title: str, most_words: int = 4) -> str:
    """The name a title leads with ("Dayflow: A private, automatic work journal" -> "Dayflow"),
    else the whole title."""
    head, colon, _ = title.partition(": ")
    return head if colon and len(head.split()) <= most_words else title


def _without_site(parts: list[str], names: set[str]) -> list[str]:
    """The parts before the first that names the site (a tagline may follow it), or after it
    when the site leads ("GitHub - owner/repo")."""
    if _is_site(parts[0], names):
        return parts[1:2]
    for i, part in enumerate(parts[1:], start=1):
        if _names_site(part, names):
            return parts[:i]
    return parts[:-1]


def _is_site(part: str, names: set[str]) -> bool:
    """The whole part is (within) the site's name: "GitHub", "Weave" for workweave.dev."""
    joined = "".join(_WORD.findall(part.lower()))
    return bool(joined) and any(joined in name for name in names)


def _names_site(part: str, names: set[str]) -> bool:
    """Whether a part after the title names the site: "npm Docs" for docs.npmjs.com, "The Fly
    Blog" for fly.io, "GreyNoise Labs" for labs.greynoise.io."""
    words = _WORD.findall(part.lower())
    joined = "".join(words)
    return _is_site(part, names) or any(
        name in joined if len(name) >= 5 else any(name.startswith(w) for w in words if len(w) >= 3)
        for name in names)


def _site_names(url: str, site: str) -> set[str]:
    host = (urlparse(url).hostname or "").lower()
    names = {label for label in host.split(".") if len(label) >= 3 and label not in _HOST_FURNITURE}
    names |= {"".join(_WORD.findall(label)) for label in names}
    if joined := "".join(_WORD.findall(site.lower())):
        names.add(joined)
    return {name for name in names if len(name) >= 3}


def _repository(title: str) -> str:
    """"owner/repo: what it is" (GitHub's, Hugging Face's titles) -> "repo: what it is", the name
    spelt as the tagline spells it; a tagline that only repeats the name goes ("hlogf: hlogf")."""
    match = _REPOSITORY.match(title)
    if not match:
        return title
    name, about = match.group(1), (match.group(2) or "").strip()
    if spelled := re.search(rf"(?<!\w){re.escape(name)}(?!\w)", about, re.IGNORECASE):
        name = spelled.group()  # "timescaledb: TimescaleDB is ..." -> as the project writes itself
    if not about or "".join(_WORD.findall(about.lower())) == "".join(_WORD.findall(name.lower())):
        return name
    return f"{name}: {about}"
