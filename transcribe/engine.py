"""Run faster-whisper over one media file, window by window, and check what it wrote."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from recap.core.document import Progress, Segment, Transcript, Word
from recap.core.errors import RecapError
from recap.core.interrupts import held_interrupts
from recap.core.options import TranscribeOptions
from recap.stages.transcribe.audio import SAMPLE_RATE, AudioWindow, audio_windows, media_duration
from recap.stages.transcribe.checks import Clip, Problem, find_problems, quality, words_in
from recap.stages.transcribe.model import ModelChoice, choose_device, load_whisper, resolve_model

log = logging.getLogger(__name__)

# CTranslate2's OpenMP threads spin between parallel regions, waiting for more work. On cores that
# are shared (other jobs, or our own Python between decodes) the spinning takes the core from a
# thread with work to do: on 2 busy cores the 2-minute sample took 9.2 s and 6.3 CPU s (best of 2)
# with spinning threads, 7.2 s and 5.4 CPU s with them asleep; on quiet cores the two timed alike
# (4.2 and 4.4 s, best of 3). Set before CTranslate2 loads (libgomp reads it then); a user's own
# setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

# Inside Whisper's 30 s window, so no clip is cut short. Each clip costs one encoder pass: 29.5 s
# took the 2-minute sample in 5 clips where 29 s took 6, at no cost in words; full 30 s clips did
# worse on a 15-minute show (word error rate 13.8% against 13.2%).
CLIP_MAX_S = 29.5
# Pauses this long split voiced spans. Shorter spans fill the clips better: on a 15-minute
# show, 35 clips at 160 ms against 39 at 300 ms, each clip one 30 s encoder pass.
VAD_MIN_SILENCE_MS = 160
CLIP_JOIN_GAP_S = 3.0  # voiced stretches closer than this share a clip: fewer, fuller clips decode faster
# The most tokens one clip may decode to: 7.3 a second of a 29.5 s clip, 1.3 times fast speech
# (250 words a minute at the 1.3 tokens a word of the bench show's text). Only a repetition loop
# gets this far, and the checks send it to a repair anyway; uncapped, a loop runs to Whisper's 448
# tokens, its batch (8 clips x beam 5) stepping with it, and its word alignment grows to match.
# The longest prompt (223 tokens of guidance, which faster-whisper keeps, and 5 of Whisper's own)
# plus this fits in 448, or faster-whisper refuses the decode.
MAX_CLIP_TOKENS = 216
REPAIR_TEMPERATURES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
# One sample per temperature above 0, not faster-whisper's five: a clip that still loops at 0 went
# through all five temperatures, 8-10 CPU s a clip (two such clips took a sixth of a 45-minute
# show's CPU time), and one sample each did as well on such a clip's words (word error rate 0.33 and
# 0.36 in two tries, against 0.31 and 0.60) in a quarter to a half of the time. A clip that decodes
# at 0 never samples.
REPAIR_BEST_OF = 1
# How the episode's guidance (names from its title and description) reaches Whisper: as the
# previous text of each clip ("initial_prompt") or as "hotwords"; in the batched decoder both
# condition every clip. On dev audio the prompt did a little better (word error rate 19.2% unguided,
# 17.0% prompt, 18.0% hotwords; names heard 70%, 87%, 85%: bench/guided.py).
GUIDE_WITH = "initial_prompt"
# A guided clip whose first word comes this long after the clip's voice starts (VAD pads 0.2 s)
# lost its opening: with a prompt, Whisper can take a clip that starts mid-sentence for the end of
# the prompt's sentence and skip it. Such a clip is decoded again without the guidance. Unguided
# and guided decodes of dev audio started within 0.45 s; the skip lost 4.3 s of the sample.
LATE_START_S = 1.5
LATE_START = "late start"


def _check_language(language: str | None, known: Sequence[str], label: str) -> None:
    """A language the model cannot transcribe is the user's error, said before any decoding (an
    English-only model given another language would otherwise decode it as English, silently)."""
    if language is None or language in known:
        return
    if len(known) == 1:
        raise RecapError(f"--language {language}: the model {label} transcribes {known[0]} only; "
                         "give a multilingual model (--model base) for other languages")
    raise RecapError(f"--language {language}: not a language code the model {label} knows "
                     f"({', '.join(sorted(known)[:12])}, ...; or 'auto' to detect it)")


class WhisperTranscriber:
    """Holds one loaded model, so a batch of episodes loads it once."""

    def __init__(self, options: TranscribeOptions | None = None, cache_dir: Path | None = None) -> None:
        """``cache_dir``: where a model that is put together locally (base) is kept."""
        self.options = options or TranscribeOptions()
        self.model_choice: ModelChoice = resolve_model(self.options.model, cache_dir)
        self.device = choose_device(self.options.device, self.options.compute_type)
        self._model = None
        self.guide_with = GUIDE_WITH

    @property
    def cache_fields(self) -> dict:
        """What changes the words that come out (the number type does, a little)."""
        fields = asdict(self.options)
        fields["model"] = self.model_choice.label
        fields["device"] = choose_device(self.options.device, self.options.compute_type).compute_type
        return fields

    def whisper(self):
        if self._model is None:
            model = load_whisper(self.model_choice, self.device)
            _check_language(self.options.language, model.supported_languages, self.model_choice.label)
            self._model = model
            if self._model.model.device != self.device.device:  # fell back to the CPU
                self.device = choose_device("cpu")
        return self._model

    def transcribe(self, media: Path, progress: Progress | None = None,
                   guidance: str | None = None) -> Transcript:
        """``guidance``: names the episode's words depend on (its title, its description's links),
        given to Whisper so that it spells them as written there."""
        try:
            return self._transcribe(media, progress, guidance)
        except RuntimeError as exc:
            if self.device.device != "cuda":
                raise
            # A missing cuDNN/cuBLAS often shows only at the first inference, not at load.
            log.warning("CUDA failed during transcription (%s); retrying on the CPU",
                        str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            self.device, self._model = choose_device("cpu"), None
            return self._transcribe(media, progress, guidance)

    def load(self) -> None:
        """The model and the voice detector (with their libraries), loaded with Ctrl-C held."""
        with held_interrupts():
            from faster_whisper.vad import get_vad_model

            self.whisper()
            get_vad_model()

    def _transcribe(self, media: Path, progress: Progress | None, guidance: str | None = None) -> Transcript:
        self.load()
        expected = media_duration(media) or 0.0
        segments: list[Segment] = []
        repairs: list[dict] = []
        done = 0.0
        for window in audio_windows(media):
            window_segments, window_repairs = self.transcribe_window(window, guidance)
            segments += window_segments
            repairs += window_repairs
            done = window.offset + window.duration
            if progress:
                progress(done, max(expected, done))
        return Transcript(segments=segments, language=self.options.language or "en",
                          duration=round(done, 3), model=self.model_choice.label, repairs=repairs)

    # -- one window -----------------------------------------------------------------------
    def transcribe_window(self, window: AudioWindow,
                          guidance: str | None = None) -> tuple[list[Segment], list[dict]]:
        """Decode, check each voiced clip, re-decode the bad ones; times are media times."""
        clips = speech_clips(window.samples)
        if not clips:
            return [], []
        prompt = self._prompt(guidance)
        if self.options.batch_size > 0:
            segments = self._decode_batched(window.samples, clips, **prompt)
        else:  # unguided: see _prompt
            segments = self._decode_sequential(window.samples)
        segments, repairs = self.repair(window.samples, clips, segments, prompt)
        return [shift(s, window.offset) for s in segments], [_shift_repair(r, window.offset) for r in repairs]

    def _prompt(self, guidance: str | None) -> dict:
        """The decoding options that carry the guidance to decodes of single clips (the batched
        decoder's, the re-decodes'). The sequential decoder of whole windows goes unguided: it
        carries its own text from one 30 s stretch to the next, and there guidance made the words
        worse on dev audio (word error rate 19.0% unguided, 20.4% with the prompt, 20.9% in twice
        the time with hotwords: bench/guided.py --batch-size 0 --guide-windows)."""
        guidance = " ".join((guidance or "").split())
        return {self.guide_with: guidance} if guidance else {}

    def _decode_batched(self, audio: np.ndarray, clips: Sequence[Clip], **prompt) -> list[Segment]:
        from faster_whisper import BatchedInferencePipeline

        pipeline = BatchedInferencePipeline(model=self.whisper())
        raw, _ = pipeline.transcribe(
            audio, language=self.options.language, beam_size=self.options.beam_size,
            word_timestamps=True, batch_size=self.options.batch_size, vad_filter=False,
            max_new_tokens=MAX_CLIP_TOKENS, clip_timestamps=[{"start": c.start, "end": c.end} for c in clips],
            **prompt)
        return [to_segment(s) for s in raw]

    def _decode_sequential(self, audio: np.ndarray, **overrides) -> list[Segment]:
        options = dict(language=self.options.language, beam_size=self.options.beam_size,
                       word_timestamps=True, vad_filter=self.options.vad)
        raw, _ = self.whisper().transcribe(audio, **{**options, **overrides})
        return [to_segment(s) for s in raw]

    def repair(self, audio: np.ndarray, clips: Sequence[Clip], segments: list[Segment],
               prompt: dict | None = None) -> tuple[list[Segment], list[dict]]:
        """Re-decode each flagged clip (hole, loop, slow; with a prompt, a late start, re-decoded
        without it) alone, keep the better words, return the records."""
        repairs = []
        problems = find_problems(clips, _words(segments))
        if prompt:
            flagged = {problem.clip for problem in problems}
            problems += [Problem(clip, LATE_START) for clip in late_starts(clips, _words(segments))
                         if clip not in flagged]
        for problem in problems:
            old = words_in(problem.clip, _words(segments))
            guided = {} if problem.reason == LATE_START else prompt or {}
            new = self._redecode(audio, problem.clip, **guided)
            kept_new = quality(_words(new)) > quality(old)
            if kept_new:
                segments = sorted(_without(segments, problem.clip) + new, key=lambda s: s.start)
            repairs.append(_repair_record(problem, old, _words(new), kept_new))
        return segments, repairs

    def _redecode(self, audio: np.ndarray, clip: Clip, **prompt) -> list[Segment]:
        piece = audio[int(clip.start * SAMPLE_RATE):int(clip.end * SAMPLE_RATE)]
        new = self._decode_sequential(piece, condition_on_previous_text=False, vad_filter=False,
                                      temperature=REPAIR_TEMPERATURES, best_of=REPAIR_BEST_OF,
                                      max_new_tokens=MAX_CLIP_TOKENS, **prompt)
        return [shift(s, clip.start) for s in new]


def speech_clips(audio: np.ndarray) -> list[Clip]:
    """Voiced stretches (Silero VAD, shipped with faster-whisper), joined into clips <= 29.5 s."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    spans = get_speech_timestamps(audio, VadOptions(max_speech_duration_s=CLIP_MAX_S,
                                                    min_silence_duration_ms=VAD_MIN_SILENCE_MS,
                                                    speech_pad_ms=200))
    clips: list[Clip] = []
    for span in spans:
        start, end = span["start"] / SAMPLE_RATE, span["end"] / SAMPLE_RATE
        last = clips[-1] if clips else None
        if last and start - last.end < CLIP_JOIN_GAP_S and end - last.start <= CLIP_MAX_S:
            clips[-1] = Clip(last.start, end)
        else:
            clips.append(Clip(start, end))
    return clips


def late_starts(clips: Sequence[Clip], words: Sequence[Word]) -> list[Clip]:
    """Clips whose first word comes LATE_START_S or more after the clip starts."""
    late = []
    for clip in clips:
        inside = words_in(clip, words)
        if inside and inside[0].start - clip.start >= LATE_START_S:
            late.append(clip)
    return late


def to_segment(seg) -> Segment:
    """faster-whisper's Segment, with numpy floats made plain for JSON."""
    words = [Word(text=w.word, start=round(float(w.start), 3), end=round(float(w.end), 3),
                  probability=round(float(w.probability), 4)) for w in seg.words or []]
    return Segment(start=round(float(seg.start), 3), end=round(float(seg.end), 3),
                   text=seg.text, words=words)


def shift(segment: Segment, seconds: float) -> Segment:
    if not seconds:
        return segment
    words = [replace(w, start=round(w.start + seconds, 3), end=round(w.end + seconds, 3))
             for w in segment.words]
    return Segment(start=round(segment.start + seconds, 3), end=round(segment.end + seconds, 3),
                   text=segment.text, words=words)


def _words(segments: Sequence[Segment]) -> list[Word]:
    return [w for s in segments for w in s.words]


def _without(segments: Sequence[Segment], clip: Clip) -> list[Segment]:
    """``segments`` less the clip's words: a sequential decode's segment can run across a pause
    into the next clip, and that clip's words must stay."""
    out = []
    for segment in segments:
        inside = {id(w) for w in words_in(clip, segment.words)}
        kept = [w for w in segment.words if id(w) not in inside]
        if len(kept) == len(segment.words):
            out.append(segment)
        elif kept:
            out.append(Segment(start=kept[0].start, end=kept[-1].end, text="".join(w.text for w in kept),
                               words=kept))
    return out


def _repair_record(problem: Problem, old: list[Word], new: list[Word], kept_new: bool) -> dict:
    return {"start": round(problem.clip.start, 3), "end": round(problem.clip.end, 3),
            "reason": problem.reason, "words_before": len(old),
            "words_after": len(new), "kept": "redecoded" if kept_new else "original"}


def _shift_repair(record: dict, seconds: float) -> dict:
    return {**record, "start": round(record["start"] + seconds, 3), "end": round(record["end"] + seconds, 3)}
