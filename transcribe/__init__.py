"""Stage 2: audio in, timed words out (faster-whisper)."""

from recap.stages.transcribe.engine import WhisperTranscriber
from recap.stages.transcribe.formats import FORMATS
from recap.stages.transcribe.guidance import GUIDANCE_CHARS, transcription_guidance

__all__ = ["FORMATS", "GUIDANCE_CHARS", "WhisperTranscriber", "transcription_guidance"]
