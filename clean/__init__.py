"""Transcript cleanup for editors: disfluencies out, readable paragraphs under story headings,
review pages, subtitles, and an editable Markdown that `recap render` turns back into an article."""

from recap.clean.cleanup import clean_plain_text, clean_text, clean_transcript
from recap.clean.edited import parse_edited
from recap.clean.formats import CLEAN_FORMATS, FORMATS, NEED_TIMES
from recap.clean.layout import Segmenter
from recap.clean.model import CleanTranscript, Paragraph, Section

__all__ = [
    "CLEAN_FORMATS", "FORMATS", "NEED_TIMES", "CleanTranscript", "Paragraph", "Section", "Segmenter",
    "clean_plain_text", "clean_text", "clean_transcript", "parse_edited",
]
