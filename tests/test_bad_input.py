"""Bad input is one line and a non-zero exit, never a traceback or a hang: media that does not
decode, files that are no regular files or too large, JSON of the wrong shape, options out of range."""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, ScriptedTranscriber, assert_one_line_error, run_recap, serve_copies

from recap.app import cli
from recap.app.archive import ARCHIVE_NAME, DAMAGED_NAME, Archive, Record
from recap.app.inputs import read_saved
from recap.app.pipeline import Pipeline
from recap.core.errors import RecapError
from recap.core.files import MAX_INPUT_BYTES, read_text
from recap.core.options import Overrides, RunOptions

SHOW_A, SHOW_B = SAMPLES / "tensor_weekly_13.mp3", SAMPLES / "tensor_weekly_14.mp3"


def _noise(path: Path) -> Path:
    """Random bytes under a media name (the same bytes every run)."""
    path.write_bytes(random.Random(15).randbytes(200_000))
    return path


# -- 3: undecodable media is an error everywhere ------------------------------------------------
@pytest.mark.parametrize("suffix", [".mp3", ".mp4", ".wav", ".m4a"])
def test_random_bytes_named_as_media_are_an_error_before_any_transcriber(tmp_path, suffix):
    hears = ScriptedTranscriber()
    pipeline = Pipeline(RunOptions(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache"), transcriber=hears)
    with pytest.raises(RecapError, match="cannot read audio"):
        pipeline.run(str(_noise(tmp_path / f"noise{suffix}")))
    assert hears.heard == [] and not (tmp_path / "out").exists()


def test_random_bytes_downloaded_are_an_error_naming_the_url(server, served_dir, tmp_path):
    noise = _noise(tmp_path / "noise.mp3")
    url = serve_copies(served_dir, server, f"noise-{tmp_path.name}", {"noise.mp3": noise})["noise.mp3"]
    pipeline = Pipeline(RunOptions(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache", retries=0),
                        transcriber=ScriptedTranscriber())
    with pytest.raises(RecapError, match=f"^{url}: cannot read audio"):
        pipeline.run(url)


@pytest.mark.slow
@pytest.mark.parametrize("command", ["run", "transcribe", "clean"])
def test_random_bytes_named_mp3_are_one_line_for_every_command(tmp_path, command):
    out = tmp_path / "out"
    result = run_recap(command, str(_noise(tmp_path / "noise.mp3")), "-o", str(out),
                       "--cache-dir", str(tmp_path / "cache"))
    assert "cannot read audio" in assert_one_line_error(result)
    assert not out.exists() or not list(out.iterdir())


# -- 8: inputs are regular files of sane size -------------------------------------------------
@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    return path


def test_read_text_refuses_what_would_be_read_forever_or_whole(tmp_path, fifo):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)  # sparse: costs no disk
    for path, message in [(Path("/dev/zero"), "not a regular file"), (fifo, "not a regular file"),
                          (huge, "too large"), (tmp_path, "is a folder"),
                          (tmp_path / "nope", "no such file")]:
        with pytest.raises(RecapError, match=message):
            read_text(path)
    assert "64 MB" in str(pytest.raises(RecapError, read_text, huge).value)


def test_a_named_pipe_as_any_input_is_refused(tmp_path, fifo):
    pipeline = Pipeline(RunOptions(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache",
                                   overrides=Overrides(description_file=fifo)))
    with pytest.raises(RecapError, match="not a regular file"):
        pipeline.segment_file(fifo)
    with pytest.raises(RecapError, match="not a regular file"):
        pipeline.run(str(SAMPLES / "tensor_weekly_13.txt"))  # the pipe as --description
    media = tmp_path / "pipe.mp3"
    os.mkfifo(media)
    with pytest.raises(RecapError, match="not a regular file"):
        pipeline.run(str(media))


@pytest.mark.slow
def test_dev_zero_and_pipes_end_in_one_line_not_a_hang(tmp_path, fifo):
    transcript = str(SAMPLES / "tensor_weekly_13.txt")
    for args in (["--description", "/dev/zero"], ["--template", "/dev/zero"], ["--template", str(fifo)]):
        result = run_recap(transcript, "-o", str(tmp_path / "out"), *args, timeout=60)
        assert "not a regular file" in assert_one_line_error(result)
    result = run_recap("segment", str(fifo), timeout=60)
    assert "not a regular file" in assert_one_line_error(result)


# -- 12: user-caused "internal error"s ---------------------------------------------------------
BAD_FILES = {
    "segments null": ({"segments": None}, "segments"),
    "segment start text": ({"segments": [{"start": "0", "end": 1, "text": "Hi."}]}, "segments[0].start"),
    "segment text number": ({"segments": [{"start": 0, "end": 1, "text": 5}]}, "segments[0].text"),
    "segment not an object": ({"segments": ["Hi."]}, "segments[0]"),
    "segment without end": ({"segments": [{"start": 0, "text": "Hi."}]}, "segments[0].end"),
    "word text number": ({"segments": [{"start": 0, "end": 1, "text": "Hi.", "words": [
        {"text": 1, "start": 0, "end": 1}]}]}, "segments[0].words[0].text"),
    "negative time": ({"segments": [{"start": -4, "end": 1, "text": "Hi."}]}, "segments[0].start"),
    "duration text": ({"segments": [], "duration": "long"}, "duration"),
    "repairs null": ({"segments": [], "repairs": None}, "repairs"),
    "stories not a list": ({"stories": "abc"}, "stories"),
    "story title number": ({"stories": [{"title": 1, "text": "Hi.", "span": [0, 3]}]}, "stories[0].title"),
    "story span text": ({"stories": [{"title": "A", "text": "Hi.", "span": "ab"}]}, "stories[0].span"),
    "story span backwards": ({"stories": [{"title": "A", "text": "Hi.", "span": [3, 0]}]}, "stories[0].span"),
    "story kind unknown": ({"stories": [{"title": "A", "text": "Hi.", "span": [0, 3], "kind": "weather"}]},
                           "stories[0].kind"),
    "story links text": ({"stories": [{"title": "A", "text": "Hi.", "span": [0, 3], "links": ["x"]}]},
                         "stories[0].links[0]"),
    "story episode title": ({"stories": [], "episode": {"id": "e", "title": 5}}, "episode.title"),
    "story episode chapters": ({"stories": [], "episode": {"id": "e", "title": "T", "chapters": [1]}},
                               "episode.chapters[0]"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_json_of_the_wrong_shape_is_a_recap_error_naming_the_field(tmp_path, case):
    data, field = BAD_FILES[case]
    path = tmp_path / ("stories.json" if "stories" in data else "transcript.json")
    path.write_text(json.dumps(data))
    pipeline = Pipeline(RunOptions(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache"))
    with pytest.raises(RecapError) as caught:
        pipeline.render_file(path)
    assert str(caught.value).startswith(f"{path.name}: not a recap ")
    assert f"({field}" in str(caught.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000,
                                  '{"segments": ' + "[" * 600 + "]" * 600 + "}",
                                  '{"stories": [' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "]}"])
def test_deeply_nested_json_is_a_recap_error(tmp_path, text):
    path = tmp_path / "transcript.json"
    path.write_text(text)
    with pytest.raises(RecapError, match="transcript.json: not a recap"):
        read_saved(path)


def test_a_damaged_episode_json_beside_a_transcript_is_ignored_with_a_warning(tmp_path, caplog):
    shutil.copy(SAMPLES / "tensor_weekly_13.txt", tmp_path / "transcript.txt")
    (tmp_path / "episode.json").write_text('{"id": "e", "title": ["not", "text"]}')
    with caplog.at_level(logging.WARNING):
        saved = read_saved(tmp_path / "transcript.txt")
    assert saved.episode.title == "transcript" and "episode.json" in caplog.text


@pytest.mark.slow
@pytest.mark.parametrize("case", ["segments null", "story span text"])
def test_json_of_the_wrong_shape_is_one_line_from_the_command_line(tmp_path, case):
    data, field = BAD_FILES[case]
    path = tmp_path / ("stories.json" if "stories" in data else "transcript.json")
    path.write_text(json.dumps(data))
    line = assert_one_line_error(run_recap("render", str(path), "-o", str(tmp_path / "out")))
    assert field in line and "internal error" not in line


OUT_OF_RANGE = [
    ["run", "x.mp3", "--beam-size", "0"], ["run", "x.mp3", "--beam-size", "-3"],
    ["run", "x.mp3", "--beam-size", "2.5"], ["run", "x.mp3", "--batch-size", "-1"],
    ["transcribe", "x.mp3", "--retries", "-5"], ["run", "x.mp3", "--socket-timeout", "0"],
    ["run", "x.mp3", "--socket-timeout", "-1"], ["run", "x.mp3", "--socket-timeout", "nan"],
    ["run", "x.mp3", "--socket-timeout", "inf"], ["clean", "x.mp3", "--flag-below", "2"],
    ["clean", "x.mp3", "--flag-below", "-0.1"], ["channel", "http://x.example/feed", "--jobs", "0"],
    ["channel", "http://x.example/feed", "--limit", "-1"], ["run", "x.mp3", "--format", "pdf"],
    ["run", "x.mp3", "--beam-size", "100000"], ["run", "x.mp3", "--batch-size", "129"],
    ["run", "x.mp3", "--compute-type", "foo"], ["channel", "http://x.example/feed", "--jobs", "33"],
    ["channel", "http://x.example/feed", "--workers", "0"],
    ["channel", "http://x.example/feed", "--workers", "257"],
    ["channel", "http://x.example/feed", "--cluster", "localhost:8786"],
]


@pytest.mark.parametrize("argv", OUT_OF_RANGE, ids=lambda argv: " ".join(argv[2:]))
def test_an_option_out_of_range_is_one_line_and_a_hint(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(argv)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("recap: error: argument " + argv[2])
    assert f"see `recap {argv[0]} --help`" in err


@pytest.mark.parametrize(("option", "value", "expected"), [
    ("--beam-size", "1", 1), ("--batch-size", "0", 0), ("--retries", "0", 0),
    ("--socket-timeout", "0.5", 0.5), ("--beam-size", "32", 32), ("--batch-size", "128", 128),
    ("--compute-type", "int8_float32", "int8_float32"),
])
def test_an_option_at_the_edge_of_its_range_is_taken(option, value, expected):
    args = cli.parse_args(["x.mp3", option, value])
    assert getattr(args, option.lstrip("-").replace("-", "_")) == expected


@pytest.mark.slow
def test_usage_errors_are_one_line_from_the_command_line():
    result = run_recap("x.mp3", "--beam-size", "0")
    assert result.returncode == 2
    assert "--beam-size" in assert_one_line_error(result)


def _archive_with_a_torn_byte(out: Path) -> Archive:
    archive = Archive(out)
    for key in ("generic a", "generic b", "generic c"):
        archive.append(Record(key=key, status="failed", title=key[-1].upper(), reason="404"))
    lines = archive.path.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b'"B"', b'"\xc3"')  # half of a two-byte UTF-8 character
    archive.path.write_bytes(b"\n".join(lines))
    return archive


def test_archive_lines_that_are_not_utf8_or_not_records_are_skipped_and_kept(tmp_path, caplog):
    archive = _archive_with_a_torn_byte(tmp_path)
    with archive.path.open("ab") as handle:
        for bad in ({"key": "generic d", "status": "done", "title": "D", "folder": "../../etc"},
                    {"key": "generic e", "status": "done", "title": "E", "files": "abc"},
                    {"key": 5, "status": "done", "title": "F"}, ["not", "a", "record"]):
            handle.write(json.dumps(bad).encode() + b"\n")

    with caplog.at_level(logging.WARNING):
        records = archive.load()
    assert sorted(records) == ["generic a", "generic c"]
    assert "skipped 5 damaged line(s) (line 2, 4, 5, 6, 7)" in caplog.text
    archive.load()
    assert caplog.text.count("damaged line") == 1  # reported once

    archive.compact(records)
    assert sorted(Archive(tmp_path).load()) == ["generic a", "generic c"]
    kept = (tmp_path / DAMAGED_NAME).read_bytes().splitlines()
    assert len(kept) == 5 and b'"\xc3"' in kept[0]


@pytest.mark.slow
def test_a_channel_with_a_torn_archive_byte_still_lists_and_runs(server, served_dir, shared_cache, tmp_path):
    folder = f"torn-{tmp_path.name}"
    url = serve_copies(served_dir, server, folder, {"show.mp3": SHOW_A})["show.mp3"]
    (served_dir / folder / "feed.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Torn</title>'
        f"<link>{server}/</link><description>x</description><item><title>Show A</title>"
        f"<guid>torn-a</guid><pubDate>Mon, 12 Jan 2026 09:00:00 GMT</pubDate>"
        f'<enclosure url="{url}" type="audio/mpeg" length="1"/></item></channel></rss>', encoding="utf-8")
    feed, out = f"{server}/{folder}/feed.xml", tmp_path / "out"
    out.mkdir()
    _archive_with_a_torn_byte(out)

    listed = run_recap("channel", feed, "-o", str(out), "--list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split()[0] == "new" and "damaged line" in listed.stderr
    ran = run_recap("channel", feed, "-o", str(out), "--cache-dir", str(shared_cache))
    assert ran.returncode == 0, ran.stderr
    assert "1 done" in ran.stdout and "internal error" not in ran.stderr
    assert (out / DAMAGED_NAME).exists() and b"\xc3" not in (out / ARCHIVE_NAME).read_bytes()
