"""The transcript cache: one transcription per media, transcriber and guidance, as the pipeline uses
it; and on its own, where every kind of damaged entry is dropped rather than trusted."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from conftest import EPISODE, SAMPLES, ScriptedTranscriber, run_recap

from recap.app.cache import TranscriptCache
from recap.app.pipeline import Pipeline
from recap.core.document import Segment, Transcript, Word
from recap.core.options import RunOptions

SHOW_A, SHOW_B = SAMPLES / "tensor_weekly_13.mp3", SAMPLES / "tensor_weekly_14.mp3"
SCRIPT = "Welcome to the show. Orca Labs released Harbor, an open model. That's all for this week."


def _run(tmp_path, transcriber: ScriptedTranscriber, media, name: str):
    options = RunOptions(out_dir=tmp_path / name, formats=("json",), cache_dir=tmp_path / "cache")
    return Pipeline(options, transcriber=transcriber).run(str(media))


def test_a_media_file_is_transcribed_once_per_transcriber(tmp_path):
    media = tmp_path / "episode.mp3"
    shutil.copy(SAMPLES / f"{EPISODE}.mp3", media)
    hears = ScriptedTranscriber("Welcome to the show. Orca Labs released Harbor, an open model.")
    assert _run(tmp_path, hears, media, "first").transcribed
    assert not _run(tmp_path, hears, media, "again").transcribed
    assert hears.heard == [media]

    other = ScriptedTranscriber("Welcome back. Granite Systems announced Basalt, a compiler.")
    assert _run(tmp_path, other, media, "other").transcribed  # another transcriber, another entry
    saved = (tmp_path / "other" / "transcript.json").read_text()
    assert "Basalt" in saved and "Harbor" not in saved

    media.write_bytes(media.read_bytes()[: media.stat().st_size // 2])  # the file changed
    assert _run(tmp_path, hears, media, "changed").transcribed
    assert hears.heard == [media, media]


# -- the cache on its own --------------------------------------------------------------------
def _transcript(text: str = "Harbor is out.") -> Transcript:
    words = [Word(f" {w}", i * 0.5, i * 0.5 + 0.4) for i, w in enumerate(text.split())]
    return Transcript(segments=[Segment(0.0, len(words) * 0.5, text, words)], duration=12.0)


def test_an_entry_reads_back_as_it_was_written(tmp_path):
    cache = TranscriptCache(tmp_path)
    key = cache.key("digest", {"model": "tiny.en"})
    assert cache.get(key, 12.0) is None
    cache.put(key, _transcript(), 12.0)
    assert cache.get(key, 12.3) == _transcript()  # container durations wobble a little


def test_the_key_follows_the_media_the_options_and_the_guidance():
    base = TranscriptCache.key("digest", {"model": "tiny.en", "beam": 5})
    assert base == TranscriptCache.key("digest", {"beam": 5, "model": "tiny.en"})  # order does not count
    assert base == TranscriptCache.key("digest", {"model": "tiny.en", "beam": 5}, guidance=None)
    others = {TranscriptCache.key("other", {"model": "tiny.en", "beam": 5}),
              TranscriptCache.key("digest", {"model": "base", "beam": 5}),
              TranscriptCache.key("digest", {"model": "tiny.en", "beam": 5}, guidance="Orca Labs.")}
    assert base not in others and len(others) == 3


@pytest.mark.parametrize("damage", ["edited", "moved", "other media", "not json", "a folder", "older"])
def test_a_damaged_entry_is_dropped_and_transcribed_again(tmp_path, damage, caplog):
    cache = TranscriptCache(tmp_path)
    key, other = cache.key("digest", {}), cache.key("other", {})
    cache.put(key, _transcript(), 12.0)
    path = cache.path(key)
    entry = json.loads(path.read_text())
    if damage == "edited":
        path.write_text(path.read_text().replace("Harbor", "Harpoon"))
    elif damage == "moved":
        cache.put(other, _transcript("Other words."), 12.0)
        path.write_text(cache.path(other).read_text())  # another key's entry under this name
    elif damage == "not json":
        path.write_text("{not json")
    elif damage == "a folder":
        path.unlink()
        path.mkdir()
    elif damage == "older":
        path.write_text(json.dumps({**entry, "format": 0}))
    length = 30.0 if damage == "other media" else 12.0
    assert cache.get(key, length) is None
    assert "transcribing again" in caplog.text and not path.exists()
    cache.put(key, _transcript(), length)  # and the next transcript takes its place
    assert cache.get(key, length) == _transcript()


# -- 2: transcript-cache entries are checked before use ---------------------------------------
def _cached_run(tmp_path: Path, media: Path, hears: ScriptedTranscriber, out: str):
    options = RunOptions(out_dir=tmp_path / out, formats=("json",), cache_dir=tmp_path / "cache")
    return Pipeline(options, transcriber=hears).run(str(media))


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "transcripts").iterdir())


def _shortened(entry: Path) -> None:
    data = json.loads(entry.read_text())
    data["transcript"]["segments"] = data["transcript"]["segments"][:1]
    data["transcript"]["duration"] = data["transcript"]["segments"][0]["end"]
    entry.write_text(json.dumps(data))


def _bare_transcript(entry: Path) -> None:  # as an older recap wrote entries, but one sentence short
    data = json.loads(entry.read_text())["transcript"]
    data["segments"] = data["segments"][:1]
    entry.write_text(json.dumps(data))


def _folder(entry: Path) -> None:
    entry.unlink()
    (entry / "inside").mkdir(parents=True)


DAMAGE = {
    "empty list": lambda entry: entry.write_text("[]"),
    "null": lambda entry: entry.write_text("null"),
    "segments not a list": lambda entry: entry.write_text('{"segments": "abc"}'),
    "words not a list": lambda entry: entry.write_text(
        '{"segments": [{"start": 0, "end": 1, "text": "hi", "words": "abc"}]}'),
    "nested too deep": lambda entry: entry.write_text("[" * 100_000 + "]" * 100_000),
    "a folder": _folder,
    "shortened": _shortened,
    "older layout": _bare_transcript,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_cache_entry_that_still_parses_is_rebuilt_with_a_warning(tmp_path, caplog, damage):
    media = tmp_path / "show.mp3"
    shutil.copy(SHOW_A, media)
    hears = ScriptedTranscriber(SCRIPT)
    first = _cached_run(tmp_path, media, hears, "first")
    (entry,) = _entries(tmp_path)
    DAMAGE[damage](entry)

    with caplog.at_level(logging.WARNING):
        second = _cached_run(tmp_path, media, hears, "second")

    assert second.transcribed and "damaged" in caplog.text
    read = [(tmp_path / name / "transcript.json").read_text() for name in ("first", "second")]
    assert read[0] == read[1]
    assert not _cached_run(tmp_path, media, hears, "third").transcribed  # the rebuilt entry is used
    assert [first.transcribed, len(hears.heard)] == [True, 2]


def test_a_cache_entry_copied_under_another_key_is_not_used(tmp_path, caplog):
    show_a, show_b = tmp_path / "a.mp3", tmp_path / "b.mp3"
    shutil.copy(SHOW_A, show_a)
    shutil.copy(SHOW_B, show_b)
    hears = ScriptedTranscriber(SCRIPT)
    _cached_run(tmp_path, show_a, hears, "a")
    (entry_a,) = _entries(tmp_path)
    _cached_run(tmp_path, show_b, ScriptedTranscriber("Quite another show. Nothing in common."), "b")
    entry_b = next(path for path in _entries(tmp_path) if path != entry_a)
    shutil.copy(entry_b, entry_a)  # a's key now holds b's words, intact and well formed

    with caplog.at_level(logging.WARNING):
        assert _cached_run(tmp_path, show_a, hears, "again").transcribed
    assert "damaged" in caplog.text
    assert "Harbor" in (tmp_path / "again" / "transcript.json").read_text()


@pytest.mark.slow
def test_a_folder_in_place_of_a_cache_entry_is_a_warning_not_an_internal_error(tmp_path):
    cache = tmp_path / "cache"
    first = run_recap(str(SHOW_A), "-o", str(tmp_path / "first"), "--cache-dir", str(cache))
    assert first.returncode == 0, first.stderr
    (entry,) = (cache / "transcripts").iterdir()
    _folder(entry)

    second = run_recap(str(SHOW_A), "-o", str(tmp_path / "second"), "--cache-dir", str(cache))

    assert second.returncode == 0, second.stderr
    lines = [line for line in second.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "damaged" in lines[0] and "internal error" not in second.stderr
    assert entry.is_file()  # rebuilt
