"""Segmentation: cuts where the story changes, on clean text, ASR text, labelled dialogue and chapters."""

from __future__ import annotations

import json
import re

import pytest
from conftest import EPISODE, assert_one_line_error, run_recap

from recap.app.inputs import read_timed_text as load_timed_text
from recap.core.document import Chapter, Story, TimedText
from recap.language.profile import default_cues
from recap.language.sentences import split_sentences
from recap.stages.segment import segment
from recap.stages.segment.kinds import section_named, tag_kinds

CUES = default_cues()  # the shipped profile's

SAMPLES = ("tensor_weekly_12", "tensor_weekly_13", "tensor_weekly_14")
CONTRACT = {"title", "text", "start", "end", "span", "kind", "section", "signals"}


def _truth(samples, name: str) -> list[dict]:
    return json.loads((samples / f"{name}.truth.json").read_text())["stories"]


def _flattened(text: str) -> str:
    """ASR-like: one run of text with no paragraphs; offsets shift, sentences stay."""
    return " ".join(text.split())


def _sentence_index(text: str, offset: int) -> int:
    starts = [s.start for s in split_sentences(text)]
    return max(i for i, start in enumerate(starts) if start <= offset)


def _assert_within_one_sentence(text: str, predicted: list[int], true: list[int]) -> None:
    got = [_sentence_index(text, o) for o in predicted]
    want = [_sentence_index(text, o) for o in true]
    assert all(min(abs(w - g) for g in got) <= 1 for w in want), (got, want)
    assert all(min(abs(w - g) for w in want) <= 1 for g in got), (got, want)


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("flat", [False, True], ids=["paragraphs", "one-run"])
def test_sample_cuts_land_within_one_sentence_of_the_truth(samples, name, flat):
    text = (samples / f"{name}.txt").read_text()
    true_starts = [s["span"][0] for s in _truth(samples, name)]
    if flat:
        true_starts = [len(_flattened(text[:start] + "x")) - 1 for start in true_starts]
        text = _flattened(text)
    stories = segment(TimedText(text))
    _assert_within_one_sentence(text, [s.span[0] for s in stories], true_starts)
    assert [stories[0].kind, stories[-1].kind] == ["intro", "outro"]


def test_one_story_gives_one_story(samples, truth):
    text = (samples / f"{EPISODE}.txt").read_text()
    for true in truth["stories"]:
        if true["kind"] == "story":
            story = text[true["span"][0]:true["span"][1]]
            assert len(segment(TimedText(story))) == 1, story


def test_host_announced_section_and_kinds(samples):
    stories = segment(load_timed_text(samples / f"{EPISODE}.txt"))
    falcon = next(s for s in stories if "Falcon chip" in s.text)
    assert falcon.section == "Hardware"
    assert all(s.section is None for s in stories[:stories.index(falcon)])
    assert section_named("It's now time for sponsored news!", CUES) == "Sponsored news"
    assert section_named("We have a bunch of new models this week.", CUES) == "New models"
    assert section_named("Let's move on to the next item.", CUES) is None


def test_very_short_items_are_quick_hits():
    lengths = [80, 150, 140, 20, 160, 30, 300]
    stories = [Story(title="t", text=" ".join(["word"] * n) + ".", span=(0, 1)) for n in lengths]
    tag_kinds(stories, CUES)
    kinds = ["story", "story", "story", "quick_hit", "story", "quick_hit", "story"]
    assert [s.kind for s in stories] == kinds


@pytest.mark.parametrize("greeting", [
    "What up nerds? I'm Jared and this is Changelog News for the week of Monday.",
    "Word up, nerds. I'm Jared, and this is Change log, News for the week of Monday.",  # ASR's commas
])
def test_the_hosts_greeting_is_the_intro(greeting):
    stories = [Story(title="t", text=greeting + " The weather was fine.", span=(0, 1)),
               Story(title="t", text="Cobalt announced the Falcon chip. " * 20, span=(1, 2))]
    tag_kinds(stories, CUES)
    assert [s.kind for s in stories] == ["intro", "story"]


HELPFUL_THINGS = """Hi everyone, welcome back to the show. Here is what happened this week.

This episode is sponsored by Lumen, the notebook host that keeps your experiments in one place.
Lumen tracks every run and every dataset for you, and listeners get a month free with the code WEEKLY.

Delta Labs has released Prism, a vision model that reads charts and tables. Prism was trained on
millions of scanned reports, and it answers questions about the numbers in them. The authors say it
beats every open model of its size on chart benchmarks. The weights are on the hub, and the link is
in the description.

Okay, some helpful things for this week. Gridwise is a library that draws the attention maps of any
transformer right inside a notebook. It needs two lines of code, and Gridwise works with the models
you already have on disk. Tidepool is a dataset of ten thousand ocean sound recordings with labels
for whales, ships and storms. Tidepool is free for research, and the recordings come from buoys in
three oceans. Quillpad is a small editor plugin that autocompletes LaTeX formulas as you type them.
Quillpad learns the macros you use most, so it gets better the longer you write. Give it a try.

That's it for today. Thanks for watching, and see you next week."""


@pytest.mark.parametrize("flat", [False, True], ids=["paragraphs", "one-run"])
def test_sponsor_read_joins_the_intro_and_helpful_things_are_quick_hits(flat):
    text = " ".join(HELPFUL_THINGS.split()) if flat else HELPFUL_THINGS
    stories = segment(TimedText(text))
    openings = [s.text.split()[0] for s in stories]
    assert openings == ["Hi", "This", "Delta", "Okay,", "Tidepool", "Quillpad", "That's"]
    kinds = ["intro", "intro", "story", "quick_hit", "quick_hit", "quick_hit", "outro"]
    assert [s.kind for s in stories] == kinds
    assert stories[1].title == "Sponsor"
    assert [s.section for s in stories] == [None, None, None] + ["Helpful things"] * 3 + [None]


@pytest.mark.slow
@pytest.mark.parametrize("content", ["", "  \n\n\t \n"])
def test_empty_transcript_is_a_clear_error(tmp_path, content):
    path = tmp_path / "blank.txt"
    path.write_text(content)
    assert "empty" in assert_one_line_error(run_recap("segment", str(path)))


def test_speaker_labels_open_turns_without_counting_as_words(samples):
    """Two hosts take turns; a cohost's "Right." between sentences is not a new story."""
    text = (samples / f"{EPISODE}.txt").read_text()
    hosts = ("Ana Lima", "Ben")
    dialogue, true_starts = "", []
    for i, paragraph in enumerate(text.strip().split("\n\n")):
        first, _, rest = paragraph.partition(". ")
        true_starts.append(len(dialogue))
        dialogue += f"{hosts[i % 2]}: {first}.\n\n{hosts[(i + 1) % 2]}: Right.\n\n{hosts[i % 2]}: {rest}\n\n"

    stories = segment(TimedText(dialogue))
    _assert_within_one_sentence(dialogue, [s.span[0] for s in stories], true_starts)
    assert all(":" not in s.title for s in stories)
    assert split_sentences("Ana Lima: Next news.")[0].speaker == "Ana Lima"


@pytest.fixture(scope="module")
def asr_run(samples, shared_cache, tmp_path_factory):
    """The real tiny.en transcript of the sample, in a run folder as `recap transcribe` leaves it."""
    out = tmp_path_factory.mktemp("asr")
    result = run_recap("transcribe", str(samples / f"{EPISODE}.mp4"), "-o", str(out),
                       "--cache-dir", str(shared_cache))
    assert result.returncode == 0, result.stderr
    return out


def _segment_json(path, *args: str) -> list[dict]:
    result = run_recap("segment", str(path), "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["stories"]


@pytest.mark.slow
def test_asr_transcript_cuts_near_the_true_times(asr_run, truth):
    """Whisper's text: no paragraphs, misheard names, lowercase openers; the times must still match."""
    stories = _segment_json(asr_run / "transcript.json")
    text = load_timed_text(asr_run / "transcript.json").text
    assert all(set(s) == CONTRACT and text[s["span"][0]:s["span"][1]] == s["text"] for s in stories)
    starts = [s["start"] for s in stories]
    for true in truth["stories"]:
        assert min(abs(true["start"] - t) for t in starts) <= 2.5, (true, starts)
    assert len(stories) == len(truth["stories"])
    assert [stories[0]["kind"], stories[-1]["kind"]] == ["intro", "outro"]


@pytest.mark.slow
def test_chapters_become_the_boundaries_unless_ignored(asr_run, truth):
    chapters = [Chapter(title=f"Part {i}", start=s["start"] + 0.8)  # a little late: refined to sentences
                for i, s in enumerate(truth["stories"][:5])]
    episode = {"id": "x", "title": "x", "chapters": [vars(c) for c in chapters]}
    (asr_run / "episode.json").write_text(json.dumps(episode))
    try:
        with_chapters = _segment_json(asr_run / "transcript.json")
        without = _segment_json(asr_run / "transcript.json", "--ignore-chapters")
    finally:
        (asr_run / "episode.json").unlink()

    assert [s["title"] for s in with_chapters] == [c.title for c in chapters]
    assert all("chapter" in s["signals"] for s in with_chapters)
    text = load_timed_text(asr_run / "transcript.json").text
    for story, true in zip(with_chapters, truth["stories"]):
        assert abs(story["start"] - true["start"]) <= 1.5
        assert story["span"][0] in {s.start for s in split_sentences(text)}
    assert len(without) == len(truth["stories"]) and "Part 0" not in {s["title"] for s in without}


def test_chapters_without_timings_fall_back_to_the_words(samples):
    timed = load_timed_text(samples / f"{EPISODE}.txt")
    plain = segment(timed)
    assert [s.span for s in segment(timed, chapters=[Chapter("Only", 0.0)])] == [s.span for s in plain]


def _best_cuts_by_brute_force(scores, lengths, options):
    """Every earlier cut tried for every story end: the reference choose_cuts must agree with."""
    from recap.stages.segment.segmenter import _gain

    ends = [0]
    for length in lengths:
        ends.append(ends[-1] + length)
    limit = max(options.long_words, options.long_share * ends[-1])
    best, back = [0.0] + [float("-inf")] * len(scores), [0] * (len(scores) + 1)
    for j in range(1, len(scores) + 1):
        for i in range(j):
            words = ends[j] - ends[i]
            value = best[i] + _gain(scores, i, options)
            value -= options.short_penalty * max(0.0, 1 - words / options.min_words)
            value -= options.long_penalty * max(0.0, words - limit) / limit
            if value > best[j]:
                best[j], back[j] = value, i
    cuts, j = [], len(scores)
    while j:
        j = back[j]
        cuts += [j] if j else []
    return sorted(cuts)


def test_the_length_prior_cuts_a_long_stretch_at_its_best_weak_point_and_keeps_a_short_one_whole():
    import random

    from recap.stages.segment.segmenter import SegmentOptions, choose_cuts

    options = SegmentOptions()
    weak = [0.0] * 40
    weak[13], weak[20], weak[31] = 0.3, 0.5, 0.4  # all below the threshold
    assert choose_cuts(weak, [10] * 40, options) == [20]  # 400 words: twice the 200-word limit
    assert choose_cuts(weak[:15], [10] * 15, options) == []  # 150 words: one story
    no_prior = SegmentOptions(long_penalty=0.0)
    assert choose_cuts(weak, [10] * 40, no_prior) == []
    rng = random.Random(7)
    for _ in range(30):
        n = rng.randint(1, 60)
        scores = [rng.uniform(0.0, 1.5) for _ in range(n)]  # no two plans tie
        lengths = [rng.randint(1, 40) for _ in range(n)]
        for chosen in (options, no_prior, SegmentOptions(long_share=0.1, long_words=50)):
            assert choose_cuts(scores, lengths, chosen) == _best_cuts_by_brute_force(scores, lengths, chosen)


def test_a_link_is_anchored_at_its_own_words_not_at_small_words_said_before_them():
    """"more" and "only" in a slug are said in every story: the anchor is where "plan", "npm" and
    "secure" are, not a few words earlier where the story before happens to say "only" and "more"."""
    from recap.core.document import Link
    from recap.stages.segment.anchors import find_anchors

    text = ("The agent can only do more of the same when nobody checks it. "
            "Our plan for npm: publishing gets secure by default, and secure tokens expire.")
    link = Link(url="https://github.blog/security/our-plan-for-only-more-secure-npm", label="")
    [anchor] = find_anchors(text, [link])
    assert anchor is not None and text[anchor.char:].startswith("plan for npm")


def test_a_link_named_a_few_sentences_into_its_story_does_not_cut_it_again():
    """The text cuts at sentence 2, the link is named at sentence 5: one story from sentence 2,
    unless the piece before the name is someone else's (a link named just before it, a link listed
    before this one and never heard) or too long to be one opening. A sponsor read is no exception:
    it names its sponsor's link a few sentences in too."""
    from recap.language.sentences import Sentence
    from recap.stages.segment.cuts import late_names

    def sentences(*texts):
        return [Sentence(i, i + 1, text) for i, text in enumerate(texts)]

    said = sentences("Hello all.", "Bye now.", "The overlooked power of addresses.",
                     "An old comment says more.", "It is good.", "Alfie writes that state lives there.",
                     "More on it.")
    assert late_names([2, 5], {5: True}, said) == [2]
    assert late_names([2, 5], {5: False}, said) == [2, 5]  # the link before it went unheard
    assert late_names([2, 5], {1: True, 5: True}, said) == [2, 5]  # a link named just before the cut
    assert late_names([2, 5], {2: True, 5: True}, said) == [2, 5]  # both cuts named
    sponsor = [*said[:2], Sentence(2, 3, "This episode is sponsored by Acme."), *said[3:]]
    assert late_names([2, 5], {5: True}, sponsor) == [2]
    long_opening = [*said[:3], Sentence(3, 4, " ".join(["word"] * 130)), *said[4:]]
    assert late_names([2, 5], {5: True}, long_opening) == [2, 5]


def test_anchors_follow_the_text_they_are_asked_about_whatever_joins_its_words():
    from recap.core.document import Link
    from recap.stages.segment.anchors import find_anchors

    link = Link(url="https://example.com/blog/harbor-seven-release", label="")
    before = "Welcome back to the show, where the week in tools gets told in a few minutes. " * 3
    one = before + "Orca Labs shipped Harbor seven today. It is fast."
    other = before.replace(" ", "  ") + "\n\nOrca Labs shipped Harbor seven today.\nIt is fast."
    [first], [second] = find_anchors(one, [link]), find_anchors(other, [link])
    assert one[first.char:].startswith("Harbor") and other[second.char:].startswith("Harbor")
    assert first.evidence == second.evidence


def test_a_link_with_one_heard_word_is_anchored_on_less_evidence_than_one_with_two():
    """"taste" said three times in 300 words weighs about 4.6: enough for a link only that word of
    which is heard, not for one whose second word is heard elsewhere, far from the first."""
    from recap.core.document import Link
    from recap.stages.segment.anchors import LONE_WORD_EVIDENCE, MIN_EVIDENCE, find_anchors

    filler = "Welcome back to the show where the week in tools gets told in a few minutes. " * 6
    text = (filler + "What is good taste in software? Taste is hard to name, and taste grows with practice. "
            + filler + "A harbor, the harbor, our harbor. " + filler)
    [lone] = find_anchors(text, [Link(url="https://www.seangoedecke.com/taste/", label="")])
    assert lone is not None and text[lone.char:].startswith("taste in software")
    assert LONE_WORD_EVIDENCE <= lone.evidence < MIN_EVIDENCE
    assert find_anchors(text, [Link(url="https://example.com/taste-harbor", label="")]) == [None]


def test_a_cut_just_after_a_link_is_named_moves_back_to_the_name():
    from recap.language.sentences import Sentence
    from recap.stages.segment.cuts import back_to_name

    said = [Sentence(i, i + 1, text) for i, text in enumerate((
        "Hello all.", "Bye now.", "First story ends.", "More on it.",
        "Continuous Claude keeps context, its author says.", "When it runs low it compacts.", "Done."))]
    assert back_to_name([2, 5], {4: True}, said, CUES) == [2, 4]
    assert back_to_name([2, 5], {4: True, 5: True}, said, CUES) == [2, 5]  # the cut names a link itself
    assert back_to_name([4, 5], {4: True}, said, CUES) == [4, 5]  # no empty story
    assert back_to_name([2, 5], {3: True}, said, CUES) == [2, 5]  # named two sentences before: not this
    sponsor = [*said[:5], Sentence(5, 6, "This episode is sponsored by Acme."), said[6]]
    assert back_to_name([2, 5], {4: True}, sponsor, CUES) == [2, 5]


def test_a_link_named_just_after_a_fresh_opening_opens_its_story_there():
    """The host reads the headline, then names the link: the anchor goes back to the sentence
    that opened on fresh words or followed a closing one, over at most HEADLINE_WORDS words."""
    from recap.language.sentences import Sentence
    from recap.stages.segment.segmenter import HEADLINE_WORDS, _headline_before

    said = [Sentence(i, i + 1, text) for i, text in enumerate((
        "The survey ends here.", "Doing web dev with only vanilla techniques.", "Frameworks cost later.",
        "Plain Vanilla shows how.", " ".join(["word"] * (HEADLINE_WORDS + 1)) + ".", "Quillpad shows how."))]
    fired = [[], ["fresh_words"], [], [], [], []]
    scores = [0.0, 0.6, 0.1, 0.2, 0.0, 0.2]
    assert _headline_before(3, said, fired, scores) == 1
    assert _headline_before(5, said, [[], [], [], ["fresh_words"], [], []], scores) == 5  # too far back
    assert _headline_before(3, said, [[], [], [], [], [], []], scores) == 3  # no fresh opening
    # the sentence after a closing one ("Let's get into the news.") opens a story too
    assert _headline_before(3, said, [[], ["cue_close"], [], [], [], []], scores) == 1
    glued = [0.0, 0.6, float("-inf"), 0.2, 0.0, 0.2]  # "Frameworks cost later" cannot start a story
    assert _headline_before(3, said, fired, glued) == 3


def test_a_link_word_heard_as_another_spelling_of_its_sound_still_anchors_the_link():
    """"phoenix" transcribed "feenicks": too far apart in spelling, the same sound (metaphone), so it
    counts at 0.7 of a word heard as spelt, and the anchor sits on it."""
    import math

    from recap.core.document import Link
    from recap.stages.segment.anchors import find_anchors

    filler = "Welcome back to the show where the week in tools gets told in a few minutes. " * 6
    text = filler + "Next, the feenicks cluster scheduler moved to a new home. " + filler
    [anchor] = find_anchors(text, [Link(url="https://example.com/phoenix-cluster", label="")])
    assert anchor is not None and text[anchor.char:].startswith("feenicks cluster")
    words = len(text.split())
    assert anchor.evidence == pytest.approx(1.7 * math.log(1 + words))
    other = text.replace("feenicks", "orange")
    [unheard] = find_anchors(other, [Link(url="https://example.com/phoenix-cluster", label="")])
    assert unheard is not None and other[unheard.char:].startswith("cluster")  # "cluster" alone, later


def test_a_short_name_whose_y_was_heard_as_i_still_anchors_its_link():
    """"pypi" heard as "pipi": one letter in four is past the near-spelling tolerance, and a
    four-letter word is too short to match by sound, but a y said as a vowel is an i."""
    from recap.core.document import Link
    from recap.stages.segment.anchors import find_anchors

    filler = "Welcome back to the show where the week in tools gets told in a few minutes. " * 6
    text = filler + "Next, somebody drew a map of pipi and its dependencies. " + filler
    link = Link(url="https://example.com/pypi/", label="")
    [anchor] = find_anchors(text, [link])
    assert anchor is not None and text[anchor.char:].startswith("pipi and")
    assert find_anchors(text.replace("pipi", "papa"), [link]) == [None]


def test_a_documentation_sites_section_word_anchors_no_link():
    """"/topics/" files a page in a docs site: a host who says "heavy topics" two stories later
    is not naming the Django models page (the show's 'models' is too generic to count either)."""
    from recap.core.document import Link
    from recap.language.links import link_words

    link = Link(url="https://docs.djangoproject.com/en/5.1/topics/db/models/", label="")
    assert "topics" not in link_words(link)


def test_a_show_of_short_items_takes_fainter_cuts_than_a_long_discussion():
    """The pace prior: a first choice of cuts that leaves short stories lowers the threshold, so
    a fainter move on halfway through each is a cut too; long stories keep the full threshold."""
    from recap.language.sentences import Sentence
    from recap.stages.segment.segmenter import SegmentOptions, choose_cuts, paced

    def show(sentence_count: int, strong_every: int) -> tuple[list[Sentence], list[float]]:
        sentences = [Sentence(i, i + 1, " ".join(["word"] * 10)) for i in range(sentence_count)]
        scores = [0.0] * sentence_count
        for i in range(strong_every // 2, sentence_count, strong_every // 2):
            scores[i] = 1.5 if i % strong_every == 0 else 0.75
        return sentences, scores

    options = SegmentOptions()
    short_items, scores = show(40, 10)  # 100-word stories, a faint move on after 50 words
    chosen = paced(scores, short_items, options)
    assert chosen.threshold == options.short_threshold
    assert choose_cuts(scores, [s.words for s in short_items], chosen) == list(range(5, 40, 5))

    discussion, scores = show(200, 50)  # 500-word stories, a faint shift after 250
    assert paced(scores, discussion, options).threshold == options.threshold
    assert choose_cuts(scores, [s.words for s in discussion], options) == [50, 100, 150]


def test_a_bare_next_news_opens_the_story_after_it():
    """"Next news." and a cohost's "Right." after it belong with the story they lead into."""
    from recap.stages.segment.signals import glued

    said = split_sentences("Ana: That was Harbor.\n\nAna: Next news.\n\nBen: Right.\n\n"
                           "Ana: Researchers published it.")
    assert glued(said, CUES) == [False, False, True, True]


def test_a_name_of_two_words_run_together_is_found_where_it_was_heard_apart():
    """tiny.en heard "zero clause" for ZeroClaw: the first word exactly, the second beginning like
    the rest of the name. "zero" alone, or a second word that only shares a letter, is no anchor."""
    text, anchored = _anchored("Zero clause is claw done right, a port that runs the same agent in a "
                               "smaller binary. Zero clause ships one file.", "https://github.com/someone-labs/zeroclaw")
    assert anchored.startswith("Zero clause is")
    assert _anchored(text.replace("clause", "cloud"), "https://github.com/someone-labs/zeroclaw")[1] is None


def test_a_cut_just_before_a_sponsor_read_moves_to_the_read():
    """A link named in the last words of a story cut there; the sponsor read announced a few words
    later opens the next item instead, and the named words stay with the story before."""
    from recap.language.sentences import Sentence
    from recap.stages.segment.cuts import to_sponsor_read

    said = [Sentence(i, i + 1, text) for i, text in enumerate((
        "Markwhen is like Markdown for timelines.", "Rob also built a CLI and an Obsidian plugin,",
        "it's now time for sponsored news.", "Debug faster with Sentry, live on Thursday.",
        " ".join(["word"] * 40)))]
    assert to_sponsor_read([1], said, 30, CUES) == [2]
    assert to_sponsor_read([1, 2], said, 30, CUES) == [1, 2]  # the read is cut already
    assert to_sponsor_read([1], said, 5, CUES) == [1]  # too far after the cut


LOG_VIEWER = ("the log viewer reads a million lines in a second on a laptop. the viewer filters lines by "
              "field and by level, and it follows a file as it grows. people who read logs all day will "
              "like how the viewer colours each level. it was written in rust by one person over two "
              "years of evenings. the viewer also reads compressed logs without unpacking them first. "
              "its author says the viewer beats every other tool he tried on large logs. you can install "
              "the viewer with one command on linux and on mac. a plugin for editors is on the way. "
              "for now the viewer reads plain text and json logs, and the author asks for bug reports. ")
POSTGRES_TUNING = ("postgres tuning will not fix a slow schema, says a database consultant. tuning helps a "
                   "healthy postgres server, but a schema with no indexes stays slow whatever the settings. "
                   "before tuning postgres, look at the schema and at the slowest queries. the consultant "
                   "lists six signs that the schema is the problem and not postgres. one sign is a table "
                   "that every query scans from start to end. another is tuning that changes nothing at all. "
                   "a third is a schema that keeps every event in one wide table with forty columns. the "
                   "consultant adds that postgres ships good defaults, so heavy tuning is rarely the answer. "
                   "her post closes with a short list of queries that find these signs in any postgres "
                   "database in a few minutes, and a note on when tuning does help after all. ")


def test_a_sentence_opening_on_words_the_story_goes_on_to_repeat_is_a_fresh_subject():
    """A recogniser lowercases names and drops the cue words: the opening that brings three new
    words the next sentences keep saying still marks the new story, wherever its capitals went."""
    from recap.stages.segment.topics import fresh_words

    first, second = LOG_VIEWER, POSTGRES_TUNING
    sentences = split_sentences(first + second)
    opening = next(i for i, s in enumerate(sentences) if s.body.startswith("postgres tuning"))
    scores = fresh_words(sentences, TimedText(first + second))
    assert scores[opening] > 0.9
    assert [i for i, score in enumerate(scores) if score >= 0.5] == [opening]
    stories = segment(TimedText(first + second))
    assert [s.text[:15] for s in stories] == ["the log viewer ", "postgres tuning"]


def test_a_link_word_said_beside_another_is_anchored_on_itself_not_on_the_word_before():
    """Two heard words joined are looked up for a name run together ("tiger data"); "news
    programming" is not a mishearing of "programming", so the anchor stays on the name and the
    story does not open on the sentence before it."""
    _, anchored = _anchored("Okay, let's get into the news. Programming advice for my younger self, a "
                            "developer wrote down what he wishes he had known.",
                            "https://example.dev/posts/programming-advice-younger-self/")
    assert anchored.startswith("Programming advice")


def _anchored(said: str, url: str) -> tuple[str, str | None]:
    """A story said after a long stretch about something else, and the text from where the link
    to ``url`` is anchored in it (None: nowhere)."""
    from recap.core.document import Link
    from recap.stages.segment.anchors import find_anchors

    before = " ".join(["The week started with a lot of talk about agents and their many forks."] * 80)
    text = said if said.startswith(before) else f"{before} {said}"
    [anchor] = find_anchors(text, [Link(url=url, label="")])
    return text, None if anchor is None else text[anchor.char:]


def test_the_shows_own_site_anchors_none_of_its_episode_links():
    """A link to one of the show's own episodes ("changelog.fm/625") has no words but the show's
    name, said in any story; with the description's own links known, it is anchored nowhere (and
    placed beside its neighbours) rather than wherever the host said the show's name."""
    from recap.core.document import Link
    from recap.stages.segment.anchors import find_anchors

    episode = Link(url="https://tensorweekly.fm/97", label="")
    own = [Link(url="https://tensorweekly.news/subscribe", label="")]
    text, anchored = _anchored("Listeners of Tensor Weekly asked about quantization last month.", episode.url)
    assert anchored is not None and anchored.startswith("Tensor Weekly")
    assert find_anchors(text, [episode], own) == [None]


def test_a_sponsor_read_is_one_item_from_its_announcement_to_its_call_to_action():
    """Inside a read the product's features and customers look like new subjects; no cut falls
    between the announcement and the call to action, and the story after it is free to start."""
    from recap.stages.segment.signals import glued

    said = split_sentences(
        "Harbor runs on a laptop. It's now time for sponsored news. Cobalt Cloud gives you GPUs by the "
        "minute. Kitchen World trained its robots there in a week. Learn more at cobalt.dev today. "
        "Researchers released the Lantern benchmark.")
    assert glued(said, CUES) == [False, False, True, True, True, False]
    # no call to action that soon: only the announcement stays with what follows it
    assert glued(said, CUES, read_words=10) == [False, False, True, False, False, False]
    # a product "launched" inside the read is the read's news, not a story opening
    launched = split_sentences(
        "It's now time for sponsored news. Cobalt Cloud recently launched a guided tour. "
        "Learn more at cobalt.dev today. Next up, the Lantern benchmark.")
    assert glued(launched, CUES) == [False, True, True, False]
    # a story announced before any call to action ends the read there
    announced = split_sentences(
        "It's now time for sponsored news. Cobalt Cloud gives you GPUs. Next up, the Lantern benchmark. "
        "Check out the paper.")
    assert glued(announced, CUES) == [False, True, False, False]


def test_a_story_run_on_after_a_comma_opens_at_the_comma():
    """The recogniser ran the next story's first words on after a comma; the cut at the sentence
    after moves back to the comma, and the last story keeps its own words."""
    run_on = LOG_VIEWER.rstrip(". ") + ", postgres tuning will not fix" + \
        POSTGRES_TUNING.removeprefix("postgres tuning will not fix")
    stories = segment(TimedText(run_on, breaks=[run_on.index(" a slow schema") + 1]))
    assert [s.text[:20] for s in stories] == ["the log viewer reads", "postgres tuning will"]
    assert stories[0].text.endswith("the author asks for bug reports,")


def test_a_recognisers_short_segment_is_read_whole_for_its_fresh_words():
    """A recogniser's segment is a phrase said in one go: its new subject may come after ten
    words of talk, and still opens it. Published text (no segments) reads the first ten words."""
    from recap.stages.segment.topics import fresh_words

    phrase = "so that is that for now and up next on postgres tuning schema speed and why "
    text = LOG_VIEWER + phrase + POSTGRES_TUNING
    breaks = [len(LOG_VIEWER), len(LOG_VIEWER + phrase)]
    heard = split_sentences(text, breaks)
    at = next(i for i, s in enumerate(heard) if s.body.startswith("so that is that"))
    assert fresh_words(heard, TimedText(text, breaks=breaks))[at] > 0.9
    assert fresh_words(heard, TimedText(text))[at] == 0.0


def test_a_month_of_a_year_in_review_is_one_story_but_for_its_sponsor_read():
    """A year reviewed month by month is a story a month: a new subject inside a month is part of
    it, and the "Next up," after a sponsor's call to action goes with its month; a sponsor read
    the host announces inside a month is an item of its own."""
    months = [
        "In January, the Harbor model came out and everyone tried it. Its weights are open and small "
        "enough for a laptop, so people ran it at home all month long and wrote about it.",
        "Next up, February. Cobalt shipped the Falcon chip, which trains models faster than anything "
        "else on the market. Matthew Inman drew a comic about painted art and machine art. Painted art "
        "moves him, machine art leaves Matthew Inman cold, and readers argued about machine art with "
        "Matthew Inman for weeks. The comic shows a painter at work, then a prompt box, and Inman "
        "asks which of the two pictures moved you and why the machine art did not.",
        "It's now time for sponsored news. Lumen tracks every run and every dataset for you, and the "
        "lumen dashboard shows each run. Learn more at lumen.dev.",
        "Next up, March. The Kitchen World dataset gave robots a place to learn chores. It was "
        "recorded in real kitchens, with cameras on every counter and every robot arm.",
    ]
    text = "Hello and welcome to the year in review, all of it. " + " ".join(months)
    stories = segment(TimedText(text))
    assert [story.text.split()[0].strip(",.") for story in stories[1:]] == [
        "January", "February", "It's", "March"], [story.text[:30] for story in stories]


def _starts_of(text: str, phrase: str) -> list[int]:
    return [i for i in range(len(text)) if text.startswith(phrase, i)]


def test_a_discussion_is_cut_where_the_hosts_hand_over_and_at_its_segments():
    """Two hosts talk each item through for minutes, with acknowledgements and the same few
    words over and over; the hand-offs and the announced extras are where items begin."""
    from conftest import discussion_episode

    text, openings = discussion_episode("All right, over to you, Ana.")
    stories = segment(TimedText(text))
    expected = sorted({text.index(openings[1]), *_starts_of(text, openings[2]), text.index(openings[-1])})
    assert [story.span[0] for story in stories[1:]] == expected
    assert stories[0].kind == "intro" and stories[-1].title == "Extras"


def test_the_extras_are_one_story_though_the_hosts_hand_over_and_name_links_in_them():
    """Inside the announced extras the hosts pass the floor ("over to you"), move on ("Next up")
    and name each extra's link: none of it opens a story; the joke's announcement does."""
    from conftest import TOPICS, discussed_item, discussion_episode

    text, openings = discussion_episode("All right, over to you, Ana.")
    second_extra = "Over to you, Ben."
    third_extra = "Next up, my last extra."
    joke = discussed_item("Are you ready for a joke?", TOPICS[0], 30)
    more_of_the_first = discussed_item("And one more thing about it.", TOPICS[4], 25)
    text = " ".join([text, more_of_the_first, discussed_item(second_extra, TOPICS[5], 30),
                     discussed_item(third_extra, TOPICS[1], 30), joke])
    description = "\n".join(f"https://example.org/{topic[0]}-{topic[3]}" for topic in TOPICS[:6])
    stories = segment(TimedText(text), description=description)
    assert [story.title for story in stories[-2:]] == ["Extras", "Joke"]
    extras = stories[-2].text
    assert extras.startswith(openings[-1]) and second_extra in extras and third_extra in extras
    assert stories[-1].text.startswith(joke[:30])


def test_a_segment_announced_across_a_recognisers_break_opens_where_its_words_begin():
    """A recogniser breaks where the speaker breathes: "so yeah, how about something | funny"
    announces the joke, and the story opens on the clause the announcement begins with."""
    from conftest import TOPICS, discussed_item, discussion_episode

    text, _ = discussion_episode("All right, over to you, Ana.")
    more_extras = discussed_item("And one more thing about it.", TOPICS[4], 25)
    extras_end = "That is it for my extras, so yeah, how about something"
    joke = discussed_item("funny, I have a good one for you.", TOPICS[0], 30)
    said = f"{text} {more_extras} {extras_end} {joke}"
    broken = TimedText(said, breaks=[said.index(joke)])
    last = segment(broken)[-1]
    assert (last.title, last.text[:30]) == ("Joke", "how about something funny, I h")

    from recap.stages.segment.signals import announced_across

    def across(before: str, after: str) -> str | None:
        return announced_across(*split_sentences(f"{before} {after}", breaks=[len(before) + 1]), CUES)

    assert across("so yeah, how about something", "funny, I have one.") == "Joke"
    assert across("so yeah, how about something.", "Funny, I have one.") is None  # it ended there
    assert across("so how about something", "funny, I have one.") is None  # no clause was broken off


def test_a_host_ending_an_item_across_a_recognisers_break_closes_it():
    """"..., and that's | my item here, if you want..." ends the item as "that's my item" does in
    one sentence: the sentence after it may open the next."""
    from recap.stages.segment.signals import cue_close

    def closes(before: str, after: str, then: str = "Next, a chip.") -> list[float]:
        text = f"{before} {after} {then}"
        breaks = [len(before) + 1, len(before) + len(after) + 2]
        return cue_close(split_sentences(text, breaks=breaks), TimedText(""), CUES)

    assert closes("It is fast, and that's my item here.", "Cool, yeah.")[1:] == [1.0, 0.0]
    assert closes("It is fast, and that's", "my item here, if you want it.")[1:] == [0.0, 1.0]
    assert closes("It is fast, and that's.", "My item here, if you want it.")[1:] == [0.0, 0.0]


def test_extras_previewed_in_the_greeting_or_promised_for_later_open_nothing():
    """"Our extras today are great, and so is our joke" in the greeting previews the show (the
    shipped profile: a segment that ends a show opens no earlier than its [shape] share), and
    "stick around for the extras at the end" mid-show promises them: neither opens the extras,
    which would leave the rest of the show one story."""
    from conftest import TOPICS, discussed_item, discussion_episode

    text, openings = discussion_episode("All right, over to you, Ana.")

    def parts(said: str) -> list[tuple[str, str]]:
        return [(story.title, story.text[:28]) for story in segment(TimedText(said))][1:]

    plain = parts(text)
    assert [title for title, _ in plain][-1] == "Extras" and len(plain) == 5
    previewed = text.replace("Thanks for listening,", "Our extras today are great, and so is our joke. "
                             "Thanks for listening,")
    assert parts(previewed) == plain
    third = discussed_item(openings[3], TOPICS[2])
    promised = text.replace(third, third + " Anyway, stick around for the extras at the end, they are fun.")
    assert parts(promised) == plain


def test_hosts_who_converse_are_a_discussion_whatever_segment_opened_early(tmp_path):
    """A show's own mid-show segment ("Quick hits") silences the hand-offs inside it, but the hosts
    still converse: the show is cut as a discussion (no cut at each tangent), one story a topic."""
    from conftest import discussion_episode

    from recap.language.profile import load_profile

    path = tmp_path / "quick.toml"
    segment_entry = "Quick = '''^\\W*quick hits\\b'''"
    path.write_text(f'extends = "news"\n[segment]\n# a mid-show segment\n{segment_entry}\n', encoding="utf-8")
    text, openings = discussion_episode("All right, over to you, Ana.")
    quick = text.replace(openings[1], "Quick hits. " + openings[1])
    stories = segment(TimedText(quick), profile=load_profile(str(path)))
    titles = ["Intro", "Quick", "Editor", "Database", "Compiler", "Extras"]
    assert [story.title for story in stories] == titles


def test_a_link_named_before_the_hosts_first_hand_over_ends_the_greeting():
    """The first item of a discussion may start with no hand-off ("You know what else I like?"):
    until the hosts first hand over, its named link is all that marks where the greeting ends."""
    from conftest import TOPICS, discussed_item, discussion_episode

    text, openings = discussion_episode("All right, over to you, Ana.")
    first_item = discussed_item(openings[1], TOPICS[0])
    untold = discussed_item("And you know what else I like?", TOPICS[0])
    text = text.replace(first_item, untold)
    description = "\n".join(f"https://example.org/{topic[0]}-{topic[3]}" for topic in TOPICS[:4])
    untold_at = text.index(untold)
    assert segment(TimedText(text))[1].span[0] > untold_at + len(untold)  # the greeting runs on
    stories = segment(TimedText(text), description=description)
    assert untold_at <= stories[1].span[0] <= text.index("The scheduler", untold_at)
    assert stories[2].span[0] == text.index(openings[2])


def test_links_named_inside_a_discussion_support_it_and_cut_nothing():
    from conftest import TOPICS, discussion_episode

    text, _ = discussion_episode("All right, over to you, Ana.")
    description = "\n".join(f"https://example.org/{topic[0]}-{topic[3]}" for topic in TOPICS[:4])
    alone = [story.span for story in segment(TimedText(text))]
    assert [story.span for story in segment(TimedText(text), description=description)] == alone


def test_a_host_ending_an_item_hands_nothing_over():
    """"On to my first item" hands the floor over; "...but that's my first item" ends it."""
    from recap.stages.segment.signals import handoff

    said = split_sentences("On to my first item, a chip. It is fast, but that's my first item. "
                           "It is small too, and that is my first item, I think. Over to you.")
    assert handoff(said, TimedText(""), CUES) == [1.0, 0.0, 0.0, 1.0]


def test_an_item_promised_for_later_hands_nothing_over():
    from recap.stages.segment.signals import handoff

    said = split_sentences("I'm going to talk about a chip before the show is over. It is fast. "
                           "Let's talk about that later. Now I want to talk about the chip.")
    assert handoff(said, TimedText(""), CUES) == [0.0, 0.0, 0.0, 1.0]


def test_talk_about_what_was_just_said_hands_nothing_over_and_a_move_to_a_new_item_does():
    """"Let's talk about that" points back at the talk; "let's jump over and talk about X" moves on."""
    from recap.stages.segment.signals import handoff

    said = split_sentences("Sure, let's talk about that, yeah. It is fast. "
                           "Alright, let's jump over and talk about the state of chips. They are small.")
    assert handoff(said, TimedText(""), CUES) == [0.0, 0.0, 1.0, 0.0]


def test_hosts_heard_without_punctuation_still_converse():
    """Auto captions write no punctuation: "yeah" ends no sentence with a full stop there, and a
    conversation's acknowledgements would go uncounted, so a two-host show would be cut as a
    monologue (twice its stories). A "yeah" with no punctuation after it in its sentence counts."""
    from conftest import discussion_episode

    from recap.stages.segment.segmenter import SegmentOptions, is_discussion

    text, _ = discussion_episode("Yeah. All right, over to you, Ana.")
    captions = re.sub(r"[.,!?]", "", text).lower()
    starts = [m.start() for m in re.finditer(r"\S+", captions)][::12]  # a caption line every 12 words
    timed = TimedText(captions, breaks=starts)
    said = split_sentences(captions, breaks=starts)
    assert is_discussion(said, timed, CUES, SegmentOptions())
    assert not is_discussion(split_sentences("yeah " + "the tool keeps the tables in order " * 40,
                                             breaks=[0]), TimedText(""), CUES, SegmentOptions())


def test_one_hand_off_does_not_make_a_monologue_a_discussion():
    from recap.stages.segment.segmenter import SegmentOptions, is_discussion

    said = split_sentences("Welcome to the show. Orca Labs released Harbor. Back to you. Next up, a chip.")
    assert not is_discussion(said, TimedText(""), CUES, SegmentOptions())
    said = split_sentences("Over to you. Nice. What do you got for us? Cool. On to our extras.")
    assert is_discussion(said, TimedText(""), CUES, SegmentOptions())
    # one host reading a list: "my next item" three times, but nobody acknowledges anybody
    said = split_sentences("My next item is a chip from Cobalt. It is fast. My next item is Harbor, a "
                           "model. It is open. My next item is Quill. It writes notes. That is all.")
    assert not is_discussion(said, TimedText(""), CUES, SegmentOptions())


def test_a_recurring_segment_opens_once_and_not_before_the_show_ever_opens_it(tmp_path):
    from recap.language.profile import load_profile
    from recap.stages.segment.signals import segment_named

    said = split_sentences("Are you ready for a joke? Some talk here about tools and more tools. "
                           "Now, are you ready for a joke? Ha, that joke was good.")
    unbound = tmp_path / "show.toml"
    unbound.write_text('[shape]\n# the joke may come first\n"Joke from" = 0\n')
    assert segment_named(said, TimedText(""), load_profile(str(unbound)).cues) == [1.0, 0.0, 0.0, 0.0]
    assert segment_named(said, TimedText(""), CUES) == [0.0, 0.0, 1.0, 0.0]  # the shipped bound: 0.5


def test_a_segment_said_of_something_else_is_not_announced():
    from recap.stages.segment.signals import segment_announced

    def announced(text: str) -> str | None:
        return segment_announced(split_sentences(text)[0], CUES)

    assert announced("Sure, the extras you got to download every time are like JavaScript.") is None
    assert announced("All right, on to the extras.") == "Extras"
    assert announced("Any extras for us this week?") == "Extras"
    assert announced("Are you ready for a joke?") == "Joke"


def test_a_segment_named_alone_between_commas_is_announced():
    """A recogniser writes "...the right page. Joke? Yeah." as one run of commas: a clause that is
    nothing but a segment's name announces it; the name inside a longer clause does not."""
    from recap.stages.segment.signals import segment_announced

    def announced(text: str) -> str | None:
        return segment_announced(split_sentences(text)[0], CUES)

    assert announced("I will find the right page later, joke, yes, here it comes") == "Joke"
    assert announced("Thanks for the notes, all right, extras, what do you have") == "Extras"
    assert announced("I will find the right page later, that joke, yes, it was old") is None
    assert announced("I will find the right page later, joke was old, yes") is None


def test_a_segment_announced_keeps_its_first_words():
    from recap.stages.segment.signals import glued

    talk = "It is long. " * 12
    said = split_sentences(f"{talk}So that was the tool. Are we ready for extras? Yeah, we are. All right, "
                           f"for something completely different, let's talk about an article. {talk}")
    assert glued(said, CUES)[12:17] == [False, False, True, True, True]
