"""One writer per output format, chosen from a registry; templates are jinja2 files."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path

from recap.document import Article
from recap.errors import RecapError
from render.links import is_http_url

TEMPLATES = Path(__file__).parent / "templates"


def hms(seconds: float | None) -> str:
    if seconds is None:
        return ""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def http_only(url: str | None) -> str | None:
    """Only http(s) URLs become links; javascript:, data: and the like are dropped."""
    return url if url and is_http_url(url) else None


def slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-") or "section"


def md_text(text: str) -> str:
    """Untrusted text made inert in Markdown: no raw HTML, no accidental link syntax."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("[", "\\[").replace("]", "\\]"))


@functools.lru_cache(maxsize=4)
def environment(html: bool, folder: str = str(TEMPLATES)):
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(hms=hms, http_only=http_only, slug=slug, md=md_text)
    return env


def _template(name: str, html: bool, template_file: Path | None):
    import jinja2

    if template_file is None:
        return environment(html).get_template(name)
    folder = template_file.resolve().parent
    try:
        return environment(html, str(folder)).get_template(template_file.name)
    except jinja2.TemplateError as exc:
        raise RecapError(f"template {template_file}: {exc}") from exc


def render_markdown(article: Article, template_file: Path | None = None) -> str:
    return _template("article.md.j2", False, template_file).render(article=article)


def render_html(article: Article, template_file: Path | None = None) -> str:
    return _template("article.html.j2", True, template_file).render(article=article)


def render_json(article: Article, template_file: Path | None = None) -> str:
    return json.dumps(article.to_dict(), indent=2, ensure_ascii=False) + "\n"


Writer = Callable[[Article, "Path | None"], str]
WRITERS: dict[str, tuple[str, Writer]] = {
    "md": ("article.md", render_markdown),
    "html": ("article.html", render_html),
    "json": ("article.json", render_json),
}


def render(article: Article, fmt: str, template_file: Path | None = None) -> str:
    if fmt not in WRITERS:
        raise RecapError(f"unknown format {fmt!r} (choose from {', '.join(WRITERS)})")
    return WRITERS[fmt][1](article, template_file)
