"""Run faster-whisper over one media file and return a Transcript."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from recap.document import Segment, Transcript, Word
from recap.errors import RecapError
from transcribe.model import (
    ModelChoice,
    choose_device,
    load_whisper,
    resolve_model,
)

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
Progress = Callable[[float, float], None]  # (seconds done, seconds in all)


@dataclass(frozen=True)
class TranscribeOptions:
    model: str | None = None  # None: the bundled offline tiny.en
    device: str = "auto"
    compute_type: str = "auto"
    language: str | None = "en"  # None: let Whisper detect it
    beam_size: int = 5
    batch_size: int = 0  # 0: the sequential decoder; >0: BatchedInferencePipeline
    vad: bool = False

    def cache_fields(self, model_label: str) -> dict:
        """What changes the words that come out (device and number type do, a little)."""
        fields = asdict(self)
        fields["model"] = model_label
        fields["device"] = choose_device(self.device, self.compute_type).compute_type
        return fields


def decode(media: Path):
    """The media's audio as 16 kHz mono floats; PyAV decodes, no ffmpeg binary needed."""
    from faster_whisper import decode_audio

    try:
        return decode_audio(str(media), sampling_rate=SAMPLE_RATE)
    except Exception as exc:  # PyAV raises many kinds for files that are not media
        raise RecapError(f"{media.name}: cannot read audio from this file ({_reason(exc)})") from exc


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


class Transcriber:
    """Holds one loaded model, so a batch of episodes loads it once."""

    def __init__(self, options: TranscribeOptions | None = None) -> None:
        self.options = options or TranscribeOptions()
        self.model_choice: ModelChoice = resolve_model(self.options.model)
        self.device = choose_device(self.options.device, self.options.compute_type)
        self._model = None

    @property
    def cache_fields(self) -> dict:
        return self.options.cache_fields(self.model_choice.label)

    def _whisper(self):
        if self._model is None:
            self._model = load_whisper(self.model_choice, self.device)
            if self._model.model.device != self.device.device:  # fell back to the CPU
                self.device = choose_device("cpu")
        return self._model

    def transcribe(self, media: Path, progress: Progress | None = None) -> Transcript:
        audio = decode(media)
        duration = len(audio) / SAMPLE_RATE
        try:
            segments = self._run(audio, duration, progress)
        except RuntimeError as exc:
            if self.device.device != "cuda":
                raise
            # Missing cuDNN/cuBLAS often shows only at the first inference, not at load.
            log.warning("CUDA failed during transcription (%s); retrying on the CPU", _reason(exc))
            self.device, self._model = choose_device("cpu"), None
            segments = self._run(audio, duration, progress)
        return Transcript(segments=segments, language=self.options.language or "en",
                          duration=round(duration, 3), model=self.model_choice.label)

    def _run(self, audio, duration: float, progress: Progress | None) -> list[Segment]:
        if duration == 0:
            return []
        whisper = self._whisper()
        kwargs = dict(language=self.options.language, beam_size=self.options.beam_size,
                      word_timestamps=True, vad_filter=self.options.vad)
        if self.options.batch_size > 0:
            from faster_whisper import BatchedInferencePipeline

            pipeline = BatchedInferencePipeline(model=whisper)
            kwargs["vad_filter"] = True  # the batched pipeline cuts its clips at VAD pauses
            raw, info = pipeline.transcribe(audio, batch_size=self.options.batch_size, **kwargs)
        else:
            raw, info = whisper.transcribe(audio, **kwargs)
        segments = []
        for seg in raw:  # a lazy generator: decoding happens here
            segments.append(_segment(seg))
            if progress:
                progress(min(float(seg.end), duration), duration)
        if progress:
            progress(duration, duration)
        return segments


def _segment(seg) -> Segment:
    words = [Word(text=w.word, start=round(float(w.start), 3), end=round(float(w.end), 3),
                  probability=round(float(w.probability), 4)) for w in seg.words or []]
    return Segment(start=round(float(seg.start), 3), end=round(float(seg.end), 3),
                   text=seg.text, words=words)
