"""Transcription: windows, device choice, and the checks that catch Whisper's failures."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from recap.app.cli import explain
from recap.core.document import Segment, Word
from recap.core.errors import RecapError
from recap.core.options import TranscribeOptions
from recap.stages.transcribe import model as model_module
from recap.stages.transcribe.audio import SAMPLE_RATE, audio_windows
from recap.stages.transcribe.checks import Clip, find_loops, find_problems
from recap.stages.transcribe.engine import WhisperTranscriber, speech_clips


def _words(text: str, start: float = 0.0, step: float = 0.4) -> list[Word]:
    return [Word(f" {t}", start + i * step, start + i * step + 0.3) for i, t in enumerate(text.split())]


def test_loops_are_found_and_normal_repetition_is_not():
    assert find_loops(_words("and then umm umm umm umm umm umm we left"))
    assert find_loops(_words("the model the model the model the model is out"))
    assert not find_loops(_words("no no no that is not what I said"))
    assert not find_loops(_words("that that is the question"))


def test_problems_flag_holes_slow_clips_and_loops():
    clips = [Clip(0, 10), Clip(11, 21), Clip(22, 32), Clip(33, 43)]
    speech = " ".join(f"word{i}" for i in range(25))
    words = (_words(speech, 0) + _words("few words", 11)
             + _words("umm " * 20, 22, 0.3) + _words(speech, 33))
    reasons = {p.clip.start: p.reason for p in find_problems(clips, words)}
    assert reasons == {11: "slow", 22: "loop"}
    assert [p.reason for p in find_problems([Clip(0, 6)], [])] == ["hole"]


def test_windows_cover_every_sample_and_cut_in_pauses(samples):
    from faster_whisper import decode_audio

    path = samples / "tensor_weekly_12.mp3"
    windows = list(audio_windows(path, window_s=40))
    assert len(windows) >= 3
    joined = np.concatenate([w.samples for w in windows])
    assert np.array_equal(joined, decode_audio(str(path), sampling_rate=SAMPLE_RATE))
    for window in windows[1:]:  # each cut falls in a near-silent 20 ms frame
        head = window.samples[: SAMPLE_RATE // 50]
        assert float(np.sqrt(np.mean(head**2))) < 0.02


@pytest.fixture(scope="module")
def transcriber() -> WhisperTranscriber:
    return WhisperTranscriber(TranscribeOptions())


@pytest.fixture(scope="module")
def intro_window(samples):
    return next(audio_windows(samples / "tensor_weekly_14.mp3"))


@pytest.mark.slow  # loads the real model
def test_a_looping_clip_is_redecoded(transcriber, intro_window):
    clips = speech_clips(intro_window.samples)
    first = clips[0]
    looped = Segment(first.start, first.end, " umm" * 30, _words("umm " * 30, first.start, 0.3))
    rest = [Segment(c.start, c.end, " fine", _words(" ".join(f"w{i}" for i in range(int(2.5 * c.duration))),
                                                     c.start, 0.35))
            for c in clips[1:]]
    segments, repairs = transcriber.repair(intro_window.samples, clips, [looped, *rest])
    assert repairs[0]["reason"] == "loop" and repairs[0]["kept"] == "redecoded"
    text = " ".join(s.text for s in segments).lower()
    assert "welcome" in text and "umm umm" not in text


@pytest.mark.slow  # loads the real model
def test_a_repair_keeps_the_next_clips_words_from_a_shared_segment(transcriber, intro_window):
    """A sequential decode's segment can run on into the next clip; repairing one clip must
    replace only its own words."""
    first, second = speech_clips(intro_window.samples)[:2]
    looped = _words("umm " * 30, first.start, 0.3)
    spoken = " ".join(f"kept{i}" for i in range(int(2.5 * (second.duration - 1))))
    neighbour = _words(spoken, second.start + 0.5, 0.35)  # clearly inside the second clip
    shared = Segment(first.start, second.end, "", looped + neighbour)
    segments, repairs = transcriber.repair(intro_window.samples, [first, second], [shared])
    assert [r["reason"] for r in repairs] == ["loop"] and repairs[0]["kept"] == "redecoded"
    words = [w.text for s in segments for w in s.words]
    assert words.count(" kept0") == 1 and sum(w.startswith(" kept") for w in words) == len(neighbour)
    assert "umm umm" not in " ".join(words).lower() and "welcome" in " ".join(words).lower()


@pytest.mark.slow  # loads the real model
def test_a_hole_is_filled(transcriber, intro_window):
    clips = speech_clips(intro_window.samples)
    segments, repairs = transcriber.repair(intro_window.samples, clips[:1], [])
    assert repairs and repairs[0]["reason"] == "hole"
    assert "welcome" in " ".join(s.text for s in segments).lower()


@pytest.mark.slow  # loads the real model
def test_a_redecode_samples_once_per_temperature(transcriber, intro_window, monkeypatch):
    """A clip that still loops at temperature 0 goes down the whole temperature ladder; one sample
    a step, not faster-whisper's five, keeps that to a fraction of the time."""
    from faster_whisper.transcribe import WhisperModel

    seen = []
    real = WhisperModel.generate_with_fallback

    def watched(self, encoder_output, prompt, tokenizer, options):
        seen.append((options.best_of, tuple(options.temperatures)))
        return real(self, encoder_output, prompt, tokenizer, options)

    monkeypatch.setattr(WhisperModel, "generate_with_fallback", watched)
    segments, repairs = transcriber.repair(intro_window.samples, speech_clips(intro_window.samples)[:1], [])
    assert repairs[0]["kept"] == "redecoded" and "welcome" in " ".join(s.text for s in segments).lower()
    assert seen and all(best_of == 1 and len(temperatures) == 6 for best_of, temperatures in seen)


@pytest.mark.slow  # loads the real model
def test_no_clip_decodes_past_the_token_cap(transcriber, intro_window, monkeypatch):
    """A looping clip stops at the cap (in the batched pass and in a repair) instead of running to
    Whisper's 448 tokens; a cap of 6 tokens shows it reaches both decoders."""
    from recap.stages.transcribe import engine

    clips = speech_clips(intro_window.samples)[:2]
    uncapped = transcriber._decode_batched(intro_window.samples, clips)
    monkeypatch.setattr(engine, "MAX_CLIP_TOKENS", 6)
    batched = transcriber._decode_batched(intro_window.samples, clips)
    redecoded = transcriber._redecode(intro_window.samples, clips[0])
    assert sum(len(s.words) for s in uncapped) > 2 * 6 * len(clips)
    assert 0 < sum(len(s.words) for s in batched) <= 6 * len(clips)
    assert 0 < sum(len(s.words) for s in redecoded) <= 6


@pytest.mark.slow  # loads the real model
def test_the_token_cap_leaves_room_for_the_longest_guidance(transcriber, intro_window):
    """faster-whisper keeps the last 223 tokens of a prompt and refuses a decode whose prompt and
    cap pass Whisper's 448; guidance of names dense in tokens must still decode."""
    guidance = " ".join(f"x{i}q-{i * 7}z.io/k{i}v" for i in range(60))  # ~600 tokens
    prompt = transcriber._prompt(guidance)
    clip = speech_clips(intro_window.samples)[0]
    assert transcriber._decode_batched(intro_window.samples, [clip], **prompt)
    assert transcriber._redecode(intro_window.samples, clip, **prompt)


@pytest.mark.slow
def test_idle_openmp_threads_sleep_unless_the_user_says_otherwise():
    show = "import os, recap.stages.transcribe; print(os.environ.get('OMP_WAIT_POLICY'))"
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}

    def policy(extra: dict) -> str:
        done = subprocess.run([sys.executable, "-c", show], env={**env, **extra}, capture_output=True,
                              text=True, check=True)
        return done.stdout.strip()

    assert policy({}) == "PASSIVE"
    assert policy({"OMP_WAIT_POLICY": "ACTIVE"}) == "ACTIVE"


@pytest.mark.slow  # loads the real model
def test_silence_gives_no_segments(transcriber, tmp_path):
    import wave

    path = tmp_path / "silence.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(b"\0\0" * SAMPLE_RATE * 5)
    transcript = transcriber.transcribe(path)
    assert transcript.segments == [] and transcript.duration == pytest.approx(5.0, abs=0.05)


def test_auto_device_is_cuda_float16_when_a_gpu_is_visible(monkeypatch):
    monkeypatch.setattr(model_module, "cuda_device_count", lambda: 1)
    assert model_module.choose_device() == model_module.DeviceChoice("cuda", "float16")
    monkeypatch.setattr(model_module, "cuda_device_count", lambda: 0)
    assert model_module.choose_device() == model_module.DeviceChoice("cpu", "int8")


@pytest.mark.slow  # loads the real model
def test_cuda_load_failure_falls_back_to_cpu(monkeypatch, caplog):
    import faster_whisper

    real = faster_whisper.WhisperModel

    def no_cudnn(source, device="cpu", **kwargs):  # what a machine without cuDNN does
        if device == "cuda":
            raise RuntimeError("Library libcudnn_ops.so.9 is not found")
        return real(source, device=device, **kwargs)

    monkeypatch.setattr(faster_whisper, "WhisperModel", no_cudnn)
    choice = model_module.resolve_model(None)
    loaded = model_module.load_whisper(choice, model_module.DeviceChoice("cuda", "float16"))
    assert loaded.model.device == "cpu"
    assert "falling back to the CPU" in caplog.text


def test_unknown_model_offline_names_the_offline_choices(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    choice = model_module.resolve_model("small.en")
    with pytest.raises(RecapError, match="cannot load Whisper model 'small.en'") as raised:
        model_module.load_whisper(choice, model_module.DeviceChoice("cpu", "int8"))
    advice = explain(raised.value)  # the command line adds the flags to use
    assert "Offline choices: the bundled tiny.en (leave out --model)" in advice


def test_a_folder_without_weights_is_refused(tmp_path):
    with pytest.raises(RecapError, match="not a CTranslate2"):
        model_module.resolve_model(str(tmp_path))


@pytest.mark.slow  # loads the real model
@pytest.mark.parametrize(("language", "said"), [("fr", "transcribes en only"), ("xx", "transcribes en only")])
def test_a_language_the_model_cannot_transcribe_is_refused_before_decoding(language, said):
    transcriber = WhisperTranscriber(TranscribeOptions(language=language))
    with pytest.raises(RecapError, match=f"--language {language}: the model tiny.en {said}"):
        transcriber.whisper()
    assert WhisperTranscriber(TranscribeOptions(language=None)).whisper() is not None  # auto: detected
