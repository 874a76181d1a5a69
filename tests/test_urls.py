"""recap.core.urls on its own: which URLs become links or are fetched, what of a URL is published,
which addresses a feed from the internet may not reach, and links into the video at a time."""

from __future__ import annotations

import pytest

from recap.core.document import Episode
from recap.core.urls import (
    InternalAddress,
    checked_hop,
    is_http_url,
    is_internal_address,
    is_secret_parameter,
    public_url,
    time_url,
)


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd", "ftp://example.com/a",
    "http://", "https:///path", "http://[::1", "http://exa mple.com/", "https://example.com/\x1b[31m",
    "http://example.com:port/", None, 42,
])
def test_only_a_real_http_url_becomes_a_link(url):
    assert not is_http_url(url)


def test_http_urls_with_hosts_ports_and_ipv6_are_links():
    assert all(map(is_http_url, ["https://example.com", "http://127.0.0.1:8000/a?b=c#d", "http://[::1]:9/x"]))


def test_a_published_url_keeps_its_page_and_loses_its_secrets():
    url = "https://user:pw@Example.com:8443/feed.xml?page=2&access_token=abc&X-Amz-Signature=s#sig=1&t=9"
    assert public_url(url) == "https://Example.com:8443/feed.xml?page=2#t=9"
    assert public_url("http://u@[::1]:9/a?auth=x") == "http://[::1]:9/a"
    assert public_url("javascript:alert(1)") is None and public_url(None) is None


@pytest.mark.parametrize(("name", "secret"), [
    ("token", True), ("api_key", True), ("X-Amz-Signature", True), ("sessionId", True), ("auth", True),
    ("page", False), ("keyword", False), ("monkey", False), ("t", False), ("sort", False),
])
def test_a_parameter_is_secret_by_its_name(name, secret):
    assert is_secret_parameter(name) is secret


@pytest.mark.parametrize(("url", "internal"), [
    ("http://127.0.0.1/a", True), ("http://10.0.0.7/a", True), ("http://169.254.169.254/latest", True),
    ("http://[::1]:9/a", True), ("http://2130706433/a", True), ("http://localhost:9/a", True),
    ("http://8.8.8.8/a", False), ("http://no-such-host.invalid/a", False),
])
def test_the_addresses_a_feed_from_the_internet_may_not_reach(url, internal):
    assert is_internal_address(url) is internal


def test_a_redirect_chain_that_leaves_this_network_cannot_come_back():
    inside = checked_hop("http://127.0.0.1:8000/feed.xml", inside=True)  # a home server's own feed
    assert inside is True
    assert checked_hop("http://10.0.0.7/next", inside) is True
    outside = checked_hop("http://8.8.8.8/media", inside)
    assert outside is False
    with pytest.raises(InternalAddress, match="reached from the internet"):
        checked_hop("http://user:pw@192.168.1.1/admin?token=x", outside)


def test_a_link_into_the_video_at_a_time():
    youtube = Episode(id="v", title="t", url="https://www.youtube.com/watch?v=abc&t=5")
    assert time_url(youtube, 83.9) == "https://www.youtube.com/watch?v=abc&t=83"  # never after the words
    media = Episode(id="m", title="t", media_url="https://u:p@cdn.example.com/ep.mp3?token=x#old")
    assert time_url(media, 61) == "https://cdn.example.com/ep.mp3#t=61"
    assert time_url(media, None) is None and time_url(Episode(id="l", title="t"), 5) is None
