"""Stage 2: audio in, timed words out (faster-whisper)."""

from recap.stages.transcribe.engine import WhisperTranscriber
from recap.stages.transcribe.formats import FORMATS

__all__ = ["FORMATS", "WhisperTranscriber"]
