"""recap from Python (recap.app.api): the command line's jobs as functions, on real parts."""

from __future__ import annotations

import json

import pytest
from conftest import ScriptedTranscriber

import recap.app.api as recap
from recap.core.errors import RecapError


def test_an_article_from_a_media_file_with_its_description(samples, tmp_path):
    script = (samples / "tensor_weekly_12.txt").read_text()
    result = recap.article(samples / "tensor_weekly_12.mp4", tmp_path / "ep", cache_dir=tmp_path / "cache",
                           description=samples / "tensor_weekly_12.description.txt", link_pages=False,
                           formats=("md", "json"), transcriber=ScriptedTranscriber(script, step=0.35))

    stories = [story for section in result.article.sections for story in section.stories]
    assert len(stories) == 6 and stories[0].title.startswith("Harbor")
    written = sorted(p.name for p in result.files if p.name.startswith("article"))
    assert written == ["article.json", "article.md"]
    saved = json.loads((tmp_path / "ep" / "article.json").read_text())
    assert [s["title"] for sec in saved["sections"] for s in sec["stories"]] == [s.title for s in stories]


def test_a_transcript_needs_no_model_and_bad_input_is_a_recap_error(samples, tmp_path):
    result = recap.article(samples / "tensor_weekly_13.txt", tmp_path / "t", link_pages=False)
    assert result.article.sections and not result.transcribed

    with pytest.raises(RecapError, match="unknown format pdf"):
        recap.article(samples / "tensor_weekly_13.txt", tmp_path / "u", formats=("md", "pdf"))
    with pytest.raises(RecapError, match="does not exist|no such|not found"):
        recap.article(tmp_path / "missing.mp4", tmp_path / "v")


def test_a_channel_from_a_feed_on_loopback(server, served_dir, tmp_path):
    from test_channel import EP13, write_feed

    feed = write_feed(served_dir, server, "api-feed.xml", [EP13])
    report = recap.channel(feed, tmp_path / "show", cache_dir=tmp_path / "cache", link_pages=False,
                           limit=1, formats=("md",))

    assert report.count("done") == 1 and (tmp_path / "show" / "index.md").exists()
