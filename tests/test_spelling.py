"""Names in recap's own text spelt as the description and the links spell them."""

from __future__ import annotations

import pytest

from recap.document import Link
from recap.language.spelling import respell_names, written_names
from recap.segment.outline import spelt_names

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
