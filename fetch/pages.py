"""Link pages: what each description link's page says about itself in its head (title, site,
description, image), read concurrently within bounded time and size, and cached per URL.

A page that cannot be read is just a link without a title. Only http(s) pages are read, with no
cookies, following redirects one hop at a time: a page on the internet may not lead recap to
this machine or its network (as feeds may not; recap.core.urls.is_internal_address).
"""

from __future__ import annotations

import codecs
import hashlib
import http.cookiejar
import json
import logging
import re
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

from recap.core.document import LinkPage, SchemaError, plain_text
from recap.core.files import write_atomic
from recap.core.urls import InternalAddress, checked_hop, is_http_url
from recap.core.version import VERSION

log = logging.getLogger(__name__)

USER_AGENT = f"recap/{VERSION} (reads link titles for news articles)"
IN_FLIGHT = 8  # pages read at once
CONNECT_TIMEOUT = 2.0  # seconds to open a connection
PAGE_TIMEOUT = 8.0  # seconds for a whole page, redirects included
ALL_TIMEOUT = 20.0  # seconds for every page of a run: a slow site never holds the article up longer
MAX_BYTES = 512 * 1024  # read no further: a page's head is in its first few KB
MAX_PICTURE_BYTES = 5 * 1024 * 1024  # a video's thumbnail is a few hundred KB
MAX_REDIRECTS = 5
MAX_AGE = 7 * 24 * 3600  # a cached page is read again after a week
MAX_FIELD = 500  # characters kept of a title or a description
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HEAD_END = re.compile(rb"</head\s*>|<body[\s>]", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


@dataclass
class PagesRead:
    pages: dict[str, LinkPage]  # by the link's URL, for the pages that could be read
    unread: int  # links whose page could not be read


def read_link_pages(urls: Iterable[str], cache_dir: Path | None, internal_allowed: bool = False,
                    refresh: bool = False) -> PagesRead:
    """Each http(s) URL's page head, from the cache (unless ``refresh``) or the web.
    ``internal_allowed``: the links came from this machine (a local file, a loopback server), so
    they may point at non-public addresses; a public page still may not redirect there."""
    wanted = list(dict.fromkeys(url for url in urls if is_http_url(url)))
    cache = PageCache(cache_dir / "pages") if cache_dir else None
    pages = {} if refresh or cache is None else {url: page for url in wanted if (page := cache.get(url))}
    missing = [url for url in wanted if url not in pages]
    if missing:
        read = _read_all(missing, internal_allowed)
        for url, page in read.items():
            if cache:
                cache.put(url, page)
        pages.update(read)
    unread = len(wanted) - len(pages)
    if unread:
        log.warning("%d of %d link pages could not be read: those links keep their URLs", unread, len(wanted))
    return PagesRead(pages, unread)


def _read_all(urls: list[str], internal_allowed: bool) -> dict[str, LinkPage]:
    import httpx

    deadline = time.monotonic() + ALL_TIMEOUT
    cookies = http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))  # none kept
    timeout = httpx.Timeout(PAGE_TIMEOUT, connect=CONNECT_TIMEOUT)
    limits = httpx.Limits(max_connections=IN_FLIGHT)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"}
    with httpx.Client(timeout=timeout, limits=limits, cookies=cookies, follow_redirects=False,
                      headers=headers) as client:
        reader = _Reader(client, internal_allowed, deadline)
        with ThreadPoolExecutor(IN_FLIGHT, thread_name_prefix="recap-pages") as pool:
            found = dict(zip(urls, pool.map(reader.read, urls)))
    return {url: page for url, page in found.items() if page is not None}


class _Reader:
    """Reads one page at a time per thread; after IN_FLIGHT connection failures in a row with no
    page read, the network is taken to be down and the rest are not tried."""

    def __init__(self, client, internal_allowed: bool, deadline: float) -> None:
        self.client = client
        self.internal_allowed = internal_allowed
        self.deadline = deadline
        self.lock = threading.Lock()
        self.failures_in_a_row = 0

    def read(self, url: str, body=None):
        """The page's head (or what ``body`` makes of the response), or None."""
        import httpx

        with self.lock:
            if self.failures_in_a_row >= IN_FLIGHT or time.monotonic() >= self.deadline:
                return None
        try:
            page = self._follow(url, min(self.deadline, time.monotonic() + PAGE_TIMEOUT), body or _page_of)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            log.info("link page %s: %s", url, exc)
            with self.lock:
                self.failures_in_a_row += 1
            return None
        except (httpx.HTTPError, _Unreadable, OSError, ValueError) as exc:
            log.info("link page %s: %s", url, exc)
            page = None
        with self.lock:
            self.failures_in_a_row = 0
        return page

    def _follow(self, url: str, deadline: float, body):
        inside = self.internal_allowed
        for _ in range(MAX_REDIRECTS + 1):
            if not is_http_url(url):
                raise _Unreadable("not an http(s) page")
            try:
                inside = checked_hop(url, inside)
            except InternalAddress as exc:
                raise _Unreadable(str(exc)) from None
            with self.client.stream("GET", url) as response:
                if response.is_redirect:
                    url = urljoin(url, response.headers.get("location", ""))
                    continue
                return body(response, url, deadline)
        raise _Unreadable("too many redirects")


class _Unreadable(Exception):
    pass


def _page_of(response, url: str, deadline: float) -> LinkPage | None:
    if response.status_code != 200:
        raise _Unreadable(f"HTTP {response.status_code}")
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in _HTML_TYPES:
        raise _Unreadable(f"not a web page ({kind or 'no type'})")
    head = bytearray()
    for chunk in response.iter_bytes():
        head += chunk
        if time.monotonic() > deadline:
            raise _Unreadable("too slow")
        if len(head) >= MAX_BYTES or _HEAD_END.search(head, max(0, len(head) - len(chunk) - 16)):
            break
    text = bytes(head[:MAX_BYTES]).decode(_charset(response.charset_encoding, head), errors="replace")
    return head_of(text, url)


def read_picture(url: str, internal_allowed: bool = False,
                 missed: str | None = "the video's picture") -> bytes | None:
    """The bytes of a picture (a video's thumbnail) at ``url``, under the rules pages are read
    by, at most MAX_PICTURE_BYTES; None when it cannot be had (``missed`` names it in the warning;
    None: no warning, for pictures an article can do without)."""
    import httpx

    if not is_http_url(url):
        return None
    timeout = httpx.Timeout(PAGE_TIMEOUT, connect=CONNECT_TIMEOUT)
    cookies = http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    with httpx.Client(timeout=timeout, cookies=cookies, follow_redirects=False,
                      headers={"User-Agent": USER_AGENT, "Accept": "image/*"}) as client:
        picture = _Reader(client, internal_allowed, time.monotonic() + PAGE_TIMEOUT).read(url, _picture_of)
    if picture is None and missed:
        log.warning("%s could not be read: the article has none", missed)
    return picture


def _picture_of(response, url: str, deadline: float) -> bytes:
    if response.status_code != 200:
        raise _Unreadable(f"HTTP {response.status_code}")
    if not response.headers.get("content-type", "").lower().startswith("image/"):
        raise _Unreadable("not a picture")
    data = bytearray()
    for chunk in response.iter_bytes():
        data += chunk
        if len(data) > MAX_PICTURE_BYTES or time.monotonic() > deadline:
            raise _Unreadable("too big or too slow")
    return bytes(data)


def _charset(declared: str | None, head: bytes) -> str:
    """The charset the HTTP header declares, else the page's meta tag, else UTF-8."""
    meta = _META_CHARSET.search(head[:4096])
    for name in filter(None, (declared, meta and meta.group(1).decode("ascii"))):
        try:
            return codecs.lookup(name).name
        except LookupError:
            continue
    return "utf-8"


def head_of(html: str, url: str) -> LinkPage | None:
    """What a page's head says about it; None when it names nothing."""
    parser = _HeadParser()
    try:
        parser.feed(html)
        parser.close()
    except _HeadEnded:
        pass
    meta = parser.meta
    image = urljoin(url, meta.get("og:image", "")) if meta.get("og:image") else ""
    page = LinkPage(url=url, title=_field(meta.get("og:title") or parser.title),
                    site=_field(meta.get("og:site_name", "")),
                    description=_field(meta.get("og:description") or meta.get("description", "")),
                    image=image if is_http_url(image) else "")
    return page if page.title else None


def _field(text: str) -> str:
    text = " ".join(plain_text(text).split())
    return text if len(text) <= MAX_FIELD else text[:MAX_FIELD - 1].rstrip() + "…"


class _HeadEnded(Exception):
    pass


class _HeadParser(HTMLParser):
    """The <title> and the named <meta> tags, until the head ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.meta: dict[str, str] = {}
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            raise _HeadEnded
        self._in_title = tag == "title" and not self.title
        if tag == "meta":
            values = {name: value or "" for name, value in attrs}
            name = (values.get("property") or values.get("name") or "").lower()
            if name and "content" in values:
                self.meta.setdefault(name, values["content"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            raise _HeadEnded
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


class PageCache:
    """One JSON file per URL (named by its hash), written atomically; re-read after MAX_AGE."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, url: str) -> Path:
        return self.folder / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()[:32]}.json"

    def get(self, url: str) -> LinkPage | None:
        try:
            data = json.loads(self.path(url).read_text(encoding="utf-8"))
            if data.get("url") != url or time.time() - float(data["read"]) > MAX_AGE:
                return None
            return LinkPage.from_dict(data["page"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError, SchemaError):
            return None  # missing, stale or damaged: read the page again

    def put(self, url: str, page: LinkPage, read: float | None = None) -> None:
        data = {"url": url, "read": time.time() if read is None else read, "page": page.to_dict()}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path(url), json.dumps(data, ensure_ascii=False))
        except OSError as exc:
            log.info("could not cache the page of %s: %s", url, exc)
