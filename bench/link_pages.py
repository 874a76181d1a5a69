"""Link pages: what page titles buy the articles, and what reading them costs a run.

    python bench/link_pages.py [--quality-only | --speed-only]

Quality: the shared scorer's article MEAN on devdata/asr without link pages (RECAP_LINK_PAGES=off)
and with the page titles of devdata/asr/pages.json put into a fresh page cache, as if recap had
read them (pages.json lists what the web gave for those links; its titles are never in the
product). A link it has no title for is unreadable: every request goes to a closed local proxy.
Speed (issue 24's targets): 50 links read over loopback with IN_FLIGHT in flight from a server
that takes 100 ms a page; 50 links on a network where nothing answers; --no-link-pages.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from recap.core.document import LinkPage
from recap.stages.fetch.pages import IN_FLIGHT, PageCache, read_link_pages

ROOT = Path(__file__).resolve().parent.parent
DEVDATA = ROOT.parent / "shared" / "devdata"
SCORE = ROOT.parent / "shared" / "tools" / "score.py"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def score(env: dict[str, str]) -> str:
    argv = [sys.executable, str(SCORE), "article", str(DEVDATA / "asr")]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **env})
    lines = [line for line in done.stdout.splitlines() if line.startswith("MEAN")]
    return lines[-1] if lines else f"failed: {done.stderr.strip().splitlines()[-1:]}"


def quality() -> None:
    pages = json.loads((DEVDATA / "asr" / "pages.json").read_text(encoding="utf-8"))
    titled = {url: page for url, page in pages.items() if page.get("title")}
    dead_proxy = f"http://127.0.0.1:{closed_port()}"
    print(f"devdata/asr article, {len(titled)} of {len(pages)} link pages titled")
    print(f"  without link pages  {score({'RECAP_LINK_PAGES': 'off'})}", flush=True)
    with tempfile.TemporaryDirectory() as home:
        cache = PageCache(Path(home) / "recap" / "pages")  # platformdirs' cache folder under XDG_CACHE_HOME
        for url, page in titled.items():
            cache.put(url, LinkPage(url=url, title=page["title"], description=page.get("description") or ""))
        env = {"RECAP_LINK_PAGES": "on", "XDG_CACHE_HOME": home, "HTTP_PROXY": dead_proxy,
               "HTTPS_PROXY": dead_proxy, "http_proxy": dead_proxy, "https_proxy": dead_proxy}
        print(f"  with page titles    {score(env)}", flush=True)


class _Slow(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        time.sleep(0.1)
        body = f"<html><head><title>Page {self.path} | Bench</title></head><body></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def speed() -> None:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        os.environ.pop(name, None)
    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        read = read_link_pages([f"{base}/{n}" for n in range(50)], Path(cache), internal_allowed=True)
        print(f"50 links over loopback, {IN_FLIGHT} in flight, 100 ms a page: "
              f"{time.perf_counter() - started:.2f} s, {len(read.pages)} read   (target <= 5 s)")
        started = time.perf_counter()
        read_link_pages([f"{base}/{n}" for n in range(50)], Path(cache), internal_allowed=True)
        print(f"the same 50 again, from the cache: {time.perf_counter() - started:.3f} s")
    httpd.shutdown()
    dead = closed_port()
    started = time.perf_counter()
    read = read_link_pages([f"http://127.0.0.1:{dead}/{n}" for n in range(50)], None, internal_allowed=True)
    print(f"50 links where nothing answers: {time.perf_counter() - started:.2f} s, {read.unread} unread"
          "   (target <= 1 s)")
    print("--no-link-pages: no page is asked for "
          "(recap.app.linked returns before recap.stages.fetch.pages is imported)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality-only", action="store_true")
    parser.add_argument("--speed-only", action="store_true")
    args = parser.parse_args()
    if not args.quality_only:
        speed()
    if not args.speed_only:
        if not SCORE.exists():
            print(f"no scorer at {SCORE}: the quality half needs the shared dev data beside the checkout")
            return 1
        quality()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
