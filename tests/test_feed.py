"""OUTDIR/feed.xml: the index's articles as an Atom feed that feed readers (feedparser) read back."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser

from recap.app.archive import ARCHIVE_NAME, Archive, Record
from recap.app.feed import FeedEntry, render_feed
from recap.app.index import index_rows, write_index

A = "{http://www.w3.org/2005/Atom}"
HOSTILE = ("Quill <script>alert(1)</script> & \"co\" \x07\x1b[31mred\x1b[0m "
           "\u202eevil\u202c \u2066iso\u2069 \ud800end")  # a lone surrogate: no XML may hold one
CLEAN = 'Quill <script>alert(1)</script> & "co" red evil iso end'
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def done(key: str, title: str, date: str | None, folder: str, **fields) -> Record:
    return Record(key=key, status="done", title=title, date=date, folder=folder,
                  files=["article.md", "article.html", "article.json"], **fields)


def write_articles(out: Path, records: list[Record]) -> None:
    for record in records:
        (out / record.folder).mkdir(parents=True, exist_ok=True)
        for name in record.files:
            (out / record.folder / name).write_text("article")


def parsed(out: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


RECORDS = [
    done("generic tw-13", "Tensor Weekly 13", "2026-01-05", "2026-01-05 Tensor Weekly 13-aa",
         url="https://example.com/13.mp3", stories=5, duration=131.0,
         summary="Quill and the Lantern benchmark.\nIn this episode, 5 stories: Quill and 4 more."),
    done("generic tw-14", "Tensor Weekly 14: Basalt & Meadow", "2026-01-12", "2026-01-12 Tensor Weekly 14-bb",
         url="https://example.com/14.mp3", stories=4, summary="Basalt ships.\nIn this episode, 4 stories."),
    done("generic undated", "Undated special", None, "Undated special-cc", stories=2),
    Record(key="generic tw-12", status="failed", title="Tensor Weekly 12", reason="HTTP Error 404"),
]


def test_feed_lists_the_index_rows_newest_first_with_their_links_and_summaries(tmp_path):
    write_articles(tmp_path, RECORDS[:3])
    write_index(tmp_path, "Tensor Weekly", "https://example.com/feed.rss", RECORDS)
    feed, rows = parsed(tmp_path), index_rows(RECORDS)

    assert feed.feed.title == "Tensor Weekly" and feed.feed.author == "Tensor Weekly"
    assert [e.title for e in feed.entries] == [row.title for row in rows] == [
        "Tensor Weekly 14: Basalt & Meadow", "Tensor Weekly 13", "Undated special"]  # the failed one is out
    assert [e.link for e in feed.entries] == [row.links["html"] for row in rows] == [
        "2026-01-12%20Tensor%20Weekly%2014-bb/article.html",
        "2026-01-05%20Tensor%20Weekly%2013-aa/article.html", "Undated%20special-cc/article.html"]
    index_html = (tmp_path / "index.html").read_text()
    assert all(f'href="{e.link}"' in index_html for e in feed.entries)
    assert [e.summary for e in feed.entries] == [RECORDS[1].summary, RECORDS[0].summary, "2 stories"]
    published = [e.get("published") for e in feed.entries]
    assert published == ["2026-01-12T00:00:00Z", "2026-01-05T00:00:00Z", None]
    sources = [[link.href for link in e.links if link.rel == "related"] for e in feed.entries]
    assert sources == [["https://example.com/14.mp3"], ["https://example.com/13.mp3"], []]


def test_feed_has_what_rfc_4287_requires_and_stable_ids(tmp_path):
    write_articles(tmp_path, RECORDS[:3])
    write_index(tmp_path, "Tensor Weekly", "https://example.com/feed.rss", RECORDS)
    first = (tmp_path / "feed.xml").read_bytes()
    root = ET.fromstring(first)

    assert root.tag == f"{A}feed"
    for name in ("id", "title", "updated", f"author/{A}name"):
        assert (root.findtext(f"{A}{name}") or "").strip(), name
    entries = root.findall(f"{A}entry")
    assert len(entries) == 3
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            assert (entry.findtext(f"{A}{name}") or "").strip(), name
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry.findtext(f"{A}updated"))
        assert [link.get("rel") for link in entry.findall(f"{A}link")][0] == "alternate"
    ids = [e.findtext(f"{A}id") for e in entries] + [root.findtext(f"{A}id")]
    assert len(set(ids)) == 4 and all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", i) for i in ids)

    # the rebuild after the next episode:
    write_index(tmp_path, "Tensor Weekly", "https://example.com/feed.rss", RECORDS)
    assert (tmp_path / "feed.xml").read_bytes() == first  # same ids, same times: readers see nothing new
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    rewritten = tmp_path / RECORDS[2].folder / "article.html"  # --force redid the undated episode
    os.utime(rewritten, (2_000_000_000, 2_000_000_000))
    write_index(tmp_path, "Tensor Weekly", "https://example.com/feed.rss", RECORDS)
    again = ET.fromstring((tmp_path / "feed.xml").read_bytes())
    assert [e.findtext(f"{A}id") for e in again.findall(f"{A}entry")] == ids[:3]
    assert again.findall(f"{A}entry")[2].findtext(f"{A}updated") == "2033-05-18T03:33:20Z"
    assert again.findtext(f"{A}updated") == "2033-05-18T03:33:20Z"  # the feed's: its newest entry's


def test_hostile_text_comes_out_escaped_and_clean():
    entry = FeedEntry(key="generic x", title=HOSTILE, link="x/article.html",
                      summary=f"Intro {HOSTILE}\nRundown.", published="2026-01-05", written=None,
                      source="javascript:alert(1)")
    xml = render_feed(f"Channel {HOSTILE}", "https://u:hunter2@example.com/feed?token=abc&n=1", [entry])

    assert "<script" not in xml and "&lt;script&gt;" in xml and "hunter2" not in xml and "token" not in xml
    assert "javascript:" not in xml and not CONTROLS.search(xml)
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.findtext(f"{A}entry/{A}title") == CLEAN  # nothing a reader needs was stripped
    assert root.findtext(f"{A}entry/{A}summary") == f"Intro {CLEAN}\nRundown."
    feed = feedparser.parse(xml.encode("utf-8"))
    assert not feed.bozo and feed.entries[0].title == CLEAN and feed.feed.title == f"Channel {CLEAN}"
    assert [link.href for link in feed.feed.links if link.rel == "related"] == ["https://example.com/feed?n=1"]
    assert [link.rel for link in feed.entries[0].links] == ["alternate"]  # the javascript: source is dropped


def test_an_archive_from_before_summaries_loads_and_its_feed_says_what_it_can(tmp_path):
    old = {"key": "generic tw-13", "status": "done", "title": "Tensor Weekly 13", "date": "2026-01-05",
           "url": None, "folder": "tw13", "files": ["article.md"], "stories": 5, "duration": 131.0,
           "reason": ""}
    (tmp_path / ARCHIVE_NAME).write_text(json.dumps(old) + "\n")
    records = Archive(tmp_path).load()
    assert records["generic tw-13"].summary == ""
    write_articles(tmp_path, list(records.values()))
    write_index(tmp_path, "Tensor Weekly", None, records.values())

    entry = parsed(tmp_path).entries[0]
    assert (entry.link, entry.summary) == ("tw13/article.md", "5 stories · 2:11")
    bad = json.dumps({**old, "summary": 3})
    (tmp_path / ARCHIVE_NAME).write_text(bad + "\n")
    assert Archive(tmp_path).load() == {}  # a summary that is not text is a damaged line


def test_an_empty_channel_has_a_valid_feed(tmp_path):
    write_index(tmp_path, "", None, [])
    feed = parsed(tmp_path)
    assert feed.entries == [] and feed.feed.title == "recap" and feed.feed.id.startswith("urn:uuid:")


def test_the_index_publishes_the_channel_url_without_its_secrets(tmp_path):
    """A private podcast feed carries a user, a password and tokens: feed.xml drops them, and so
    do index.md and index.html; a crafted URL cannot close the Markdown link either."""
    private = "https://listener:hunter2@example.com/feed.rss?auth=s3cret&token=abc123&show=tw"
    write_index(tmp_path, "Tensor Weekly", private, RECORDS)
    for name in ("index.md", "index.html", "feed.xml"):
        text = (tmp_path / name).read_text()
        assert "hunter2" not in text and "s3cret" not in text and "abc123" not in text, name
        assert "example.com/feed.rss" in text, name
    crafted = "https://example.com/feed.rss?x=a>)[b](https://evil.example"
    write_index(tmp_path, "Tensor Weekly", crafted, RECORDS)
    index = (tmp_path / "index.md").read_text()
    assert "(<https://example.com/feed.rss?x=a%3E)[b](https://evil.example>)" in index
