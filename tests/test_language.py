"""The spoken-English rules in recap.language that segment, render and clean share."""

from __future__ import annotations

import subprocess
import sys

import pytest

from recap.app.entries import entry_date, parse_date
from recap.language.lexicon import spoken_stop_words, stop_words
from recap.language.profile import default_cues
from recap.language.sentences import split_sentences, without_speaker_labels
from recap.stages.fetch import iso_date
from recap.stages.render.summary import clean_sentence
from recap.stages.segment.parsing import lead_text

cues = default_cues  # the shipped profile's compiled cues


def test_speaker_labels_are_one_rule_for_sentences_headings_and_summaries():
    text = "Anna Lee: Welcome to the show.\n  Dr. Jane Smith:\tThanks for having me.\nLinks:\nnone here"
    assert without_speaker_labels(text) == "Welcome to the show.\nThanks for having me.\nLinks:\nnone here"
    assert [s.speaker for s in split_sentences(text)] == ["Anna Lee", "Dr. Jane Smith", None]
    assert lead_text(text, cues()).startswith("Welcome to the show. Thanks for having me. Links:")
    assert clean_sentence("Anna Lee: Orca Labs has released a seven billion parameter model.") == \
        "Orca Labs has released a seven billion parameter model."


def test_lead_in_takes_filler_and_announcing_words_off_a_printed_sentence():
    said = "Okay, so, next up, Orca Labs released Harbor."
    assert cues().lead_in.sub("", said) == "Orca Labs released Harbor."
    assert cues().lead_in.sub("", "The next story is that Cobalt shipped a chip.") == "Cobalt shipped a chip."
    assert cues().lead_in.sub("", "Sony released a camera.") == "Sony released a camera."
    assert clean_sentence("Um, next up, Orca Labs released a model for kitchens.") == \
        "Orca Labs released a model for kitchens."


def test_heading_lead_in_keeps_its_own_order():
    # "next" is tried before "next up": the heading sees "up, ..." (the profile's [heading_lead_in]).
    assert cues().heading_lead_in.sub("", "So, next up, September.") == "up, September."
    assert cues().heading_lead_in.sub("", "Alright, in other news: Harbor 7B is out.") == "Harbor 7B is out."
    assert cues().heading_lead_in.sub("", "Yeah, Harbor 7B is out.") == "Yeah, Harbor 7B is out."


def test_a_sign_off_the_recogniser_ran_on_after_a_comma_opens_its_own_sentence():
    text = ("Tokens still cost money, and money gets optimized as much as we can muster, that's the news "
            "for now, but go and subscribe to the newsletter. Thanks, that was fun.")
    sentences = [s.text for s in split_sentences(text)]
    assert sentences == ["Tokens still cost money, and money gets optimized as much as we can muster,",
                         "that's the news for now, but go and subscribe to the newsletter.",
                         "Thanks, that was fun."]
    assert len(split_sentences("The chip is fast, that's the point, and it is cheap.")) == 1


def test_a_sign_off_run_on_after_a_quote_or_a_paragraph_without_a_stop_opens_its_own_sentence():
    """A flattened page loses the line break after a paragraph that ended on a quote or on no
    stop at all; a capitalised sign-off or sponsor read there still starts a sentence."""
    text = ("He calls it \"the job of the decade\" That's the news for now! Subscribe to the newsletter. "
            "Grab the free tier today It's now time for sponsored news. Cobalt makes chips.")
    assert [s.text for s in split_sentences(text)] == [
        'He calls it "the job of the decade"', "That's the news for now!", "Subscribe to the newsletter.",
        "Grab the free tier today", "It's now time for sponsored news.", "Cobalt makes chips."]
    assert len(split_sentences("He said that's all for today and left.")) == 1


def test_filler_before_a_cue_phrase():
    assert cues().opener.search("Okay, so, next news: Orca Labs has a new model.")
    assert cues().release.search("So Orca Labs has open-sourced Harbor.")
    assert cues().release.search("Well, Cobalt Semiconductor rolled out the Falcon chip.")
    assert not cues().release.search("It was released last week.")


def test_story_opener_wants_a_release_told_in_the_past():
    assert cues().story_opener.search("Orca Labs released Harbor 7B this week.")
    assert cues().story_opener.search("Meta open-sourced its speech model.")
    assert not cues().story_opener.search("The demo reveals how it works.")


def test_two_greetings_for_two_jobs():
    assert cues().greeting.search("Hello and welcome to Tensor Weekly.")
    assert cues().greeting.search("This is the Tensor Weekly show.")
    assert not cues().greeting.search("This is a packed episode.")
    assert cues().still_greeting.search("This is a packed episode.")
    assert cues().still_greeting.search("Let's dive in.")
    assert not cues().still_greeting.search("Orca Labs released Harbor.")


def test_stop_words():
    assert {"the", "and", "which"} <= stop_words()
    assert "harbor" not in stop_words() and "yeah" not in stop_words()
    assert {"yeah", "okay", "i'm"} <= spoken_stop_words()
    assert stop_words() < spoken_stop_words()


@pytest.mark.slow
def test_importing_the_stages_does_not_import_spacy():
    code = ("import sys, recap.stages.render, recap.stages.segment, recap.stages.clean; "
            "print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_yyyymmdd_dates():
    assert iso_date("20240315") == "2024-03-15"
    assert iso_date(None) is None and iso_date("NA") is None and iso_date(20240315) is None
    assert iso_date("2024-03-15") == "2024-03-15" and iso_date("20240230") is None
    assert parse_date(" 2024-03-15 ") == parse_date("20240315") == "2024-03-15"
    with pytest.raises(ValueError, match="use YYYY-MM-DD"):
        parse_date("15/03/2024")
    assert entry_date({"upload_date": "20240315", "release_date": "20230101"}) == "2024-03-15"
    assert entry_date({"release_date": "20231231"}) == "2023-12-31"
    assert entry_date({"upload_date": "NA", "timestamp": 86400}) == "1970-01-02"
    assert entry_date({}) is None


@pytest.mark.parametrize("sentence, closes", [
    ("Go to guide.example.com and search for your dependency.", True),
    ("Learn more at example.dev, it is free to start.", True),
    ("Head over to lumen.io to try it.", True),
    ("If you'd like a listing, fill out this form.", True),
    ("They fill out the same forms every year.", False),
    ("They go to great lengths to keep it fast.", False),
    ("Learn more about the chip in a minute.", False),
    # a host ends an item by inviting replies or sending readers to the page
    ("Hit reply, I'd love to hear about it.", True),
    ("We'd love to hear your thoughts on it.", True),
    ("I'd love to hear the band play live.", False),
    ("Click through for the full explainers.", True),
])
def test_a_call_to_action_closes_a_read_or_a_story(sentence, closes):
    assert bool(cues().closer.search(sentence)) is closes


def test_a_sponsor_read_run_on_after_a_comma_opens_its_own_sentence():
    text = ("Agents are the most important technology of the decade, it's now time for sponsored news, "
            "Lumen makes your builds faster.")
    assert [s.text for s in split_sentences(text)][:2] == [
        "Agents are the most important technology of the decade,",
        "it's now time for sponsored news, Lumen makes your builds faster."]
    no_comma = "Deliver the goods it's out time for sponsored news. Lumen makes your builds faster."
    assert [s.text for s in split_sentences(no_comma)][:2] == [
        "Deliver the goods", "it's out time for sponsored news."]
    assert [s.text for s in split_sentences("Install it with `pipx` It's now time for sponsored news.")] == [
        "Install it with `pipx`", "It's now time for sponsored news."]
    # the words alone open nothing else: "it's time for" is no read
    assert len(split_sentences("Deliver the goods it's time for lunch.")) == 1
