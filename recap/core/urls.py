"""Which strings are URLs, which may become links or be fetched, what of a URL may be published,
and the link into the video at a moment."""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlparse, urlunparse

from recap.core.document import Episode

_YOUTUBE_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com")
# Whitespace, C0/C1 controls and bidi overrides: a URL with any of them is refused, never cleaned
# (a newline in --url once carried raw HTML into every paragraph of clean.md).
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
# Query (and fragment) parameters that carry credentials: a name that is, or has a part that is,
# one of these words (access_token, X-Amz-Signature, Key-Pair-Id), or ends in one (apiKey, authToken).
_SECRET_PARTS = {"token", "key", "secret", "password", "passwd", "pwd", "pass", "auth", "authorization",
                 "sig", "signature", "credential", "credentials", "session", "sessionid", "sid", "jwt",
                 "apikey", "otp", "policy"}
_SECRET_ENDINGS = ("token", "secret", "password", "passwd", "signature", "apikey", "accesskey",
                   "secretkey", "privatekey", "authkey", "sessionid", "credential", "credentials")


def is_url(source: str) -> bool:
    """Any scheme://...: what the user gave is to be downloaded, not read from disk."""
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source))


def is_http_url(url: str) -> bool:
    """Only http(s) URLs with a host, and with no whitespace or control characters, become links
    or are fetched: javascript:, data:, file: and the like never do."""
    if not isinstance(url, str) or _UNSAFE.search(url):
        return False
    try:
        parsed = urlparse(url)
        parsed.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:  # "http://[::1": a broken IPv6 literal
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.hostname)


def http_url(value: str) -> str:
    """``value`` when it is an http(s) URL recap may use; ValueError saying what is wrong otherwise."""
    if isinstance(value, str) and _UNSAFE.search(value):
        raise ValueError(f"a URL may not hold spaces or control characters: {value!r}")
    if not is_http_url(value):
        raise ValueError(f"expected an http:// or https:// URL, got {value!r}")
    return value


def is_internal_address(url: str) -> bool:
    """Whether ``url``'s host is, or resolves to, a loopback, private, link-local or otherwise
    non-public address: what a feed from the internet must not make recap fetch (a router's admin
    page, a cloud metadata service, a service on this machine). A name that does not resolve
    counts as public: nothing can be fetched from it anyway."""
    try:
        host = urlparse(url).hostname
    except ValueError:
        return False
    return bool(host) and any(not address.is_global for address in _addresses(host))


class InternalAddress(ValueError):
    """A request that would reach this machine or its network from the internet."""


def checked_hop(url: str, inside: bool) -> bool:
    """One hop of a request that follows redirects: ``inside`` says every hop so far was on a
    non-global address that may be reached (a local description, a feed on a home server). A
    public hop ends that: from then on no hop may go inside. Returns ``inside`` for the next hop;
    InternalAddress when this hop may not be taken."""
    if not is_internal_address(url):
        return False
    if not inside:
        raise InternalAddress(f"{public_url(url) or 'a URL'} is on a loopback, private or link-local "
                              "address, reached from the internet")
    return True


@functools.lru_cache(maxsize=256)  # a feed's enclosures mostly share one host
def _addresses(host: str) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, ...]:
    try:
        return (ipaddress.ip_address(host),)
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return ()
    return tuple(ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos)


def is_secret_parameter(name: str) -> bool:
    """Whether a query parameter's name says that it carries a credential."""
    key = unquote_plus(name).strip().lower()
    parts = [part for part in re.split(r"[-_.\s\[\]]+", key) if part]
    return bool(parts) and (any(part in _SECRET_PARTS for part in parts) or key.endswith(_SECRET_ENDINGS))


def public_url(url: str | None) -> str | None:
    """``url`` as recap may publish it (in an article's links, an index, episode.json): None unless
    it is an http(s) URL (``is_http_url``); without the user name and password of ``user:pass@``;
    without query and fragment parameters that look like credentials (token, key, sig, ...). The
    other parameters keep their own spelling."""
    if not url or not is_http_url(url):
        return None
    parts = urlparse(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    if parts.netloc.rsplit("@", 1)[-1].lower() == netloc.lower():
        netloc = parts.netloc.rsplit("@", 1)[-1]  # as it was written, less the user info
    return urlunparse(parts._replace(netloc=netloc, query=_without_secrets(parts.query),
                                     fragment=_without_secrets(parts.fragment)))


def _without_secrets(query: str) -> str:
    if "=" not in query:
        return query
    kept = [field for field in query.split("&") if not is_secret_parameter(field.split("=", 1)[0])]
    return "&".join(kept)


def time_url(episode: Episode, seconds: float | None) -> str | None:
    """The video at ``seconds``: ``?t=`` for YouTube-like pages, ``#t=`` for media files (never
    with the credentials ``public_url`` drops)."""
    if seconds is None:
        return None
    t = int(seconds)
    page = public_url(episode.url)
    if page and any(h in urlparse(page).netloc for h in _YOUTUBE_HOSTS):
        parts = urlparse(page)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "t"] + [("t", str(t))]
        return urlunparse(parts._replace(query=urlencode(query)))
    media = public_url(episode.media_url) or page
    if media:
        return f"{media.split('#')[0]}#t={t}"
    return None
