"""Decoding settings by measurement: beam and batch size against word error rate and speed.

    python bench/decoding.py

Beam sizes: each transcribes the three samples (216 s of speech) with recap's own engine, the
model already loaded, and its words are scored against the scripts the samples were spoken
from. Batch sizes only matter where a window holds many clips, so they are timed on a
15-minute episode (the samples' stories back to back). The default (beam 5, batch 8) is the row
to beat: a faster row is worth taking only if its error rate stays as low.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, SAMPLES, news_episode, row

sys.path.insert(0, str(ROOT / "tests"))
from conftest import word_error_rate  # noqa: E402 - the tests' own scorer, so both agree

from recap.core.options import TranscribeOptions  # noqa: E402
from recap.stages.transcribe import WhisperTranscriber  # noqa: E402

BEAMS = [5, 1, 2, 3, 4]
BATCHES = [8, 16, 4]
ROUNDS = 2  # best of: timings on this shared 2-core machine wander by 20%; rounds, so a noisy
# neighbour slows every setting alike rather than one
SAMPLE_FILES = [SAMPLES / f"tensor_weekly_{n}.mp3" for n in (12, 13, 14)]


def transcribe_all(options: TranscribeOptions, files: list[Path]) -> tuple[float, float, list]:
    """(decoding seconds, audio seconds, transcripts): the model's loading is not timed."""
    transcriber = WhisperTranscriber(options)
    transcriber.whisper()
    seconds = audio = 0.0
    transcripts = []
    for media in files:
        start = time.perf_counter()
        transcripts.append(transcriber.transcribe(media))
        seconds += time.perf_counter() - start
        audio += transcripts[-1].duration
    return seconds, audio, transcripts


def error_rate(transcripts: list) -> float:
    rates = [word_error_rate(media.with_suffix(".txt").read_text(), " ".join(s.text for s in t.segments))
             for media, t in zip(SAMPLE_FILES, transcripts, strict=True)]
    return sum(rates) / len(rates)


def best_of_rounds(settings: list[TranscribeOptions], files: list[Path]) -> list[tuple[float, float, list]]:
    best: list = [None] * len(settings)
    for _ in range(ROUNDS):
        for i, options in enumerate(settings):
            result = transcribe_all(options, files)
            best[i] = result if best[i] is None or result[0] < best[i][0] else best[i]
    return best


def main() -> None:
    print(f"beam size: the three samples, tiny.en int8 on the CPU, model loaded, best of {ROUNDS}")
    beams = best_of_rounds([TranscribeOptions(beam_size=b) for b in BEAMS], SAMPLE_FILES)
    for beam, (seconds, audio, transcripts) in zip(BEAMS, beams, strict=True):
        row(f"beam {beam}", f"{seconds:.2f} s",
            f"{audio / seconds:5.1f}x real time, word error rate {error_rate(transcripts):.1%}")
    with tempfile.TemporaryDirectory() as tmp:
        episode = news_episode(Path(tmp), 15 * 60)
        print(f"batch size: a 15-minute episode (the samples' stories back to back), beam 5, "
              f"best of {ROUNDS}")
        batches = best_of_rounds([TranscribeOptions(batch_size=b) for b in BATCHES], [episode])
        for batch, (seconds, audio, transcripts) in zip(BATCHES, batches, strict=True):
            words = sum(len(s.words) for s in transcripts[0].segments)
            row(f"batch {batch}", f"{seconds:.2f} s", f"{audio / seconds:5.1f}x real time, {words} words")


if __name__ == "__main__":
    main()
