"""Fit the segmenter's signal weights, threshold and length prior on the dev data, and check them
on a held-back part.

    python bench/fit_segmentation.py [--rounds N]

What users feed recap has no paragraph breaks and no headline lines, so the fit sees only that:
the devdata/asr transcripts (Changelog News heard by tiny.en) and the flat text (one line, no
speaker labels) of devdata/changelog and the Optech recaps. Every third episode of each set is
held back; the fit sees the rest. The objective is the mean Pk over the three sets, each set
counting once, so the long two-host Optech episodes weigh as much as the 110 short Changelog ones.

Each episode's signal scores are computed once; a candidate setting then costs only the cuts'
dynamic programme, so coordinate descent over every weight takes a minute or two. The script
prints the fitted values to paste into segment/segmenter.py (DEFAULT_WEIGHTS, SegmentOptions)
and the held-back figures before and after. Nothing is written.
"""

from __future__ import annotations

import argparse
import glob
import statistics
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(SHARED / "tools"))

import score  # noqa: E402  (the shared scorer: its loaders and Pk)

from recap.app.inputs import read_timed_text  # noqa: E402
from recap.core.document import TimedText  # noqa: E402
from recap.language.profile import default_cues  # noqa: E402
from recap.language.sentences import split_sentences  # noqa: E402
from recap.stages.segment.segmenter import DEFAULT_WEIGHTS, SegmentOptions, choose_cuts  # noqa: E402
from recap.stages.segment.signals import SIGNALS, glued  # noqa: E402

STEPS = (0.5, 0.75, 1.33, 2.0)  # each weight tried at these multiples of its value, and at zero


@dataclass
class Prepared:
    """One episode as the fit needs it: each signal's scores per sentence gap, the gaps the
    segmenter never cuts, sentence lengths, and the scorer's word positions."""

    name: str
    signals: dict[str, list[float]]
    stuck: list[bool]
    lengths: list[int]
    sentence_words: list[int]  # the scorer's word index at each sentence start
    gold: list[int]
    words: int


def prepare(episode) -> Prepared:
    timed: TimedText = read_timed_text(Path(episode.input_path))
    sentences = split_sentences(timed.text, timed.breaks)  # as segment() splits them
    offsets = score.word_offsets(episode.text)
    starts = [sum(1 for o in offsets if o < s.start) for s in sentences]
    cues = default_cues()
    return Prepared(episode.name, {name: fn(sentences, timed, cues) for name, fn in SIGNALS.items()},
                    glued(sentences, cues), [s.words for s in sentences], starts, episode.word_starts,
                    len(score.norm_words(episode.text)))


def pk_of(episode: Prepared, options: SegmentOptions) -> float:
    total = [float("-inf") if stuck else 0.0 for stuck in episode.stuck]
    for name, weight in options.weights.items():
        if weight:
            for i, value in enumerate(episode.signals[name]):
                total[i] += weight * value
    cuts = choose_cuts(total, episode.lengths, options)
    predicted = sorted({episode.sentence_words[c] for c in cuts})
    k = max(2, round(episode.words / len(episode.gold) / 2))

    def bounds(starts: list[int]) -> str:
        marked = set(starts)
        return "".join("1" if i in marked and i > 0 else "0" for i in range(episode.words))

    return score.pk(bounds(episode.gold), bounds(predicted), k)


def objective(sets: dict[str, list[Prepared]], options: SegmentOptions) -> float:
    return statistics.mean(statistics.mean(pk_of(e, options) for e in episodes) for episodes in sets.values())


def report(label: str, sets: dict[str, list[Prepared]], options: SegmentOptions) -> None:
    figures = "  ".join(f"{name} Pk={statistics.mean(pk_of(e, options) for e in eps):.3f}"
                        for name, eps in sets.items())
    print(f"{label:<22} mean Pk={objective(sets, options):.3f}   {figures}", flush=True)


def candidates(options: SegmentOptions, keep: frozenset[str]):
    """Every one-step change: each weight scaled or off, the threshold, the length priors; the
    names in ``keep`` stay as they are."""
    for name, value in options.weights.items():
        for step in (0.0, *STEPS):
            if name not in keep:
                yield replace(options, weights={**options.weights, name: round((value or 0.1) * step, 3)})
    for step in STEPS:
        for name, value in (("threshold", round(options.threshold * step ** 0.5, 3)),
                            ("min_words", max(5, round(options.min_words * step))),
                            ("short_penalty", round(options.short_penalty * step, 3)),
                            ("long_share", round(min(1.0, options.long_share * step), 3))):
            if name not in keep:
                yield replace(options, **{name: value})


def fit(train: dict[str, list[Prepared]], start: SegmentOptions, rounds: int,
        keep: frozenset[str]) -> SegmentOptions:
    best, best_value = start, objective(train, start)
    for round_number in range(1, rounds + 1):
        improved = False
        for option in candidates(best, keep):
            value = objective(train, option)
            if value < best_value - 1e-4:
                best, best_value, improved = option, value, True
        print(f"round {round_number}: train mean Pk={best_value:.3f}", flush=True)
        if not improved:
            break
    return best


def load_sets() -> dict[str, list]:
    tmp = tempfile.mkdtemp()
    changelog = sorted(f for f in glob.glob(str(SHARED / "devdata/changelog/changelog_news_*.json"))
                       if not f.endswith(".links.json"))
    return {
        "asr": score.load([str(SHARED / "devdata/asr")], False, tmp),
        "changelog": score.load(changelog, True, tmp),
        "optech": score.load(sorted(glob.glob(str(SHARED / "devdata/optech_*.json"))), True, tmp),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4, help="coordinate-descent passes (default: 4)")
    parser.add_argument("--keep", default="cue_open,threshold",
                        help="comma-separated settings the fit leaves alone (default: cue_open,threshold: "
                             "a clear cue phrase opens a story on its own, the genre's first rule)")
    args = parser.parse_args()
    if not (SHARED / "devdata").is_dir():
        print(f"no dev data at {SHARED / 'devdata'}")
        return 1
    prepared = {name: [prepare(e) for e in episodes] for name, episodes in load_sets().items()}
    train = {name: [e for i, e in enumerate(eps) if i % 3] for name, eps in prepared.items()}
    held = {name: [e for i, e in enumerate(eps) if not i % 3] for name, eps in prepared.items()}
    start = SegmentOptions(weights=dict(DEFAULT_WEIGHTS))
    report("held back, before", held, start)
    fitted = fit(train, start, args.rounds, frozenset(filter(None, args.keep.split(","))))
    report("held back, fitted", held, fitted)
    report("all, fitted", prepared, fitted)
    print(f"weights = {fitted.weights}")
    print(f"threshold={fitted.threshold} min_words={fitted.min_words} short_penalty={fitted.short_penalty} "
          f"long_share={fitted.long_share}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
