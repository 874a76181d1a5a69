"""`recap segment --format json`: the contract segmentation is scored by."""

from __future__ import annotations

import json

import pytest
from conftest import EPISODE, assert_one_line_error, run_recap

pytestmark = pytest.mark.slow  # every test here runs the CLI in a child process


def _stories(path) -> list[dict]:
    result = run_recap("segment", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["stories"]


def test_txt_spans_index_the_file_itself(samples):
    path = samples / f"{EPISODE}.txt"
    text = path.read_text()
    stories = _stories(path)
    assert len(stories) >= 5
    for story in stories:
        start, end = story["span"]
        assert text[start:end] == story["text"]
        assert story["start"] is None and story["title"]
    assert [s["span"][0] for s in stories] == sorted(s["span"][0] for s in stories)


def test_srt_stories_carry_times(samples, tmp_path, truth):
    from datetime import timedelta

    import srt

    text = (samples / f"{EPISODE}.txt").read_text()
    cues = []
    for i, story in enumerate(truth["stories"], start=1):
        body = text[story["span"][0]:story["span"][1]]
        cues.append(srt.Subtitle(i, timedelta(seconds=story["start"]), timedelta(seconds=story["end"]), body))
    path = tmp_path / "episode.srt"
    path.write_text(srt.compose(cues))

    stories = _stories(path)
    assert len(stories) >= 5
    assert all(s["start"] is not None and s["end"] >= s["start"] for s in stories)
    assert stories[0]["start"] == 0.0


def test_empty_transcript_is_an_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n ")
    line = assert_one_line_error(run_recap("segment", str(path)))
    assert "empty" in line
