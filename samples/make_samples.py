"""Rebuild the sample episodes from their scripts (needs espeak-ng, sox and ffmpeg).

Each story is spoken on its own so the true story start times are exact; stories are
joined with a short pause, as a host would leave. Outputs, per script NAME.script.json:
NAME.wav (temporary), NAME.mp3, NAME.mp4 (still video track), NAME.txt (the spoken text)
and NAME.truth.json (story titles, kinds, start/end seconds and character spans in NAME.txt).

Run from anywhere: python samples/make_samples.py
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE_RATE = 16000
PAUSE_S = 0.7
VOICE = "en-us"
WORDS_PER_MINUTE = "165"


def run(*argv: str) -> None:
    subprocess.run(argv, check=True, capture_output=True)


def duration(wav: Path) -> float:
    out = subprocess.run(["soxi", "-D", str(wav)], check=True, capture_output=True, text=True)
    return float(out.stdout)


def speak(text: str, wav: Path) -> None:
    raw = wav.with_suffix(".raw.wav")
    run("espeak-ng", "-v", VOICE, "-s", WORDS_PER_MINUTE, "-w", str(raw), text)
    run("sox", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", str(wav))
    raw.unlink()


def build(script_path: Path) -> None:
    name = script_path.name.removesuffix(".script.json")
    script = json.loads(script_path.read_text())
    with tempfile.TemporaryDirectory() as tmp:
        silence = Path(tmp) / "pause.wav"
        run("sox", "-n", "-r", str(SAMPLE_RATE), "-c", "1", str(silence), "trim", "0", str(PAUSE_S))
        parts, truth, text, clock = [], [], "", 0.0
        for i, story in enumerate(script["stories"]):
            wav = Path(tmp) / f"{i:02d}.wav"
            speak(story["text"], wav)
            length = duration(wav)
            if text:
                text += "\n\n"
            truth.append({"title": story["title"], "kind": story["kind"],
                          "start": round(clock, 2), "end": round(clock + length, 2),
                          "span": [len(text), len(text) + len(story["text"])]})
            text += story["text"]
            parts += [str(wav), str(silence)]
            clock += length + PAUSE_S
        episode = Path(tmp) / "episode.wav"
        run("sox", *parts, str(episode))
        run("ffmpeg", "-y", "-i", str(episode), "-codec:a", "libmp3lame", "-b:a", "48k",
            "-metadata", f"title={script['title']}", str(HERE / f"{name}.mp3"))
        run("ffmpeg", "-y", "-f", "lavfi", "-i", "color=c=0x1d3557:s=320x180:r=1",
            "-i", str(episode), "-shortest", "-c:v", "libx264", "-tune", "stillimage",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "48k",
            "-metadata", f"title={script['title']}", str(HERE / f"{name}.mp4"))
    (HERE / f"{name}.txt").write_text(text + "\n")
    (HERE / f"{name}.truth.json").write_text(
        json.dumps({"title": script["title"], "stories": truth}, indent=2) + "\n")


if __name__ == "__main__":
    for path in sorted(HERE.glob("*.script.json")):
        build(path)
        print("built", path.name)
