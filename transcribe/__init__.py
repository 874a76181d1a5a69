"""Stage 2: audio in, timed words out (faster-whisper)."""

from recap.transcribe.engine import TranscribeOptions, WhisperTranscriber
from recap.transcribe.formats import load_transcript, write_transcript

__all__ = ["TranscribeOptions", "WhisperTranscriber", "load_transcript", "write_transcript"]
