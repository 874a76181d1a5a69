"""What each command does with its parsed arguments: build the options, run the pipeline, the
channel or the editor's path, and say what was written."""

from __future__ import annotations

import argparse
from pathlib import Path

from recap.app.parser import parse_args
from recap.core.document import plain_text
from recap.core.options import (
    CleanOptions,
    Overrides,
    RunOptions,
    TranscribeOptions,
)


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

    reporter = TerminalReporter(progress_bars(args))
    return Pipeline(_run_options(args), transcriber=transcriber, reporter=reporter)


def progress_bars(args: argparse.Namespace) -> bool | None:
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
    from recap.app.editing import clean_files

    _say(args, *map(str, clean_files(_pipeline(args, _transcriber(args)), args.source, options)))
    return 0


def cmd_channel(args: argparse.Namespace) -> int:
    from recap.app.channel import (
        channel_profile,
        plan_channel,
        run_channel,
        summary_table,
    )
    from recap.app.channel_progress import ChannelBars
    from recap.app.entries import Selection
    from recap.app.episodes import ChannelOptions

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
    bars = ChannelBars(None, enabled=False) if args.quiet else ChannelBars(enabled=progress_bars(args))
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


HANDLERS = {"run": cmd_run, "transcribe": cmd_transcribe, "segment": cmd_segment, "render": cmd_render,
            "channel": cmd_channel, "clean": cmd_clean, "learn": cmd_learn, "config": cmd_config,
            "completion": cmd_completion}
