"""The command line: parse arguments, run the pipeline, report errors in one line.

Heavy libraries (faster-whisper, yt-dlp, spaCy) are imported only inside the commands,
so ``recap --help`` answers at once.
"""

from __future__ import annotations

import logging
import os
import sys

from recap.app.parser import build_parser, parse_args
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
        from recap.app.commands import HANDLERS

        return HANDLERS[args.command](args)
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
