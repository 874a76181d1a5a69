"""recap: turn a video news show into a written article.

    import recap

    article = recap.article("https://www.youtube.com/watch?v=VIDEO_ID", out_dir="episode")
    for section in article.sections:
        for story in section.stories:
            print(story.start, story.title, story.summary)

The whole job is ``recap.article`` (one episode) and ``recap.channel`` (every episode of a channel);
each stage runs on its own too: ``recap.transcribe``, ``recap.segment``, ``recap.render``,
``recap.clean``. Errors are ``recap.RecapError``. See ``help(recap.article)``.
"""

from recap.core.version import VERSION as __version__

# The API loads on first use, so `recap --help` and `import recap` stay quick.
_API = ("article", "channel", "transcribe", "segment", "render", "clean",
        "Article", "Episode", "Progress", "RecapError", "Story", "Transcript")
__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        from recap.app import api

        return getattr(api, name)
    raise AttributeError(f"module 'recap' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
