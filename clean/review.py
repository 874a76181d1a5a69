"""The HTML review page: removals struck through (a checkbox hides them), doubtful words marked."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from recap.stages.clean.model import CleanTranscript, Paragraph

TEMPLATES = Path(__file__).parent / "templates"


@functools.lru_cache(maxsize=1)
def _template():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env.get_template("review.html.j2")


def write_review(doc: CleanTranscript) -> str:
    sections = [{"title": s.title, "kind": s.kind, "paragraphs": [_paragraph(doc, p) for p in s.paragraphs]}
                for s in doc.sections]
    return _template().render(title=doc.episode.title, language=doc.language, stats=doc.stats(),
                              flag_below=doc.flag_below, sections=sections)


def _paragraph(doc: CleanTranscript, paragraph: Paragraph) -> dict[str, Any]:
    words = [{"text": t.text if t.kept else t.original, "removed": t.removed, "flagged": doc.flagged(t),
              "probability": t.probability, "suggestion": t.suggestion} for t in paragraph.tokens]
    return {"clock": doc.clock(paragraph.start), "url": doc.time_url(paragraph.start), "words": words}
