"""`recap channel` on a loopback feed vs the sum of its episodes' transcription times, and
in one process vs on a local Dask cluster of two workers (`--workers 2`).

    python bench/channel.py

The feed serves the six sample files (three episodes, each as mp3 and mp4) on 127.0.0.1.
The baseline transcribes each file with one already-loaded model in a fresh process and
sums the per-file times (best of two each): pure decoding, nothing else, so the ratio is
conservative. The channel run is the real command
with a cold cache: start-up, listing, downloads, model load, segmentation, rendering, index.
A ratio near 1 means the model loads once and downloads hide behind transcription.
The same cold-cache run with `--workers 2` gives the cluster's overhead (on 2 cores no speed-up is
expected), the peak memory of the whole process tree (driver, scheduler, workers), and how many
times each worker loaded the model (must be 1).
Prints figures, asserts nothing.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
MEDIA = [f"tensor_weekly_{n}.{ext}" for n in (12, 13, 14) for ext in ("mp3", "mp4")]

BASELINE = """
import json, sys, time
from pathlib import Path
from recap.stages.transcribe import WhisperTranscriber
transcriber = WhisperTranscriber()
transcriber.transcribe(Path(sys.argv[1]))  # load the model and warm up, untimed
times = {}
for path in sys.argv[1:]:
    for _ in range(2):  # best of two: other work on the machine only ever adds time
        start = time.perf_counter()
        transcriber.transcribe(Path(path))
        seconds = time.perf_counter() - start
        times[Path(path).name] = min(seconds, times.get(Path(path).name, seconds))
print(json.dumps(times))
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # yt-dlp hangs up early, on purpose
            super().handle_error(request, client_address)


def serve(folder: Path) -> str:
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}"


def write_feed(folder: Path, base: str) -> str:
    items = "".join(
        f"<item><title>{escape(name)}</title><guid>{name}</guid>"
        f"<pubDate>Mon, {10 + i:02d} Nov 2025 09:00:00 GMT</pubDate>"
        f'<enclosure url="{base}/{name}" type="audio/mpeg" length="1"/></item>\n'
        for i, name in enumerate(MEDIA))
    (folder / "feed.xml").write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench'
                                     f"</title>{items}</channel></rss>\n", encoding="utf-8")
    return f"{base}/feed.xml"


def baseline_seconds(paths: list[Path]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", BASELINE, *map(str, paths)], check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


@dataclass
class ChannelRun:
    wall: float
    peak_mb: float  # the whole process tree's resident memory at its highest
    summary: str
    model_loads: list[int] | None  # per worker, from the run's --verbose log


def channel_run(feed: str, work: Path, *extra: str) -> ChannelRun:
    shutil.rmtree(work / "out", ignore_errors=True)
    shutil.rmtree(work / "cache", ignore_errors=True)
    argv = [sys.executable, "-m", "recap", "channel", feed, "-o", str(work / "out"), "--cache-dir",
            str(work / "cache"), "--verbose", *extra]
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak = _watch_memory(child)
    stdout, stderr = child.communicate()
    wall = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"recap channel failed:\n{stdout}\n{stderr}")
    loads = re.search(r"model loads per worker: \[([\d, ]*)\]", stderr)
    return ChannelRun(wall, peak / 2**20, stdout.strip().splitlines()[-1],
                      [int(n) for n in loads.group(1).split(",")] if loads else None)


def _watch_memory(child: subprocess.Popen) -> int:
    """The highest sum of resident memory over the child and all its descendants."""
    import psutil  # installed with Dask's distributed

    root, peak = psutil.Process(child.pid), 0
    while child.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(_rss(p) for p in tree))
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.1)
    return peak


def _rss(process) -> int:
    import psutil

    try:
        return process.memory_info().rss
    except psutil.Error:
        return 0


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        www = work / "www"
        www.mkdir()
        for name in MEDIA:
            (www / name).symlink_to(ROOT / "samples" / name)
        feed = write_feed(www, serve(www))
        singles = baseline_seconds([ROOT / "samples" / name for name in MEDIA])
        alone = channel_run(feed, work)
        spread = channel_run(feed, work, "--workers", "2")
    total = sum(singles.values())
    for name, seconds in singles.items():
        print(f"  transcribe {name:<28} {seconds:7.2f} s")
    print(f"sum of single-episode transcriptions ({len(singles)} episodes): {total:7.2f} s")
    print(f"recap channel, cold cache, wall:                    {alone.wall:7.2f} s   ({alone.summary})")
    print(f"ratio channel / sum: {alone.wall / total:.2f} (target <= 1.10)")
    print(f"in one process:   wall {alone.wall:6.2f} s, peak memory {alone.peak_mb:6.0f} MB")
    print(f"--workers 2:      wall {spread.wall:6.2f} s, peak memory {spread.peak_mb:6.0f} MB, "
          f"model loads per worker {spread.model_loads}  ({spread.summary})")
    print(f"cluster / one process: wall {spread.wall / alone.wall:.2f}, "
          f"memory {spread.peak_mb / alone.peak_mb:.2f}")


if __name__ == "__main__":
    main()
