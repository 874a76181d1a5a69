"""DOCX for editors who work in a word processor: headings, timestamps, doubtful words highlighted."""

from __future__ import annotations

import io
import re
from itertools import groupby

from recap.stages.clean.model import CleanTranscript, Paragraph

_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # lxml refuses these


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def write_docx(doc: CleanTranscript) -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = _xml_safe(doc.episode.title)[:255]
    document.add_heading(_xml_safe(doc.episode.title), level=0)
    note = document.add_paragraph("Highlighted words were recognised with low confidence: check them.")
    note.runs[0].italic = True
    for section in doc.sections:
        document.add_heading(_xml_safe(section.title), level=1)
        for paragraph in section.paragraphs:
            if paragraph.kept:
                _add_paragraph(document, doc, paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_paragraph(document, doc: CleanTranscript, paragraph: Paragraph) -> None:
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import RGBColor

    out = document.add_paragraph()
    if doc.timed:
        stamp = out.add_run(f"[{doc.clock(paragraph.start)}] ")
        stamp.bold = True
        stamp.font.color.rgb = RGBColor(0x66, 0x66, 0x66)
    # One run per stretch of equally flagged words: far fewer XML elements than a run per word.
    for i, (flagged, tokens) in enumerate(groupby(paragraph.kept, key=doc.flagged)):
        if i:
            out.add_run(" ")  # its own run, so the highlight starts at the word
        run = out.add_run(_xml_safe(" ".join(t.text for t in tokens)))
        if flagged:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
