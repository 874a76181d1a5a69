"""Every option a user can set, with its default written here once.

The command line reads its defaults and help from these dataclasses; the stages take them as
they are. Plain data only, so `recap --help` imports nothing heavy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

ARTICLE_FORMATS = ("md", "html", "json", "chapters", "email", "txt")  # the render stage's, in writing order
DEFAULT_FORMATS = ARTICLE_FORMATS[:4]  # the newsletter e-mail and its text part when asked (or `all`)
TRANSCRIPT_FORMATS = ("json", "txt", "srt", "vtt")  # recap.stages.transcribe's
CLEAN_FORMATS = ("md", "txt", "srt", "vtt", "docx", "html", "json")  # recap.stages.clean's
FLAG_BELOW = 0.5  # words Whisper gave less probability than this are flagged for review
# CTranslate2's number types (auto: float16 on a GPU, int8 on a CPU).
COMPUTE_TYPES = ("auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16",
                 "bfloat16", "float32")
# Upper bounds beyond which a run only exhausts memory ("mkl_malloc: failed to allocate" at beam
# 100000) or the machine: far above any setting that helps.
MAX_BEAM = 32
MAX_BATCH = 128
MAX_JOBS = 32  # parallel downloads
MAX_LOCAL_WORKERS = 256  # worker processes of a local Dask cluster


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("recap", appauthor=False))


def default_of(cls: type, name: str):
    """The default of one dataclass field, for the command line's help and defaults."""
    found = next(f for f in fields(cls) if f.name == name)
    return found.default


def link_pages_wanted() -> bool:
    """Link pages are read unless RECAP_LINK_PAGES says off (a deployment with no web, a test suite)."""
    return os.environ.get("RECAP_LINK_PAGES", "on").strip().lower() not in ("off", "0", "no", "false")


@dataclass(frozen=True)
class TranscribeOptions:
    model: str | None = None  # None: the bundled offline tiny.en
    device: str = "auto"  # auto: CUDA when a GPU is visible
    compute_type: str = "auto"  # auto: float16 on a GPU, int8 on a CPU
    language: str | None = "en"  # None: let Whisper detect it
    beam_size: int = 5
    batch_size: int = 8  # >0: BatchedInferencePipeline; 0: the sequential decoder (see bench/decoding.py)
    vad: bool = False  # sequential decoder only: skip silence before decoding


@dataclass(frozen=True)
class FetchOptions:
    download_dir: Path
    cookies: Path | None = None
    cookies_from_browser: str | None = None
    socket_timeout: float = 20.0
    retries: int = 3  # further tries after a timeout, a dropped connection or an HTTP 5xx
    backoff: float = 1.0  # seconds before the first retry (doubling)
    public_only: bool = False  # a feed on the internet listed it: no hop may reach a non-global address


@dataclass
class Overrides:
    """Metadata a user supplies for inputs that carry none (transcript files)."""

    title: str | None = None
    url: str | None = None
    description_file: Path | None = None
    description: str | None = None  # the text itself (the Python API's), where no file is given


@dataclass
class RunOptions:
    out_dir: Path | None = None  # None: a folder named after the episode, in out_root
    out_root: Path | None = None  # where folders named after episodes and channels go; None: here
    formats: tuple[str, ...] = DEFAULT_FORMATS
    cache_dir: Path = field(default_factory=default_cache_dir)
    cookies: Path | None = None
    cookies_from_browser: str | None = None
    socket_timeout: float = default_of(FetchOptions, "socket_timeout")
    retries: int = default_of(FetchOptions, "retries")
    overrides: Overrides = field(default_factory=Overrides)
    template: Path | None = None  # a user's jinja2 template for md and html
    ignore_chapters: bool = False  # cut stories from the words even when the video has chapters
    profile: str | None = None  # --profile NAME or FILE; None: the user's configured one, else "news"
    link_pages: bool = field(default_factory=link_pages_wanted)  # read the description links' page titles
    refresh_links: bool = False  # read link pages again, cached or not
    images: bool = False  # each story shows its first link's page picture (downloaded, re-encoded)

    def fetch_options(self) -> FetchOptions:
        return FetchOptions(download_dir=self.cache_dir / "media", cookies=self.cookies,
                            cookies_from_browser=self.cookies_from_browser,
                            socket_timeout=self.socket_timeout, retries=self.retries)


@dataclass
class CleanOptions:
    out_dir: Path | None = None  # None: a folder named after the episode, here
    formats: tuple[str, ...] | None = None  # None: every format the input allows (CLEAN_FORMATS)
    force: bool = False  # overwrite files an editor changed
    flag_below: float = FLAG_BELOW
