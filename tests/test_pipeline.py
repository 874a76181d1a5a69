"""The conductor: each stage's file is saved as soon as the stage ends, so a later failure keeps it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EPISODE, SAMPLES, assert_one_line_error, run_recap

pytestmark = pytest.mark.slow  # runs the CLI in a child process


def test_a_failing_render_keeps_the_transcript_and_the_stories(shared_cache, tmp_path):
    template = tmp_path / "broken.md.j2"
    template.write_text("{{ article.title | no_such_filter }}\n")
    out = tmp_path / "out"
    result = run_recap(str(SAMPLES / f"{EPISODE}.mp3"), "-o", str(out), "--cache-dir", str(shared_cache),
                       "--template", str(template))
    assert "no_such_filter" in assert_one_line_error(result)
    transcript = json.loads((out / "transcript.json").read_text())
    assert transcript["segments"] and transcript["segments"][0]["words"]
    stories = json.loads((out / "stories.json").read_text())["stories"]
    assert len(stories) >= 5 and all(s["text"] for s in stories)
    assert json.loads((out / "episode.json").read_text())["title"] == EPISODE
    assert not list(out.glob("article.*"))


def test_rendering_again_from_the_saved_stories_gives_the_same_article(shared_cache, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    description = SAMPLES / f"{EPISODE}.description.txt"
    ran = run_recap(str(SAMPLES / f"{EPISODE}.mp3"), "-o", str(first), "--cache-dir", str(shared_cache),
                    "--description", str(description))
    assert ran.returncode == 0, ran.stderr
    again = run_recap("render", str(first / "stories.json"), "-o", str(second))
    assert again.returncode == 0, again.stderr
    for name in ("article.md", "article.html", "article.json"):
        assert (second / name).read_text() == (first / name).read_text(), name


def test_a_users_own_segment_and_render_modules_do_not_shadow_recaps(tmp_path):
    for name in ("segment", "render", "clean", "transcribe"):
        (tmp_path / f"{name}.py").write_text("raise SystemExit('the wrong module was imported')\n")
    result = run_recap("render", str(SAMPLES / f"{EPISODE}.txt"), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "article.md").read_text().startswith("# ")


@pytest.mark.parametrize("name, title", [("show_12.transcript.json", "show_12"), ("notes.txt", "notes"),
                                         ("ep.clean.md", "ep"), (".transcript.json", ".transcript")])
def test_a_file_without_its_episode_json_is_named_after_it_without_recaps_own_suffix(name, title):
    from recap.app.inputs import named_after

    assert named_after(Path(name)).title == title
