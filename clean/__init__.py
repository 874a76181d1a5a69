"""Transcript cleanup for editors: disfluencies out, readable paragraphs under story headings,
review pages, subtitles, and an editable Markdown that `recap render` turns back into an article."""

from recap.stages.clean.cleanup import clean_plain_text, clean_text, clean_transcript
from recap.stages.clean.edited import parse_edited
from recap.stages.clean.formats import CLEAN_FORMATS, FORMATS, NEED_TIMES
from recap.stages.clean.layout import Segmenter
from recap.stages.clean.model import CleanTranscript, Paragraph, Section

__all__ = [
    "CLEAN_FORMATS", "FORMATS", "NEED_TIMES", "CleanTranscript", "Paragraph", "Section", "Segmenter",
    "clean_plain_text", "clean_text", "clean_transcript", "parse_edited",
]
