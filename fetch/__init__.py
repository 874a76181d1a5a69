"""Stage 1: a URL (through yt-dlp) or a local file, to media on disk and an Episode; and the pages
the description links to, read for their titles."""

from recap.core.options import FetchOptions
from recap.stages.fetch.download import download
from recap.stages.fetch.local import file_digest, local_episode, local_media
from recap.stages.fetch.pages import read_link_pages, read_picture
from recap.stages.fetch.stall import STALL_TIMEOUTS
from recap.stages.fetch.ytdlp import episode_from_info, iso_date, looks_like_media, ytdlp_error, ytdlp_session

__all__ = [
    "STALL_TIMEOUTS", "FetchOptions", "download", "episode_from_info", "file_digest", "iso_date",
    "local_episode", "local_media", "looks_like_media", "read_link_pages", "read_picture", "ytdlp_error",
    "ytdlp_session",
]
