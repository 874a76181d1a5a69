"""The stall rule: a transfer that keeps its connection open but sends next to nothing is cut."""

from __future__ import annotations

import functools
import socket
import threading
import time
import weakref
from contextlib import suppress
from typing import Any

from recap.core.options import FetchOptions
from recap.core.urls import checked_hop, is_internal_address

# -- the stall rule ---------------------------------------------------------------------------
# The socket timeout is per read: a server that sends a byte every few seconds never trips it. A
# transfer (the pages read before a download, then the download) has stalled when, for
# STALL_TIMEOUTS socket timeouts, no new response came and the media grew by less than STALL_BYTES.
STALL_BYTES = 1024
STALL_TIMEOUTS = 3


def stall_window(options: FetchOptions) -> float:
    return STALL_TIMEOUTS * options.socket_timeout


class StallWatch:
    """Ends a yt-dlp session that has stalled: a thread watches for progress (a response opened,
    STALL_BYTES more of the media, as yt-dlp's progress hooks report it) and, after ``window``
    seconds without any, shuts the session's sockets down, which wakes the read that waits on them.
    From then on every request and progress report of the session raises, so yt-dlp's own retries
    end at once; ``stalled`` says why the session failed."""

    def __init__(self, window: float, least: int = STALL_BYTES) -> None:
        self.window = window
        self.least = least
        self.stalled = False
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._mark = 0  # the media's size when progress was last seen
        self._last = time.monotonic()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def attach(self, ydl, public_only: bool = False) -> None:
        """Watch every request ``ydl`` makes (its downloader asks ``ydl.urlopen`` too) and every
        progress report of its downloads. ``public_only``: a response that redirects ended on a
        non-global address is closed unread (see check_redirects for the hops before it)."""
        opener = ydl.urlopen

        def urlopen(request):
            self._check()
            response = opener(request)
            if public_only and is_internal_address(getattr(response, "url", "") or ""):
                response.close()
                checked_hop(response.url, inside=False)  # raises InternalAddress, naming it
            return self.opened(response)

        ydl.urlopen = urlopen
        ydl.add_progress_hook(self.hook)

    def opened(self, response):
        with self._lock:
            self._sockets.update(_sockets_of(response))
            self._last = time.monotonic()
        return response

    def hook(self, status: dict) -> None:
        self._check()
        got = status.get("downloaded_bytes")
        if not isinstance(got, (int, float)):
            return
        with self._lock:
            if got >= self._mark + self.least or status.get("status") == "finished":
                self._mark, self._last = got, time.monotonic()
            elif got < self._mark:  # another download began
                self._mark = got

    def _check(self) -> None:
        if self.stalled:
            raise _stalled_error()(f"no progress for {self.window:g} s")

    def __enter__(self) -> StallWatch:
        self._last = time.monotonic()
        self._thread = threading.Thread(target=self._watch, name="recap-stall-watch", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()

    def _watch(self) -> None:
        tick = min(1.0, self.window / 4)
        while not self._done.wait(tick):
            with self._lock:
                if time.monotonic() - self._last < self.window:
                    continue
                self.stalled = True
                sockets = list(self._sockets)
            for sock in sockets:
                with suppress(OSError):  # closed meanwhile
                    sock.shutdown(socket.SHUT_RDWR)
            return


def _sockets_of(response: Any, depth: int = 0, seen: set[int] | None = None) -> list[socket.socket]:
    """The sockets under a yt-dlp response (urllib's and requests' handlers wrap them a few deep)."""
    seen = set() if seen is None else seen
    if response is None or depth > 6 or id(response) in seen:
        return []
    seen.add(id(response))
    if isinstance(response, socket.socket):
        return [response]
    found = []
    for name in ("fp", "_fp", "raw", "_sock", "sock", "_connection", "connection"):
        found += _sockets_of(getattr(response, name, None), depth + 1, seen)
    return found


@functools.cache
def _stalled_error() -> type[Exception]:
    """What a stalled session raises inside yt-dlp: a DownloadCancelled, which yt-dlp passes on
    untouched (made on first use: yt-dlp is imported only by the commands that download)."""
    from yt_dlp.utils import DownloadCancelled

    class Stalled(DownloadCancelled):
        pass

    return Stalled
