"""Segmentation against publisher story boundaries; prints figures, asserts nothing.

    python bench/segmentation.py [--flat] [--asr [--cache-dir DIR]] [DEVDATA_DIR]

Runs `recap segment --format json` on every episode of ../shared/devdata (and on the bundled
samples) and prints, per episode and as means: Pk and WindowDiff (nltk, in words, k = half the
mean true segment length), boundary F1 with a tolerance of 25 words, and the predicted/true story
count ratio; beside them the two baselines, uniform cuts with the true count and nltk's default
TextTiling (spaCy's stop words). Ends with the time to segment a 10,000-word transcript.

Episodes are joined story by story with a blank line, as published. ``--flat`` also scores an
ASR-like copy of every episode: speaker labels and paragraphs removed, one line of text.
``--asr`` also transcribes the sample audio with the bundled tiny.en (cached) and scores that
transcript, its true story starts placed by time.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from nltk.metrics.segmentation import pk, windowdiff

ROOT = Path(__file__).resolve().parent.parent
DEVDATA = ROOT.parent / "shared" / "devdata"
TOLERANCE = 25  # words
_LABEL = re.compile(r"^[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}:[ \t]+", re.MULTILINE)


@dataclass
class Episode:
    name: str
    family: str
    text: str
    starts: list[int]  # character offset of every true story start, the first at 0
    source: Path | None = None  # the file to segment when ``text`` is not a plain .txt (ASR JSON)


@dataclass
class Scores:
    pk: float
    wd: float
    f1: float
    ratio: float


def load_devdata(folder: Path, flat: bool) -> list[Episode]:
    episodes = []
    for path in sorted(folder.glob("*.json")):
        stories = [s["text"] for s in json.loads(path.read_text(encoding="utf-8"))["stories"]]
        if flat:
            stories = [" ".join(_LABEL.sub("", s).split()) for s in stories]
        text, starts = _join(stories, " " if flat else "\n\n")
        episodes.append(Episode(path.stem, path.stem.rsplit("_", 1)[0].split("_")[0], text, starts))
    return episodes


def load_samples(flat: bool) -> list[Episode]:
    episodes = []
    for truth_path in sorted((ROOT / "samples").glob("*.truth.json")):
        name = truth_path.name.removesuffix(".truth.json")
        full = (ROOT / "samples" / f"{name}.txt").read_text(encoding="utf-8")
        spans = [s["span"] for s in json.loads(truth_path.read_text())["stories"]]
        stories = [full[a:b] for a, b in spans]
        if flat:
            stories = [" ".join(s.split()) for s in stories]
        text, starts = _join(stories, " " if flat else "\n\n")
        episodes.append(Episode(name, "samples", text, starts))
    return episodes


def load_asr_samples(workdir: Path, cache_dir: Path | None) -> list[Episode]:
    """The samples as tiny.en hears them (cached after the first run); true starts placed by time."""
    from recap.core.document import TimedText, Transcript

    episodes = []
    for truth_path in sorted((ROOT / "samples").glob("*.truth.json")):
        name = truth_path.name.removesuffix(".truth.json")
        out = workdir / f"asr-{name}"
        cache = ["--cache-dir", str(cache_dir)] if cache_dir else []
        subprocess.run([sys.executable, "-m", "recap", "transcribe", str(ROOT / "samples" / f"{name}.mp3"),
                        "-o", str(out), *cache], capture_output=True, check=True)
        path = out / "transcript.json"
        timed = TimedText.from_transcript(Transcript.from_dict(json.loads(path.read_text())))
        starts = [min(timed.anchors, key=lambda a, t=s["start"]: abs(a[1] - t))[0]
                  for s in json.loads(truth_path.read_text())["stories"]]
        episodes.append(Episode(f"{name} (asr)", "samples-asr", timed.text, starts, path))
    return episodes


def _join(stories: list[str], separator: str) -> tuple[str, list[int]]:
    starts, offset = [], 0
    for story in stories:
        starts.append(offset)
        offset += len(story) + len(separator)
    return separator.join(stories), starts


# -- metrics in word units ------------------------------------------------------------------
def word_starts(text: str, char_starts: list[int]) -> list[int]:
    """The index of the first word of each story (a start inside a word counts for that word)."""
    ends = [m.end() for m in re.finditer(r"\S+", text)]
    return sorted({sum(1 for e in ends if e <= c) for c in char_starts} - {0} | {0})


def as_string(starts: list[int], n_words: int) -> str:
    marks = ["0"] * n_words
    for s in starts:
        if 0 < s < n_words:
            marks[s - 1] = "1"  # a boundary after word s-1
    return "".join(marks)


def boundary_f1(true: list[int], predicted: list[int], tolerance: int = TOLERANCE) -> float:
    """One-to-one matches within ``tolerance`` words, nearest pairs first; the start is not counted."""
    true, predicted = [t for t in true if t], [p for p in predicted if p]
    if not true and not predicted:
        return 1.0
    pairs = sorted((abs(t - p), i, j) for i, t in enumerate(true) for j, p in enumerate(predicted)
                   if abs(t - p) <= tolerance)
    used_t, used_p = set(), set()
    for _, i, j in pairs:
        if i not in used_t and j not in used_p:
            used_t.add(i)
            used_p.add(j)
    hits = len(used_t)
    if not hits:
        return 0.0
    precision, recall = hits / len(predicted), hits / len(true)
    return 2 * precision * recall / (precision + recall)


def score(true: list[int], predicted: list[int], n_words: int) -> Scores:
    k = max(2, round(n_words / len(true) / 2))
    ref, hyp = as_string(true, n_words), as_string(predicted, n_words)
    return Scores(pk(ref, hyp, k), windowdiff(ref, hyp, k), boundary_f1(true, predicted),
                  len(predicted) / len(true))


# -- the systems ----------------------------------------------------------------------------
def recap_starts(ep: Episode, workdir: Path) -> list[int]:
    path = ep.source or workdir / "episode.txt"
    if not ep.source:
        path.write_text(ep.text, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "recap", "segment", str(path), "--format", "json"],
                         capture_output=True, text=True, check=True)
    return [s["span"][0] for s in json.loads(out.stdout)["stories"]]


def uniform_starts(n_words: int, count: int) -> list[int]:
    return [round(i * n_words / count) for i in range(count)]


def texttiling_starts(text: str) -> list[int] | None:
    from nltk.tokenize.texttiling import TextTilingTokenizer
    from spacy.lang.en.stop_words import STOP_WORDS

    try:
        pieces = TextTilingTokenizer(stopwords=STOP_WORDS).tokenize(text)
    except ValueError:  # it needs paragraph breaks
        return None
    starts, offset = [], 0
    for piece in pieces:
        starts.append(offset)
        offset += len(piece)
    return starts


# -- report -------------------------------------------------------------------------------
HEADER = (f"{'episode':<28}{'words':>7}{'true':>5}{'pred':>5} | {'Pk':>5}{'WD':>6}{'F1':>6}{'ratio':>6}"
          f" | uni {'Pk':>5}{'WD':>6}{'F1':>6} | tt {'Pk':>5}{'WD':>6}{'F1':>6}{'ratio':>6}")


def row(name: str, words: str, true: str, pred: str, ours: Scores, uniform: Scores,
        tiling: Scores | None) -> str:
    tt = (f"{tiling.pk:5.2f}{tiling.wd:6.2f}{tiling.f1:6.2f}{tiling.ratio:6.2f}" if tiling
          else f"{'n/a':>5}{'':>18}")
    return (f"{name:<28}{words:>7}{true:>5}{pred:>5} | {ours.pk:5.2f}{ours.wd:6.2f}{ours.f1:6.2f}"
            f"{ours.ratio:6.2f} | uni {uniform.pk:5.2f}{uniform.wd:6.2f}{uniform.f1:6.2f} | tt {tt}")


def mean(scores: list[Scores]) -> Scores:
    return Scores(*(statistics.mean(getattr(s, f) for s in scores) for f in ("pk", "wd", "f1", "ratio")))


def evaluate(episodes: list[Episode], workdir: Path) -> None:
    print(HEADER)
    by_family: dict[str, list[tuple[Scores, Scores, Scores | None]]] = {}
    for ep in episodes:
        n_words = len(ep.text.split())
        true = word_starts(ep.text, ep.starts)
        ours = word_starts(ep.text, recap_starts(ep, workdir))
        tiling_chars = texttiling_starts(ep.text)
        tiling = score(true, word_starts(ep.text, tiling_chars), n_words) if tiling_chars else None
        scores = (score(true, ours, n_words), score(true, uniform_starts(n_words, len(true)), n_words),
                  tiling)
        by_family.setdefault(ep.family, []).append(scores)
        print(row(ep.name, str(n_words), str(len(true)), str(len(ours)), *scores))
    print()
    dev = [s for family, rows in by_family.items() if not family.startswith("samples") for s in rows]
    for family, rows in [*by_family.items(), ("MEAN devdata", dev)]:
        if rows:
            print(_mean_row(family, rows))


def _mean_row(label: str, rows: list[tuple[Scores, Scores, Scores | None]]) -> str:
    tilings = [t for _, _, t in rows if t]
    return row(f"{label} ({len(rows)})", "", "", "", mean([o for o, _, _ in rows]),
               mean([u for _, u, _ in rows]), mean(tilings) if tilings else None)


def timing(episodes: list[Episode], words: int = 10_000) -> str:
    """Seconds for ``segment()`` on a ``words``-word transcript, in process, spaCy already loaded,
    and for the cuts alone (sentences, signals, choice) without the headings' spaCy parse."""
    from recap.core.document import TimedText
    from recap.language.profile import default_cues
    from recap.language.sentences import split_sentences
    from recap.stages.segment import SegmentOptions, segment
    from recap.stages.segment.segmenter import boundary_scores, choose_cuts

    pool = " ".join(ep.text for ep in episodes).split(" ")
    timed = TimedText(" ".join((pool * (1 + words // max(1, len(pool))))[:words]))
    start = time.perf_counter()
    segment(TimedText(timed.text[:2000]))  # loads spaCy, as any run does once
    loaded = time.perf_counter()
    stories = segment(timed)
    done = time.perf_counter()
    sentences = split_sentences(timed.text)
    scores, _ = boundary_scores(sentences, timed, SegmentOptions(), default_cues())
    choose_cuts(scores, [s.words for s in sentences], SegmentOptions())
    cut = time.perf_counter()
    return (f"{words:,} words -> {len(stories)} stories in {done - loaded:.2f} s, of which the cuts "
            f"{cut - done:.2f} s and the rest headings (plus {loaded - start:.2f} s loading spaCy once)")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("devdata", nargs="?", type=Path, default=DEVDATA)
    parser.add_argument("--flat", action="store_true", help="also score ASR-like flat copies")
    parser.add_argument("--asr", action="store_true", help="also score the samples' tiny.en transcripts")
    parser.add_argument("--cache-dir", type=Path, help="transcript cache for --asr")
    args = parser.parse_args(argv)
    folder = args.devdata
    variants = [False, True] if args.flat else [False]
    with tempfile.TemporaryDirectory() as tmp:
        for is_flat in variants:
            episodes = load_devdata(folder, is_flat) + load_samples(is_flat)
            if args.asr and not is_flat:
                episodes += load_asr_samples(Path(tmp), args.cache_dir)
            print(f"\n== {'flat, ASR-like: no labels, no paragraphs' if is_flat else 'as published'} ==")
            evaluate(episodes, Path(tmp))
    print("\n" + timing(load_devdata(folder, False)))


if __name__ == "__main__":
    main(sys.argv[1:])
