"""recap.core.timecodes on its own: the clock a reader sees and the times a subtitle file needs."""

from __future__ import annotations

import pytest

from recap.core.timecodes import clock, vtt_escape, vtt_time


@pytest.mark.parametrize(("seconds", "shown"), [
    (0, "0:00"), (59.99, "0:59"), (60, "1:00"), (3599.9, "59:59"), (3600, "1:00:00"), (36125, "10:02:05"),
    (None, ""),
])
def test_the_clock_rounds_down_so_a_link_never_starts_after_the_words(seconds, shown):
    assert clock(seconds) == shown


@pytest.mark.parametrize(("seconds", "cue"), [
    (0, "00:00:00.000"), (1.2346, "00:00:01.235"), (59.9996, "00:01:00.000"), (3661.5, "01:01:01.500"),
    (360000, "100:00:00.000"),
])
def test_a_cue_time_carries_milliseconds_and_any_hour(seconds, cue):
    assert vtt_time(seconds) == cue


def test_cue_text_cannot_open_a_tag_or_an_entity():
    assert vtt_escape("<v Host>a & b --> c") == "&lt;v Host&gt;a &amp; b --&gt; c"
