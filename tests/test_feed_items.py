"""What a feed lists: items recap cannot use reported in the run's table, and a feed from the
internet that may not point recap at this machine or its network."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

import pytest
from conftest import run_recap
from test_untrusted_text import IN_XML, no_secrets_or_controls

from recap.app.channel import plan_channel, summary_table
from recap.app.episodes import ChannelOptions
from recap.core.errors import NotAChannel, UnsupportedSource


# -- 14: what a feed lists but recap cannot use is reported --------------------------------------
def _feed(served_dir: Path, server: str, name: str, items: list[str], title: str = "Odd feed") -> str:
    (served_dir / name).write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>{server}/</link><description>x</description>\n{''.join(items)}</channel></rss>\n",
        encoding="utf-8")
    return f"{server}/{name}"


def _item(title: str, guid: str | None, enclosure: str | None,
          date: str = "Mon, 05 Jan 2026 09:00:00 GMT") -> str:
    parts = [f"<title>{escape(title)}</title>", f"<pubDate>{date}</pubDate>"]
    if guid:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if enclosure:
        parts.append(f'<enclosure url={quoteattr(enclosure)} type="audio/mpeg" length="1"/>')
    return f"<item>{''.join(parts)}</item>\n"


def _odd_items(server: str) -> list[str]:
    return [_item("Tensor Weekly 13", "tw-13", f"{server}/tensor_weekly_13.mp3",
                  "Mon, 12 Jan 2026 09:00:00 GMT"),
            _item("The same guid again", "tw-13", f"{server}/tensor_weekly_14.mp3"),
            _item("Nothing to download", "tw-0", None),
            _item("A local file", "tw-f", "file:///etc/passwd"),
            _item("A script", "tw-j", "javascript:alert(1)")]


def test_a_feeds_unusable_items_are_in_the_table_with_their_reason(server, served_dir, tmp_path):
    feed = _feed(served_dir, server, f"odd-{tmp_path.name}.xml", _odd_items(server))
    plan = plan_channel(feed, ChannelOptions(out_dir=tmp_path / "out"))

    assert [(r.status, r.title) for r in plan.records] == [
        ("new", "Tensor Weekly 13"), ("skipped", "The same guid again"), ("skipped", "Nothing to download"),
        ("skipped", "A local file"), ("skipped", "A script")]
    reasons = [r.reason for r in plan.records[1:]]
    assert "same id (guid)" in reasons[0] and "Tensor Weekly 13" in reasons[0]
    assert reasons[1].startswith("no media")
    assert all("not an http(s) URL" in reason for reason in reasons[2:])
    assert [e.title for e in plan.todo] == ["Tensor Weekly 13"]
    table = summary_table(plan.records)
    assert "skipped  2026-01-05  Nothing to download" in table and "no media" in table


def test_a_title_filter_and_a_limit_decide_which_skipped_items_are_reported(server, served_dir, tmp_path):
    feed = _feed(served_dir, server, f"odd-limit-{tmp_path.name}.xml", _odd_items(server))
    only = ChannelOptions(out_dir=tmp_path / "out", selection=replace(ChannelOptions().selection,
                                                                       title=re.compile("nothing", re.I)))
    assert [(r.status, r.title) for r in plan_channel(feed, only).records] == [
        ("skipped", "Nothing to download")]
    first = ChannelOptions(out_dir=tmp_path / "out", selection=replace(ChannelOptions().selection, limit=1))
    assert [r.status for r in plan_channel(feed, first).records] == ["new"]


@pytest.mark.parametrize(("body", "name"), [("this is not xml at all\n", "feed.xml"),
                                            ('{"items": []}', "feed.json"), ("", "empty.xml")])
def test_a_feed_that_is_not_xml_is_reported_as_such(server, served_dir, tmp_path, body, name):
    (served_dir / f"{tmp_path.name}-{name}").write_text(body)
    with pytest.raises(UnsupportedSource, match="is not a feed: what it sent is not XML"):
        plan_channel(f"{server}/{tmp_path.name}-{name}", ChannelOptions(out_dir=tmp_path / "out"))


def test_a_media_file_given_as_a_feed_is_still_one_episode(server, tmp_path):
    with pytest.raises(NotAChannel):
        plan_channel(f"{server}/tensor_weekly_13.mp3", ChannelOptions(out_dir=tmp_path / "out"))


@pytest.mark.slow
def test_a_channel_run_reports_skipped_items_and_writes_nothing_unclean(server, served_dir, shared_cache,
                                                                         tmp_path):
    items = _odd_items(server)
    items[0] = items[0].replace("<title>Tensor Weekly 13</title>",
                                f"<title>Tensor Weekly 13 {escape(IN_XML)}</title>")
    feed = _feed(served_dir, server, f"odd-run-{tmp_path.name}.xml", items, f"Odd {IN_XML} feed")
    out = tmp_path / "out"
    result = run_recap("channel", feed, "-o", str(out), "--cache-dir", str(shared_cache))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 done, 4 skipped, 0 failed" in result.stdout
    assert "Tensor Weekly 13 evil isolated C1" in result.stdout
    assert "no media" in result.stdout and "same id (guid)" in result.stdout
    no_secrets_or_controls(result.stdout + result.stderr)
    for path in [out / "index.md", out / "index.html", *out.glob("*/article.*")]:
        no_secrets_or_controls(path.read_text())
    assert len(list(out.glob("*/article.md"))) == 1


# -- 11: a feed from the internet may not point recap at this machine or its network --------------
class _ProxyHandler(http.server.SimpleHTTPRequestHandler):
    """An HTTP proxy that answers every host from one folder: a feed that looks to recap as if it
    came from the internet (its host does not resolve here), served on loopback all the same."""

    def translate_path(self, path: str) -> str:
        return super().translate_path(urlsplit(path).path)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def internet_proxy(served_dir, monkeypatch):
    handler = functools.partial(_ProxyHandler, directory=str(served_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()  # a quick shutdown
    for name in ("http_proxy", "HTTP_PROXY"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{httpd.server_address[1]}")
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    yield "http://feeds.recap-test.invalid"
    httpd.shutdown()


@pytest.mark.parametrize("internal", ["{server}/tensor_weekly_14.mp3", "http://localhost:9/a.mp3",
                                      "http://10.0.0.7/a.mp3", "http://169.254.169.254/latest/a.mp3",
                                      "http://[::1]:9/a.mp3", "http://2130706433/a.mp3"])
def test_a_feed_from_the_internet_cannot_point_at_this_machine_or_its_network(
        internet_proxy, server, served_dir, tmp_path, internal):
    items = [_item("Public", "tw-13", f"{internet_proxy}/tensor_weekly_13.mp3"),
             _item("Internal", "tw-14", internal.format(server=server))]
    feed = _feed(served_dir, internet_proxy, f"internet-{tmp_path.name}.xml", items)

    records = plan_channel(feed, ChannelOptions(out_dir=tmp_path / "out")).records

    assert [(r.status, r.title) for r in records] == [("new", "Public"), ("skipped", "Internal")]
    assert "loopback, private or link-local address" in records[1].reason


def test_a_feed_on_a_loopback_address_may_list_media_there(server, served_dir, tmp_path):
    items = [_item("Here", "tw-13", f"{server}/tensor_weekly_13.mp3"),
             _item("Home server", "tw-14", "http://192.168.1.20/tensor_weekly_14.mp3")]
    feed = _feed(served_dir, server, f"home-{tmp_path.name}.xml", items)
    assert [r.status for r in plan_channel(feed, ChannelOptions(out_dir=tmp_path / "out")).records] == \
        ["new", "new"]
