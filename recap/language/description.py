"""The video's description read as its links: each http(s) URL with the words written beside it
(its label), its page's title where one was read, whether it is channel furniture (social
accounts, chat servers, donations, shops), and the name it gives its subject. Every layer reads
descriptions (the transcriber's guidance, the segmenter's anchors, the article's link list), so
the reader lives here, below the stages."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import ParseResult, unquote, urlparse

from recap.core.document import Link, LinkPage
from recap.core.urls import is_http_url
from recap.language.cues import Cues
from recap.language.lexicon import english_words, initialism
from recap.language.titles import clean_title, short_name

# An apostrophe between letters belongs to the URL (".../wiki/Murphy's_law"); one around it quotes it.
_URL = re.compile(r"https?://(?:[^\s<>\"'`)\]]|'(?=\w))+", re.IGNORECASE)
_LABEL_TRIM = " \t-–—:|•*>[]()"
_TIMESTAMP = re.compile(r"^\s*(?:(\d{1,2}):)?(\d{1,2}):(\d{2})\b")
# Channel furniture: social accounts, chat servers, donations, shops, sponsor codes.
_BOILERPLATE_HOSTS = (
    "twitter.com", "x.com", "facebook.com", "instagram.com", "tiktok.com", "linkedin.com",
    "discord.gg", "discord.com", "patreon.com", "buymeacoffee.com", "ko-fi.com", "paypal.me",
    "paypal.com", "teespring.com", "spreadshirt", "merch", "twitch.tv", "mastodon", "threads.net",
    "bsky.app", "t.me", "linktr.ee", "gumroad.com", "amzn.to", "geni.us",
)
# Sites whose subdomains are their users' pages: the subdomain names the page's owner or project.
_HOSTING_SITES = ("github.io", "gitlab.io", "substack.com", "bandcamp.com", "netlify.app", "vercel.app",
                  "pages.dev", "js.org", "readthedocs.io", "itch.io", "medium.com", "wordpress.com",
                  "blogspot.com", "tumblr.com", "neocities.org", "herokuapp.com", "fly.dev")
_SOCIAL_HOSTS = ("twitter.com", "x.com", "bsky.app", "threads.net", "mastodon.social", "linkedin.com")
_FEDIVERSE_POST = re.compile(r"^/@\w[^/]*/\d")  # "vt.social/@lina/1130...": a post on any server
_POST_PATH = re.compile(rf"/status(?:es)?/\d|/posts?/\w|{_FEDIVERSE_POST.pattern}")  # a single post there
_CHANNEL_PATH = re.compile(r"^/(?:@|c/|channel/|user/)")  # the channel's own YouTube page
# Encyclopedia entries explain a word a story uses; they are not what a story is about.
_REFERENCE_HOSTS = ("wikipedia.org", "wiktionary.org", "britannica.com")
# Video pages whose path is an id: the URL says nothing of the subject.
_VIDEO_ID_HOSTS = ("youtu.be", "youtube.com", "vimeo.com")
_TOKEN = re.compile(r"[a-z0-9]+")
_URL_NOISE = frozenset(english_words("url_noise"))
_GENERIC_LABEL = _URL_NOISE | frozenset(english_words("generic_label"))
_PAGE_EXTENSIONS = frozenset(english_words("page_extensions"))
_PAGE_FURNITURE = frozenset(english_words("page_furniture"))
_SLUG_SMALL_WORDS = frozenset(english_words("slug_small_words"))


@dataclass
class DescribedLink:
    """A description link with what its line says about it."""

    link: Link
    boilerplate: bool = False
    seconds: float | None = None  # a timestamp written on the same line


def read_description(description: str, cues: Cues | None = None,
                     pages: Mapping[str, LinkPage] | None = None) -> list[DescribedLink]:
    """Every http(s) URL in the description, labelled with the words beside it, in order, and
    titled by its page where ``pages`` (recap.stages.fetch.pages) holds it. ``cues``: the profile's, which say
    what a label or header means (the default's when None)."""
    if cues is None:
        from recap.language.profile import default_cues

        cues = default_cues()
    found: list[DescribedLink] = []
    seen: set[str] = set()
    lines = description.splitlines()
    header = previous = ""
    for number, line in enumerate(lines):
        urls = list(_URL.finditer(line))
        if not urls:
            header = "" if not line.strip() else (line if line.rstrip().endswith(":") else header)
            previous = line
            continue
        for match in urls:
            url = match.group().rstrip(".,;:!?")
            if url in seen or not is_http_url(url):
                continue
            seen.add(url)
            own_label = _label(line, match, len(urls))
            # "Paper:" on its own line labels the one bare URL under it; "Links:" over a list heads
            # a section and labels none; "Follow us:" makes its URLs furniture
            above = previous is header and _labels_one_url(header, lines, number, cues)
            label = own_label or (previous.strip(_LABEL_TRIM) if above else "")
            page = (pages or {}).get(url)
            link = Link(url=url, label=clean_title(label, url), title=_page_title(page),
                        image=page.image if page else "")
            furniture = is_boilerplate(link, cues) or (not own_label and _furniture_header(header, cues))
            found.append(DescribedLink(link, furniture, _line_seconds(line)))
        previous = line
    return found


def _page_title(page: LinkPage | None) -> str:
    return clean_title(page.title, page.url, page.site) if page else ""


def _labels_one_url(header: str, lines: list[str], number: int, cues: Cues) -> bool:
    """A header names the URL under it when it is no section word and that URL is alone."""
    if cues.list_header.fullmatch(header.strip(_LABEL_TRIM + " ")):
        return False
    following = lines[number + 1: number + 2]
    return not (following and _URL.search(following[0]))


def _label(line: str, match: re.Match[str], urls_on_line: int) -> str:
    """The words beside a URL; on a line of several URLs only the words just before it."""
    before = line[:match.start()]
    if urls_on_line > 1:
        before = _URL.split(before)[-1]
        text = before
    else:
        text = before + " " + line[match.end():]
    text = _TIMESTAMP.sub("", text)
    return " ".join(text.split()).strip(_LABEL_TRIM)


def _line_seconds(line: str) -> float | None:
    match = _TIMESTAMP.match(line)
    if not match:
        return None
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return float(hours * 3600 + minutes * 60 + seconds)


def _furniture_header(header: str, cues: Cues) -> bool:
    return bool(header) and bool(cues.furniture_label.search(header) or cues.furniture_header.search(header))


def is_boilerplate(link: Link, cues: Cues) -> bool:
    parsed = urlparse(link.url)
    host = parsed.netloc.lower().removeprefix("www.")
    if any(host == b or host.endswith("." + b) or (b.count(".") == 0 and b in host)
           for b in _BOILERPLATE_HOSTS):
        # one post on a social site can be a story's source; the account, the server, the shop are not
        return not (_POST_PATH.search(parsed.path) and _on_host(host, _SOCIAL_HOSTS))
    if "youtube.com" in host and _CHANNEL_PATH.match(parsed.path):
        return True
    return bool(cues.furniture_label.search(link.label))


def is_reference(link: Link) -> bool:
    """An encyclopedia entry: it explains a term the story uses, it seldom opens a story."""
    return _on_host(urlparse(link.url).netloc, _REFERENCE_HOSTS)


def link_name(link: Link) -> str | None:
    """The name a link gives its subject: its label without generic words, else its URL's slug
    ("github.com/xl0/lovely-tensors" -> "Lovely Tensors"), else a home page's site ("Markwhen");
    None for opaque URLs, for a video id, and for a social post (its path names the poster, not
    the subject)."""
    if name := written_name(link):
        return name if " " in name or not link.title else _part_name(name) or name  # "lovely-tensors"
    parsed = urlparse(link.url)
    host = parsed.netloc.lower()
    path = parsed.path
    post = (_on_host(host, _SOCIAL_HOSTS) and _POST_PATH.search(path)) or _FEDIVERSE_POST.match(path)
    if _on_host(host, _VIDEO_ID_HOSTS) or post or _ASSET.search(path):
        return None
    return _slug_name(link.url) or _site_name(parsed) or None


def written_name(link: Link) -> str | None:
    """The name the link's label spells (without generic words: "Paper", "demo"), else the one its
    page's title leads with; never its URL's, which has lost the name's capitals and spaces."""
    label_words = [w for w in link.label.split() if w.lower().strip(":,.") not in _GENERIC_LABEL]
    if label_words and any(c.isalpha() for c in " ".join(label_words)):
        return " ".join(label_words).strip(" :,.")
    return short_name(link.title) or None


# A file a page shows (an image, a clip, an archive): its name says nothing an editor would print.
_ASSET = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|avif|bmp|ico|mp4|webm|mov|mp3|zip|tar|gz)$", re.IGNORECASE)


def _site_name(parsed: ParseResult) -> str:
    """A home page names its site: "markwhen.com" -> "Markwhen" (the tiny.en heard "mark when"), or
    on a site that hosts others' pages its tenant ("lcamtuf.substack.com" -> "Lcamtuf"); not a
    social site's, and not a short code ("bit.ly")."""
    host = parsed.netloc.lower().removeprefix("www.")
    labels = host.split(".")
    if parsed.path.strip("/") or len(labels) < 2 or _on_host(host, _SOCIAL_HOSTS):
        return ""
    site = labels[0] if len(labels) > 2 and _on_host(host, _HOSTING_SITES) else labels[-2]
    return _word_case(site) if len(site) >= 4 and site.isalpha() else ""


def _on_host(netloc: str, hosts: Sequence[str]) -> bool:
    host = netloc.lower().removeprefix("www.")
    return any(host == h or host.endswith("." + h) for h in hosts)


def _slug_name(url: str) -> str:
    parts = [p for p in unquote(urlparse(url).path).split("/") if p]
    return next(filter(None, map(_part_name, reversed(parts))), "")


def _part_name(part: str) -> str:
    """A path part's words as a name ("lovely-tensors" -> "Lovely Tensors"); "" when it names nothing."""
    words = [w for w in re.split(r"[-_+.]", part) if w and not _HASH.fullmatch(w)]
    useful = [w for w in words if w.lower() not in _URL_NOISE | _PAGE_FURNITURE and not w.isdigit()]
    if len(useful) >= 1 and sum(c.isalpha() for c in part) >= 3 and not _looks_opaque(part) and (
            "@" not in part):  # an address or a mail's message id ("2024...-1-wedsonaf@gmail.com")
        named = [w for w in _without_date(words) if w.lower() not in _PAGE_EXTENSIONS]
        return " ".join(_word_case(w) for w in named)
    return ""


def _without_date(words: list[str]) -> list[str]:
    """A slug's words without the date a blog puts before its title ("2026-01-19-llms-and-...")
    and without the id a site puts after it ("...-stack-overflow-survey-3896"; a year stays)."""
    start = 0
    while start < len(words) - 1 and words[start].isdigit() and len(words[start]) in (1, 2, 4):
        start += 1
    if start == 1:
        start = 0  # one number is the title's own: "12-factor-agents"
    if start < len(words) - 1 and words[start].isdigit() and len(words[start]) >= 5:
        start += 1  # a site's id before the name: "plugin/18509-reloadium"
    end = len(words)
    if end - start > 2 and words[-1].isdigit() and len(words[-1]) >= 3 and not _YEAR.fullmatch(words[-1]):
        end -= 1
    return words[start:end]


_YEAR = re.compile(r"19\d\d|20\d\d")


_HASH = re.compile(r"(?=[a-f]*\d)(?=\d*[a-f])[0-9a-f]{8,}")  # "the-ai-vampire-eda6e4f07163"


def _looks_opaque(part: str) -> bool:
    """IDs, hashes and short-link codes: letters and digits mixed with no word boundary, or
    letters whose case flips to and fro in runs too short for words ("wWjJVriFL", not "DeepSeekMoE")."""
    flips = sum(a.isupper() != b.isupper() for a, b in zip(part, part[1:]) if a.isalpha() and b.isalpha())
    wordlike = re.search(r"[a-z]{3}", part)
    return bool(re.fullmatch(r"[\d.v]+", part) or _UUID.fullmatch(part) or "=" in part) or (
        flips >= 3 and not wordlike) or (
        len(part) >= 6 and "-" not in part and "_" not in part and sum(c.isdigit() for c in part) >= 2)


_UUID = re.compile(r"[0-9a-f]{4,}(?:-[0-9a-f]{4,}){2,}", re.IGNORECASE)  # "f37aa97a-9ea3-4aeb-..."


def _word_case(word: str) -> str:
    if any(c.isupper() for c in word[1:]):
        return word  # "iPhone", "RepoBar": the slug spells the name
    if known := initialism(word):
        return known
    if word.lower() in _SLUG_SMALL_WORDS:
        return word.lower()
    return word.upper() if re.fullmatch(r"\d+[a-z]", word) else word[:1].upper() + word[1:]
