"""Segmentation + rendering of a 1-hour transcript (about 10,000 words), in process.

    python bench/segment_render.py

The transcript is the main sample's, repeated with shifted times to an hour, rendered with the
sample's description (its links are looked for in the transcript). Figures: cold (first call,
spaCy's model loading included) and warm (the best of three).
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from common import SAMPLES, row, timed


def hour_transcript():
    from recap.core.document import Segment, Transcript, Word
    from recap.stages.transcribe import WhisperTranscriber

    base = WhisperTranscriber().transcribe(SAMPLES / "tensor_weekly_12.mp3")
    span = (base.duration or 140.0) + 2.0
    segments = []
    for i in range(int(3600 // span)):
        shift = i * span
        segments += [Segment(s.start + shift, s.end + shift, s.text,
                             [Word(w.text, w.start + shift, w.end + shift, w.probability) for w in s.words])
                     for s in base.segments]
    return Transcript(segments=segments, duration=3600.0, model=base.model)


def main() -> None:
    from recap.app.pipeline import Pipeline
    from recap.core.options import Overrides, RunOptions

    transcript = hour_transcript()
    words = sum(len(s.words) for s in transcript.segments)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "transcript.json"
        path.write_text(json.dumps(transcript.to_dict()))
        described = Overrides(description_file=SAMPLES / "tensor_weekly_12.description.txt")
        options = RunOptions(out_dir=Path(tmp) / "out", cache_dir=Path(tmp) / "c", overrides=described)
        pipeline = Pipeline(options)
        start = time.perf_counter()
        pipeline.render_file(path)
        cold = time.perf_counter() - start
        warm = timed(lambda: pipeline.render_file(path), repeat=3)
    print(f"segmentation + rendering: 1-hour transcript, {words} words, md+html+json")
    row("cold (spaCy model load included)", f"{cold:.2f} s")
    row("warm (best of 3)", f"{warm:.2f} s", "target <= 2 s")


if __name__ == "__main__":
    main()
