"""Transcript cleanup for editors: disfluencies out, readable paragraphs under story headings,
review pages, subtitles, and an editable Markdown that `recap render` turns back into an article."""

from recap.clean.cleanup import clean_text, clean_transcript, default_segmenter
from recap.clean.command import CleanOptions, run_clean
from recap.clean.edited import read_edited
from recap.clean.formats import CLEAN_FORMATS, WRITERS
from recap.clean.model import FLAG_BELOW, CleanTranscript, Paragraph, Section

__all__ = [
    "CLEAN_FORMATS", "FLAG_BELOW", "WRITERS", "CleanOptions", "CleanTranscript", "Paragraph", "Section",
    "clean_text", "clean_transcript", "default_segmenter", "read_edited", "run_clean",
]
