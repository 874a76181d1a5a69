"""Bad input: one clear line on stderr, a non-zero exit, never a traceback, nothing lost."""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest
from conftest import EPISODE, ROOT, ScriptedTranscriber, assert_one_line_error, run_recap

from recap.core.document import Episode, Story
from recap.core.errors import RecapError
from recap.core.files import safe_filename

DATA = Path(__file__).parent / "data"


def _silence(path: Path, seconds: float) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\0\0" * int(16000 * seconds))
    return path


# -- local files --------------------------------------------------------------------------
@pytest.mark.slow
def test_missing_file(tmp_path):
    line = assert_one_line_error(run_recap(str(tmp_path / "nope.mp4")))
    assert "no such file" in line


@pytest.mark.slow
def test_folder_instead_of_file(tmp_path):
    line = assert_one_line_error(run_recap(str(tmp_path)))
    assert "folder" in line


@pytest.mark.slow
def test_file_that_is_not_media(tmp_path):
    fake = tmp_path / "notes.mp3"
    fake.write_text("this is not audio at all\n" * 50)
    line = assert_one_line_error(run_recap(str(fake), "--cache-dir", str(tmp_path / "c")))
    assert "cannot read audio" in line


@pytest.mark.slow
def test_zero_byte_file(tmp_path):
    empty = tmp_path / "empty.mp4"
    empty.touch()
    assert "empty" in assert_one_line_error(run_recap(str(empty)))


@pytest.mark.slow
def test_media_without_an_audio_track(tmp_path):
    result = run_recap(str(DATA / "video_only.mp4"), "--cache-dir", str(tmp_path))
    assert "no audio track" in assert_one_line_error(result)


@pytest.mark.slow
def test_pure_silence_gives_an_article_saying_so(tmp_path):
    result = run_recap(str(_silence(tmp_path / "quiet.wav", 8)), "-o", str(tmp_path / "out"),
                       "--cache-dir", str(tmp_path / "c"))
    assert result.returncode == 0, result.stderr
    assert "No speech was found" in (tmp_path / "out" / "article.md").read_text()
    assert json.loads((tmp_path / "out" / "article.json").read_text())["sections"] == []


@pytest.mark.slow
def test_truncated_mp3_keeps_what_decodes(samples, shared_cache, tmp_path):
    whole = (samples / "tensor_weekly_13.mp3").read_bytes()
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(whole[: len(whole) // 2])
    result = run_recap(str(cut), "-o", str(tmp_path / "out"), "--cache-dir", str(shared_cache))
    assert result.returncode == 0, result.stderr
    transcript = json.loads((tmp_path / "out" / "transcript.json").read_text())
    assert 15 < transcript["duration"] < 25
    assert "Quill" in " ".join(s["text"] for s in transcript["segments"])


@pytest.mark.slow
def test_transcript_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 news: the first story.".encode("latin-1"))
    assert "not UTF-8" in assert_one_line_error(run_recap(str(path)))


@pytest.mark.slow
def test_empty_transcript(tmp_path):
    path = tmp_path / "empty.srt"
    path.write_text("")
    assert "empty" in assert_one_line_error(run_recap(str(path), "-o", str(tmp_path / "out")))


# -- URLs ----------------------------------------------------------------------------------
def _closed_port() -> int:
    with socket.socket() as probe:  # bind then close: nothing listens there afterwards
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_unreachable_url_on_a_closed_port(tmp_path):
    result = run_recap(f"http://127.0.0.1:{_closed_port()}/episode.mp4", "--cache-dir", str(tmp_path),
                       "--retries", "0")
    assert "cannot download" in assert_one_line_error(result)


@pytest.mark.slow
def test_page_without_media_is_unsupported(server, served_dir, tmp_path):
    (served_dir / "page.html").write_text("<html><body><p>No video here.</p></body></html>")
    result = run_recap(f"{server}/page.html", "--cache-dir", str(tmp_path))
    assert_one_line_error(result)
    assert result.returncode == 2


@pytest.mark.slow
@pytest.mark.parametrize("status", [404, 500])
def test_http_errors(server, tmp_path, status):
    result = run_recap(f"{server}/status/{status}", "--cache-dir", str(tmp_path), "--retries", "1")
    assert f"HTTP Error {status}" in assert_one_line_error(result)


@pytest.mark.slow
def test_stalled_download_times_out_after_retries(server, tmp_path):
    result = run_recap(f"{server}/stall/episode.mp3", "--cache-dir", str(tmp_path),
                       "--socket-timeout", "1", "--retries", "1")
    assert "stopped answering" in assert_one_line_error(result)


# -- caches and outputs ---------------------------------------------------------------------
def test_damaged_cache_entry_is_rebuilt(tmp_path, caplog):
    from recap.app.cache import TranscriptCache
    from recap.core.document import Segment, Transcript

    cache = TranscriptCache(tmp_path)
    key = cache.key("digest", {"model": "tiny.en"})
    cache.put(key, Transcript(segments=[Segment(0.0, 1.0, " hello")]))
    assert cache.get(key).text == "hello"
    cache.path(key).write_text('{"segments": [{"start": ')  # cut off mid-write
    assert cache.get(key) is None
    assert "damaged" in caplog.text and not cache.path(key).exists()


@pytest.mark.slow
def test_output_folder_that_cannot_be_made(samples, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    result = run_recap(str(samples / f"{EPISODE}.txt"), "-o", str(blocker / "out"))
    assert "cannot create output folder" in assert_one_line_error(result)


def test_disk_full_keeps_the_previous_article(tmp_path, monkeypatch):
    from recap.app.pipeline import Pipeline
    from recap.core import files
    from recap.core.options import RunOptions

    pipeline = Pipeline(RunOptions(out_dir=tmp_path, formats=("md",), cache_dir=tmp_path / "c"),
                        transcriber=ScriptedTranscriber())
    story = Story(title="Harbor", text="Orca Labs released Harbor.", span=(0, 26))
    pipeline.finish(tmp_path, Episode(id="e", title="First"), [story], [])
    before = (tmp_path / "article.md").read_text()

    def full_disk(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full_disk)
    with pytest.raises(RecapError, match="No space left"):
        pipeline.finish(tmp_path, Episode(id="e", title="Second"), [story], [])
    assert (tmp_path / "article.md").read_text() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("title", [
    "../../etc/passwd", "a/b\\c", "..", "bell\x07and\x1bescape", "x" * 300, "🚀 Launch week 🚀", "",
])
def test_file_names_from_titles_are_safe(title):
    name = safe_filename(title)
    assert name and "/" not in name and "\\" not in name and name not in (".", "..")
    assert not name.startswith(".") and len(name) <= 80
    assert all(ch.isprintable() for ch in name)


@pytest.mark.slow
def test_hostile_title_makes_a_folder_inside_the_working_folder(samples, tmp_path):
    result = run_recap(str(samples / f"{EPISODE}.txt"), "--title", "../../escape\x07/<b>", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    made = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert len(made) == 1 and (made[0] / "article.md").exists()


def _repeated(source: Path, times: int, path: Path) -> Path:
    """``source`` played ``times`` times over, as 16 kHz WAV: long enough to interrupt mid-decode."""
    from faster_whisper import decode_audio

    pcm = (decode_audio(str(source)) * 32767).astype("<i2").tobytes()
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(pcm * times)
    return path


def _ctrl_c_as_in_a_terminal() -> None:
    """A suite started in the background (`pytest &`) ignores Ctrl-C, and so would its children."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
def test_ctrl_c_exits_130_and_leaves_no_partial_files(samples, tmp_path):
    """Eleven minutes of audio, so Ctrl-C always lands mid-decode."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    media = _repeated(samples / f"{EPISODE}.mp3", 5, tmp_path / "long.wav")
    child = subprocess.Popen(
        [sys.executable, "-m", "recap", str(media), "-o", str(out),
         "--cache-dir", str(cache), "-v"],
        cwd=ROOT, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=_ctrl_c_as_in_a_terminal)
    for line in child.stderr:  # wait until decoding has started, then press Ctrl-C
        if "transcribe" in line:
            break
    time.sleep(1.0)
    child.send_signal(signal.SIGINT)
    rest = child.stderr.read()
    assert child.wait(timeout=60) == 130
    assert "Traceback" not in rest and "interrupted" in rest
    assert not out.exists() or not list(out.iterdir())
    assert not list(cache.rglob("*.tmp")) and not list((cache / "transcripts").glob("*.json"))


@pytest.mark.slow
def test_unknown_format_is_a_usage_error(samples):
    result = run_recap(str(samples / f"{EPISODE}.txt"), "--format", "pdf")
    assert result.returncode == 2
    assert "unknown format" in result.stderr


def test_ctrl_c_while_libraries_load_is_held_until_they_are_done():
    """Some libraries catch a Ctrl-C inside their imports (PyAV's resampler too) and go on; held
    while they run, it is raised once they are done, and Ctrl-C is as it was after."""
    from recap.core.interrupts import held_interrupts

    def swallowing_library() -> None:
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.2)
        except BaseException:  # noqa: BLE001 (what such a library does)
            pass

    was = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal (see above)
    ran = []
    with pytest.raises(KeyboardInterrupt), held_interrupts():
        swallowing_library()
        ran.append("after the library")
    assert ran == ["after the library"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with held_interrupts():
        ran.append("no Ctrl-C, nothing raised")
    assert len(ran) == 2
    signal.signal(signal.SIGINT, was)


@pytest.mark.slow
@pytest.mark.parametrize("command", [[], ["clean"], ["transcribe"], ["channel"]])
def test_an_empty_source_is_a_usage_error_that_says_so(command):
    result = run_recap(*command, "")
    assert result.returncode == 2
    assert "empty: give a video URL, a media file or a transcript" in assert_one_line_error(result)


@pytest.mark.parametrize(("field", "value", "said"), [
    ("upload_date", "not-a-date", "upload_date: expected a date, YYYY-MM-DD"),
    ("upload_date", "2025-02-30", "upload_date: expected a date, YYYY-MM-DD"),
    ("duration", 1e308, "duration: expected a time in seconds"),
    ("duration", -3, "duration: expected a time in seconds"),
])
def test_episode_metadata_is_checked_at_the_door(field, value, said):
    """An episode.json (or a clean.md's metadata) with a date that is none or a duration no
    recording has never reaches article.json: the field is named, the episode is refused."""
    from recap.core.document import SchemaError

    data = {"id": "x", "title": "x", field: value}
    with pytest.raises(SchemaError, match=said):
        Episode.from_dict(data)
    assert Episode.from_dict({"id": "x", "title": "x", "upload_date": "2025-02-28", "duration": 1800.0})


def test_a_subtitle_timing_line_that_does_not_parse_is_an_error_not_text(tmp_path):
    from recap.app.inputs import read_saved

    bad = tmp_path / "bad.srt"
    bad.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello there.\n\n2\n00:00:02,000 --> 00:00:03,000\n"
                   "Second.\n3 -00:00:03,000 --> 00:00:04,000\nThird.\n\n"
                   "4\n00:00:04,000 --> 00:00:05,000\nFourth.\n")
    with pytest.raises(RecapError, match=r"bad\.srt: cue 2 is followed by a timing line that does not parse"):
        read_saved(bad)


def test_transcript_segments_out_of_time_order_are_refused_naming_the_segment():
    from recap.core.document import SchemaError, Transcript

    data = {"segments": [{"start": 0, "end": 2, "text": "a"}, {"start": 5, "end": 6, "text": "b"},
                         {"start": 3, "end": 4, "text": "c"}]}
    with pytest.raises(SchemaError, match=r"segments\[2\]\.start: 3 s comes before the segment above"):
        Transcript.from_dict(data)


def test_a_lone_surrogate_in_a_transcript_word_is_dropped_not_an_internal_error(tmp_path):
    from recap.app.inputs import read_saved

    source = tmp_path / "transcript.json"
    word = {"text": " \ud800world.", "start": 1, "end": 2}
    source.write_text(json.dumps({"segments": [{"start": 0, "end": 2, "text": " Hello\ud800 world.",
                                                "words": [word]}]}))
    saved = read_saved(source)
    assert saved.timed_text().text == "Hello world."
    assert saved.transcript.segments[0].words[0].text == " world."
    saved.timed_text().text.encode("utf-8")  # what every file recap writes must hold


@pytest.mark.parametrize("kind", ["txt", "json", "segments"])
def test_a_transcript_past_a_day_of_speech_is_refused_at_once(tmp_path, kind):
    """Bounded work: a transcript of more words (or segments) than any episode is one line at
    once, not minutes of work with no output that end out of memory."""
    from recap.app.inputs import MAX_SEGMENTS, MAX_WORDS, read_saved

    if kind == "txt":
        path = tmp_path / "huge.txt"
        path.write_text("word " * (MAX_WORDS + 1))
    else:
        count = MAX_SEGMENTS + 1 if kind == "segments" else 3
        words = "word " * (1 + MAX_WORDS // 3 if kind == "json" else 1)
        path = tmp_path / "transcript.json"
        path.write_text(json.dumps({"segments": [{"start": 0, "end": 1, "text": words}] * count}))
    with pytest.raises(RecapError, match=r"(words|segments); recap reads transcripts of up to"):
        read_saved(path)
