"""The article as plain text: the e-mail's text part, and what pastes into any box."""

from __future__ import annotations

import textwrap

from recap.core.document import Article, Link
from recap.core.timecodes import clock

WIDTH = 72  # what mail readers show unwrapped


def render_text(article: Article) -> str:
    lines = [article.title, "=" * min(len(article.title), WIDTH), ""]
    meta = " · ".join(filter(None, [article.show, article.date, clock(article.duration) or None]))
    lines += [meta, ""] if meta else []
    lines += [*_wrapped(article.intro), ""] if article.intro else []
    if article.url:
        lines += [f"Watch the episode: {article.url}", ""]
    several = len(article.sections) > 1
    for section in article.sections:
        if several or section.kind != "stories":
            lines += [section.title.upper(), ""]
        for story in section.stories:
            when = f" ({clock(story.start)})" if story.start is not None else ""
            lines += [f"{story.title}{when}", "-" * min(len(story.title) + len(when), WIDTH)]
            lines += [*_wrapped(story.summary)]
            lines += [line for point in story.points for line in _wrapped(point, "  - ", "    ")]
            lines += [_link_line(link) for link in story.links]
            if story.time_url:
                lines.append(f"  Watch: {story.time_url}")
            lines.append("")
    if article.footer_links:
        lines += ["LINKS", "", *map(_link_line, article.footer_links), ""]
    return "\n".join(lines).rstrip() + "\n"


def _link_line(link: Link) -> str:
    return f"  {link.caption}: {link.url}" if link.caption else f"  {link.url}"


def _wrapped(text: str, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(" ".join(text.split()), WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_long_words=False, break_on_hyphens=False)
