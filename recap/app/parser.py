"""The command line's grammar: every command and option, their checks, and where settings fill in
what the command line leaves out. The commands themselves are recap.app.commands."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from recap.app.arguments import (
    checked,
    formats_of,
    positive,
    probability,
    scheduler_address,
    seconds,
    source_path,
    whole,
)
from recap.core.document import plain_text
from recap.core.options import (
    ARTICLE_FORMATS,
    CLEAN_FORMATS,
    COMPUTE_TYPES,
    DEFAULT_FORMATS,
    MAX_BATCH,
    MAX_BEAM,
    MAX_JOBS,
    MAX_LOCAL_WORKERS,
    TRANSCRIPT_FORMATS,
    CleanOptions,
    FetchOptions,
    TranscribeOptions,
    default_of,
)
from recap.core.urls import http_url
from recap.core.version import VERSION

COMMANDS = ("run", "transcribe", "segment", "render", "channel", "clean", "learn", "config", "completion")
SHELLS = ("bash", "zsh", "fish")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and a hint, like every other error (argparse
    prints its whole usage, 6 to 16 lines, before the one that matters)."""

    def error(self, message: str):
        self.exit(2, f"recap: error: {plain_text(message)} (see `{self.prog} --help`)\n")


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-v", "--verbose", action="store_true", help="say what each stage does")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print nothing but errors (and the stories `recap segment` prints)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars, even on a terminal")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    parser.add_argument("--cache-dir", type=Path, help="where downloads and transcripts are cached")
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="settings file (TOML) instead of your config.toml; `recap config` shows them")


def _add_transcribe_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("transcription")
    group.add_argument("--model", metavar="NAME_OR_PATH",
                       help="faster-whisper model name (downloads when online) or a local "
                            "CTranslate2 folder (default: the bundled offline tiny.en)")
    defaults = TranscribeOptions()
    group.add_argument("--device", choices=("auto", "cpu", "cuda"), default=defaults.device,
                       help=f"auto picks CUDA when a GPU is visible (default: {defaults.device})")
    group.add_argument("--compute-type", default=defaults.compute_type, choices=COMPUTE_TYPES, metavar="TYPE",
                       help=f"{', '.join(COMPUTE_TYPES)} (default: auto: float16 on GPU, int8 on CPU)")
    group.add_argument("--language", default=defaults.language,
                       help=f"spoken language, or 'auto' to detect (default: {defaults.language})")
    group.add_argument("--batch-size", type=checked(whole(0, MAX_BATCH)), default=defaults.batch_size,
                       metavar="N",
                       help="decode N voiced clips at once (faster; clips that come out "
                            "looping or missing words are re-decoded alone); 0 for the "
                            f"sequential decoder (default: {defaults.batch_size})")
    group.add_argument("--beam-size", type=checked(whole(1, MAX_BEAM)), default=defaults.beam_size,
                       metavar="N",
                       help=f"(default: {defaults.beam_size})")


def _add_fetch_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("download")
    group.add_argument("--cookies", type=Path, metavar="FILE",
                       help="Netscape cookies file for sites that ask you to sign in")
    group.add_argument("--cookies-from-browser", metavar="BROWSER",
                       help="read cookies from a browser profile (chrome, firefox, ...)")
    timeout, retries = default_of(FetchOptions, "socket_timeout"), default_of(FetchOptions, "retries")
    group.add_argument("--socket-timeout", type=checked(seconds), default=timeout, metavar="SECONDS",
                       help=f"give up on a silent server after this long (default: {timeout:g})")
    group.add_argument("--retries", type=checked(whole(0)), default=retries, metavar="N",
                       help=f"tries again after a timeout or a server error (default: {retries})")


def _add_chapter_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ignore-chapters", action="store_true",
                        help="find the stories in the words even when the video has chapters "
                             "(by default its chapters are the story boundaries)")


def _add_link_page_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("link pages")
    group.add_argument("--no-link-pages", dest="link_pages", action="store_false", default=None,
                       help="do not read the description links' pages for their titles (also: "
                            "RECAP_LINK_PAGES=off); links keep their URLs and labels")
    group.add_argument("--refresh-links", action="store_true", default=None,
                       help="read every link page again, even one cached in the last week")
    group.add_argument("--images", action="store_true", default=None,
                       help="show each story's first link's page picture (og:image) beside it: "
                            "downloaded once, re-encoded, embedded in article.html")


def _add_profile_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", metavar="NAME_OR_FILE",
                        help="how the show's hosts talk: a profile's name (yours, or the shipped "
                             "'news') or a .toml file, such as one `recap learn` wrote (default: "
                             "`profile` in your config.toml, else news)")


def _add_article_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=Path, metavar="OUTDIR",
                        help="folder for the article and its data (default: one named after "
                             "the episode, in --output-root)")
    _add_output_root(parser)
    parser.add_argument("--format", type=formats_of(ARTICLE_FORMATS), default=DEFAULT_FORMATS, metavar="LIST",
                        help="comma-separated: md,html,json,chapters,email,txt, or all "
                             "(default: md,html,json,chapters)")
    parser.add_argument("--template", type=Path, metavar="FILE",
                        help="your own jinja2 template, rendered over the same article data")
    _add_chapter_option(parser)
    _add_link_page_options(parser)
    _add_profile_option(parser)
    _add_metadata_options(parser)


def _add_output_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output-root", type=Path, metavar="DIR",
                        help="where folders named after episodes and channels go when -o names "
                             "none (default: here; `output_root` in config.toml)")


def _add_metadata_options(parser: argparse.ArgumentParser) -> None:
    meta = parser.add_argument_group("metadata for inputs that carry none")
    meta.add_argument("--title", type=plain_text, help="episode title")
    meta.add_argument("--url", type=checked(http_url),
                      help="the video's page (http or https), for links back to each story")
    meta.add_argument("--description", type=Path, metavar="FILE",
                      help="the video description text (its links go into the article)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="recap",
        description="Turn a video news show into a written article: recap URL_OR_PATH.",
        epilog="Run `recap COMMAND --help` for a command's options. "
               "Without a command, `recap URL_OR_PATH` runs the whole pipeline; for a file named "
               "like a command, write `recap ./clean` or `recap -- clean`.",
    )
    parser.add_argument("--version", action="version", version=f"recap {VERSION}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="video URL or file -> article (the default command)",
                              description="Download, transcribe, segment and write the article.")
    run.add_argument("source", metavar="URL_OR_PATH", type=checked(source_path),
                     help="a video URL, a local audio/video file, or a transcript "
                          "(.txt, .srt, .vtt, transcript .json)")
    _add_article_options(run)
    _add_transcribe_options(run)
    _add_fetch_options(run)
    _add_common(run)

    tr = commands.add_parser("transcribe", help="video URL or file -> transcript",
                             description="Transcribe only; the result is cached for later runs.")
    tr.add_argument("source", metavar="URL_OR_PATH", type=checked(source_path))
    tr.add_argument("-o", "--output", type=Path, metavar="OUTDIR", help="folder for the files")
    tr.add_argument("--format", type=formats_of(TRANSCRIPT_FORMATS), default=("json",),
                    metavar="LIST", help="comma-separated: json,txt,srt,vtt (default: json)")
    _add_transcribe_options(tr)
    _add_fetch_options(tr)
    _add_common(tr)

    conf = commands.add_parser("config", help="show the settings in effect and where each came from",
                               description="Each setting a flag can leave out, its value and its source: "
                                           "an environment variable (RECAP_...), the config file, or "
                                           "recap's default. A flag on the command line wins over all three.")
    _add_common(conf)

    comp = commands.add_parser("completion", help="print the shell completion script (bash, zsh or fish)",
                               description="Tab completion of recap's commands and options, from the "
                                           "parser itself. bash: eval \"$(recap completion bash)\" in "
                                           "~/.bashrc; zsh: the same in ~/.zshrc; fish: recap completion "
                                           "fish > ~/.config/fish/completions/recap.fish")
    comp.add_argument("shell", choices=SHELLS)

    seg = commands.add_parser("segment", help="transcript -> stories (printed)",
                              description="Cut a transcript into stories and print them.")
    seg.add_argument("transcript", type=Path, metavar="TRANSCRIPT",
                     help=".txt, .srt, .vtt or transcript .json")
    seg.add_argument("--format", choices=("json", "md"), default="json", help="(default: json)")
    seg.add_argument("--description", type=Path, metavar="FILE",
                     help="the video description: its links, where the transcript names them, open stories")
    _add_chapter_option(seg)
    _add_link_page_options(seg)
    _add_profile_option(seg)
    _add_common(seg)

    ren = commands.add_parser("render", help="stories or transcript -> article",
                              description="Write the article again without transcribing.")
    ren.add_argument("source", type=Path, metavar="STORIES_OR_TRANSCRIPT",
                     help="stories.json or transcript.json from a run, .txt/.srt/.vtt, or the "
                          "clean.md of `recap clean` after editing")
    _add_article_options(ren)
    _add_common(ren)
    _add_channel_parser(commands)
    _add_clean_parser(commands)
    _add_learn_parser(commands)
    return parser


def _add_learn_parser(commands) -> None:
    le = commands.add_parser(
        "learn", help="a show's episodes -> its own profile",
        description="Learn how a show's hosts talk (their hand-offs, greeting, sign-off, recurring "
                    "segments, the length of their stories) from episodes recap has done, and write "
                    "it as a profile to use with --profile. Each episode is a transcript with the "
                    "episode.json a run left beside it (for the description).")
    le.add_argument("sources", nargs="+", type=Path, metavar="EPISODE",
                    help="a transcript file, an episode folder, or a channel folder (all its episodes)")
    le.add_argument("-o", "--output", type=Path, metavar="FILE",
                    help="the profile to write (default: profile.toml in the one channel folder "
                         "given, else ./profile.toml)")
    le.add_argument("--name", help="the profile's name (default: the file's name)")
    le.add_argument("--force", action="store_true", help="overwrite a profile file recap did not learn")
    _add_profile_option(le)
    _add_common(le)


def _add_clean_parser(commands) -> None:
    cl = commands.add_parser(
        "clean", help="video URL or file -> cleaned transcript for editors",
        description="Disfluencies out, paragraphs under story headings, doubtful words flagged: "
                    "clean.md (edit it, then `recap render clean.md`), a review page, subtitles, DOCX.")
    cl.add_argument("source", metavar="URL_OR_PATH", type=checked(source_path),
                    help="a video URL, a local audio/video file, or a transcript (.json, .srt, .vtt)")
    cl.add_argument("-o", "--output", type=Path, metavar="OUTDIR",
                    help="folder for the files (default: one named after the episode)")
    cl.add_argument("--format", type=formats_of(CLEAN_FORMATS), metavar="LIST",
                    help=f"comma-separated: {','.join(CLEAN_FORMATS)} (default: all the input allows: "
                         "a plain-text transcript has no times for subtitles)")
    cl.add_argument("--force", action="store_true", help="overwrite files edited since recap wrote them")
    flag_below = default_of(CleanOptions, "flag_below")
    cl.add_argument("--flag-below", type=checked(probability), default=flag_below, metavar="P",
                    help=f"flag words recognised with probability under P for review (default: {flag_below})")
    _add_metadata_options(cl)
    _add_transcribe_options(cl)
    _add_fetch_options(cl)
    _add_profile_option(cl)
    _add_common(cl)


def _add_channel_parser(commands) -> None:
    from recap.app.entries import parse_date
    from recap.app.episodes import ChannelOptions

    ch = commands.add_parser(
        "channel", help="channel, playlist or podcast feed -> one article per episode",
        description="Turn every episode of a channel, playlist or RSS feed into an article, with "
                    "OUTDIR/index.md and index.html. Finished episodes are archived in OUTDIR and "
                    "skipped next time; a killed run resumes where it stopped.")
    ch.add_argument("source", metavar="URL", type=checked(source_path),
                    help="a YouTube channel or playlist, or a podcast feed")
    ch.add_argument("-o", "--output", type=Path, metavar="OUTDIR",
                    help="folder for the episodes and the index (default: one named after the channel)")
    _add_output_root(ch)
    ch.add_argument("--format", type=formats_of(ARTICLE_FORMATS), default=DEFAULT_FORMATS, metavar="LIST",
                    help="comma-separated: md,html,json,chapters,email,txt, or all "
                         "(default: md,html,json,chapters)")
    ch.add_argument("--template", type=Path, metavar="FILE",
                    help="your own jinja2 template for each article")
    _add_profile_option(ch)
    pick = ch.add_argument_group("which episodes")
    pick.add_argument("--since", "--dateafter", type=checked(parse_date), metavar="DATE",
                      help="only episodes published on or after DATE (YYYY-MM-DD, YYYYMMDD or, as "
                           "in yt-dlp, now-2weeks)")
    pick.add_argument("--until", "--datebefore", type=checked(parse_date), metavar="DATE",
                      help="only episodes published on or before DATE")
    pick.add_argument("--match-title", type=checked(lambda v: re.compile(v, re.IGNORECASE)),
                      metavar="REGEX", help="only episodes whose title matches (case-insensitive)")
    pick.add_argument("--limit", "--max-downloads", type=checked(positive), metavar="N",
                      help="only the first N matching episodes in the channel's order (newest first "
                           "for channels and feeds), finished ones included")
    pick.add_argument("--force", action="store_true", help="redo episodes already finished")
    pick.add_argument("--list", action="store_true",
                      help="print what a run would do (new, retry, done) and stop: nothing is downloaded")
    jobs = default_of(ChannelOptions, "jobs")
    ch.add_argument("--jobs", type=checked(whole(1, MAX_JOBS)), default=jobs, metavar="N",
                    help=f"downloads running ahead of transcription at once (default: {jobs})")
    where = ch.add_mutually_exclusive_group()
    where.add_argument("--workers", type=checked(whole(1, MAX_LOCAL_WORKERS)), metavar="N",
                       help="run the episodes on a local Dask cluster of N worker processes, one model each")
    where.add_argument("--cluster", type=checked(scheduler_address), metavar="ADDRESS",
                       help="run the episodes on the workers of a running Dask scheduler (tcp://HOST:8786)")
    _add_link_page_options(ch)
    _add_transcribe_options(ch)
    _add_fetch_options(ch)
    _add_common(ch)


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line, with what it leaves out filled in from the environment and the config
    file (recap.core.settings); RecapError for a setting that is not allowed."""
    from recap.core.settings import apply_settings

    first = next((a for a in argv if not a.startswith("-")), None)
    if argv[:1] == ["--"]:
        argv = ["run", *argv]  # `recap -- clean`: a file named like a command
    elif argv and first not in COMMANDS and not {"-h", "--help", "--version"} & set(argv[:1]):
        argv = ["run", *argv]  # `recap URL` is `recap run URL`
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        raise SystemExit(2)
    args.settings = apply_settings(parser, argv, args, getattr(args, "config", None))
    return args
