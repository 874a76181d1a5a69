"""Opening a media file's audio with PyAV, with the one-line errors every stage gives for what
is not media (the fetch check before transcribing and the transcriber's decoder share them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from recap.core.errors import RecapError


@contextmanager
def open_audio(path: Path, shown: str | None = None) -> Iterator:
    """The open container of a file with an audio track; ``shown`` names it in errors."""
    import av

    name = shown or path.name
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except Exception as exc:  # PyAV raises many kinds for files that are not media
        raise unreadable(name, exc) from exc
    with container:
        if not container.streams.audio:
            raise RecapError(f"{name}: the file has no audio track")
        yield container


def unreadable(name: str, exc: BaseException) -> RecapError:
    return RecapError(f"{name}: cannot read audio from this file ({_reason(exc)})")


def _reason(exc: BaseException) -> str:
    """FFmpeg's words without the errno and the C function: "Invalid data found when processing input"."""
    text = str(exc).strip()
    text = text.splitlines()[0] if text else type(exc).__name__
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", text)
    return re.sub(r":\s*'[^']*'$", "", text)[:160]


def probe_audio(path: Path, shown: str | None = None) -> float | None:
    """The media's duration as its container states it (None when it does not), once its audio
    has been seen to decode: random bytes named .mp3 open as MP3 and then decode to nothing, which
    must be an error, not an episode with no speech."""
    with open_audio(path, shown) as container:
        try:
            decoded = next((frame for frame in container.decode(audio=0) if frame.samples), None)
        except Exception as exc:
            raise unreadable(shown or path.name, exc) from exc
        if decoded is None:
            raise RecapError(f"{shown or path.name}: cannot read audio from this file "
                             "(no audio frame decodes)")
        return container.duration / 1_000_000 if container.duration else None


THUMBNAIL_WIDTH = 1280  # wider pictures are scaled down: an article's header needs no more


def picture_jpeg(source: Path | bytes, width: int = THUMBNAIL_WIDTH) -> bytes | None:
    """The first picture of a video or an image file (JPEG, PNG, WebP...), as a JPEG of at most
    ``width`` pixels; None when nothing in it decodes as a picture. Re-encoding keeps only
    the pixels: no metadata of the original travels on, and a file that is no picture gives none."""
    import io

    import av

    try:
        with av.open(io.BytesIO(source) if isinstance(source, bytes) else str(source),
                     metadata_errors="ignore") as container:
            if not container.streams.video:
                return None
            frame = next(container.decode(video=0), None)
        if frame is None:
            return None
        return _jpeg(frame, width)
    except Exception:  # PyAV raises many kinds for what is not a picture
        return None


def _jpeg(frame, most: int) -> bytes:
    import io

    import av

    width = min(frame.width, most) // 2 * 2
    height = max(2, round(frame.height * width / frame.width) // 2 * 2)
    out = io.BytesIO()
    with av.open(out, "w", format="image2pipe") as container:
        stream = container.add_stream("mjpeg")
        stream.width, stream.height, stream.pix_fmt = width, height, "yuvj420p"
        for packet in stream.encode(frame.reformat(width=width, height=height, format="yuvj420p")):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()
