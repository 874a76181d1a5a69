"""Opening a media file's audio with PyAV, with the one-line errors every stage gives for what
is not media (the fetch check before transcribing and the transcriber's decoder share them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from recap.errors import RecapError


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
