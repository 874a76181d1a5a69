"""recap from Python, called as a user's script calls it: `import recap`, then the whole job or
each stage on its own, on the bundled samples (a scripted transcriber stands in for Whisper where
the test is not about transcription)."""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ScriptedTranscriber

import recap

API = ("article", "channel", "transcribe", "segment", "render", "clean")


def _stories(article) -> list:
    return [story for section in article.sections for story in section.stories]


def test_an_article_from_a_media_file_with_its_description_and_progress(samples, tmp_path):
    script = (samples / "tensor_weekly_12.txt").read_text()
    told: list[tuple[str, float]] = []
    article = recap.article(samples / "tensor_weekly_12.mp4", out_dir=tmp_path / "ep",
                            cache_dir=tmp_path / "c", link_pages=False,
                            description=samples / "tensor_weekly_12.description.txt",
                            formats=("md", "json"), transcriber=ScriptedTranscriber(script, step=0.35),
                            progress=lambda stage, done: told.append((stage, done)))

    stories = _stories(article)
    assert len(stories) == 6 and stories[0].title.startswith("Harbor")
    assert sorted(p.name for p in (tmp_path / "ep").glob("article.*")) == ["article.json", "article.md"]
    saved = json.loads((tmp_path / "ep" / "article.json").read_text())
    assert [s["title"] for sec in saved["sections"] for s in sec["stories"]] == [s.title for s in stories]
    stages = list(dict.fromkeys(stage for stage, _ in told))
    assert stages == ["transcribe", "segment", "render"] and all(0.0 <= done <= 1.0 for _, done in told)


def test_a_transcript_needs_no_model_and_takes_its_description_as_text(samples, tmp_path):
    description = (samples / "tensor_weekly_12.description.txt").read_text()
    article = recap.article(samples / "tensor_weekly_12.txt", out_dir=tmp_path / "t", link_pages=False,
                            description=description, title="Tensor Weekly 12")

    assert article.title == "Tensor Weekly 12"
    linked = {link.url for story in _stories(article) for link in story.links}
    assert "https://github.com/xl0/lovely-tensors" in linked


def test_bad_input_is_a_recap_error(samples, tmp_path):
    with pytest.raises(recap.RecapError, match="unknown format pdf"):
        recap.article(samples / "tensor_weekly_13.txt", out_dir=tmp_path / "u", formats=("md", "pdf"))
    with pytest.raises(recap.RecapError, match="does not exist|no such|not found"):
        recap.article(tmp_path / "missing.mp4", out_dir=tmp_path / "v")
    with pytest.raises(recap.RecapError, match="profile"):
        recap.segment(recap.Transcript(segments=[]), profile=tmp_path / "no-such-profile.toml")


def test_the_stages_one_by_one_give_what_the_whole_job_gives(samples, tmp_path):
    script = (samples / "tensor_weekly_12.txt").read_text()
    description = (samples / "tensor_weekly_12.description.txt").read_text()
    transcript = recap.transcribe(samples / "tensor_weekly_12.mp3", cache_dir=tmp_path / "c",
                                  transcriber=ScriptedTranscriber(script, step=0.35))
    assert isinstance(transcript, recap.Transcript) and len(transcript.text.split()) == len(script.split())

    stories = recap.segment(transcript, description=description)
    episode = recap.Episode(id="tw12", title="Tensor Weekly 12", description=description)
    article = recap.render(stories, episode)  # no folder: nothing written
    written = recap.render(stories, episode, out_dir=tmp_path / "out", formats=("md",))

    whole = recap.article(samples / "tensor_weekly_12.mp3", out_dir=tmp_path / "whole", link_pages=False,
                          cache_dir=tmp_path / "c", description=description, title="Tensor Weekly 12",
                          transcriber=ScriptedTranscriber(script, step=0.35))
    assert [s.title for s in _stories(article)] == [s.title for s in _stories(whole)]
    assert [s.title for s in _stories(written)] == [s.title for s in _stories(whole)]
    assert (tmp_path / "out" / "article.md").exists() and not (tmp_path / "out" / "article.json").exists()

    cleaned = recap.clean(transcript, episode)
    assert len(cleaned.sections) >= 3 and cleaned.episode.title == "Tensor Weekly 12"


def test_help_documents_every_argument():
    for name in API:
        function = getattr(recap, name)
        doc = inspect.getdoc(function)
        documented = set(re.findall(r"^    (\w+):", doc.split("Args:")[1].split("Returns:")[0], re.MULTILINE))
        assert documented == set(inspect.signature(function).parameters), name
        assert "Returns:" in doc and "Raises:" in doc, name


def test_importing_recap_loads_nothing_heavy():
    code = ("import sys, recap; print(sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('recap', 'spacy', 'faster_whisper', 'yt_dlp')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['recap', 'recap.core', 'recap.core.version']"
    assert {"article", "transcribe", "segment", "render", "clean"} <= set(dir(recap))


@pytest.mark.slow
def test_a_channel_from_a_feed_on_loopback(server, served_dir, tmp_path):
    from test_channel import EP13, write_feed

    feed = write_feed(served_dir, server, "api-feed.xml", [EP13])
    report = recap.channel(feed, out_dir=tmp_path / "show", cache_dir=tmp_path / "cache", link_pages=False,
                           limit=1, formats=("md",))

    assert report.count("done") == 1 and (Path(tmp_path) / "show" / "index.md").exists()
