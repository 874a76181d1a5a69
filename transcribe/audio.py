"""Audio decoded in windows, so a 3-hour episode never sits in memory whole.

PyAV carries its own FFmpeg libraries: no ffmpeg binary is needed. Windows are cut at
the quietest moment near their end so no word is split between two of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from recap.core.interrupts import held_interrupts
from recap.core.media import open_audio

SAMPLE_RATE = 16000
# Ten minutes hold ~24 clips, three full batches of 8: a window's last batch is rarely full, and
# 5-minute windows (two batches and a half) decoded a 15-minute show 8% slower. ~40 MB of audio.
WINDOW_S = 600.0
CUT_SEARCH_S = 15.0  # where to look for a quiet place to cut, before the window's end
_FRAME = SAMPLE_RATE // 50  # 20 ms energy frames


@dataclass
class AudioWindow:
    offset: float  # seconds from the start of the media
    samples: np.ndarray  # float32 mono at SAMPLE_RATE

    @property
    def duration(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def media_duration(path: Path) -> float | None:
    """The container's idea of the duration, for progress bars (None when unknown)."""
    import av

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            return container.duration / 1_000_000 if container.duration else None
    except Exception:
        return None


def _pcm_blocks(path: Path) -> Iterator[np.ndarray]:
    """int16 mono blocks at SAMPLE_RATE, straight from the decoder, a few seconds at a time.
    PyAV's resampler can swallow a Ctrl-C that lands inside it (the run went on to the end), so
    each stretch is decoded with Ctrl-C held (recap.core.interrupts), which takes effect after it."""
    import av

    with open_audio(path) as container:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        frames = container.decode(audio=0)
        done = False
        while not done:
            with held_interrupts():
                blocks, done = _decode_some(frames, resampler)
            yield from blocks


def _decode_some(frames: Iterator, resampler,
                 samples: int = 5 * SAMPLE_RATE) -> tuple[list[np.ndarray], bool]:
    """At least ``samples`` of audio from ``frames`` (fewer at the end), and whether it ended."""
    import av

    blocks: list[np.ndarray] = []
    got = 0
    try:
        while got < samples:
            frame = next(frames, None)
            for out in resampler.resample(frame):
                blocks.append(out.to_ndarray().reshape(-1))
                got += len(blocks[-1])
            if frame is None:  # the resampler flushed what it held
                return blocks, True
    except av.error.InvalidDataError:
        return blocks, True  # a truncated file: keep what decoded
    return blocks, False


def quietest_cut(samples: np.ndarray, search_from: int) -> int:
    """Index of the quietest 20 ms frame at or after ``search_from``."""
    tail = samples[search_from:]
    frames = len(tail) // _FRAME
    if frames < 2:
        return len(samples)
    energy = np.square(tail[: frames * _FRAME].astype(np.float32)).reshape(frames, _FRAME).mean(axis=1)
    return search_from + int(np.argmin(energy)) * _FRAME


def audio_windows(path: Path, window_s: float = WINDOW_S) -> Iterator[AudioWindow]:
    window = int(window_s * SAMPLE_RATE)
    search = int(CUT_SEARCH_S * SAMPLE_RATE)
    pending: list[np.ndarray] = []
    pending_len, offset = 0, 0
    for block in _pcm_blocks(path):
        pending.append(block)
        pending_len += len(block)
        if pending_len < window + search:
            continue
        joined = np.concatenate(pending)
        cut = quietest_cut(joined[:window], window - search)
        yield AudioWindow(offset / SAMPLE_RATE, _to_float(joined[:cut]))
        offset += cut
        pending, pending_len = [joined[cut:]], len(joined) - cut
    if pending_len:
        yield AudioWindow(offset / SAMPLE_RATE, _to_float(np.concatenate(pending)))


def _to_float(pcm: np.ndarray) -> np.ndarray:
    """int16 to float32 in [-1, 1), scaled in place: one 40 MB copy per window, not two."""
    samples = pcm.astype(np.float32)
    samples *= 1 / 32768
    return samples
