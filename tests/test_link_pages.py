"""Link pages: each description link's page head read over loopback, its title cleaned into a name."""

from __future__ import annotations

import http.server
import json
import re
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from recap.core.document import LinkPage
from recap.language.titles import clean_title, short_name
from recap.stages.fetch import pages
from recap.stages.fetch.pages import PageCache, read_link_pages

PUBLIC = "http://pages.recap-test.invalid"  # a host no resolver knows: as public as any to recap


def html_page(title: str, *metas: tuple[str, str], charset: str = "utf-8") -> bytes:
    tags = "".join(f'<meta property="{name}" content="{value}">' for name, value in metas)
    return (f'<!doctype html><html><head><meta charset="{charset}"><title>{title}</title>{tags}</head>'
            "<body><title>not this one</title><p>Body text.</p></body></html>").encode(charset)


class _Site(http.server.BaseHTTPRequestHandler):
    """Routes by path, for requests made straight to it or through it as a proxy (then the
    request line holds the whole URL, with any host)."""

    routes: dict = {}
    seen: list = []
    lock = threading.Lock()
    running = [0, 0]  # now, most at once

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's name
        """Answered as GET is, without the body; a route may tell the two apart (``self.command``)."""
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = urlsplit(self.path).path
        with self.lock:
            self.seen.append((path if self.command == "GET" else f"HEAD {path}", dict(self.headers)))
            self.running[0] += 1
            self.running[1] = max(self.running)
        try:
            self.routes[path](self)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with self.lock:
                self.running[0] -= 1

    def send(self, status: int, body: bytes = b"", kind: str = "text/html", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site(monkeypatch):
    """A loopback web site that is also the HTTP proxy for ``PUBLIC`` (so ``PUBLIC`` pages are
    read from it as from the internet)."""
    routes: dict = {}
    state = {"routes": routes, "seen": [], "running": [0, 0], "lock": threading.Lock()}
    handler = type("Site", (_Site,), state)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()  # a quick shutdown
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    for name in ("http_proxy", "HTTP_PROXY"):
        monkeypatch.setenv(name, base)
    for name in ("no_proxy", "NO_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    handler.base = base
    yield handler
    httpd.shutdown()
    httpd.server_close()


def test_a_page_head_gives_title_site_description_and_image(site, tmp_path):
    page = html_page("Lovely Tensors &amp; friends | GitHub",
                     ("og:title", "xl0/lovely-tensors: Tensors, ready for human consumption"),
                     ("og:site_name", "GitHub"), ("og:description", "Tensors, &quot;ready&quot; for humans"),
                     ("og:image", "/card.png"))
    site.routes["/repo"] = lambda h: h.send(200, page)

    read = read_link_pages([f"{site.base}/repo"], tmp_path, internal_allowed=True)

    assert read.unread == 0
    assert read.pages[f"{site.base}/repo"] == LinkPage(
        url=f"{site.base}/repo", title="xl0/lovely-tensors: Tensors, ready for human consumption",
        site="GitHub", description='Tensors, "ready" for humans', image=f"{site.base}/card.png")
    path, headers = site.seen[0]
    assert headers["User-Agent"].startswith("recap/")


@pytest.mark.parametrize("how", ["header", "meta"])
def test_the_page_is_read_in_the_charset_it_declares(site, tmp_path, how):
    title = "Café Übersicht – naïve résumé"
    body = f"<html><head><title>{title}</title></head><body></body></html>".encode("windows-1252")
    if how == "meta":
        meta = b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        body = b"<html><head>" + meta + body[12:]
        site.routes["/latin"] = lambda h: h.send(200, body, "text/html")
    else:
        site.routes["/latin"] = lambda h: h.send(200, body, "text/html; charset=windows-1252")

    read = read_link_pages([f"{site.base}/latin"], tmp_path, internal_allowed=True)

    assert read.pages[f"{site.base}/latin"].title == title


def test_a_public_page_may_not_redirect_into_this_machine(site, tmp_path):
    site.routes["/inside"] = lambda h: h.send(200, html_page("Router admin"))
    site.routes["/outside"] = lambda h: h.send(200, html_page("A public page"))
    site.routes["/to-inside"] = lambda h: h.send(302, Location=f"{site.base}/inside")
    site.routes["/to-outside"] = lambda h: h.send(301, Location="/outside")

    read = read_link_pages([f"{PUBLIC}/to-inside", f"{PUBLIC}/to-outside", f"{site.base}/inside"], tmp_path)

    assert read.unread == 2  # the redirect inside, and the loopback link a public description gave
    assert read.pages == {f"{PUBLIC}/to-outside": LinkPage(url=f"{PUBLIC}/outside", title="A public page")}
    assert "/inside" not in [path for path, _ in site.seen]


def test_pages_that_are_no_page_are_links_without_titles(site, tmp_path, caplog):
    site.routes["/gone"] = lambda h: h.send(404, b"<html><head><title>Not Found</title></head></html>")
    site.routes["/paper.pdf"] = lambda h: h.send(200, b"%PDF-1.7 <title>x</title>", "application/pdf")
    site.routes["/untitled"] = lambda h: h.send(200, b"<html><head></head><body>hi</body></html>")
    site.routes["/loop"] = lambda h: h.send(302, Location="/loop")
    urls = [f"{site.base}/{name}" for name in ("gone", "paper.pdf", "untitled", "loop")]

    not_web = ["javascript:alert(1)", "ftp://example.com/x"]
    read = read_link_pages([*urls, *not_web], tmp_path, internal_allowed=True)

    assert read.pages == {} and read.unread == 4
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        "4 of 4 link pages could not be read: those links keep their URLs"]
    assert [path for path, _ in site.seen].count("/loop") == pages.MAX_REDIRECTS + 1


def test_a_page_that_never_ends_and_a_huge_one_stop_early(site, tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "PAGE_TIMEOUT", 1.0)

    def drip(handler) -> None:  # a head that never closes, a byte at a time
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        handler.wfile.write(b"<html><head><title>Dripping</title>")
        for _ in range(600):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.05)

    huge = b"<html><head><title>Huge</title>" + b"<!-- padding -->" * (50 * 1024 * 1024 // 16)
    site.routes["/drip"] = drip
    site.routes["/huge"] = lambda h: h.send(200, huge)
    started = time.monotonic()

    read = read_link_pages([f"{site.base}/drip", f"{site.base}/huge"], tmp_path, internal_allowed=True)

    assert time.monotonic() - started < 10
    assert read.unread == 1 and read.pages[f"{site.base}/huge"].title == "Huge"


def test_no_cookie_goes_back_to_any_site(site, tmp_path):
    site.routes["/a"] = lambda h: h.send(200, html_page("A"), Set_Cookie="session=secret; Path=/")
    site.routes["/b"] = lambda h: h.send(200, html_page("B"))

    read_link_pages([f"{site.base}/a"], tmp_path, internal_allowed=True)
    read_link_pages([f"{site.base}/b"], tmp_path, internal_allowed=True)

    assert [headers.get("Cookie") for _, headers in site.seen] == [None, None]


def test_pages_come_from_the_cache_offline_until_they_age_or_are_refreshed(site, tmp_path):
    site.routes["/cached"] = lambda h: h.send(200, html_page("Read once"))
    url = f"{site.base}/cached"
    first = read_link_pages([url], tmp_path, internal_allowed=True)
    site.routes.clear()  # the site is gone: every request fails

    again = read_link_pages([url], tmp_path, internal_allowed=True)
    refreshed = read_link_pages([url], tmp_path, internal_allowed=True, refresh=True)

    assert again.pages == first.pages and again.unread == 0
    assert len(site.seen) == 2 and refreshed.unread == 1
    cache = PageCache(tmp_path / "pages")
    cache.put(url, first.pages[url], read=time.time() - pages.MAX_AGE - 1)
    assert cache.get(url) is None
    cache.path(url).write_text("{not json")
    assert cache.get(url) is None


def test_pages_are_read_eight_at_a_time(site, tmp_path):
    full = threading.Event()

    def slow(handler) -> None:  # each answer waits until IN_FLIGHT are asked at once (on a busy machine too)
        if site.running[0] >= pages.IN_FLIGHT:
            full.set()
        full.wait(timeout=3)
        handler.send(200, html_page(f"Page {handler.path.rsplit('/', 1)[-1]}"))

    urls = [f"{site.base}/p/{n}" for n in range(20)]
    for url in urls:
        site.routes[urlsplit(url).path] = slow

    read = read_link_pages(urls, tmp_path, internal_allowed=True)

    assert read.unread == 0 and read.pages[urls[7]].title == "Page 7"
    assert site.running[1] == pages.IN_FLIGHT


def test_a_network_that_is_down_is_given_up_on(tmp_path, monkeypatch):
    """Nothing listens on these loopback ports: after IN_FLIGHT refusals the rest are not tried."""
    import socket

    closed = []
    for _ in range(3):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed.append(probe.getsockname()[1])
    urls = [f"http://127.0.0.1:{closed[n % 3]}/{n}" for n in range(40)]
    started = time.monotonic()

    read = read_link_pages(urls, tmp_path, internal_allowed=True)

    assert read.unread == 40 and time.monotonic() - started < 2


@pytest.mark.parametrize(("title", "url", "site_name", "name"), [
    ("GitHub - astral-sh/uv: An extremely fast Python package manager", "https://github.com/astral-sh/uv", "",
     "uv: An extremely fast Python package manager"),
    ("GitHub - acme/quarkdb: QuarkDB stores quarks", "https://github.com/acme/quarkdb", "GitHub",
     "QuarkDB: QuarkDB stores quarks"),
    ("GitHub - acme/tinylog: tinylog", "https://github.com/acme/tinylog", "", "tinylog"),
    ("acme/harbor-7b · Hugging Face", "https://huggingface.co/acme/harbor-7b", "", "harbor-7b"),
    ("[2611.04512] Sparse Experts for Speech Recognition", "https://arxiv.org/abs/2611.04512", "",
     "Sparse Experts for Speech Recognition"),
    ("Quill: a Benchmark for Lanterns | OpenReview", "https://openreview.net/forum?id=q1", "",
     "Quill: a Benchmark for Lanterns"),
    ("Why Tensors Print Badly - Lantern Blog - Notes on shipping models", "https://blog.lantern.dev/p", "",
     "Why Tensors Print Badly"),
    ("Falcon ships | Cobalt Semiconductor Newsroom", "https://cobalt-semi.example.com/n", "", "Falcon ships"),
    ("Python 3.14 - What's New", "https://docs.python.org/3/whatsnew", "", "Python 3.14 - What's New"),
    ("Flying Cars Are Late — The Fly Blog", "https://fly.io/blog/cars", "", "Flying Cars Are Late"),
    ("Kitchen World: robots that cook", "https://kitchen-world.example.org/", "Kitchen World",
     "Kitchen World: robots that cook"),
    ("Sketch to Song - a Hugging Face Space by tensorweekly", "https://huggingface.co/spaces/tw/sketch-to-song",
     "", "Sketch to Song"),
])
def test_titles_lose_the_sites_furniture(title, url, site_name, name):
    assert clean_title(title, url, site_name) == name


def test_a_short_name_is_what_a_title_leads_with():
    assert short_name("Dayflow: A private, automatic work journal for Mac") == "Dayflow"
    assert short_name("The PC is Dead: It's Time to Make Computing Personal Again") == "The PC is Dead"
    assert short_name("What a very long name this is: and more") == "What a very long name this is: and more"


def test_the_cache_file_is_json_a_person_can_read(site, tmp_path):
    site.routes["/x"] = lambda h: h.send(200, html_page("X marks"))
    read_link_pages([f"{site.base}/x"], tmp_path, internal_allowed=True)
    [path] = (tmp_path / "pages").iterdir()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["url"] == f"{site.base}/x" and data["page"]["title"] == "X marks"
    assert Path(path).name == PageCache(tmp_path / "pages").path(f"{site.base}/x").name


def test_an_article_names_its_links_by_their_pages_titles_escaped_in_every_format(site, tmp_path, samples,
                                                                                   monkeypatch, capsys):
    """Bare URLs in a description: the article's links read as their pages' titles, and a title
    is page text like any other (escaped, never a link of its own)."""
    from recap.app import cli

    hostile = "<script>alert(1)</script> Kitchen [World](javascript:alert(1)) *now*"
    titles = {"/orca/harbor-7b": ("Harbor 7B: an open model | Orca Labs", ""),
              "/abs/2611.04512": ("[2611.04512] Sparse Mixtures for Speech", "arXiv.org"),
              "/xl0/lovely-tensors": ("GitHub - xl0/lovely-tensors: Tensors, ready for human consumption",
                                      "GitHub"),
              "/kitchen": (hostile, "")}
    for path, (title, name) in titles.items():
        page = html_page(title.replace("&", "&amp;").replace("<", "&lt;"), ("og:site_name", name))
        site.routes[path] = lambda h, page=page: h.send(200, page)
    description = tmp_path / "description.txt"
    description.write_text("This week:\n" + "".join(f"{site.base}{path}\n" for path in titles))
    monkeypatch.setenv("RECAP_LINK_PAGES", "on")
    out = tmp_path / "out"

    code = cli.main(["render", str(samples / "tensor_weekly_12.txt"), "--description", str(description),
                     "-o", str(out), "--cache-dir", str(tmp_path / "cache")])

    assert code == 0, capsys.readouterr().err
    article = json.loads((out / "article.json").read_text())
    links = {link["url"]: link["title"] for section in article["sections"] for story in section["stories"]
             for link in story["links"]}
    assert links[f"{site.base}/abs/2611.04512"] == "Sparse Mixtures for Speech"
    assert links[f"{site.base}/xl0/lovely-tensors"] == "lovely-tensors: Tensors, ready for human consumption"
    md, html = (out / "article.md").read_text(), (out / "article.html").read_text()
    assert f"[Sparse Mixtures for Speech](<{site.base}/abs/2611.04512>)" in md
    assert ">Harbor 7B: an open model</a>" in html
    assert "<script>alert" not in md + html and 'href="javascript' not in html
    assert not re.search(r"(?<!\\)\]\(javascript:", md) and "\\[World\\](javascript:" in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Kitchen" in html


def test_words_two_titles_share_name_neither_link():
    from recap.core.document import Link
    from recap.language.links import link_words, shared_title_words

    first = Link("https://h.example/1", title="Continuous Claude: memory for Claude Code")
    second = Link("https://h.example/2", title="Gastown: agents for Claude Code")
    labelled = Link("https://h.example/3", label="Claude Code")
    shared = shared_title_words([first, second, labelled])

    assert {"claude", "code"} <= shared and "gastown" not in shared
    words = link_words(second, shared=shared)
    assert "gastown" in words and "claude" not in words
    assert "claude" in link_words(labelled, shared=shared)  # the publisher's own label keeps its words


def test_opaque_links_name_their_stories_by_their_pages_titles(samples):
    """Links whose URLs hold no word the host says (ids) name their stories by their titles (the
    name a title leads with: "Kitchen World", not its tagline)."""
    from recap.app.inputs import read_timed_text
    from recap.core.document import LinkPage
    from recap.stages.segment import outline, segment

    titles = ["Harbor 7B, an open model | Orca Labs", "[2611.04512] Sparse Mixtures for Speech",
              "Lovely Tensors: debugging made friendlier", "Cobalt announces the Falcon chip",
              "Kitchen World: a dataset of robots cooking", "Sketch to Song, a drawing-to-music demo"]
    urls = [f"https://ids.example/r/{n}x{n}q{n}z" for n in range(2, 8)]
    description = "Links:\n" + "\n".join(urls)
    pages = {url: LinkPage(url=url, title=title) for url, title in zip(urls, titles)}
    timed = read_timed_text(samples / "tensor_weekly_12.txt")

    def placed(pages):
        stories = outline(segment(timed, description=description, pages=pages), description, pages=pages).body
        return {link.url: story.title for story in stories for link in story.links}

    without, with_titles = placed(None), placed(pages)

    names = ["Harbor 7B, an open model", "Sparse Mixtures for Speech", "Lovely Tensors",
             "Cobalt announces the Falcon chip", "Kitchen World", "Sketch to Song, a drawing-to-music demo"]
    assert with_titles == dict(zip(urls, names))
    assert without[urls[0]] == "Harbor"  # the host's words alone


def test_a_local_video_gives_the_article_its_first_frame_and_audio_gives_none(samples, tmp_path):
    from conftest import ScriptedTranscriber

    from recap.app.pipeline import Pipeline
    from recap.core.options import RunOptions

    for name in ("tensor_weekly_12.mp4", "tensor_weekly_12.mp3"):
        out = tmp_path / name
        options = RunOptions(out_dir=out, cache_dir=tmp_path / "cache")
        pipeline = Pipeline(options, transcriber=ScriptedTranscriber())
        result = pipeline.run(str(samples / name))
        picture = out / "thumbnail.jpg"
        md, html = (out / "article.md").read_text(), (out / "article.html").read_text()
        if name.endswith(".mp4"):
            assert picture.read_bytes()[:3] == b"\xff\xd8\xff" and result.article.picture == "thumbnail.jpg"
            assert "![](thumbnail.jpg)" in md and '<img class="picture" src="data:image/jpeg;base64,' in html
            assert json.loads((out / "article.json").read_text())["picture"] == "thumbnail.jpg"
        else:
            assert not picture.exists() and "thumbnail" not in md + html


def test_the_videos_own_picture_is_read_reencoded_and_shared(site, samples, tmp_path):
    """The thumbnail URL yt-dlp gives is read like a link page, made a plain JPEG (a PNG here),
    and named for sharing (og:image); one that is no picture leaves the article without one."""
    from recap.app.pipeline import Pipeline
    from recap.core.document import Episode
    from recap.core.media import picture_jpeg
    from recap.core.options import RunOptions
    from recap.stages.fetch import episode_from_info

    png = _png_of(picture_jpeg(samples / "tensor_weekly_12.mp4"))
    site.routes["/thumb.png"] = lambda h: h.send(200, png, "image/png")
    site.routes["/thumb.html"] = lambda h: h.send(200, html_page("Not a picture"))
    pipeline = Pipeline(RunOptions(cache_dir=tmp_path, link_pages=True))

    shown = pipeline.web.picture(Episode(id="x", title="x", thumbnail=f"{site.base}/thumb.png"))
    not_a_picture = pipeline.web.picture(Episode(id="x", title="x", thumbnail=f"{site.base}/thumb.html"))
    offline = Pipeline(RunOptions(cache_dir=tmp_path, link_pages=False)).web.picture(
        Episode(id="x", title="x", thumbnail=f"{site.base}/thumb.png"))

    assert shown[:3] == b"\xff\xd8\xff" and not_a_picture is None and offline is None
    assert [path for path, _ in site.seen] == ["/thumb.png", "/thumb.html"]
    info = {"id": "v1", "title": "T", "extractor_key": "Youtube", "webpage_url": "https://video.example/v1"}
    assert episode_from_info({**info, "thumbnail": "https://i.example/v1.jpg?token=s3cret"}).thumbnail == \
        "https://i.example/v1.jpg"
    assert episode_from_info({**info, "thumbnail": "javascript:alert(1)"}).thumbnail is None


def _png_of(jpeg: bytes) -> bytes:
    """The same picture as a PNG, made with PyAV (no imaging library needed)."""
    import io

    import av

    with av.open(io.BytesIO(jpeg)) as container:
        frame = next(container.decode(video=0))
    out = io.BytesIO()
    with av.open(out, "w", format="image2pipe") as container:
        stream = container.add_stream("png")
        stream.width, stream.height, stream.pix_fmt = frame.width, frame.height, "rgb24"
        for packet in [*stream.encode(frame.reformat(format="rgb24")), *stream.encode(None)]:
            container.mux(packet)
    return out.getvalue()


def test_a_feed_from_the_internet_cannot_redirect_a_download_into_this_machine(site, samples, tmp_path):
    """The media of a public feed's item is followed hop by hop: a redirect onto a loopback address
    is refused before yt-dlp follows it, and a server that hides the redirect from HEAD is caught
    where yt-dlp's request ends, unread; a redirect to another public address downloads."""
    from recap.app.channel import plan_channel
    from recap.app.episodes import ChannelOptions, download_entry
    from recap.core.errors import RecapError

    audio = (samples / "tensor_weekly_13.mp3").read_bytes()
    site.routes["/real.mp3"] = lambda h: h.send(200, audio, "audio/mpeg")
    site.routes["/inside.mp3"] = lambda h: h.send(302, Location=f"{site.base}/real.mp3")
    site.routes["/outside.mp3"] = lambda h: h.send(302, Location=f"{PUBLIC}/real.mp3")
    site.routes["/sly.mp3"] = lambda h: (h.send(200, b"", "audio/mpeg") if h.command == "HEAD"  # hides it
                                         else h.send(302, Location=f"{site.base}/real.mp3"))
    items = "".join(
        f"<item><title>{name}</title><guid>{name}</guid><pubDate>Mon, 05 Jan 2026 09:00:00 GMT</pubDate>"
        f'<enclosure url="{PUBLIC}/{name}.mp3" type="audio/mpeg" length="1"/></item>'
        for name in ("inside", "outside", "sly"))
    feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Public show</title>'
            f"<link>{PUBLIC}/</link><description>x</description>{items}</channel></rss>").encode()
    site.routes["/feed.xml"] = lambda h: h.send(200, feed, "application/rss+xml")
    from recap.core.options import RunOptions

    options = ChannelOptions(out_dir=tmp_path / "out", run=RunOptions(cache_dir=tmp_path / "cache"))

    entries = {entry.title: entry for entry in plan_channel(f"{PUBLIC}/feed.xml", options).todo}
    outcomes = {}
    for title, entry in entries.items():
        try:
            outcomes[title] = download_entry(entry, options).media.read_bytes() == audio
        except RecapError as exc:
            outcomes[title] = str(exc)

    assert outcomes["outside"] is True
    for refused in ("inside", "sly"):
        assert "not downloaded" in outcomes[refused] and "link-local address" in outcomes[refused]
    asked = [path for path, _ in site.seen]
    assert "HEAD /inside.mp3" in asked and "/inside.mp3" not in asked  # refused before yt-dlp asked
    assert "/sly.mp3" in asked  # only yt-dlp's own request met its redirect


def test_with_images_each_story_shows_its_first_links_picture_read_once(site, samples, tmp_path, monkeypatch,
                                                                         capsys):
    """--images: a story's first link's og:image beside it (embedded in the HTML, linked in the
    Markdown), read once into the picture cache; an og:image that is no picture shows nothing."""
    from recap.app import cli
    from recap.core.media import picture_jpeg

    png = _png_of(picture_jpeg(samples / "tensor_weekly_12.mp4"))
    pages_with = {"/orca/harbor-7b": "/harbor.png", "/xl0/lovely-tensors": "/tensors.html"}
    for path, image in pages_with.items():
        page = html_page(f"Page {path}", ("og:image", image))
        site.routes[path] = lambda h, page=page: h.send(200, page)
    site.routes["/harbor.png"] = lambda h: h.send(200, png, "image/png")
    site.routes["/tensors.html"] = lambda h: h.send(200, html_page("Not a picture"))
    description = tmp_path / "description.txt"
    description.write_text("".join(f"{site.base}{path}\n" for path in pages_with))
    monkeypatch.setenv("RECAP_LINK_PAGES", "on")
    argv = ["render", str(samples / "tensor_weekly_12.txt"), "--description", str(description), "--images",
            "--cache-dir", str(tmp_path / "cache")]

    assert cli.main([*argv, "-o", str(tmp_path / "first")]) == 0
    site.routes.pop("/harbor.png")  # gone from the web: the second run has it from the cache
    assert cli.main([*argv, "-o", str(tmp_path / "second"), "--refresh-links"]) == 0

    for out in ("first", "second"):
        article = json.loads((tmp_path / out / "article.json").read_text())
        shown = {story["title"]: story["picture_url"] for section in article["sections"]
                 for story in section["stories"] if story["picture_url"]}
        assert list(shown.values()) == [f"{site.base}/harbor.png"]
        html = (tmp_path / out / "article.html").read_text()
        assert html.count('class="story-picture" src="data:image/jpeg;base64,') == 1
        assert f"![]({site.base}/harbor.png)" in (tmp_path / out / "article.md").read_text()
    assert [path for path, _ in site.seen].count("/harbor.png") == 1
    capsys.readouterr()


def test_a_heading_that_is_a_pages_short_name_gets_the_rest_of_its_title_as_a_deck():
    from recap.core.document import Link
    from recap.stages.render.article import deck_of

    dayflow = [Link("https://github.com/a/day", title="Dayflow: a private, automatic work journal for Mac")]
    assert deck_of("Dayflow", dayflow) == "A private, automatic work journal for Mac"
    assert deck_of("Dayflow: the journal", dayflow) == ""  # the heading says more than the name
    assert deck_of("Dayflow", [Link("https://x.example/", label="Dayflow")]) == ""  # no page read
    assert deck_of("Hl", [Link("https://github.com/p/hlogf", title="hlogf")]) == ""
    tensors = [Link("https://github.com/xl0/t", title="lovely-tensors: Tensors, ready for humans")]
    assert deck_of("Lovely Tensors", tensors) == "Tensors, ready for humans"
