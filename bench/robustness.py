"""Robustness: one sentence a host of any show might say, put where it misleads, and what it costs.

    python bench/robustness.py

A show recap never saw says things its dev episodes never said: a greeting that previews the
extras and the joke, a sign-off line in mid-show, a sponsor read in mid-story; and auto captions
write no punctuation at all (the last row). Each probe adds one
sentence to every episode of two sets (6 Python Bytes and 6 Changelog News episodes, ASR), at a
share of the episode's recogniser segments, and prints the shared scorer's segments MEAN beside the
unchanged episodes'. A probe that was a cue of the genre may move a cut (a sign-off said in
mid-story cuts there); one that takes a show's Pk up by more than 0.1 has broken its structure.
The copies live in a temporary folder: ../shared is only read.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

from common import DEVDATA, SCORE, mean_line

SETS = {"pythonbytes": 6, "asr": 6}  # folder -> episodes probed (the first, by name)
PROBES = (  # (sentence, share of the episode)
    ("Our extras today are great, and so is our joke.", 0.05),
    ("Stick around for the extras and a joke at the end.", 0.05),
    ("Stick around for the extras at the end, they are fun.", 0.45),
    ("Thanks for listening, see you next week.", 0.3),
    ("This episode is brought to you by Acme.", 0.6),
    ("Welcome back to the show.", 0.3),
)
BROKEN = 0.1  # Pk up by more than this: the probe broke the show's structure


def probed(folder: str, count: int, sentence: str, share: float, into: Path,
           captions: bool = False) -> list[Path]:
    """Copies of the first ``count`` episodes of ``folder`` with ``sentence`` after the recogniser
    segment at ``share`` of each (``captions``: and written as auto captions are, with no
    punctuation and no capitals); their transcript paths."""
    made = []
    for transcript in sorted((DEVDATA / folder).glob("*.transcript.json"))[:count]:
        name = transcript.name.removesuffix(".transcript.json")
        shutil.copy(transcript.with_name(name + ".links.json"), into)
        data = json.loads(transcript.read_text(encoding="utf-8"))
        gold = json.loads(transcript.with_name(name + ".gold.json").read_text(encoding="utf-8"))
        if sentence:
            at = int(len(data["segments"]) * share)
            segment = data["segments"][at]
            segment["text"] = f"{segment['text'].rstrip()} {sentence}"
            segment.pop("words", None)  # the added words have no timings of their own
            _shift_gold(gold, _words(data["segments"][:at + 1]) - _words([{"text": sentence}]),
                        _words([{"text": sentence}]))
        if captions:
            for segment in data["segments"]:
                segment["text"] = _PUNCTUATION.sub("", segment["text"]).lower()
        (into / f"{name}.gold.json").write_text(json.dumps(gold), encoding="utf-8")
        target = into / transcript.name
        target.write_text(json.dumps(data), encoding="utf-8")
        made.append(target)
    return made


_WORD = re.compile(r"[a-z0-9]+")  # a word as the scorer counts them: gold starts are word indices
_PUNCTUATION = re.compile(r"(?<!\d)[.,!?;:]|[.,!?;:](?!\d)")  # "3.14" keeps its point: one word


def _words(segments: list[dict]) -> int:
    return sum(len(_WORD.findall(s["text"].lower())) for s in segments)


def _shift_gold(gold: dict, after: int, added: int) -> None:
    """The gold story starts at or past word ``after`` (the first after the sentence) moved by
    the ``added`` words."""
    for story in gold["stories"]:
        if story.get("word", 0) >= after:
            story["word"] += added


def pk(episodes: list[Path]) -> float:
    line = mean_line("segments", episodes)
    if not (found := re.search(r"Pk=([0-9.]+)", line)):
        raise SystemExit(f"the scorer {line}")
    return float(found.group(1))


def main() -> None:
    if not SCORE.exists():
        raise SystemExit(f"needs the shared scorer at {SCORE}")
    print("segments Pk, each set on its own (6 episodes each), a sentence added:")
    base = {}
    for folder, count in SETS.items():
        with tempfile.TemporaryDirectory() as tmp:
            base[folder] = pk(probed(folder, count, "", 0.0, Path(tmp)))
    print(f"  {'(none)':<66} " + "  ".join(f"{f} {base[f]:.3f}" for f in SETS))
    for sentence, share in PROBES:
        cells = []
        for folder, count in SETS.items():
            with tempfile.TemporaryDirectory() as tmp:
                value = pk(probed(folder, count, sentence, share, Path(tmp)))
            flag = " BROKEN" if value - base[folder] > BROKEN else ""
            cells.append(f"{folder} {value:.3f}{flag}")
        print(f"  {sentence[:56] + ' @ ' + format(share, '.2f'):<66} " + "  ".join(cells))
    cells = []
    for folder, count in SETS.items():
        with tempfile.TemporaryDirectory() as tmp:
            cells.append(f"{folder} {pk(probed(folder, count, '', 0.0, Path(tmp), captions=True)):.3f}")
    print(f"  {'(none; no punctuation, no capitals: auto captions)':<66} " + "  ".join(cells))


if __name__ == "__main__":
    main()
