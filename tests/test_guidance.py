"""Description-guided transcription: the names Whisper is told to expect, and the cache key."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from conftest import EPISODE, SAMPLES, ScriptedTranscriber

from recap.app.cache import TranscriptCache
from recap.app.pipeline import Pipeline
from recap.core.document import Episode, Segment, Word
from recap.core.options import Overrides, RunOptions
from recap.stages.transcribe import GUIDANCE_CHARS, transcription_guidance

DESCRIPTION = (SAMPLES / f"{EPISODE}.description.txt").read_text()


def test_guidance_is_the_title_then_each_links_names_in_description_order():
    guidance = transcription_guidance("Tensor Weekly 12", DESCRIPTION)
    assert guidance.startswith("Tensor Weekly 12. ")
    names = ("Harbor", "Lovely Tensors", "Falcon", "Kitchen World", "Sketch")
    order = [guidance.index(name) for name in names]
    assert order == sorted(order)
    assert "Lovely Tensors" in guidance  # the label's spelling, not the slug's "lovely-tensors"
    assert "arxiv" not in guidance.lower()  # an id says nothing to listen for


def test_guidance_skips_channel_furniture_and_section_headers():
    guidance = transcription_guidance("Tensor Weekly 12", DESCRIPTION).lower()
    for furniture in ("twitter", "discord", "patreon", "merch", "store", "follow", "outline", "links"):
        assert furniture not in guidance


def test_guidance_is_written_as_text_for_whisper_to_continue():
    """The title as a sentence, then the names listed in one sentence: a bare list without full
    stops made tiny.en drop its own; a sentence per link made it cut sentences too often."""
    guidance = transcription_guidance("Tensor Weekly 12", DESCRIPTION)
    title, listed = guidance.split(". ", 1)
    assert title == "Tensor Weekly 12" and listed.endswith(".") and listed.count(".") == 1
    assert [name[0].isupper() for name in listed.split(", ")] == [True] * 5


def test_guidance_keeps_the_descriptions_spelling_and_says_each_word_once():
    description = ("https://en.wikipedia.org/wiki/HarfBuzz\n"
                   "https://github.com/harfbuzz/harfbuzz/blob/main/docs/wasm-shaper.md\n"
                   "https://github.com/frectonz/sql-studio\n")
    guidance = transcription_guidance("", description)
    assert "HarfBuzz" in guidance
    assert guidance.lower().count("harfbuzz") == 1
    assert guidance.index("HarfBuzz") < guidance.lower().index("wasm") < guidance.index("sql")


def test_guidance_stops_at_the_cap_on_a_whole_sentence():
    description = "\n".join(f"https://example.org/projects/name{chr(97 + i % 26)}{i}x-widget-{i}"
                            for i in range(60))
    guidance = transcription_guidance("A long show", description)
    assert len(guidance) <= GUIDANCE_CHARS
    assert guidance.endswith(".") and "namea0x" in guidance and "widget-59" not in guidance
    assert len(transcription_guidance("word " * 200, "")) <= GUIDANCE_CHARS


def test_no_guidance_from_nothing_or_only_furniture():
    assert transcription_guidance("", "") is None
    assert transcription_guidance("  ", "Follow us: https://twitter.com/someone\n") is None


def test_the_cache_key_includes_the_guidance():
    fields = {"transcriber": "scripted"}
    plain = TranscriptCache.key("abc", fields)
    assert TranscriptCache.key("abc", fields, None) == plain == TranscriptCache.key("abc", fields, "")
    guided = TranscriptCache.key("abc", fields, "Tensor Weekly 12. Lovely Tensors.")
    assert guided != plain
    assert guided != TranscriptCache.key("abc", fields, "Tensor Weekly 13. Kitchen World.")


def _pipeline(tmp_path: Path, hears: ScriptedTranscriber, **overrides) -> Pipeline:
    options = RunOptions(out_dir=tmp_path / "out", formats=("json",), cache_dir=tmp_path / "cache",
                         overrides=Overrides(**overrides))
    return Pipeline(options, transcriber=hears)


def test_the_pipeline_guides_the_transcriber_and_caches_per_guidance(tmp_path):
    media = SAMPLES / f"{EPISODE}.mp3"
    hears = ScriptedTranscriber()
    pipeline = _pipeline(tmp_path, hears)
    episode = Episode(id="12", title="Tensor Weekly 12", description=DESCRIPTION, extractor="generic")
    assert pipeline.transcript(media, episode=episode)[1]
    assert hears.guided == [transcription_guidance("Tensor Weekly 12", DESCRIPTION)]
    assert not pipeline.transcript(media, episode=episode)[1]  # the same guidance: the cached one

    unguided = Episode(id="12", title="", extractor="generic")
    assert pipeline.transcript(media, episode=unguided)[1]  # other guidance, another entry
    assert hears.guided[-1] is None
    assert not pipeline.transcript(media)[1]  # no guidance is the same entry as before guidance


def test_a_local_files_name_is_no_title_but_the_users_title_and_description_are(tmp_path):
    media = SAMPLES / f"{EPISODE}.mp3"
    hears = ScriptedTranscriber()
    local = Episode(id="x", title="tensor_weekly_12", extractor="local")
    _pipeline(tmp_path, hears).transcript(media, episode=local)
    assert hears.guided == [None]

    description = tmp_path / "description.txt"
    description.write_text(DESCRIPTION)
    pipeline = _pipeline(tmp_path, hears, title="Tensor Weekly 12", description_file=description)
    pipeline.transcript(media, episode=local)
    assert hears.guided[-1] == transcription_guidance("Tensor Weekly 12", DESCRIPTION)
    assert local.title == "tensor_weekly_12" and local.description == ""  # the episode is left alone


def _late_clip_repair(prompt: dict) -> tuple[list[dict], list[dict]]:
    """repair() over one 10 s clip whose words start 3 s in; the re-decode is recorded, not run."""
    from recap.stages.transcribe.checks import Clip
    from recap.stages.transcribe.engine import WhisperTranscriber

    transcriber = WhisperTranscriber()
    asked: list[dict] = []
    transcriber._redecode = lambda audio, clip, **options: asked.append(options) or []
    said = [Word(f" w{i}", 3.0 + 0.3 * i, 3.2 + 0.3 * i) for i in range(20)]
    segments = [Segment(3.0, said[-1].end, "".join(w.text for w in said), said)]
    _, repairs = transcriber.repair(np.zeros(16000 * 10, dtype=np.float32), [Clip(0.0, 10.0)], segments,
                                    prompt)
    return asked, repairs


def test_a_guided_clip_that_starts_late_is_decoded_again_without_the_guidance():
    asked, repairs = _late_clip_repair({"initial_prompt": "Tensor Weekly 12. Lovely Tensors."})
    assert [r["reason"] for r in repairs] == ["late start"] and asked == [{}]
    assert _late_clip_repair({}) == ([], [])  # unguided decodes are checked as before


@pytest.mark.slow
def test_guidance_spells_the_descriptions_names_at_least_as_well_with_tiny_en():
    from recap.language.description import read_description
    from recap.language.links import link_words
    from recap.stages.transcribe import WhisperTranscriber

    said = Counter(re.findall(r"[a-z0-9]+", (SAMPLES / f"{EPISODE}.txt").read_text().lower()))
    names = {w for d in read_description(DESCRIPTION) if not d.boilerplate for w in link_words(d.link)}
    names = {w for w in names if said[w]}

    def names_heard(guidance: str | None) -> int:
        transcript = WhisperTranscriber().transcribe(SAMPLES / f"{EPISODE}.mp3", guidance=guidance)
        heard = Counter(re.findall(r"[a-z0-9]+", " ".join(s.text for s in transcript.segments).lower()))
        return sum(min(said[w], heard[w]) for w in names)

    assert len(names) >= 8
    assert names_heard(transcription_guidance("Tensor Weekly 12", DESCRIPTION)) >= names_heard(None)
