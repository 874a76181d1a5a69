"""The newsletter e-mail (article.email.html, CSS inlined) and its plain-text part (article.txt)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from conftest import ScriptedTranscriber

from recap.app.pipeline import Pipeline
from recap.core.options import DEFAULT_FORMATS, Overrides, RunOptions
from recap.core.timecodes import clock


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))


def test_the_email_has_its_style_inline_and_the_text_part_says_the_same(samples, tmp_path):
    description = tmp_path / "description.txt"
    description.write_text((samples / "tensor_weekly_12.description.txt").read_text()
                           + "\nA <script>alert(1)</script> note: https://example.com/x?a=1&b=2\n")
    options = RunOptions(out_dir=tmp_path / "out", formats=("email", "txt", "json"), link_pages=False,
                         cache_dir=tmp_path / "cache", overrides=Overrides(
                             description_file=description, url="https://example.com/tensor_weekly_12.mp4"))
    script = (samples / "tensor_weekly_12.txt").read_text()
    result = Pipeline(options, transcriber=ScriptedTranscriber(script, step=0.35)).run(
        str(samples / "tensor_weekly_12.mp4"))

    email = (tmp_path / "out" / "article.email.html").read_text()
    text = (tmp_path / "out" / "article.txt").read_text()
    parser = _Tags()
    parser.feed(email)
    assert "<style" not in email and "var(" not in email and "<script" not in email
    assert all("style" in attrs for tag, attrs in parser.tags if tag in ("h1", "h3", "p", "a"))
    assert "data:" not in email  # mail clients block data: pictures; a local video's has no URL to link
    stories = [story for section in result.article.sections for story in section.stories]
    for story in stories:
        assert f">{story.title}</h3>" in email.replace("&amp;", "&")
        assert f"{story.title} ({clock(story.start)})" in text
    assert "https://github.com/xl0/lovely-tensors" in text and "tensor_weekly_12.mp4#t=" in text
    assert all(len(line) <= 72 or "://" in line for line in text.splitlines())
    assert re.search(r"href=\"https://example.com/x\?a=1&amp;b=2\"", email)


def test_the_email_and_text_part_are_asked_for_not_made_by_default():
    assert "email" not in DEFAULT_FORMATS and "txt" not in DEFAULT_FORMATS
