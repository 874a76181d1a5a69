"""`recap learn` and a channel learning its show: episodes on disk in, a profile file out.

The episodes are what runs leave: a transcript with the episode.json beside it (for the
description), an episode folder, or a channel folder of episode folders. The profile is written
whole (atomically) as readable TOML, and never over a profile file a person wrote.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from recap.app import inputs
from recap.core.document import TimedText
from recap.core.errors import RecapError
from recap.core.files import write_atomic
from recap.language.profile import DEFAULT, load_profile, profile_text

log = logging.getLogger(__name__)

LEARNED_MARK = "Learned by `recap learn`"  # the first line of a profile recap may write again
TRANSCRIPT = "transcript.json"
LEARN_AFTER = 5  # finished episodes before a channel learns its show


@dataclass
class LearnResult:
    path: Path
    episodes: int
    lines: list[str]  # what was learned, one line each, for the terminal


def episode_files(sources: Iterable[Path]) -> list[Path]:
    """The transcripts ``sources`` name: files as given; a folder's transcript.json; in a channel
    folder, each episode folder's; in the order given, folders' episodes by name."""
    found: list[Path] = []
    for source in sources:
        if source.is_file():
            found.append(source)
        elif (source / TRANSCRIPT).is_file():
            found.append(source / TRANSCRIPT)
        elif source.is_dir():
            found += sorted(p / TRANSCRIPT for p in source.iterdir()
                            if not p.name.startswith(".") and (p / TRANSCRIPT).is_file())
        else:
            raise RecapError(f"no such file or folder: {source}")
    return found


def read_episodes(files: Sequence[Path]) -> list[tuple[TimedText, str]]:
    """Each transcript's text and the description of the episode.json beside it ("" without)."""
    episodes = []
    for path in files:
        saved = inputs.read_saved(path)
        if saved.stories is not None:
            raise RecapError(f"{path}: a stories file; give the episode's transcript.json")
        episodes.append((saved.timed_text(), saved.episode.description or ""))
    return episodes


def learn_profile(files: Sequence[Path], out: Path, base: str = DEFAULT, name: str | None = None,
                  force: bool = False) -> LearnResult:
    """Learn the show of ``files`` over the profile ``base`` and write it to ``out``."""
    from recap.stages.segment import MIN_EPISODES, learn

    if len(files) < MIN_EPISODES:
        raise RecapError(f"learning a show needs the transcripts of at least {MIN_EPISODES} episodes, "
                         f"found {len(files)}")
    check_writable(out, force)
    profile = load_profile(base)
    learned = learn(read_episodes(files), profile)
    shown = name or out.stem
    entries = [(e.table, e.key, e.pattern, e.comment) for e in learned.entries]
    shape = [(key, value, learned.shape_comments[key]) for key, value in learned.shape.items()]
    header = (f"{LEARNED_MARK} from {learned.episodes} episodes, over the profile {profile.name!r}.\n"
              "Edit it as you like (the README's \"Show profiles\"); `recap learn` writes it anew.")
    text = profile_text(shown, f"learned from {learned.episodes} episodes", _extends(base, out),
                        entries, shape, header=header)
    write_atomic(out, text)
    lines = [f"[{e.table}] {e.comment}" for e in learned.entries]
    lines += [f"[shape] {key} = {value:g}: {learned.shape_comments[key]}"
              for key, value in learned.shape.items()]
    return LearnResult(out, learned.episodes, lines)


def check_writable(out: Path, force: bool) -> None:
    """A profile recap learned may be learned again; one a person wrote stays theirs."""
    if force or not out.exists():
        return
    if not out.is_file():
        raise RecapError(f"{out} is not a file")
    if not learned_already(out):
        raise RecapError(f"{out} was not written by `recap learn`: choose another -o file, or pass --force")


def _extends(base: str, out: Path) -> str:
    """The base as the learned profile names it: a shipped or user profile by name, a file by its
    path (relative to the new profile's folder when it lies beside it)."""
    given = Path(base)
    if given.suffix != ".toml" and len(given.parts) == 1:
        return base
    resolved = given.expanduser().resolve()
    try:
        return str(resolved.relative_to(out.resolve().parent))
    except ValueError:
        return str(resolved)


def learned_already(path: Path) -> bool:
    """The profile file was written by `recap learn` (its first line says so)."""
    if not path.is_file():
        return False
    return LEARNED_MARK in path.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
