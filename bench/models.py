"""Which model to choose: what base buys over tiny.en in words and articles, against compute.

    python bench/models.py [--episodes 106,111,123,126,132,133,141,150,153,160] [--models tiny.en,base]
                           [--scratch /tmp/guided] [--out /tmp/recap-bench-models]

Needs espeak-ng, sox and ffmpeg for the first run, ../shared, and the base extra
(`pip install 'recap-news[base]'`). Each Changelog News episode of ../shared/devdata/changelog is
spoken once by ../shared/tools/speak.sh (bench/guided.py's Episode: the audio is shared with that
bench in --scratch) and transcribed by recap's WhisperTranscriber with each model and recap's
default decoding, guided by the episode's title and description as `recap URL` guides it.

Per episode and model, then the mean over episodes per model:
  xRT     audio seconds per wall second of transcribe() (model loaded and warmed; 2 shared cores:
          noisy, check `uptime`).
  cpu/min CPU seconds (user + system, every thread of this process) per minute of audio: the
          steadier figure on a shared machine.
  WER     word error rate against the spoken text (tests/conftest.py's scorer: digits where the
          text spells a number count as errors).
Then the article figures: each model's transcripts are laid out as ../shared/devdata/asr is
(NAME.transcript.json, NAME.gold.json with each gold story's first transcript word found by aligning
the transcript to the spoken text, NAME.links.json from devdata) in --out/MODEL/, and
../shared/tools/score.py scores them (`segments`: Pk, WindowDiff, F1, story count ratio without the
description; `article`: headings, story count ratio, links with the description); its MEAN lines
are printed. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from recap.core.options import TranscribeOptions
from recap.stages.transcribe import WhisperTranscriber, transcription_guidance

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
from conftest import word_error_rate  # noqa: E402 - the tests' own scorer, as bench/guided.py uses
from guided import DEVDATA, SHARED, Episode, _gold_starts  # noqa: E402 - speaks devdata episodes

SCORE = SHARED / "tools" / "score.py"
WARM_UP = HERE.parent / "samples" / "tensor_weekly_12.mp3"
_WORD = re.compile(r"[a-z0-9]+")  # score.py's words: gold "word" indexes these


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def transcribe_all(model: str, episodes: list[Episode], scratch: Path, out: Path) -> list[dict]:
    """Each episode's figures; its transcript, gold and links written into ``out``."""
    transcriber = WhisperTranscriber(TranscribeOptions(model=model))
    transcriber.transcribe(WARM_UP)  # loading and first-decode costs stay out of the figures
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for episode in episodes:
        media = episode.speak(scratch)
        guidance = transcription_guidance(episode.title, episode.description)
        wall, cpu = time.perf_counter(), cpu_seconds()
        transcript = transcriber.transcribe(media, guidance=guidance)
        wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
        write_asr_episode(episode, transcript, out)
        hypothesis = " ".join(s.text for s in transcript.segments)
        minutes = transcript.duration / 60
        rows.append({"episode": episode.name, "audio_s": transcript.duration, "xRT": minutes * 60 / wall,
                     "cpu_per_min": cpu / minutes, "WER": word_error_rate(episode.text, hypothesis)})
        print(f"{episode.name:<20} {model:<8} {rows[-1]['audio_s']:7.0f} {rows[-1]['xRT']:6.1f} "
              f"{rows[-1]['cpu_per_min']:8.1f} {rows[-1]['WER']:6.1%}", flush=True)
    return rows


def write_asr_episode(episode: Episode, transcript, out: Path) -> None:
    """The transcript as score.py reads ASR episodes: NAME.transcript.json, NAME.gold.json (each gold
    story's first word, as an index into the transcript's words), NAME.links.json."""
    data = transcript.to_dict()
    text = " ".join(s["text"].strip() for s in data["segments"])
    starts = _gold_starts(episode, text)  # character offsets into ``text``
    offsets = [m.start() for m in _WORD.finditer(text.lower())]
    titles = [s["title"] for s in json.loads((DEVDATA / f"{episode.name}.json").read_text())["stories"]]
    gold = {"title": episode.title, "duration": transcript.duration,
            "stories": [{"title": title, "word": sum(1 for o in offsets if o < start)}
                        for title, start in zip(titles, starts)]}
    (out / f"{episode.name}.transcript.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    (out / f"{episode.name}.gold.json").write_text(json.dumps(gold, indent=1), encoding="utf-8")
    shutil.copyfile(DEVDATA / f"{episode.name}.links.json", out / f"{episode.name}.links.json")


def score(what: str, folder: Path) -> str:
    """score.py's MEAN line for the episodes in ``folder``."""
    done = subprocess.run([sys.executable, str(SCORE), what, str(folder)], capture_output=True, text=True,
                          cwd=HERE.parent)
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else f"score.py failed: {done.stderr.strip()[-300:]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--episodes", default="106,111,123,126,132,133,141,150,153,160",
                        help="Changelog News numbers (the default: the held-out set bench/quality.py scores)")
    parser.add_argument("--models", default="tiny.en,base")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/guided"), help="the spoken audio")
    parser.add_argument("--out", type=Path, default=Path("/tmp/recap-bench-models"))
    args = parser.parse_args()
    args.scratch.mkdir(parents=True, exist_ok=True)
    episodes = [Episode(f"changelog_news_{n}") for n in args.episodes.split(",")]
    models = args.models.split(",")
    print(f"{'episode':<20} {'model':<8} {'audio s':>7} {'xRT':>6} {'cpu/min':>8} {'WER':>6}")
    means = {}
    for model in models:
        rows = transcribe_all(model, episodes, args.scratch, args.out / model)
        means[model] = {k: sum(r[k] for r in rows) / len(rows) for k in ("xRT", "cpu_per_min", "WER")}
    print("# mean over episodes")
    for model, mean in means.items():
        print(f"{'MEAN':<20} {model:<8} {'':>7} {mean['xRT']:6.1f} {mean['cpu_per_min']:8.1f} "
              f"{mean['WER']:6.1%}")
    print("# score.py on each model's transcripts (segments: without the description; article: with it)")
    for model in models:
        for what in ("segments", "article"):
            print(f"{model:<8} {what:<9} {score(what, args.out / model)}", flush=True)


if __name__ == "__main__":
    main()
