"""Transcript cleanup on hand-written text: what goes, what stays, and the files an editor gets."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from conftest import assert_one_line_error, run_recap

from recap.app.guard import WriteGuard
from recap.core.document import Episode, Segment, Transcript, Word
from recap.core.errors import RecapError
from recap.stages.clean import FORMATS, clean_text, clean_transcript
from recap.stages.clean.edited import fill_times, parse_markdown, stories_from_blocks

REMOVED = [
    ("Um, I think it works.", "I think it works."),
    ("So uh the model is erm fast.", "So the model is fast."),
    ("You know, the answer is 42.", "The answer is 42."),
    ("It's great, you know.", "It's great."),
    ("I mean, it works.", "It works."),
    ("It was, like, amazing.", "It was amazing."),
    ("So the the model is good.", "So the model is good."),
    ("Let's just let's just do it.", "Let's just do it."),
    ("The th- the model works.", "The model works."),
    ("We built a, we built the model.", "We built the model."),
    ("I went to the, uh, the store.", "I went to the store."),
    ("um so we went home", "So we went home."),
]

KEPT = [
    "I like it.",
    "You know the answer.",
    "I think that that is fine.",
    "I mean it.",
    "As you know, it rains.",
    "Do you know, the answer?",
    "What I mean, is this.",
    "I like cats, I like dogs.",
    "It is very very good.",
    "In twenty twenty, we shipped.",
    "Harbor. Harbor is big.",
    "Things like, say, models.",
]


@pytest.mark.parametrize(("spoken", "cleaned"), REMOVED)
def test_each_disfluency_is_removed(spoken, cleaned):
    assert clean_text(spoken) == cleaned


@pytest.mark.parametrize("spoken", KEPT)
def test_look_alikes_are_kept(spoken):
    assert clean_text(spoken) == spoken


def test_filler_lists_are_per_language():
    assert clean_text("Eu comprei um carro.", language="pt") == "Eu comprei um carro."
    assert clean_text("Eu comprei um carro.", language="en") == "Eu comprei carro."


def test_sentence_case_and_end_punctuation_where_the_asr_left_them_off():
    assert clean_text("the model is fast\nit runs on one card") == "The model is fast it runs on one card."
    assert clean_text("i think so\nWe agree") == "I think so. We agree."


# -- documents --------------------------------------------------------------------------
def _transcript(lines: list[tuple[float, str]], probability: dict[str, float] | None = None) -> Transcript:
    """Segments at the given times, words 0.3 s apart, probabilities 0.95 unless given."""
    segments = []
    for start, text in lines:
        words = [Word(f" {w}", start + 0.3 * i, start + 0.3 * i + 0.25, (probability or {}).get(w, 0.95))
                 for i, w in enumerate(text.split())]
        segments.append(Segment(start, words[-1].end, text, words))
    return Transcript(segments)


def _story_segmenter(timed):
    """Stories at each paragraph: the real segmenter's interface, its decisions made plain for tests."""
    from recap.core.document import Story

    stories, cursor = [], 0
    for n, block in enumerate(timed.text.split("\n\n")):
        stories.append(Story(title=f"Story {n} <b>", text=block, span=(cursor, cursor + len(block)),
                             kind="intro" if n == 0 else "story"))
        cursor += len(block) + 2
    return stories


@pytest.fixture
def doc():
    transcript = _transcript([
        (0.0, "Hello and um welcome to the show."),
        (5.0, "Today a <script>alert(1)</script> library called Blorp* ships."),
        (12.0, "Next, the the chip is fast."),
    ], probability={"Blorp*": 0.2})
    episode = Episode(id="ep", title="Show [1] *live*", media_url="https://example.com/ep.mp4")
    return clean_transcript(transcript, episode, segmenter=_story_segmenter)


def test_paragraphs_open_at_long_pauses_with_their_time(doc):
    starts = [p.start for s in doc.sections for p in s.paragraphs]
    assert starts == [0.0, 5.0, 12.0]  # the gaps are 3 s and 4.6 s, over the 1.5 s pause
    assert [s.kind for s in doc.sections] == ["intro", "story", "story"]


def test_markdown_marks_doubtful_words_and_parses_back(doc):
    markdown = FORMATS["md"].write(doc)
    assert "*Blorp*\\*" in markdown  # flagged; its own asterisk escaped
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    assert "[0:12](<https://example.com/ep.mp4#t=12>) Next, the chip is fast." in markdown
    title, blocks = parse_markdown(markdown)
    assert title == "Show [1] *live*"
    assert [b.title for b in blocks] == ["Story 0 <b>", "Story 1 <b>", "Story 2 <b>"]
    assert [b.kind for b in blocks] == ["intro", "story", "story"]
    parsed = [text for b in blocks for _, text in b.paragraphs]
    assert parsed == [p.text for s in doc.sections for p in s.paragraphs]
    assert [t for b in blocks for t, _ in b.paragraphs] == [0.0, 5.0, 12.0]


def test_json_keeps_every_removed_span_with_its_reason(doc):
    data = json.loads(FORMATS["json"].write(doc))
    assert [(r["text"], r["reason"]) for r in data["removed"]] == [("um", "filler"), ("the", "repeat")]
    spoken = " ".join(w["original"] for w in data["words"])
    assert spoken == "Hello and um welcome to the show. " \
        "Today a <script>alert(1)</script> library called Blorp* ships. Next, the the chip is fast."
    assert data["stats"]["removed"] == 2 and data["stats"]["flagged"] == 1


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.open, self.deleted, self.marked = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.open.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        self.open.pop()

    def handle_data(self, data):
        tag, attrs = self.open[-1] if self.open else ("", {})
        if tag == "del" and "title" in attrs:  # the legend's examples carry no title
            self.deleted.append((data, attrs["title"]))
        if tag == "mark" and "title" in attrs:
            self.marked.append(data)


def test_review_page_strikes_removals_with_a_toggle_and_no_external_assets(doc):
    page = FORMATS["html"].write(doc)
    parser = _Collect()
    parser.feed(page)
    assert parser.deleted == [("um", "filler"), ("the", "repeat")]
    assert parser.marked == ["Blorp*"]
    assert ("input", {"type": "checkbox", "id": "hide-removed"}) in parser.tags
    assert "#hide-removed:checked ~ main del.removed { display: none; }" in page
    assert not [t for t, a in parser.tags if t in ("script", "img", "link", "iframe")]
    assert all(a.get("href", "https://").startswith(("https://", "#")) for _, a in parser.tags)
    assert "&lt;script&gt;" in page and "&lt;b&gt;" in page


def test_docx_has_headings_timestamps_and_highlights(doc, tmp_path):
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX

    path = tmp_path / "clean.docx"
    path.write_bytes(FORMATS["docx"].write(doc))
    document = Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Story 0 <b>", "Story 1 <b>", "Story 2 <b>"]
    body = [p.text for p in document.paragraphs if p.text.startswith("[")]
    assert body[2] == "[0:12] Next, the chip is fast."
    highlighted = [r.text for p in document.paragraphs for r in p.runs
                   if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert highlighted == ["Blorp*"]


# -- edited Markdown -------------------------------------------------------------------------
EDITED = """# My show

## Intro <!-- kind: intro -->

[0:00] Hello there.

## Renamed story

[0:10](<https://example.com/ep.mp4#t=10>) First paragraph, with a \\*star\\* and *doubtful* words.

A paragraph the editor wrote, without a time.

[1:00] Last paragraph.
## Moved marker

[1:30] After the moved marker.
"""


def test_edited_markdown_parses_into_stories_with_their_times():
    title, blocks = parse_markdown(EDITED)
    stories = stories_from_blocks(blocks, duration=120.0)
    assert title == "My show"
    assert [(s.title, s.kind, s.start, s.end) for s in stories] == [
        ("Intro", "intro", 0.0, 10.0), ("Renamed story", "story", 10.0, 90.0),
        ("Moved marker", "story", 90.0, 120.0)]
    assert stories[1].text.startswith("First paragraph, with a *star* and doubtful words.")
    assert stories[1].text.count("\n\n") == 2


EDITOR_HEADINGS = """# Tensor Weekly

[0:00] Orca Labs has released a new open model called Harbor, trained on code and text.

## The model everyone is talking about

[0:10] Orca Labs has released a new open model called Harbor. Harbor is a seven billion parameter
language model, and it runs on a single graphics card.

## A compiler for small devices

[0:40] Granite Systems announced Basalt, a compiler that turns trained models into fast code for
small devices. The team says models run four times faster on a laptop processor.
"""


@pytest.mark.slow
def test_render_keeps_the_editors_headings_and_says_an_editor_titled_them(tmp_path):
    (tmp_path / "clean.md").write_text(EDITOR_HEADINGS)
    result = run_recap("render", str(tmp_path / "clean.md"), "-o", str(tmp_path / "out"), "--format", "md")
    assert result.returncode == 0, result.stderr
    article = (tmp_path / "out" / "article.md").read_text()
    assert "### The model everyone is talking about" in article
    assert "### A compiler for small devices" in article
    stories = json.loads((tmp_path / "out" / "stories.json").read_text())["stories"]
    # the paragraph above the first heading has no editor's heading: render names it from its words
    assert [s["title_from"] for s in stories] == ["text", "editor", "editor"]
    assert "### Orca Labs has released a new" not in article


def test_untimed_paragraphs_are_placed_between_their_neighbours_by_words():
    assert fill_times([10.0, None, 30.0], [10, 10, 5]) == [10.0, 20.0, 30.0]
    assert fill_times([None, 8.0, None], [5, 10, 1]) == [6.0, 8.0, 12.0]
    assert fill_times([None, None], [3, 3]) == [None, None]


def test_a_file_edited_since_it_was_written_is_not_overwritten(tmp_path):
    guard = WriteGuard(tmp_path)
    guard.write("clean.md", "as written\n")
    WriteGuard(tmp_path).check(["clean.md", "clean.txt"])  # unchanged or absent: fine
    (tmp_path / "clean.md").write_text("as edited\n")
    with pytest.raises(RecapError, match=re.escape("clean.md was edited since recap wrote it")):
        WriteGuard(tmp_path).check(["clean.md"])
    (tmp_path / "clean.txt").write_text("someone else's file\n")
    with pytest.raises(RecapError, match="clean.txt was edited"):
        WriteGuard(tmp_path).check(["clean.txt"])


@pytest.mark.slow
def test_subtitles_of_a_text_without_times_and_an_empty_edit_end_in_one_line(tmp_path):
    (tmp_path / "notes.txt").write_text("Just text, no timings.\n")
    (tmp_path / "empty.md").write_text("# Show\n\n## A heading left with nothing under it\n")
    untimed = assert_one_line_error(run_recap("clean", str(tmp_path / "notes.txt"), "--format", "md,srt"))
    assert "notes.txt has no times, so no subtitles (srt)" in untimed
    assert not (tmp_path / "notes").exists()
    empty = assert_one_line_error(run_recap("render", str(tmp_path / "empty.md"), "-o", str(tmp_path)))
    assert "empty.md: no paragraphs left to render" in empty


NOTES = """Hello and welcome to Tensor Weekly, um, your weekly look at machine learning news.

So the the first story today. Orca Labs has released Harbor, an open model with seven billion
parameters. You know, it runs on a single graphics card and it matches models twice its size.

In other news, a library called Lovely Tensors makes debugging neural networks much less
painful. It prints the shape, the mean and the spread of every tensor instead of a wall of numbers.

That's all for this week. Thanks for watching, and see you next week.
"""


@pytest.mark.slow
def test_a_plain_text_transcript_is_cleaned_without_times_or_flags(tmp_path):
    (tmp_path / "notes.txt").write_text(NOTES)
    out = tmp_path / "out"
    result = run_recap("clean", str(tmp_path / "notes.txt"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.glob("clean.*")) == [
        "clean.docx", "clean.html", "clean.json", "clean.md", "clean.txt"]
    markdown = (out / "clean.md").read_text()
    assert "um," not in markdown and "the the" not in markdown and "You know," not in markdown
    assert not re.search(r"\[\d+:\d\d\]", markdown) and "*" not in markdown.split("-->", 1)[1]
    assert markdown.count("\n## ") >= 3  # intro, Harbor, Lovely Tensors (and the outro)
    assert "Orca Labs has released Harbor" in markdown
    data = json.loads((out / "clean.json").read_text())
    assert {w["start"] for w in data["words"]} == {None}
    assert data["stats"]["flagged"] == 0 and data["stats"]["removed"] >= 3
    paragraphs = [p for s in data["sections"] for p in s["paragraphs"]]
    assert len(paragraphs) >= 4  # the text's own blank lines
    assert not re.search(r"\[\d+:\d\d\]", (out / "clean.txt").read_text())

    edited = markdown.replace("## Harbor", "## Orca's open model")
    (out / "clean.md").write_text(edited)
    rendered = run_recap("render", str(out / "clean.md"), "-o", str(tmp_path / "article"), "--format", "md")
    assert rendered.returncode == 0, rendered.stderr
    article = (tmp_path / "article" / "article.md").read_text()
    assert "Lovely Tensors" in article and "#t=" not in article


def test_a_sentence_that_spells_an_html_comment_loses_no_words():
    """Escaped text is text: only recap's own note and metadata are comments, so "<!--" said in a
    story cannot swallow the stories after it up to some "-->"."""
    markdown = ("# Show\n\n<!-- recap clean transcript. Edit freely. -->\n\n## Parsers\n\n"
                "[0:01] The page opens with \\<!-- and the parser skips it.\n\n## Harbor\n\n"
                "[0:09] Harbor is open, and an arrow --\\> points at it.\n\n"
                '<!-- recap-clean {"version": 1, "episode": {"id": "x", "title": "Show"}} -->\n')
    title, blocks = parse_markdown(markdown)
    assert [b.title for b in blocks] == ["Parsers", "Harbor"]
    assert [text for b in blocks for _, text in b.paragraphs] == [
        "The page opens with <!-- and the parser skips it.", "Harbor is open, and an arrow --> points at it."]


def test_a_heading_joined_with_its_paragraph_keeps_the_story():
    quill = "Quill is a new model that writes release notes from your commits every single week"
    markdown = (f"## Harbor [0:12] Harbor is an open model for kitchens.\n\n## {quill}\n\n"
                "## Falcon\n\n[0:30] Falcon is a chip.\n")
    _, blocks = parse_markdown(markdown)
    assert [(b.title, [(t, text) for t, text in b.paragraphs]) for b in blocks] == [
        ("Harbor", [(12.0, "Harbor is an open model for kitchens.")]),
        (None, [(None, quill)]),
        ("Falcon", [(30.0, "Falcon is a chip.")])]


def test_subtitle_text_is_escaped_alike_in_srt_and_vtt(doc):
    """A cue's '<script>' or '-->' is text in both formats: no tag for a player, no timing line."""
    for fmt in ("srt", "vtt"):
        written = FORMATS[fmt].write(doc)
        assert "<script>" not in written and "&lt;script&gt;" in written, fmt
    import srt

    cues = list(srt.parse(FORMATS["srt"].write(doc)))
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in cue.content for cue in cues)


@pytest.mark.slow
def test_control_escape_and_bidi_characters_in_a_transcript_reach_no_output(tmp_path):
    """One rule for every path: `recap segment` on the terminal and every `recap clean` file get
    the words without terminal escapes, control characters or bidi overrides, as articles do."""
    words = [" Hello", " \x1b[31mred\x1b[0m", " world", " \u202eevil", " text\x07."]
    def timed(i: int) -> list[dict]:
        return [{"text": w, "start": i + k / 10, "end": i + (k + 1) / 10} for k, w in enumerate(words)]

    segments = [{"start": i, "end": i + 0.9, "text": "".join(words), "words": timed(i)} for i in range(3)]
    source = tmp_path / "transcript.json"
    source.write_text(json.dumps({"segments": segments, "language": "en"}))
    printed = run_recap("segment", str(source), "--format", "md")
    assert printed.returncode == 0, printed.stderr
    assert "red world" in printed.stdout
    out = tmp_path / "out"
    cleaned = run_recap("clean", str(source), "-o", str(out), "--format", "md,txt,srt,vtt,html,json")
    assert cleaned.returncode == 0, cleaned.stderr
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not {"\x1b", "\u202e", "\x07"} & set(text), path.name
    assert not {"\x1b", "\u202e", "\x07"} & set(printed.stdout)


def test_stamps_that_are_no_time_go_back_or_pass_the_end_are_dropped_never_the_words(caplog):
    markdown = ("## One\n\n[0:10] First words.\n\n[0:99] Second words.\n\n"
                "## Two\n\n[99999999999999999999:00] Third words.\n\n[0:05] Fourth words.\n\n"
                "[0:40] Fifth words.\n\n[9:00] Sixth words.\n")
    _, blocks = parse_markdown(markdown)
    stories = stories_from_blocks(blocks, duration=60.0)
    assert [s.text for s in stories] == ["First words.\n\nSecond words.",
                                         "Third words.\n\nFourth words.\n\nFifth words.\n\nSixth words."]
    assert stories[0].start == 10.0 and 10.0 < stories[1].start < 40.0  # timed between its neighbours
    warned = " ".join(record.getMessage() for record in caplog.records)
    assert "line 5: [0:99] is no time" in warned and "line 9: [99999999999999999999:00]" in warned
    assert "before the one above" in warned and "past the episode's end" in warned


def test_every_kind_of_heading_an_editor_writes_opens_a_story():
    """A second '# ' heading, a setext heading (a line over '===' or '---') and a bare '## ' are
    headings, as Markdown has them: no story is merged away and no '##' or '===' becomes a word."""
    markdown = ("# Show\n\n[0:01] Greeting words.\n\n# Harbor\n\n[0:10] Harbor words.\n\n"
                "Falcon\n======\n\n[0:20] Falcon words.\n\nQuill\n---\n\n[0:30] Quill words.\n\n"
                "##\n\n[0:40] Last words.\n")
    title, blocks = parse_markdown(markdown)
    assert title == "Show"
    assert [(b.title, [text for _, text in b.paragraphs]) for b in blocks] == [
        (None, ["Greeting words."]), ("Harbor", ["Harbor words."]), ("Falcon", ["Falcon words."]),
        ("Quill", ["Quill words."]), (None, ["Last words."])]


def test_clean_switches_its_files_in_as_one_set_or_not_at_all(samples, tmp_path, monkeypatch):
    """A write that fails halfway (a full disk) leaves the previous clean.* set whole, never half
    old and half new, and nothing that looks edited to the next run."""
    import recap.core.files
    from recap.app.editing import clean_files
    from recap.app.pipeline import Pipeline
    from recap.core.options import CleanOptions, Overrides, RunOptions

    out = tmp_path / "out"
    source = str(samples / "tensor_weekly_12.txt")

    def clean(title: str) -> list:
        options = RunOptions(cache_dir=tmp_path / "cache", overrides=Overrides(title=title))
        return clean_files(Pipeline(options), source, CleanOptions(out_dir=out))

    written = clean("First title")
    before = {path.name: path.read_bytes() for path in written}
    real_write, calls = recap.core.files.write_atomic, []

    def disk_fills_up(path, content):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_write(path, content)

    monkeypatch.setattr(recap.core.files, "write_atomic", disk_fills_up)
    with pytest.raises(RecapError, match="No space left on device"):
        clean("Second title")
    monkeypatch.setattr(recap.core.files, "write_atomic", real_write)

    assert {name: (out / name).read_bytes() for name in before} == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".recap-clean-")) == []
    again = clean("Third title")  # no file looks edited: the failed run changed none
    assert b"Third title" in (out / "clean.md").read_bytes() and len(again) == len(written)
