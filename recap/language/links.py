"""What a linked page is (paper, repository, demo...), how a host says so in speech, and the words a
host would say for a link (its site, its path's slug, its label or page title)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from urllib.parse import unquote, urlparse

from recap.core.document import Link
from recap.language.cues import Cues
from recap.language.lexicon import english_words

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
_WORD = re.compile(r"[a-z0-9]+")
_NUMBERS = dict(enumerate(english_words("spoken_numbers")))
# Words of URLs that name no subject: hosts' furniture, path furniture, kinds of thing (any
# story may say "dataset" or "paper"), link shorteners, and small words.
_NOISE = frozenset(english_words("link_noise"))


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


def link_words(link: Link, own_sites: frozenset[str] = frozenset(),
               shared: frozenset[str] = frozenset()) -> list[str]:
    """The words a host would say for this link: site name, path slug and label (else its page's
    title, less the ``shared`` words other links' titles hold too), without furniture.
    ``own_sites``: the words of the show's own sites, which name no story ("changelog.fm/625")."""
    parsed = urlparse(link.url)
    site = " ".join(w for w in _WORD.findall(_site(link)) if w not in own_sites)
    named = link.label or " ".join(w for w in _WORD.findall(link.title.lower()) if w not in shared)
    text = f"{site} {unquote(parsed.path).lower()} {named.lower()}"
    words = []
    for word in _WORD.findall(text):
        if word in _NOISE or len(word) < 2 or _is_opaque(word) or (word.isdigit() and len(word) == 4):
            continue  # a year says nothing about which story
        words.append(_NUMBERS.get(int(word), word) if word.isdigit() else word)
    return list(dict.fromkeys(words))


def shared_title_words(links: Sequence[Link]) -> frozenset[str]:
    """Words in the page titles of two or more links: they point at neither ("Claude Code" in two
    repositories' taglines). A label is the publisher's own name for its link and keeps its words."""
    seen = Counter(w for link in links if not link.label for w in set(_WORD.findall(link.title.lower())))
    return frozenset(word for word, times in seen.items() if times > 1)


# Sites that hold many people's things: two links there share a source only where their first two
# path parts agree (one repository's issues, one project's page, one account's posts).
_SHARED_HOSTS = ("github.com", "gitlab.com", "codeberg.org", "bitbucket.org", "huggingface.co",
                 "youtube.com", "x.com", "twitter.com", "bsky.app", "linkedin.com", "reddit.com",
                 "medium.com", "substack.com", "pypi.org", "npmjs.com", "crates.io", "arxiv.org",
                 "wikipedia.org", "dev.to", "news.ycombinator.com")
NAME_LINKS = 3  # a word more of the description's links hold is a common term, not a name


def listed_together(links: Sequence[Link]) -> list[bool]:
    """For each link, whether it is about what the link listed before it is about: it comes from
    the same source, or both carry a name ("codeberg.org/ziglang/zig" after "ziglang.org/news/...").
    A description lists a story's links together, so such neighbours are one story's."""
    names = [{w for w in link_words(link) if len(w) >= 4 and not w.isdigit()} - _shared_site_words(link)
             for link in links]
    held = Counter(w for named in names for w in named)
    return [i > 0 and (_one_source(links[i - 1], link)
                       or any(held[w] <= NAME_LINKS for w in names[i - 1] & names[i]))
            for i, link in enumerate(links)]


def _one_source(first: Link, second: Link) -> bool:
    """Whether two links come from one source: a site of its own, or one repository, project or
    account on a shared site."""
    host, path = _host_and_path(first)
    other_host, other_path = _host_and_path(second)
    if host != other_host:
        return False
    if _on_shared_host(host):
        return len(path) >= 2 and path[:2] == other_path[:2]
    return True


def _shared_site_words(link: Link) -> set[str]:
    """The words of a shared site's name ("pypi", "github"): a name of the site, not of the thing."""
    host = _host_and_path(link)[0]
    return set(_WORD.findall(host)) if _on_shared_host(host) else set()


def _on_shared_host(host: str) -> bool:
    return any(host == shared or host.endswith("." + shared) for shared in _SHARED_HOSTS)


def _host_and_path(link: Link) -> tuple[str, list[str]]:
    parsed = urlparse(link.url)
    return parsed.netloc.lower().removeprefix("www."), parsed.path.lower().strip("/").split("/")


def _site(link: Link) -> str:
    return urlparse(link.url).netloc.lower().removeprefix("www.").rsplit(".", 1)[0]


def site_words(links: Sequence[Link]) -> frozenset[str]:
    """The words of these links' sites ("cdn.changelog.com" -> cdn, changelog)."""
    return frozenset(w for link in links for w in _WORD.findall(_site(link)) if w not in _NOISE)


def _is_opaque(word: str) -> bool:
    """Ids and hashes: letters and digits mixed with no word in them."""
    digits = sum(c.isdigit() for c in word)
    return (digits >= 2 and not word.isdigit() and len(word) >= 6) or (word.isdigit() and len(word) > 4)
