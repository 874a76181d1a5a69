"""Names in recap's own text spelt as the description and the links spell them."""

from __future__ import annotations

import pytest

from recap.core.document import Episode, Link
from recap.language.spelling import respell_names, written_names
from recap.stages.segment.outline import spelt_names

NAMES = ["Orca Labs", "Sketch to Song", "Kitchen World", "TimescaleDB", "Harbor 7B"]


@pytest.mark.parametrize(("heard", "written"), [
    ("Or Calabs has released a new open model.", "Orca Labs has released a new open model."),
    ("A fun demo called Sketch Song. You draw", "A fun demo called Sketch to Song. You draw"),
    ("It runs on timescale DB, they say", "It runs on TimescaleDB, they say"),
    ("the orca labs team", "the Orca Labs team"),
    ("Kitchen World and Sketch to Song.", "Kitchen World and Sketch to Song."),  # "and" is no part of a name
    ("Orca, Labs and more", "Orca, Labs and more"),  # a name never spans a comma
    ("a kitchen and a world", "a kitchen and a world"),
    ("Harbour 7B is out", "Harbor 7B is out"),
])
def test_misheard_names_take_the_written_spelling(heard, written):
    assert respell_names(heard, NAMES) == written


def test_short_names_respell_nothing():
    assert respell_names("The AI is here, say hi", ["AI", "Hi"]) == "The AI is here, say hi"


def test_the_description_prose_gives_its_names_not_its_link_lines():
    description = ("This week on Tensor Weekly: an open model from Orca Labs, a demo called Sketch to Song "
                   "and PyTorch news.\n\nOUTLINE:\n0:00 - Intro\nJoin the Discord: https://discord.gg/x\n")
    assert written_names(description) == ["Tensor Weekly", "Orca Labs", "Sketch to Song", "PyTorch"]


def test_names_come_from_labels_and_page_titles_never_from_url_slugs():
    links = [Link("https://orcalabs.example.com/blog/harbor-7b", label="Harbor 7B announcement"),
             Link("https://ids.example/x1", title="Lovely Tensors: debugging made friendlier"),
             Link("https://example.com/the-end-of-an-era"),
             Link("https://ids.example/x2", title="Stop generating, start thinking"),
             Link("https://ids.example/x3", title="What a very long page title this is")]
    assert spelt_names("", links) == ["Harbor 7B", "Lovely Tensors"]  # a label without its generic words


def test_clean_flags_misheard_names_with_the_written_spelling_and_keeps_what_was_heard(samples, tmp_path):
    import json

    from conftest import ScriptedTranscriber

    from recap.app.editing import clean_files
    from recap.app.pipeline import Pipeline
    from recap.core.options import CleanOptions, Overrides, RunOptions

    heard = ("Welcome to Tensor Weekly. Or Calabs released Harbor, an open model. "
             "A fun demo called Sketch Song.")
    options = RunOptions(cache_dir=tmp_path / "cache", link_pages=False, overrides=Overrides(
        description_file=samples / "tensor_weekly_12.description.txt"))
    pipeline = Pipeline(options, transcriber=ScriptedTranscriber(heard))
    clean_files(pipeline, str(samples / "tensor_weekly_12.mp3"),
                CleanOptions(out_dir=tmp_path / "out", formats=("json", "md")))

    words = json.loads((tmp_path / "out" / "clean.json").read_text())["words"]
    suggested = [(w["text"], w["suggestion"]) for w in words if w["suggestion"]]
    assert suggested == [("Or", "Orca Labs"), ("Calabs", "Orca Labs"), ("Sketch", "Sketch to Song"),
                         ("Song.", "Sketch to Song")]
    assert all(w["flagged"] for w in words if w["suggestion"])
    md = (tmp_path / "out" / "clean.md").read_text()
    assert "*Or Calabs*" in md and "*Sketch Song*" in md and "Tensor Weekly" in md.replace("*", "")


def test_misheard_words_are_found_in_a_word_list():
    from recap.language.spelling import misheard

    words = ["welcome", "to", "Tensor", "Weekly,", "and", "Or", "Calabs", "said", "Orca,", "Labs"]
    together = lambda a, b: not words[a].endswith(",")  # noqa: E731
    assert misheard(words, ["Tensor Weekly", "Orca Labs"], together) == {5: "Orca Labs", 6: "Orca Labs"}


def test_a_profiles_glossary_spells_names_the_description_never_writes(tmp_path, samples):
    from recap.core.document import TimedText, Transcript
    from recap.language.profile import load_profile
    from recap.stages.render import build_article
    from recap.stages.segment import outline, segment

    profile = tmp_path / "myshow.toml"
    profile.write_text('extends = "news"\n\n[glossary]\n# the lab whose name the recogniser splits\n'
                       'orca = "Orca Labs"\n')
    shows = load_profile(str(profile))
    said = "Welcome to the show. Or Calabs released Harbor, a new open model that runs on one graphics card."
    segments = [{"start": 0.0, "end": 9.0, "text": said}]
    heard = TimedText.from_transcript(Transcript.from_dict({"segments": segments}))

    stories = outline(segment(heard, profile=shows), "", profile=shows)
    article = build_article(Episode(id="x", title="x"), stories, shows)

    assert stories.names == ["Orca Labs"]
    written = " ".join(s.summary for sec in article.sections for s in sec.stories) + article.intro
    assert "Orca Labs released Harbor" in written
