"""The order-keeping decision that cuts a description's links into one run per story, and what
says two neighbouring links are about one thing."""

from __future__ import annotations

from recap.core.document import Link, Story
from recap.language.links import listed_together
from recap.stages.segment.links import TOGETHER, UNLINKED, in_runs


def _stories(*kinds: str) -> list[Story]:
    return [Story("", "", (0, 1), kind=kind) for kind in kinds]


def _links(*urls: str) -> list[Link]:
    return [Link(url=url, label="") for url in urls]


def test_runs_keep_the_description_order_against_a_stronger_word_behind():
    # the third link's words are said more in the first story, but it is listed after a link
    # the second story names: it cannot go back
    evidence = [[5.0, 0.0, 0.0], [0.0, 5.0, 0.0], [3.0, 0.5, 0.0], [0.0, 0.0, 5.0]]
    assert in_runs(evidence, [False] * 4, _stories("story", "story", "story")) == [0, 1, 1, 2]


def test_a_link_heard_nowhere_fills_the_story_nothing_else_reached():
    evidence = [[5.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 5.0]]
    assert in_runs(evidence, [False] * 3, _stories("story", "story", "story")) == [0, 1, 2]


def test_a_link_heard_nowhere_stays_with_the_link_before_it_when_no_story_is_left_empty():
    evidence = [[5.0, 0.0], [0.0, 0.0], [0.0, 5.0]]
    assert in_runs(evidence, [False] * 3, _stories("story", "story")) == [0, 0, 1]


def test_links_about_one_thing_stay_together_unless_the_words_say_otherwise():
    weak = TOGETHER / 2  # the next story says a word of the supporting link, weakly
    evidence = [[5.0, 0.0], [0.0, weak], [0.0, 5.0]]
    stories = _stories("story", "story")
    assert in_runs(evidence, [False, True, False], stories) == [0, 0, 1]
    assert in_runs(evidence, [False, False, False], stories) == [0, 1, 1]
    strong = [[5.0, 0.0], [0.0, 3 * TOGETHER], [0.0, 5.0]]
    assert in_runs(strong, [False, True, False], stories) == [0, 1, 1]


def test_a_story_no_show_links_costs_nothing_to_skip():
    # a sponsor read folded into the intro's kind: skipping it is free, skipping a story is not
    evidence = [[UNLINKED, 0.0, 0.0], [0.0, 0.0, UNLINKED]]
    assert in_runs(evidence, [False, False], _stories("story", "outro", "story")) == [0, 2]
    assert in_runs([], [], _stories("story")) == []


def test_neighbours_from_one_source_or_with_one_name_are_listed_together():
    links = _links(
        "https://github.com/nedbat/coveragepy/issues/310",
        "https://github.com/nedbat/coveragepy/issues/312",  # the same repository
        "https://github.com/terricain/aioboto3",  # github.com alone says nothing
        "https://docs.python.org/3/library/os.html",
        "https://docs.python.org/3/library/subprocess.html",  # a site of its own
        "https://ziglang.org/news/migrating-from-github-to-codeberg/",
        "https://codeberg.org/ziglang/zig",  # another site, the same name
        "https://pypi.org/project/platformdirs/",
        "https://pypi.org/project/pytest-check/",  # two projects on one index
    )
    assert listed_together(links) == [False, True, False, False, True, False, True, False, False]


def test_a_word_many_links_carry_is_no_shared_name():
    links = _links(*(f"https://example{n}.org/python-{topic}" for n, topic in
                     enumerate(("typing", "packaging", "tooling", "testing", "profiling"))))
    assert listed_together(links) == [False] * 5
