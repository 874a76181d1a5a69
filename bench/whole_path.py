"""The whole path on audio: `recap URL --description` on devdata episodes served over loopback.

    python bench/whole_path.py [--episodes 106,111,123,126,132,133,141,150,153,160]
                               [--scratch /tmp/guided] [--model tiny.en]

Each Changelog News episode of ../shared/devdata/changelog is spoken once by
../shared/tools/speak.sh (bench/guided.py's Episode; the audio is shared with that bench and
bench/models.py in --scratch), served from 127.0.0.1, and turned into an article by the recap
command as a user runs it: yt-dlp fetches the URL, the model transcribes it (guided by the
description), the segmenter and the renderer make article.json. Per episode: the story count
against the publisher's and the share of the description's story links placed under their own
story (bench/guided.py's article_figures on the transcript recap saved beside the article), and
the wall time of the run. Issue 12 asks for the same story count within 10% and links >= 0.85.
Needs espeak-ng, sox and ffmpeg for the first run, and ../shared. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from channel import serve  # noqa: E402 - the loopback server bench/channel.py serves its feed from
from guided import Episode, article_figures  # noqa: E402 - speaks and scores devdata episodes

from recap.core.document import TimedText, Transcript  # noqa: E402


def run_episode(episode: Episode, base_url: str, model: str, work: Path) -> dict:
    """`recap URL` on one spoken episode, and its figures."""
    description = work / f"{episode.name}.description.txt"
    description.write_text(episode.description, encoding="utf-8")
    out = work / episode.name
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "recap", f"{base_url}/{episode.name}.mp3", "--description", str(description),
         "--model", model, "--cache-dir", str(work / "cache"), "-o", str(out)],
        capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        return {"episode": episode.name, "failed": (done.stderr.strip().splitlines() or ["?"])[-1]}
    article = json.loads((out / "article.json").read_text(encoding="utf-8"))
    transcript = Transcript.from_dict(json.loads((out / "transcript.json").read_text(encoding="utf-8")))
    stories, links = article_figures(episode, article, TimedText.from_transcript(transcript).text)
    return {"episode": episode.name, "stories": stories, "links": links, "seconds": seconds,
            "gold": len(episode.starts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--episodes", default="106,111,123,126,132,133,141,150,153,160",
                        help="Changelog News numbers (the default: the held-out set)")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/guided"), help="the spoken audio")
    parser.add_argument("--model", default="tiny.en")
    args = parser.parse_args()
    args.scratch.mkdir(parents=True, exist_ok=True)
    episodes = [Episode(f"changelog_news_{n}") for n in args.episodes.split(",")]
    for episode in episodes:
        episode.speak(args.scratch)
    base_url = serve(args.scratch)
    print(f"{'episode':<20} {'stories':>8} {'links':>6} {'seconds':>8}")
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        for episode in episodes:
            row = run_episode(episode, base_url, args.model, Path(tmp))
            if "failed" in row:
                print(f"{episode.name:<20} FAILED: {row['failed']}", flush=True)
                continue
            rows.append(row)
            print(f"{episode.name:<20} {row['stories']:8.3f} {row['links']:6.3f} {row['seconds']:8.1f}",
                  flush=True)
    if rows:
        within = sum(1 for r in rows if abs(r["stories"] - 1) <= 0.1)
        one_off = sum(1 for r in rows if abs(r["stories"] - 1) * r["gold"] <= 1)
        print(f"{'MEAN':<20} {sum(r['stories'] for r in rows) / len(rows):8.3f} "
              f"{sum(r['links'] for r in rows) / len(rows):6.3f} "
              f"{sum(r['seconds'] for r in rows) / len(rows):8.1f}   (story count within 10%: {within} of "
              f"{len(rows)}, within one story: {one_off}; target links >= 0.85)")


if __name__ == "__main__":
    main()
