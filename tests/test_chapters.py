"""chapters.txt: the list a publisher pastes into the video's description, under the video sites' rules."""

from __future__ import annotations

import re

import pytest

from recap.core.document import Article, ArticleStory, Section
from recap.stages.render.chapters import render_chapters

_LINE = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2}) (\S.*)$")


def seconds_of(line: str) -> int:
    hours, minutes, secs, _ = _LINE.match(line).groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)


def assert_video_sites_take(text: str, duration: float) -> None:
    """The three rules: the first at 0:00, at least three, each at least 10 s long."""
    lines = text.splitlines()
    assert all(_LINE.match(line) for line in lines), lines
    starts = [seconds_of(line) for line in lines]
    assert starts[0] == 0 and len(lines) >= 3
    assert all(b - a >= 10 for a, b in zip(starts, [*starts[1:], duration])), starts


def article(starts: list[float | None], duration: float | None = 300.0) -> Article:
    stories = [ArticleStory(title=f"Story {n}\nwith a break", summary="", start=start, end=None, span=(0, 0),
                            kind="story", points=[], links=[], mentions=[], time_url=None)
               for n, start in enumerate(starts, 1)]
    return Article(title="Show", url=None, date=None, intro="", duration=duration,
                   sections=[Section("Stories", stories=stories)])


def test_the_bundled_sample_gives_a_list_video_sites_take(samples, tmp_path):
    from conftest import ScriptedTranscriber

    from recap.app.pipeline import Pipeline
    from recap.core.options import RunOptions

    out = tmp_path / "out"
    script = (samples / "tensor_weekly_12.txt").read_text()
    pipeline = Pipeline(RunOptions(out_dir=out, cache_dir=tmp_path / "cache"),
                        transcriber=ScriptedTranscriber(script, step=0.35))
    result = pipeline.run(str(samples / "tensor_weekly_12.mp4"))

    text = (out / "chapters.txt").read_text()
    assert_video_sites_take(text, result.article.duration)
    assert text.splitlines()[0] == "0:00 Intro" and len(text.splitlines()) == 7


def test_a_first_story_a_few_seconds_in_opens_the_video():
    text = render_chapters(article([4.0, 60.0, 120.0]))
    assert text == "0:00 Story 1 with a break\n1:00 Story 2 with a break\n2:00 Story 3 with a break\n"


@pytest.mark.parametrize(("starts", "duration", "kept"), [
    ([30.0, 35.0, 90.0, 150.0], 300.0, ["0:00", "0:35", "1:30", "2:30"]),  # a 5 s story goes
    ([5.0, 8.0, 60.0, 120.0], 300.0, ["0:00", "1:00", "2:00"]),  # the 0:00 one lasts 8 s: the next opens
    ([30.0, 90.0, 150.0, 295.0], 300.0, ["0:00", "0:30", "1:30", "2:30"]),  # the last lasts 5 s
    ([3600.0, 3700.0, 3800.0], 4000.0, ["0:00", "1:00:00", "1:01:40", "1:03:20"]),
])
def test_short_chapters_merge_until_every_rule_holds(starts, duration, kept):
    text = render_chapters(article(starts, duration))
    assert [line.split()[0] for line in text.splitlines()] == kept
    assert_video_sites_take(text, duration)


@pytest.mark.parametrize("starts", [[], [None, None], [30.0, 35.0], [0.0, 5.0, 9.0, 12.0]])
def test_no_list_where_three_chapters_cannot_be_made(starts, caplog):
    assert render_chapters(article(starts, 20.0)) is None


def test_format_all_names_every_article_format():
    from recap.app.cli import parse_args
    from recap.core.options import ARTICLE_FORMATS

    assert parse_args(["render", "x.txt", "--format", "all"]).format == ARTICLE_FORMATS
    assert parse_args(["render", "x.txt", "--format", "md,chapters"]).format == ("md", "chapters")
