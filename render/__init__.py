"""Stage 4: the article, written as Markdown, standalone HTML and JSON."""

from recap.render.article import build_article
from recap.render.writers import WRITERS, render

__all__ = ["WRITERS", "build_article", "render"]
