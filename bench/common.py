"""Helpers shared by the bench scripts: timing a command and its peak memory."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import textwrap
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DEVDATA = ROOT.parent / "shared" / "devdata"
SCORE = ROOT.parent / "shared" / "tools" / "score.py"  # the shared scorer, run from the checkout

# Runs a command and reports the peak resident memory of its process tree.
_MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "seconds = time.perf_counter() - t\n"
    "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
    "print(json.dumps({'seconds': seconds, 'rss_mb': rss, 'rc': done.returncode,"
    " 'stdout': done.stdout, 'stderr': done.stderr[-2000:]}))\n"
)


def measure(argv: list[str]) -> dict:
    """Wall seconds and peak RSS (MB) of ``argv`` run in a fresh process."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *argv], capture_output=True, text=True,
                         check=True)
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"{argv[:3]} failed: {result['stderr']}")
    return result


def measure_best(argv: list[str], repeat: int = 3) -> dict:
    """The fastest of ``repeat`` runs (timings on a shared 2-core machine wander by 20%)."""
    return min((measure(argv) for _ in range(repeat)), key=lambda run: run["seconds"])


def timed(fn, repeat: int = 1) -> float:
    """Best of ``repeat`` wall times of ``fn()``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def row(label: str, value: str, target: str = "") -> None:
    print(f"  {label:<48} {value:>14}   {target}")


def joined_episode(folder: Path, seconds: float, pause_s: float = 20) -> Path:
    """The three samples whole (intro to outro), each followed by ``pause_s`` of silence, repeated
    and cut to ``seconds``, as 16 kHz WAV."""
    pieces = [_audio(n) for n in (12, 13, 14)]
    silence = np.zeros(int(16000 * pause_s), dtype=np.float32)
    return _write_wav(folder / f"joined_{int(seconds)}s_{pause_s:g}s_pauses.wav",
                      _repeat([np.concatenate([p, silence]) for p in pieces], seconds))


def news_episode(folder: Path, seconds: float) -> Path:
    """One show of ``seconds``: sample 12's intro, then the samples' stories one after another (as
    a host runs through the week's news, 0.7 s apart as spoken), then its outro. Joining whole
    samples would put a sign-off in mid-show, which no episode has and Whisper takes for an end."""
    pause = np.zeros(int(16000 * 0.7), dtype=np.float32)
    stories, intro, outro = [], None, None
    for n in (12, 13, 14):
        audio, truth = _audio(n), json.loads((SAMPLES / f"tensor_weekly_{n}.truth.json").read_text())
        for part in truth["stories"]:
            piece = np.concatenate([audio[int(part["start"] * 16000):int(part["end"] * 16000)], pause])
            if part["kind"] == "story":
                stories.append(piece)
            elif n == 12:
                intro, outro = (piece, outro) if part["kind"] == "intro" else (intro, piece)
    body = _repeat(stories, seconds - (len(intro) + len(outro)) / 16000)
    return _write_wav(folder / f"news_{int(seconds)}s.wav", np.concatenate([intro, body, outro]))


def _audio(number: int) -> np.ndarray:
    from faster_whisper import decode_audio

    return decode_audio(str(SAMPLES / f"tensor_weekly_{number}.mp3"))


def _repeat(pieces: list[np.ndarray], seconds: float) -> np.ndarray:
    """``pieces`` in turn, over and over, cut at ``seconds``."""
    needed = int(seconds * 16000)
    total = sum(len(p) for p in pieces)
    return np.concatenate(pieces * (needed // total + 1))[:needed]


def _write_wav(path: Path, audio: np.ndarray) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes((np.clip(audio, -1, 1) * 32767).astype(np.int16).tobytes())
    return path


# -- a long spoken show, for transcription figures -------------------------------------------------
SHARED = ROOT.parent / "shared"
SHOW_EPISODES = ("changelog_news_174", "changelog_news_146", "changelog_news_111", "changelog_news_88")
SHOW_CACHE = Path("/tmp/recap-bench-show")
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_BARE_URL = re.compile(r"https?://\S+")
_MARKUP = re.compile(r"[*`#_>|]")


def spoken_text(story_text: str) -> str:
    """A published story as a host would say it: link texts kept, URLs and markup dropped."""
    text = _BARE_URL.sub("", _MARKDOWN_LINK.sub(r"\1", story_text))
    return " ".join(_MARKUP.sub(" ", text).split())


def spoken_show(names: tuple[str, ...] = SHOW_EPISODES, folder: Path = SHOW_CACHE) -> tuple[Path, str]:
    """(media, spoken text) of Changelog News episodes' stories back to back, spoken once by
    ../shared/tools/speak.sh (espeak-ng) and cached in ``folder``: about 45 minutes by default."""
    devdata = SHARED / "devdata" / "changelog"
    stories = [spoken_text(story["text"]) for name in names
               for story in json.loads((devdata / f"{name}.json").read_text())["stories"]]
    text = "\n".join(textwrap.fill(story, 80) for story in stories if story)
    key = hashlib.sha256(text.encode()).hexdigest()[:12]
    media = folder / f"show_{key}.mp3"
    if not media.exists():
        folder.mkdir(parents=True, exist_ok=True)
        script = folder / f"show_{key}.txt"
        script.write_text(text + "\n", encoding="utf-8")
        subprocess.run(["bash", str(SHARED / "tools" / "speak.sh"), str(script), str(folder), f"show_{key}"],
                       check=True, capture_output=True)
    return media, text


def mean_line(mode: str, episodes: list[Path]) -> str:
    """The shared scorer's MEAN line for ``mode`` ("segments", "article --flat"...) on ``episodes``,
    without link pages: the same on any machine (bench/link_pages.py scores with them)."""
    argv = [sys.executable, str(SCORE), *mode.split(), *map(str, episodes)]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "RECAP_LINK_PAGES": "off"})
    lines = [line for line in done.stdout.splitlines() if line.startswith("MEAN")]
    return lines[-1] if lines else f"failed: {done.stderr.strip().splitlines()[-1:]}"
