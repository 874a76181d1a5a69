"""`recap clean` on the sample episode: real audio, real model, the real CLI, edited and rendered back."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter

import pytest
import srt
import webvtt
from conftest import ScriptedTranscriber, assert_one_line_error, run_recap
from spacy.lang.en.stop_words import STOP_WORDS

from recap.core.document import Episode, Transcript, Word
from recap.language.lexicon import ENGLISH
from recap.stages.clean import clean_transcript
from recap.stages.clean.edited import parse_markdown

pytestmark = pytest.mark.slow  # every test here runs the CLI in a child process

EPISODE = "tensor_weekly_12"
PAGE = f"http://127.0.0.1/{EPISODE}.mp4"  # only written into links, never fetched
LINE_CHARS, MAX_LINES, MIN_S, MAX_S = 42, 2, 1.0, 7.0


@pytest.fixture(scope="module")
def out(samples, shared_cache, tmp_path_factory):
    folder = tmp_path_factory.mktemp("clean")
    result = run_recap("clean", str(samples / f"{EPISODE}.mp4"), "-o", str(folder), "--url", PAGE,
                       "--cache-dir", str(shared_cache))
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def raw(out, samples, shared_cache, tmp_path_factory) -> Transcript:
    """The transcript as `recap transcribe` gives it, from the cache the clean run filled."""
    folder = tmp_path_factory.mktemp("raw")
    result = run_recap("transcribe", str(samples / f"{EPISODE}.mp4"), "-o", str(folder),
                       "--cache-dir", str(shared_cache))
    assert result.returncode == 0, result.stderr
    return Transcript.from_dict(json.loads((folder / "transcript.json").read_text()))


def _content_words(text: str) -> Counter:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return Counter(w for w in words if w not in STOP_WORDS and w not in ENGLISH.fillers)


def _paragraph_texts(markdown: str) -> list[str]:
    return [text for block in parse_markdown(markdown)[1] for _, text in block.paragraphs]


def test_cleaned_transcript_has_no_fillers_and_keeps_every_content_word(out, raw):
    cleaned = " ".join(_paragraph_texts((out / "clean.md").read_text()))
    spoken = " ".join(w.text for s in raw.segments for w in s.words)
    assert not set(re.findall(r"[a-z']+", cleaned.lower())) & ENGLISH.fillers
    assert _content_words(cleaned) == _content_words(spoken)
    assert len(_content_words(spoken)) > 150


def test_disfluencies_injected_into_real_timings_are_exactly_the_ones_removed(raw):
    """Every 9th word gets a filler, a repeat or a hedge before it: the cleanup must undo exactly that."""
    dirty = Transcript.from_dict(raw.to_dict())
    injected = []
    for segment in dirty.segments:
        words: list[Word] = []
        for i, word in enumerate(segment.words):
            if i % 9 == 4 and words:
                extra = _disfluency(len(injected), words, word)
                words += [Word(text, word.start, word.start, 0.9) for text in extra]
                injected += extra
            words.append(word)
        segment.words = words
    episode = Episode(id="x", title="x")
    expected = [t.norm for t in clean_transcript(raw, episode).tokens() if t.kept]
    tokens = list(clean_transcript(dirty, episode).tokens())
    repeats = set(injected) - {" um,", " you", " know,"}
    assert len(injected) > 30 and {" um,", " you"} < set(injected) and repeats
    assert sum(not t.kept for t in tokens) == len(injected)
    assert [t.norm for t in tokens if t.kept] == expected


def _disfluency(n: int, before: list[Word], word: Word) -> list[str]:
    """A filler, a hedge set off by commas, or the word said twice (where twice is not meant)."""
    bare = word.text.strip()
    if n % 3 == 1 and bare.isalpha() and bare.lower() not in ENGLISH.repeatable:
        return [word.text]
    if n % 3 == 2:
        before[-1] = Word(before[-1].text.rstrip(",.") + ",", before[-1].start, before[-1].end)
        return [" you", " know,"]
    return [" um,"]


def _check_cues(cues: list[tuple[float, float, str]]) -> None:
    previous_end = 0.0
    for start, end, text in cues:
        lines = text.splitlines()
        assert 1 <= len(lines) <= MAX_LINES, text
        assert all(len(line) <= LINE_CHARS for line in lines), text
        assert MIN_S - 1e-3 <= end - start <= MAX_S + 1e-3, (start, end, text)
        assert start >= previous_end - 1e-3, (start, previous_end)
        previous_end = end


def test_subtitles_parse_back_and_keep_to_the_limits(out):
    from_srt = [(c.start.total_seconds(), c.end.total_seconds(), c.content)
                for c in srt.parse((out / "clean.srt").read_text())]
    from_vtt = [(_seconds(c.start), _seconds(c.end), c.text) for c in webvtt.read(str(out / "clean.vtt"))]
    for cues in (from_srt, from_vtt):
        _check_cues(cues)
    assert [text for *_, text in from_srt] == [text for *_, text in from_vtt]
    said = " ".join(_paragraph_texts((out / "clean.md").read_text()))
    assert " ".join(text.replace("\n", " ") for *_, text in from_srt).split() == said.split()


def _seconds(clock: str) -> float:
    hours, minutes, seconds = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def test_docx_highlights_the_flagged_words(out):
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX

    flagged = [w["text"] for w in json.loads((out / "clean.json").read_text())["words"] if w["flagged"]]
    document = Document(str(out / "clean.docx"))
    highlighted = " ".join(r.text for p in document.paragraphs for r in p.runs
                           if r.font.highlight_color == WD_COLOR_INDEX.YELLOW)
    assert flagged and highlighted.split() == flagged


def _edit(markdown: str) -> tuple[str, str]:
    """Rename the second story's heading and delete the first paragraph of the third."""
    headings = re.findall(r"^## .*$", markdown, flags=re.MULTILINE)
    renamed = markdown.replace(headings[1], "## A heading the editor wrote", 1)
    third = renamed.index(headings[2])
    paragraph = re.search(r"^\[\d+:\d\d\].*\n\n", renamed[third:], flags=re.MULTILINE)
    start, end = third + paragraph.start(), third + paragraph.end()
    deleted = re.sub(r"^\[[^\]]*\](\(<[^>]*>\))? ", "", paragraph.group().strip())
    return renamed[:start] + renamed[end:], deleted


def _telltale(text: str) -> str:
    """The last five words of the paragraph's first long sentence, as a summary would quote them."""
    sentences = re.split(r"(?<=[.!?]) ", text.replace("*", ""))
    return " ".join(next(s for s in sentences if len(s.split()) >= 8).split()[-5:]).lower()


def test_edited_markdown_renders_into_the_article(out, tmp_path):
    from recap.app.pipeline import Pipeline
    from recap.core.options import RunOptions

    markdown = (out / "clean.md").read_text()
    edited, deleted = _edit(markdown)
    (tmp_path / "edited.md").write_text(edited)
    result = run_recap("render", str(tmp_path / "edited.md"), "-o", str(tmp_path / "article"))
    assert result.returncode == 0, result.stderr
    article = (tmp_path / "article" / "article.md").read_text()
    assert "### A heading the editor wrote" in article
    assert _telltale(deleted) not in article.replace("\n", " ").lower()
    unedited = Pipeline(RunOptions(out_dir=tmp_path / "unedited", formats=("md",), cache_dir=tmp_path / "c"),
                        transcriber=ScriptedTranscriber())  # renders a file: nothing to transcribe
    unedited.render_file(out / "clean.md")
    assert _telltale(deleted) in (tmp_path / "unedited" / "article.md").read_text().replace("\n", " ").lower()

    stamps = {title: clock for title, clock in re.findall(r"^## (.*?)(?: <!--.*)?\n\n\[(\d+:\d\d)\]", edited,
                                                           flags=re.MULTILINE)}
    stories = json.loads((tmp_path / "article" / "stories.json").read_text())["stories"]
    for story in stories:
        minutes, seconds = stamps[story["title"]].split(":")
        assert story["start"] == int(minutes) * 60 + int(seconds)
    assert len(stories) == len(stamps)  # a heading left with no paragraph is no story


def test_rerun_refuses_to_overwrite_an_edited_file_unless_forced(out, samples, shared_cache, tmp_path):
    shutil.copytree(out, tmp_path, dirs_exist_ok=True)
    edited = (tmp_path / "clean.md").read_text() + "\nThe editor's own note.\n"
    (tmp_path / "clean.md").write_text(edited)
    txt_before = (tmp_path / "clean.txt").stat().st_mtime_ns
    args = ["clean", str(samples / f"{EPISODE}.mp4"), "-o", str(tmp_path), "--url", PAGE,
            "--cache-dir", str(shared_cache), "--format", "txt,md"]

    message = assert_one_line_error(run_recap(*args))
    assert "clean.md was edited" in message and "--force" in message
    assert (tmp_path / "clean.md").read_text() == edited
    assert (tmp_path / "clean.txt").stat().st_mtime_ns == txt_before

    forced = run_recap(*args, "--force")
    assert forced.returncode == 0, forced.stderr
    assert (tmp_path / "clean.md").read_text() == (out / "clean.md").read_text()
