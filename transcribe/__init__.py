"""Stage 2: audio in, timed words out (faster-whisper)."""

from transcribe.engine import TranscribeOptions, Transcriber
from transcribe.formats import load_transcript, write_transcript

__all__ = ["TranscribeOptions", "Transcriber", "load_transcript", "write_transcript"]
