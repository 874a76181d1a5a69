"""Stage 4: the article, written as Markdown, standalone HTML and JSON."""

from recap.stages.render.article import PICTURE_FILE, build_article
from recap.stages.render.writers import ARTICLE_FORMATS, article_formats, environment, render

__all__ = ["ARTICLE_FORMATS", "PICTURE_FILE", "article_formats", "build_article", "environment", "render"]
