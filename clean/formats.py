"""The cleaned transcript's output formats, one Format each."""

from __future__ import annotations

import json
from dataclasses import asdict

from recap.core.formats import Format, registry
from recap.stages.clean.markdown import write_markdown
from recap.stages.clean.model import CleanTranscript
from recap.stages.clean.review import write_review
from recap.stages.clean.subtitles import write_srt, write_vtt
from recap.stages.clean.word import write_docx

JSON_VERSION = 1


def write_txt(doc: CleanTranscript) -> str:
    blocks = [doc.episode.title]
    for section in doc.sections:
        blocks.append(section.title.upper())
        blocks += [_stamped(doc.clock(p.start), p.text) for p in section.paragraphs if p.kept]
    return "\n\n".join(blocks) + "\n"


def _stamped(clock: str, text: str) -> str:
    return f"[{clock}] {text}" if clock else text


def write_json(doc: CleanTranscript) -> str:
    """Everything, recoverably: every word with its fate, and every removed span with its reason."""
    when = doc.seconds
    words = [{"text": t.text, "original": t.original, "start": when(t.start), "end": when(t.end),
              "probability": t.probability, "removed": t.removed, "flagged": doc.flagged(t),
              "suggestion": t.suggestion}
             for t in doc.tokens()]
    sections = [{"title": s.title, "kind": s.kind, "section": s.section, "start": when(s.start),
                 "paragraphs": [{"start": when(p.start), "end": when(p.end), "text": p.text}
                                for p in s.paragraphs]}
                for s in doc.sections]
    data = {"version": JSON_VERSION, "episode": doc.episode.to_dict(), "language": doc.language,
            "flag_below": doc.flag_below, "stats": doc.stats(), "sections": sections,
            "removed": [asdict(span) for span in doc.removed_spans()], "words": words}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


FORMATS = registry(
    Format("md", "clean.md", write_markdown), Format("txt", "clean.txt", write_txt),
    Format("srt", "clean.srt", write_srt), Format("vtt", "clean.vtt", write_vtt),
    Format("docx", "clean.docx", write_docx), Format("html", "clean.html", write_review),
    Format("json", "clean.json", write_json),
)
CLEAN_FORMATS = tuple(FORMATS)
NEED_TIMES = ("srt", "vtt")  # subtitles: nothing to write for a transcript without times
