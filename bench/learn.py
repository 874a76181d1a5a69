"""`recap learn` on a show's first episodes, scored on its other episodes and on another show.

    python bench/learn.py [--show ../shared/devdata/pythonbytes] [--train 5] [--other ../shared/devdata/asr]

The show's ASR episodes (NAME.transcript.json with NAME.links.json) become episode folders as a
run leaves them (transcript.json, and episode.json holding the description). `recap learn` reads
the first --train of them and writes a profile; ../shared/tools/score.py then scores the rest,
and the other show, once with the shipped profile and once with the learned one (set through the
user's config.toml in a scratch XDG_CONFIG_HOME, as a user would). Issue 23 asks that the learned
profile beat the shipped one on the show's other episodes (Pk, headings) and change no figure of
the other show by more than 0.01; and that `recap learn` over 10 episodes take under 30 s.
Prints the MEAN lines; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCORE = SHARED / "tools" / "score.py"


def episode_folders(show: Path, work: Path) -> list[Path]:
    """One folder per ASR episode of ``show``, as `recap` leaves an episode."""
    from recap.core.document import Episode

    folders = []
    for transcript in sorted(show.glob("*.transcript.json")):
        name = transcript.name.removesuffix(".transcript.json")
        links = json.loads((show / f"{name}.links.json").read_text(encoding="utf-8"))
        folder = work / name
        folder.mkdir()
        shutil.copy(transcript, folder / "transcript.json")
        episode = Episode(id=name, title=name, description=links["description"])
        (folder / "episode.json").write_text(json.dumps(episode.to_dict()), encoding="utf-8")
        folders.append(folder)
    return folders


def scored(what: str, episodes: list[Path], env: dict) -> str:
    """score.py's MEAN line for ``episodes`` (the devdata files, not the folders)."""
    done = subprocess.run([sys.executable, str(SCORE), what, *map(str, episodes)], capture_output=True,
                          text=True, env=env, check=False)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()[-300:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--show", type=Path, default=SHARED / "devdata" / "pythonbytes")
    ap.add_argument("--train", type=int, default=5)
    ap.add_argument("--other", type=Path, default=SHARED / "devdata" / "asr")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        folders = episode_folders(args.show, work)
        train, test = folders[:args.train], folders[args.train:]
        profile = work / "show.toml"
        started = time.perf_counter()
        subprocess.run(["recap", "learn", *map(str, train), "-o", str(profile)], check=True)
        print(f"recap learn over {len(train)} episodes: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        subprocess.run(["recap", "learn", *map(str, folders), "-o", str(work / "all.toml")], check=True,
                       capture_output=True)
        seconds = time.perf_counter() - started
        print(f"recap learn over {len(folders)} episodes: {seconds:.1f} s (target < 30 s)")

        config = work / "xdg" / "recap"
        config.mkdir(parents=True)
        (config / "config.toml").write_text(f"profile = {json.dumps(str(profile))}\n", encoding="utf-8")
        shipped = {**os.environ, "XDG_CONFIG_HOME": str(work / "none")}
        learned = {**os.environ, "XDG_CONFIG_HOME": str(work / "xdg")}
        held_out = [args.show / f"{folder.name}.transcript.json" for folder in test]
        other = sorted(args.other.glob("*.transcript.json"))
        for label, episodes in ((f"{args.show.name}, the {len(test)} other episodes", held_out),
                                (f"{args.other.name} (another show)", other)):
            print(label)
            for what in ("segments", "article"):
                print(f"  {what} shipped: {scored(what, episodes, shipped)}")
                print(f"  {what} learned: {scored(what, episodes, learned)}")


if __name__ == "__main__":
    main()
