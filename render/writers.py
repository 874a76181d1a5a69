"""The article as Markdown, HTML and JSON (jinja2 templates) and as a chapter list: one Format each."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from urllib.parse import urlparse

from recap.core.document import Article
from recap.core.errors import RecapError
from recap.core.formats import Format, registry
from recap.core.timecodes import clock
from recap.core.urls import is_http_url

TEMPLATES = Path(__file__).parent / "templates"


def http_only(url: str | None) -> str | None:
    """Only http(s) URLs become links; javascript:, data: and the like are dropped."""
    return url if url and is_http_url(url) else None


def slug(text: str) -> str:
    """An anchor as GitHub makes one from a heading: lowercase, punctuation out, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-") or "section"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")
_MD_BLOCK_START = re.compile(r"^(#|[-+]\s|\d+[.)]\s)")


def md_text(text: str) -> str:
    """Untrusted text made inert in Markdown: no raw HTML, no link or emphasis syntax, one line."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_BLOCK_START.sub(r"\\\1", text)


def md_url(url: str) -> str:
    """A URL safe inside Markdown's ``(<...>)``: nothing in it can close the brackets."""
    return "".join(f"%{ord(c):02X}" if c in "<>\\ \t\r\n" else c for c in url)


def host(url: str) -> str:
    return urlparse(url).netloc.lower().removeprefix("www.")


def short_url(url: str, max_chars: int = 60) -> str:
    """What a bare link shows: its host and path, no scheme, no query ("alfy.blog/2025/10/31/...");
    the host alone would say the same word twice beside it and nothing of the page."""
    parts = urlparse(url)
    shown = (host(url) + parts.path).rstrip("/")
    return shown if len(shown) <= max_chars else shown[:max_chars - 1] + "…"


MENTIONS = {"paper": "a paper", "repository": "a code repository", "demo": "a demo", "dataset": "a dataset"}


def mention_text(kinds: list[str]) -> str:
    """["paper", "demo"] -> "a paper and a demo"."""
    words = [MENTIONS.get(k, k) for k in kinds]
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 2 else words)


@functools.lru_cache(maxsize=4)
def environment(html: bool, folder: str = str(TEMPLATES)):
    """recap's templates, or a user's (--template) in jinja2's sandbox: a template is data, and one
    from elsewhere may reach no Python attribute or method beyond the article's."""
    import jinja2
    import jinja2.sandbox

    make = jinja2.Environment if folder == str(TEMPLATES) else jinja2.sandbox.SandboxedEnvironment
    env = make(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.tests["http_url"] = lambda url: http_only(url) is not None
    env.filters.update(hms=clock, http_only=http_only, slug=slug, md=md_text, md_url=md_url, host=host,
                       short_url=short_url,
                       mentions=mention_text)
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
    return _render(_template("article.md.j2", False, template_file), article, template_file)


def render_html(article: Article, template_file: Path | None = None) -> str:
    return _render(_template("article.html.j2", True, template_file), article, template_file)


def _render(template, article: Article, template_file: Path | None) -> str:
    """A user's template can fail as it runs (an unknown field, a bad filter): say so in one line."""
    import jinja2

    try:
        return template.render(article=article)
    except jinja2.TemplateError as exc:
        if template_file is None:
            raise
        raise RecapError(f"template {template_file}: {exc}") from exc


def render_email(article: Article) -> str:
    """The HTML for a newsletter e-mail: its rules inlined into style attributes (css-inline, by
    the CSS cascade; mail clients strip <style>), the picture linked from the video's site (they
    block data: images)."""
    import css_inline

    return css_inline.inline(_template("article.email.html.j2", True, None).render(article=article))


def render_json(article: Article) -> str:
    return json.dumps(article.to_dict(), indent=2, ensure_ascii=False) + "\n"


def article_formats(template_file: Path | None = None) -> dict[str, Format[Article]]:
    """md, html, json and the video's chapter list; ``template_file`` (a user's jinja2 template)
    replaces md's and html's."""
    from recap.stages.render.chapters import render_chapters
    from recap.stages.render.plain import render_text

    return registry(
        Format("md", "article.md", lambda article: render_markdown(article, template_file)),
        Format("html", "article.html", lambda article: render_html(article, template_file)),
        Format("json", "article.json", render_json),
        Format("chapters", "chapters.txt", render_chapters),
        Format("email", "article.email.html", render_email),
        Format("txt", "article.txt", render_text),
    )


ARTICLE_FORMATS = tuple(article_formats())


def render(article: Article, fmt: str, template_file: Path | None = None) -> str:
    """The article in one format, as text."""
    return article_formats(template_file)[fmt].write(article)
