"""Stage 2: audio in, timed words out (faster-whisper)."""

from recap.transcribe.engine import WhisperTranscriber
from recap.transcribe.formats import FORMATS

__all__ = ["FORMATS", "WhisperTranscriber"]
