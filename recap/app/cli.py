"""The command line: parse arguments, run the pipeline, report errors in one line.

Heavy libraries (faster-whisper, yt-dlp, spaCy) are imported only inside the commands,
so ``recap --help`` answers at once.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import re
import sys
from pathlib import Path

from recap import __version__
from recap.core.document import plain_text
from recap.core.errors import (
    DownloadStalled,
    EditedSinceWritten,
    ModelUnavailable,
    NotAChannel,
    NotAnEpisode,
    RecapError,
    SignInRequired,
    UnsupportedSource,
)
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
    Overrides,
    RunOptions,
    TranscribeOptions,
    default_of,
)
from recap.core.urls import http_url, is_url

COMMANDS = ("run", "transcribe", "segment", "render", "channel", "clean", "learn", "config", "completion")
SHELLS = ("bash", "zsh", "fish")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and a hint, like every other error (argparse
    prints its whole usage, 6 to 16 lines, before the one that matters)."""

    def error(self, message: str):
        self.exit(2, f"recap: error: {plain_text(message)} (see `{self.prog} --help`)\n")


def _formats(allowed: tuple[str, ...]):
    def parse(value: str) -> tuple[str, ...]:
        chosen = tuple(f.strip().lower() for f in value.split(",") if f.strip())
        if chosen == ("all",):
            return allowed
        unknown = [f for f in chosen if f not in allowed]
        if unknown or not chosen:
            raise argparse.ArgumentTypeError(
                f"unknown format {','.join(unknown) or value!r}; choose from {','.join(allowed)}")
        return chosen
    return parse


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
    group.add_argument("--batch-size", type=_checked(_whole(0, MAX_BATCH)), default=defaults.batch_size,
                       metavar="N",
                       help="decode N voiced clips at once (faster; clips that come out "
                            "looping or missing words are re-decoded alone); 0 for the "
                            f"sequential decoder (default: {defaults.batch_size})")
    group.add_argument("--beam-size", type=_checked(_whole(1, MAX_BEAM)), default=defaults.beam_size,
                       metavar="N",
                       help=f"(default: {defaults.beam_size})")


def _add_fetch_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("download")
    group.add_argument("--cookies", type=Path, metavar="FILE",
                       help="Netscape cookies file for sites that ask you to sign in")
    group.add_argument("--cookies-from-browser", metavar="BROWSER",
                       help="read cookies from a browser profile (chrome, firefox, ...)")
    timeout, retries = default_of(FetchOptions, "socket_timeout"), default_of(FetchOptions, "retries")
    group.add_argument("--socket-timeout", type=_checked(_seconds), default=timeout, metavar="SECONDS",
                       help=f"give up on a silent server after this long (default: {timeout:g})")
    group.add_argument("--retries", type=_checked(_whole(0)), default=retries, metavar="N",
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
    parser.add_argument("--format", type=_formats(ARTICLE_FORMATS), default=DEFAULT_FORMATS, metavar="LIST",
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
    meta.add_argument("--url", type=_checked(http_url),
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
    parser.add_argument("--version", action="version", version=f"recap {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="video URL or file -> article (the default command)",
                              description="Download, transcribe, segment and write the article.")
    run.add_argument("source", metavar="URL_OR_PATH", type=_checked(_source),
                     help="a video URL, a local audio/video file, or a transcript "
                          "(.txt, .srt, .vtt, transcript .json)")
    _add_article_options(run)
    _add_transcribe_options(run)
    _add_fetch_options(run)
    _add_common(run)
    run.set_defaults(handler=cmd_run)

    tr = commands.add_parser("transcribe", help="video URL or file -> transcript",
                             description="Transcribe only; the result is cached for later runs.")
    tr.add_argument("source", metavar="URL_OR_PATH", type=_checked(_source))
    tr.add_argument("-o", "--output", type=Path, metavar="OUTDIR", help="folder for the files")
    tr.add_argument("--format", type=_formats(TRANSCRIPT_FORMATS), default=("json",),
                    metavar="LIST", help="comma-separated: json,txt,srt,vtt (default: json)")
    _add_transcribe_options(tr)
    _add_fetch_options(tr)
    _add_common(tr)
    tr.set_defaults(handler=cmd_transcribe)

    conf = commands.add_parser("config", help="show the settings in effect and where each came from",
                               description="Each setting a flag can leave out, its value and its source: "
                                           "an environment variable (RECAP_...), the config file, or "
                                           "recap's default. A flag on the command line wins over all three.")
    _add_common(conf)
    conf.set_defaults(handler=cmd_config)

    comp = commands.add_parser("completion", help="print the shell completion script (bash, zsh or fish)",
                               description="Tab completion of recap's commands and options, from the "
                                           "parser itself. bash: eval \"$(recap completion bash)\" in "
                                           "~/.bashrc; zsh: the same in ~/.zshrc; fish: recap completion "
                                           "fish > ~/.config/fish/completions/recap.fish")
    comp.add_argument("shell", choices=SHELLS)
    comp.set_defaults(handler=cmd_completion)

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
    seg.set_defaults(handler=cmd_segment)

    ren = commands.add_parser("render", help="stories or transcript -> article",
                              description="Write the article again without transcribing.")
    ren.add_argument("source", type=Path, metavar="STORIES_OR_TRANSCRIPT",
                     help="stories.json or transcript.json from a run, .txt/.srt/.vtt, or the "
                          "clean.md of `recap clean` after editing")
    _add_article_options(ren)
    _add_common(ren)
    ren.set_defaults(handler=cmd_render)
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
    le.set_defaults(handler=cmd_learn)


def _add_clean_parser(commands) -> None:
    cl = commands.add_parser(
        "clean", help="video URL or file -> cleaned transcript for editors",
        description="Disfluencies out, paragraphs under story headings, doubtful words flagged: "
                    "clean.md (edit it, then `recap render clean.md`), a review page, subtitles, DOCX.")
    cl.add_argument("source", metavar="URL_OR_PATH", type=_checked(_source),
                    help="a video URL, a local audio/video file, or a transcript (.json, .srt, .vtt)")
    cl.add_argument("-o", "--output", type=Path, metavar="OUTDIR",
                    help="folder for the files (default: one named after the episode)")
    cl.add_argument("--format", type=_formats(CLEAN_FORMATS), metavar="LIST",
                    help=f"comma-separated: {','.join(CLEAN_FORMATS)} (default: all the input allows: "
                         "a plain-text transcript has no times for subtitles)")
    cl.add_argument("--force", action="store_true", help="overwrite files edited since recap wrote them")
    flag_below = default_of(CleanOptions, "flag_below")
    cl.add_argument("--flag-below", type=_checked(_probability), default=flag_below, metavar="P",
                    help=f"flag words recognised with probability under P for review (default: {flag_below})")
    _add_metadata_options(cl)
    _add_transcribe_options(cl)
    _add_fetch_options(cl)
    _add_profile_option(cl)
    _add_common(cl)
    cl.set_defaults(handler=cmd_clean)


def _checked(parse):
    """An argparse type from a parser that raises ValueError with its own message (argparse puts
    the option's name before it)."""
    def check(value: str):
        try:
            return parse(value)
        except (ValueError, re.error) as exc:
            raise argparse.ArgumentTypeError(str(exc)) from exc
    return check


def _whole(minimum: int, maximum: int | None = None):
    """A whole number of at least ``minimum`` (and at most ``maximum``)."""
    def parse(value: str) -> int:
        text = value.strip()
        number = int(text) if re.fullmatch(r"[+-]?\d{1,9}", text) else None
        if number is None or number < minimum or (maximum is not None and number > maximum):
            wanted = f">= {minimum}" if maximum is None else f"from {minimum} to {maximum}"
            raise ValueError(f"expected a whole number {wanted}, got {value!r}")
        return number
    return parse


_positive = _whole(1)


def _source(value: str) -> str:
    """A path, or a URL that recap may fetch: http(s), with no spaces or control characters."""
    if not value.strip():
        raise ValueError("empty: give a video URL, a media file or a transcript")
    return http_url(value) if is_url(value) else value


def _seconds(value: str) -> float:
    """A length of time: a finite number of seconds above 0."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"expected a number of seconds above 0, got {value!r}")
    return seconds


def _probability(value: str) -> float:
    """A probability: a number from 0 to 1."""
    try:
        chance = float(value)
    except ValueError:
        chance = math.nan
    if not 0.0 <= chance <= 1.0:  # NaN fails too
        raise ValueError(f"expected a probability from 0 to 1, got {value!r}")
    return chance


def _add_channel_parser(commands) -> None:
    from recap.app.channel import ChannelOptions
    from recap.app.entries import parse_date

    ch = commands.add_parser(
        "channel", help="channel, playlist or podcast feed -> one article per episode",
        description="Turn every episode of a channel, playlist or RSS feed into an article, with "
                    "OUTDIR/index.md and index.html. Finished episodes are archived in OUTDIR and "
                    "skipped next time; a killed run resumes where it stopped.")
    ch.add_argument("source", metavar="URL", type=_checked(_source),
                    help="a YouTube channel or playlist, or a podcast feed")
    ch.add_argument("-o", "--output", type=Path, metavar="OUTDIR",
                    help="folder for the episodes and the index (default: one named after the channel)")
    _add_output_root(ch)
    ch.add_argument("--format", type=_formats(ARTICLE_FORMATS), default=DEFAULT_FORMATS, metavar="LIST",
                    help="comma-separated: md,html,json,chapters,email,txt, or all "
                         "(default: md,html,json,chapters)")
    ch.add_argument("--template", type=Path, metavar="FILE",
                    help="your own jinja2 template for each article")
    _add_profile_option(ch)
    pick = ch.add_argument_group("which episodes")
    pick.add_argument("--since", "--dateafter", type=_checked(parse_date), metavar="DATE",
                      help="only episodes published on or after DATE (YYYY-MM-DD, YYYYMMDD or, as "
                           "in yt-dlp, now-2weeks)")
    pick.add_argument("--until", "--datebefore", type=_checked(parse_date), metavar="DATE",
                      help="only episodes published on or before DATE")
    pick.add_argument("--match-title", type=_checked(lambda v: re.compile(v, re.IGNORECASE)),
                      metavar="REGEX", help="only episodes whose title matches (case-insensitive)")
    pick.add_argument("--limit", "--max-downloads", type=_checked(_positive), metavar="N",
                      help="only the first N matching episodes in the channel's order (newest first "
                           "for channels and feeds), finished ones included")
    pick.add_argument("--force", action="store_true", help="redo episodes already finished")
    pick.add_argument("--list", action="store_true",
                      help="print what a run would do (new, retry, done) and stop: nothing is downloaded")
    jobs = default_of(ChannelOptions, "jobs")
    ch.add_argument("--jobs", type=_checked(_whole(1, MAX_JOBS)), default=jobs, metavar="N",
                    help=f"downloads running ahead of transcription at once (default: {jobs})")
    where = ch.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_checked(_whole(1, MAX_LOCAL_WORKERS)), metavar="N",
                       help="run the episodes on a local Dask cluster of N worker processes, one model each")
    where.add_argument("--cluster", type=_checked(_scheduler_address), metavar="ADDRESS",
                       help="run the episodes on the workers of a running Dask scheduler (tcp://HOST:8786)")
    _add_link_page_options(ch)
    _add_transcribe_options(ch)
    _add_fetch_options(ch)
    _add_common(ch)
    ch.set_defaults(handler=cmd_channel)


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


# -- commands ---------------------------------------------------------------------------
def _transcribe_options(args: argparse.Namespace) -> TranscribeOptions:
    return TranscribeOptions(
        model=args.model, device=args.device, compute_type=args.compute_type,
        language=None if args.language == "auto" else args.language,
        beam_size=args.beam_size, batch_size=args.batch_size,
    )


def _transcriber(args: argparse.Namespace):
    from recap.stages.transcribe import WhisperTranscriber

    return WhisperTranscriber(_transcribe_options(args), args.cache_dir)


def _run_options(args: argparse.Namespace) -> RunOptions:
    """The options of `run`, `render` and `channel`; an option a command lacks keeps its default."""
    article = args.command in ("run", "render", "channel")
    given = {name: getattr(args, flag) for name, flag in (
        ("out_dir", "output"), ("formats", "format" if article else ""), ("cookies", "cookies"),
        ("cookies_from_browser", "cookies_from_browser"), ("socket_timeout", "socket_timeout"),
        ("retries", "retries"), ("template", "template"), ("ignore_chapters", "ignore_chapters"),
        ("cache_dir", "cache_dir"), ("profile", "profile"), ("link_pages", "link_pages"),
        ("refresh_links", "refresh_links"), ("images", "images"), ("out_root", "output_root"),
    ) if flag and getattr(args, flag, None) is not None}
    given["overrides"] = Overrides(title=getattr(args, "title", None), url=getattr(args, "url", None),
                                   description_file=getattr(args, "description", None))
    return RunOptions(**given)


def _pipeline(args: argparse.Namespace, transcriber=None):
    from recap.app.pipeline import Pipeline
    from recap.app.progress import TerminalReporter

    return Pipeline(_run_options(args), transcriber=transcriber, reporter=TerminalReporter(_bars(args)))


def _bars(args: argparse.Namespace) -> bool | None:
    """Progress bars: off with --quiet or --no-progress, else on a terminal only (None)."""
    return False if getattr(args, "quiet", False) or getattr(args, "no_progress", False) else None


def _say(args: argparse.Namespace, *lines: str) -> None:
    """What a command reports when it is done (the files it wrote), unless --quiet."""
    if not getattr(args, "quiet", False):
        for line in lines:
            print(line)


def _check_template(args: argparse.Namespace) -> None:
    """jinja2 reads the template: the rules of recap's own reader first (a regular file of sane size)."""
    from recap.core.files import check_input_file

    if args.template:
        check_input_file(args.template, "template")


def cmd_run(args: argparse.Namespace) -> int:
    _check_template(args)
    result = _pipeline(args, _transcriber(args)).run(args.source)
    stories = sum(len(s.stories) for s in result.article.sections)
    _say(args, f"{result.out_dir}: {stories} stories -> " + _article_files(result.files))
    return 0


def _article_files(files: list[Path]) -> str:
    return ", ".join(p.name for p in files if p.name.startswith(("article", "chapters")))


def cmd_render(args: argparse.Namespace) -> int:
    _check_template(args)
    from recap.stages.fetch import local_media

    local_media(str(args.source))  # the same clear errors for missing paths and folders
    result = _pipeline(args).render_file(args.source)
    _say(args, f"{result.out_dir}: " + _article_files(result.files))
    return 0


def cmd_transcribe(args: argparse.Namespace) -> int:
    written = _pipeline(args, _transcriber(args)).transcribe_to(args.source, args.format, args.output)
    _say(args, *map(str, written))
    return 0


def cmd_clean(args: argparse.Namespace) -> int:
    options = CleanOptions(out_dir=args.output, formats=args.format, force=args.force,
                           flag_below=args.flag_below)
    _say(args, *map(str, _pipeline(args, _transcriber(args)).clean(args.source, options)))
    return 0


def cmd_channel(args: argparse.Namespace) -> int:
    from recap.app.channel import (
        ChannelOptions,
        channel_profile,
        plan_channel,
        run_channel,
        summary_table,
    )
    from recap.app.channel_progress import ChannelBars
    from recap.app.entries import Selection

    _check_template(args)
    options = ChannelOptions(
        run=_run_options(args), transcribe=_transcribe_options(args), out_dir=args.output,
        selection=Selection(since=args.since, until=args.until, title=args.match_title, limit=args.limit),
        jobs=args.jobs, force=args.force)
    plan = plan_channel(args.source, options)
    if args.list:
        print(summary_table(plan.records))
        return 0
    options = channel_profile(options, plan.out_dir)
    bars = ChannelBars(None, enabled=False) if args.quiet else ChannelBars(enabled=_bars(args))
    report = run_channel(plan, options, bars, _runner(args, options))
    _say(args, summary_table(report.records),
         f"{report.count('done')} done, {report.count('skipped')} skipped, {report.count('failed')} failed"
         f" -> {report.out_dir / 'index.html'}")
    if report.learned:
        _say(args, f"learned this show's profile from {report.learned.episodes} episodes -> "
                   f"{report.learned.path} (the next episodes use it)")
    return 1 if report.count("failed") else 0


def _runner(args: argparse.Namespace, options):
    """Where a channel's episodes run: this process (None), or Dask workers."""
    if not (args.workers or args.cluster):
        return None
    from recap.app.cluster import ClusterSpec, on_cluster

    own_caches = bool(args.cluster) and args.cache_dir is None  # this machine's default means nothing there
    return on_cluster(ClusterSpec(workers=args.workers, address=args.cluster, own_caches=own_caches), options)


_SCHEDULER = re.compile(r"(?:tcp|tls|ucx|ws|wss)://(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::(\d{1,5}))?/?"
                        r"|inproc://\S+")


def _scheduler_address(value: str) -> str:
    """tcp://HOST:PORT and Dask's other schemes; an address with a user or password is refused
    without repeating it (it may hold a secret)."""
    if "@" in value:
        raise ValueError("a Dask scheduler address holds no user or password: give tcp://HOST:8786")
    found = _SCHEDULER.fullmatch(value)
    if not found or (found.group(1) and not 0 < int(found.group(1)) < 65536):
        raise ValueError(f"expected a Dask scheduler address such as tcp://HOST:8786, got {value!r}")
    return value


def cmd_learn(args: argparse.Namespace) -> int:
    from recap.app.learning import episode_files, learn_profile
    from recap.language.profile import DEFAULT, configured_profile

    files = episode_files(args.sources)
    one_folder = len(args.sources) == 1 and args.sources[0].is_dir() and len(files) > 1
    out = args.output or (args.sources[0] / "profile.toml" if one_folder else Path("profile.toml"))
    base = args.profile or configured_profile() or DEFAULT
    result = learn_profile(files, out, base, name=args.name, force=args.force)
    _say(args, f"learned from {result.episodes} episodes -> {result.path}",
         *(f"  {plain_text(line)}" for line in result.lines))
    return 0


def cmd_completion(args: argparse.Namespace) -> int:
    import argcomplete

    print(argcomplete.shellcode(["recap"], shell=args.shell))
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    """Every setting in effect (as `recap URL` and `recap channel URL` would use it) and its source."""
    from recap.core.settings import config_file

    given = ["--config", str(args.config)] if args.config else []
    shown = {**parse_args(["run", "x", *given]).settings,
             **parse_args(["channel", "https://example.com/", *given]).settings}
    path = config_file(args.config)
    print(f"config file: {path}" + ("" if path.is_file() else " (none)"))
    width = max(map(len, shown))
    for key, applied in shown.items():
        print(f"{key:<{width}}  {_shown_value(applied.value):<24} {applied.source}")
    return 0


def _shown_value(value) -> str:
    if value is None:
        return "(recap chooses)"
    return ",".join(value) if isinstance(value, tuple) else str(value)


def cmd_segment(args: argparse.Namespace) -> int:
    import json

    stories = _pipeline(args).segment_file(args.transcript)
    if args.format == "json":
        fields = ("title", "text", "start", "end", "span", "kind", "section", "signals")
        data = {"stories": [{k: s.to_dict()[k] for k in fields} for s in stories]}
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        for story in stories:
            when = f" ({story.start:.0f} s)" if story.start is not None else ""
            print(f"## {story.title}{when}\n\n{story.text}\n")
    return 0


# -- entry point ------------------------------------------------------------------------
def _setup_logging(verbose: bool, quiet: bool = False) -> None:
    logging.basicConfig(level=logging.ERROR if quiet else logging.INFO if verbose else logging.WARNING,
                        format="recap: %(levelname)s: %(message)s", stream=sys.stderr)
    for noisy in ("faster_whisper", "httpx", "huggingface_hub", "distributed"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose else logging.ERROR)


def explain(error: RecapError) -> str:
    """The error's own words, and the advice that names this command line's flags and commands."""
    if isinstance(error, NotAnEpisode):
        return f"{error}; use `recap channel {error.url}`"
    if isinstance(error, NotAChannel):
        return f"{error}; use `recap {error.url}`"
    if isinstance(error, DownloadStalled):
        from recap.stages.fetch import STALL_TIMEOUTS

        return f"{error}; the limit is {STALL_TIMEOUTS} x --socket-timeout: raise it for a slow server"
    if isinstance(error, SignInRequired):
        return f"{error} (try --cookies FILE or --cookies-from-browser, and update yt-dlp)"
    if isinstance(error, EditedSinceWritten):
        return f"{error} (rename it, choose another -o folder, or pass --force)"
    if isinstance(error, ModelUnavailable):
        return (f"{error}. Offline choices: the bundled {error.bundled} (leave out --model) or a local "
                "CTranslate2 model folder (--model /path/to/folder)")
    return str(error)


def exit_code(error: RecapError) -> int:
    """2 for a source recap cannot read or a URL given to the wrong command (as for a usage
    error), 1 for every other problem."""
    return 2 if isinstance(error, (UnsupportedSource, NotAnEpisode, NotAChannel)) else 1


def main(argv: list[str] | None = None) -> int:
    if "_ARGCOMPLETE" in os.environ:  # the shell asks for completions (`recap completion`): answer, exit
        import argcomplete

        argcomplete.autocomplete(build_parser())
    try:
        args = parse_args(sys.argv[1:] if argv is None else list(argv))
    except RecapError as exc:  # a setting in the environment or the config file that is not allowed
        print(f"recap: error: {plain_text(str(exc))}", file=sys.stderr)
        return 1
    _setup_logging(getattr(args, "verbose", False), getattr(args, "quiet", False))
    try:
        return args.handler(args)
    except RecapError as exc:
        print(f"recap: error: {plain_text(explain(exc))}", file=sys.stderr)
        return exit_code(exc)
    except KeyboardInterrupt:
        print("recap: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback for users; --debug shows it
        if getattr(args, "debug", False):
            raise
        print(plain_text(f"recap: internal error: {type(exc).__name__}: {exc} (rerun with --debug)"),
              file=sys.stderr)
        return 1
