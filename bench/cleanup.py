"""Transcript cleanup: what it removes, what it flags, and how fast it runs.

    python bench/cleanup.py [--cache-dir DIR]

Prints, for the three samples (transcribed once, then cached):
- the share of words removed from the raw transcript (espeak speech has no disfluencies: it
  should be about 0, and every word it removes is a wrong cut);
- on the same transcripts with disfluencies injected at random (fillers, hedges, repeats,
  stutters, false starts, seeded), how many injected words go and how many real words go with them;
- how well the low-probability flag points at the words Whisper got wrong (against the scripts);
- the time per hour of transcript, an hour being a transcript's words repeated with shifted times.
Nothing asserts.
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import tempfile
import time
from pathlib import Path

from common import SAMPLES, row

from recap.core.document import Episode, Segment, TimedText, Transcript, Word
from recap.language.tokens import Token, tokens_from_transcript
from recap.stages.clean import FORMATS, clean_transcript
from recap.stages.segment import segment as segment_stories

EPISODES = ("tensor_weekly_12", "tensor_weekly_13", "tensor_weekly_14")
TARGET_S_PER_HOUR = 1.0
FLAG_THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6)


def transcripts(cache_dir: Path) -> dict[str, Transcript]:
    from recap.app.pipeline import Pipeline
    from recap.core.options import RunOptions

    pipeline = Pipeline(RunOptions(cache_dir=cache_dir))
    return {name: pipeline.transcript(SAMPLES / f"{name}.mp3")[0] for name in EPISODES}


def _norm(text: str) -> str:
    return re.sub(r"[^\w']+", "", text.lower())


# -- injected disfluencies -------------------------------------------------------------------
def _word(text: str, at: float) -> Word:
    return Word(f" {text}", at, at, 0.9)


def inject(transcript: Transcript, rng: random.Random, rate: float = 0.08) -> tuple[Transcript, int]:
    """A copy with a disfluency before about ``rate`` of the words; returns it and the words added."""
    segments, added = [], 0
    for segment in transcript.segments:
        words: list[Word] = []
        for i, word in enumerate(segment.words):
            if rng.random() < rate and word.text.strip():
                extra = _disfluency(words, segment.words[i:], rng)
                words += extra
                added += len(extra)
            words.append(word)
        segments.append(Segment(segment.start, segment.end, segment.text, words))
    return Transcript(segments, language=transcript.language, duration=transcript.duration), added


def _disfluency(before: list[Word], after: list[Word], rng: random.Random) -> list[Word]:
    """Words to say before ``after[0]``, the way Whisper writes them (commas around a hedge)."""
    at, bare = after[0].start, after[0].text.strip().rstrip(",.?!")
    kind = rng.choice(("filler", "hedge", "repeat", "stutter", "false_start"))
    if kind == "filler":
        return [_word(rng.choice(("um,", "uh", "erm,")), at)]
    if kind == "hedge" and before and before[-1].text.rstrip()[-1:].isalnum():
        before[-1] = Word(before[-1].text + ",", before[-1].start, before[-1].end, before[-1].probability)
        return [_word("you", at), _word("know,", at)]
    if kind == "false_start" and len(after) > 1 and (not before or before[-1].text.rstrip().endswith(".")):
        return [_word(bare, at), _word(after[1].text.strip().rstrip(",.?!"), at), _word("a,", at)]
    if kind == "stutter":
        return [_word(f"{bare[:2]}-", at)]
    return [_word(bare, at)]


def removal_figures(raw: dict[str, Transcript]) -> None:
    rng = random.Random(5)
    for name, transcript in raw.items():
        tokens = _cleaned_tokens(transcript)
        removed = sum(not t.kept for t in tokens)
        row(f"{name}: words removed from the raw transcript", f"{removed}/{len(tokens)}",
            f"{removed / len(tokens):.1%}")
    injected_total = removed_injected = removed_real = real_total = 0
    for transcript in raw.values():
        dirty, added = inject(transcript, rng)
        tokens = _cleaned_tokens(dirty)
        clean_text = [t.norm for t in _cleaned_tokens(transcript) if t.kept]
        kept_text = [t.norm for t in tokens if t.kept]
        injected_total += added
        removed_injected += len(tokens) - len(kept_text) - _lost(clean_text, kept_text)
        removed_real += _lost(clean_text, kept_text)
        real_total += len(clean_text)
    row("injected disfluent words removed", f"{removed_injected}/{injected_total}",
        f"{removed_injected / max(1, injected_total):.1%}")
    row("real words removed with them", f"{removed_real}/{real_total}",
        f"{removed_real / max(1, real_total):.2%}")


def _lost(reference: list[str], kept: list[str]) -> int:
    """Words of ``reference`` missing from ``kept`` (a diff, so order matters)."""
    matcher = difflib.SequenceMatcher(a=reference, b=kept, autojunk=False)
    return len(reference) - sum(block.size for block in matcher.get_matching_blocks())


def _cleaned_tokens(transcript: Transcript) -> list[Token]:
    doc = clean_transcript(transcript, Episode(id="x", title="x"), segmenter=None)
    return list(doc.tokens())


# -- flags -------------------------------------------------------------------------------------
def flag_figures(raw: dict[str, Transcript]) -> None:
    wrong, probabilities = [], []
    for name, transcript in raw.items():
        truth = [_norm(w) for w in (SAMPLES / f"{name}.txt").read_text().split()]
        tokens = [t for t in tokens_from_transcript(transcript) if t.norm]
        matcher = difflib.SequenceMatcher(a=[t.norm for t in tokens], b=truth, autojunk=False)
        right = {i for block in matcher.get_matching_blocks() for i in range(block.a, block.a + block.size)}
        wrong += [i not in right for i in range(len(tokens))]
        probabilities += [t.probability for t in tokens]
    print(f"  against the scripts, {sum(wrong)} of {len(wrong)} recognised words are wrong")
    for threshold in FLAG_THRESHOLDS:
        flagged = [p < threshold for p in probabilities]
        hits = sum(f and w for f, w in zip(flagged, wrong))
        row(f"flag below {threshold}: flagged / precision / recall",
            f"{sum(flagged) / len(flagged):.1%}",
            f"{hits / max(1, sum(flagged)):.0%} / {hits / max(1, sum(wrong)):.0%}")


# -- speed -------------------------------------------------------------------------------------
def hour_of(transcript: Transcript) -> Transcript:
    """The transcript's segments repeated, times shifted, until they cover an hour."""
    length = transcript.segments[-1].end + 1.0
    segments = []
    for copy in range(int(3600 // length) + 1):
        shift = copy * length
        segments += [Segment(s.start + shift, s.end + shift, s.text,
                             [Word(w.text, w.start + shift, w.end + shift, w.probability) for w in s.words])
                     for s in transcript.segments]
    return Transcript(segments, language=transcript.language, duration=segments[-1].end)


def speed_figures(raw: dict[str, Transcript]) -> None:
    hour = hour_of(raw[EPISODES[0]])
    words = sum(len(s.words) for s in hour.segments)
    hours = hour.segments[-1].end / 3600
    episode = Episode(id="hour", title="An hour", media_url="https://example.com/hour.mp4")
    started = time.perf_counter()
    doc = clean_transcript(hour, episode, segmenter=None)
    cleanup = time.perf_counter() - started
    row(f"cleanup of {hours:.2f} h ({words} words), per hour", f"{cleanup / hours:.3f} s",
        f"target < {TARGET_S_PER_HOUR} s")
    segment_stories(TimedText("Welcome to the show. Next up, a new model."))  # loads spaCy: not timed
    started = time.perf_counter()
    clean_transcript(hour, episode, segmenter=segment_stories)
    row("cleanup + story headings (segmenter), per hour", f"{(time.perf_counter() - started) / hours:.2f} s")
    for fmt in FORMATS.values():
        started = time.perf_counter()
        fmt.write(doc)
        row(f"write {fmt.name}, per hour", f"{(time.perf_counter() - started) / hours:.3f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, help="transcript cache (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        raw = transcripts(args.cache_dir or Path(tmp))
        print("removals")
        removal_figures(raw)
        print("low-probability flags")
        flag_figures(raw)
        print("speed")
        speed_figures(raw)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
