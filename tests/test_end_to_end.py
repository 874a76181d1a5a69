"""The whole product: a URL or a file in, an article out, with the real model and yt-dlp."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from conftest import EPISODE, run_recap, word_error_rate

pytestmark = pytest.mark.slow  # every test here runs the CLI in a child process


def _body_stories(article: dict) -> list[dict]:
    return [story for section in article["sections"] for story in section["stories"]]


def test_url_to_article_on_loopback(server, samples, truth, shared_cache, tmp_path):
    out = tmp_path / "out"
    result = run_recap(f"{server}/{EPISODE}.mp4", "-o", str(out), "--cache-dir", str(shared_cache))
    assert result.returncode == 0, result.stderr

    article = json.loads((out / "article.json").read_text())
    true_stories = [s for s in truth["stories"] if s["kind"] == "story"]
    assert len(_body_stories(article)) >= len(true_stories) - 1
    assert article["url"] == f"{server}/{EPISODE}.mp4"
    first = _body_stories(article)[0]
    assert first["time_url"].startswith(f"{server}/{EPISODE}.mp4#t=")

    transcript = json.loads((out / "transcript.json").read_text())
    spoken = (samples / f"{EPISODE}.txt").read_text()
    hypothesis = " ".join(s["text"] for s in transcript["segments"])
    assert word_error_rate(spoken, hypothesis) <= 0.15
    assert all(w["end"] >= w["start"] for s in transcript["segments"] for w in s["words"])

    markdown = (out / "article.md").read_text()
    assert markdown.startswith("# ") and "## Contents" in markdown
    HTMLParser().feed((out / "article.html").read_text())


def test_local_file_is_transcribed_once_then_cached(samples, tmp_path):
    cache = tmp_path / "cache"
    source = str(samples / "tensor_weekly_13.mp3")
    first = run_recap(source, "-o", str(tmp_path / "a"), "--cache-dir", str(cache), "-v")
    assert first.returncode == 0, first.stderr
    assert "transcribe" in first.stderr

    second = run_recap(source, "-o", str(tmp_path / "b"), "--cache-dir", str(cache), "-v")
    assert second.returncode == 0, second.stderr
    assert "using the cached transcript" in second.stderr
    assert "transcribe…" not in second.stderr
    saved = [(tmp_path / run / "transcript.json").read_text() for run in ("a", "b")]
    assert saved[0] == saved[1]


def test_transcript_file_renders_without_audio(samples, tmp_path):
    result = run_recap(str(samples / f"{EPISODE}.txt"), "-o", str(tmp_path), "--title", "Hand-made",
                       "--description", str(samples / f"{EPISODE}.description.txt"))
    assert result.returncode == 0, result.stderr
    article = json.loads((tmp_path / "article.json").read_text())
    assert article["title"] == "Hand-made"
    assert any(story["links"] for story in _body_stories(article))
    assert not (tmp_path / "transcript.json").exists()


def test_transcribe_command_writes_subtitles(samples, shared_cache, tmp_path):
    result = run_recap("transcribe", str(samples / "tensor_weekly_14.mp3"), "-o", str(tmp_path),
                       "--format", "json,srt,vtt,txt", "--cache-dir", str(shared_cache))
    assert result.returncode == 0, result.stderr
    import srt
    import webvtt

    cues = list(srt.parse((tmp_path / "transcript.srt").read_text()))
    captions = webvtt.read(str(tmp_path / "transcript.vtt")).captions
    assert cues and len(cues) == len(captions)
    spoken = (tmp_path / "transcript.txt").read_text()
    assert "compiler" in spoken and "Europe" in spoken  # both stories, not just the intro


def test_url_with_its_description_gets_every_story_and_each_link_under_its_own(
        server, samples, truth, shared_cache, tmp_path):
    """The whole path on audio: the description lists one link per story, in the episode's order."""
    out = tmp_path / "out"
    result = run_recap(f"{server}/{EPISODE}.mp3", "-o", str(out), "--cache-dir", str(shared_cache),
                       "--description", str(samples / f"{EPISODE}.description.txt"))
    assert result.returncode == 0, result.stderr
    article = json.loads((out / "article.json").read_text())
    stories = _body_stories(article)
    true_stories = [s for s in truth["stories"] if s["kind"] == "story"]
    assert abs(len(stories) - len(true_stories)) <= max(1, round(0.1 * len(true_stories)))

    def true_story_of(story: dict) -> int:
        overlap = [min(story["end"], t["end"]) - max(story["start"], t["start"]) for t in true_stories]
        return overlap.index(max(overlap))

    content_links = [line.rsplit(": ", 1)[1] for line in
                     (samples / f"{EPISODE}.description.txt").read_text().split("OUTLINE:")[1]
                     .split("Links:")[0].splitlines() if "https://" in line]
    placed = {link["url"]: true_story_of(story) for story in stories for link in story["links"]}
    right = sum(placed.get(url) == i for i, url in enumerate(content_links))
    assert right / len(content_links) >= 0.85, placed
    footer = [link["url"] for link in article["footer_links"]]
    assert "https://twitter.com/tensorweekly" in footer and not set(footer) & set(content_links)
    # tiny.en hears "Or Calabs" and "Sketch Song": the summaries spell them as the description does
    assert stories[0]["summary"].startswith("Orca Labs ")
    assert "Sketch to Song" in stories[-1]["summary"]
