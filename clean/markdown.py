"""The editable Markdown: written so an editor's changes parse back into stories.

Layout, one block per line group:

    # Episode title
    ## Story heading <!-- kind: intro -->     (the comment only when the kind is not "story")
    [1:23](<https://…#t=83>) Paragraph text, *low-confidence words* in italics.
    <!-- recap-clean {"version": 1, "episode": {...}} -->   (last line: the episode's metadata)

Each paragraph opens with its time, so editing, deleting or moving paragraphs and headings
keeps the times of everything left untouched. Text from the video is backslash-escaped.
"""

from __future__ import annotations

import json
import re

from recap.language.tokens import Token
from recap.stages.clean.model import CleanTranscript, Paragraph, Section

FORMAT_VERSION = 1
NOTE = ("<!-- recap clean transcript. Edit freely, then `recap render THIS_FILE.md` rebuilds the article. "
        "Keep the ## story headings and the [m:ss] time that opens each paragraph: they carry the "
        "timestamps. Words in *italics* were recognised with low confidence: check them. -->")
NOTE_UNTIMED = ("<!-- recap clean transcript. Edit freely, then `recap render THIS_FILE.md` rebuilds the "
                "article. Keep the ## story headings. -->")

_ESCAPE = re.compile(r"([\\*_\[\]<>`])")
_EDGE_PUNCTUATION = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)


def escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def write_markdown(doc: CleanTranscript) -> str:
    lines = [f"# {escape(doc.episode.title)}", "", NOTE if doc.timed else NOTE_UNTIMED, ""]
    for section in doc.sections:
        lines += [_heading(section), ""]
        lines += [line for paragraph in section.paragraphs if paragraph.kept
                  for line in (_paragraph(doc, paragraph), "")]
    lines.append(metadata_comment(doc))
    return "\n".join(lines) + "\n"


def _heading(section: Section) -> str:
    kind = "" if section.kind == "story" else f" <!-- kind: {section.kind} -->"
    return f"## {escape(section.title)}{kind}"


def _paragraph(doc: CleanTranscript, paragraph: Paragraph) -> str:
    if not doc.timed:
        return _words(doc, paragraph.kept)
    url = doc.time_url(paragraph.start)
    stamp = f"[{doc.clock(paragraph.start)}]" + (f"(<{url}>)" if url and ">" not in url else "")
    return f"{stamp} {_words(doc, paragraph.kept)}"


def _words(doc: CleanTranscript, tokens: list[Token]) -> str:
    """Escaped words; each run of flagged words is wrapped in one pair of asterisks."""
    out: list[str] = []
    run: list[Token] = []
    for token in [*tokens, None]:
        if token is not None and doc.flagged(token):
            run.append(token)
            continue
        if run:
            out.append(_emphasise(" ".join(escape(t.text) for t in run)))
            run = []
        if token is not None:
            out.append(escape(token.text))
    return " ".join(out)


def _emphasise(text: str) -> str:
    lead, core, trail = _EDGE_PUNCTUATION.match(text).groups()
    return f"{lead}*{core}*{trail}" if core else text


def metadata_comment(doc: CleanTranscript) -> str:
    data = {"version": FORMAT_VERSION, "language": doc.language, "episode": doc.episode.to_dict()}
    # "--" cannot appear inside an HTML comment; JSON strings may spell the dash as \u002d.
    return "<!-- recap-clean " + json.dumps(data, ensure_ascii=False).replace("--", "-\\u002d") + " -->"
