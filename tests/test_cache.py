"""The transcript cache as the pipeline uses it: one transcription per media and transcriber."""

from __future__ import annotations

import shutil

from conftest import EPISODE, SAMPLES, ScriptedTranscriber

from recap.app.pipeline import Pipeline
from recap.core.options import RunOptions


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
