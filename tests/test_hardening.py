"""Issue 15, hardening II: downloads keyed by URL and checked before reuse, transcript-cache entries
checked before use, undecodable media an error everywhere, a folder per episode whatever its title,
inputs that are regular files of sane size, user-caused "internal error"s turned into one line, and a
cookies file recap never writes."""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SAMPLES, ScriptedTranscriber, assert_one_line_error, run_recap

from recap.app import cli
from recap.app.archive import ARCHIVE_NAME, DAMAGED_NAME, Archive, Record
from recap.app.inputs import read_saved
from recap.app.pipeline import Pipeline
from recap.core.errors import RecapError
from recap.core.files import MAX_INPUT_BYTES, read_text
from recap.core.options import FetchOptions, Overrides, RunOptions
from recap.stages.fetch import download
from recap.stages.fetch.cookies import private_cookies
from recap.stages.fetch.ytdlp import ytdlp_params

SHOW_A, SHOW_B = SAMPLES / "tensor_weekly_13.mp3", SAMPLES / "tensor_weekly_14.mp3"
SCRIPT = ("Welcome to the show. Orca Labs released Harbor, an open model. In other news, Granite "
          "Systems announced Basalt, a compiler. That's all for this week.")


def _noise(path: Path) -> Path:
    """Random bytes under a media name (the same bytes every run)."""
    path.write_bytes(random.Random(15).randbytes(200_000))
    return path


def _serve(served_dir: Path, server: str, folder: str, files: dict[str, Path]) -> dict[str, str]:
    """Copies of ``files`` served under their own folder; their URLs by name."""
    urls = {}
    for name, source in files.items():
        target = served_dir / folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
        urls[name] = f"{server}/{folder}/{name}"
    return urls


# -- 1: downloads are keyed by their URL and checked before reuse ------------------------------
def test_two_urls_with_the_same_file_name_keep_their_own_media(server, served_dir, tmp_path):
    urls = _serve(served_dir, server, f"same-name-{tmp_path.name}",
                  {"a/episode.mp3": SHOW_A, "b/episode.mp3": SHOW_B})
    hears = ScriptedTranscriber(SCRIPT)
    options = RunOptions(cache_dir=tmp_path / "cache", formats=("json",), retries=0)
    for name in ("a", "b"):
        pipeline = Pipeline(replace(options, out_dir=tmp_path / name), transcriber=hears)
        pipeline.run(urls[f"{name}/episode.mp3"])

    assert len(hears.heard) == 2, "the second show got the first one's transcript"
    assert hears.heard[0].read_bytes() == SHOW_A.read_bytes()
    assert hears.heard[1].read_bytes() == SHOW_B.read_bytes()
    episodes = [json.loads((tmp_path / name / "episode.json").read_text()) for name in ("a", "b")]
    assert [e["url"] for e in episodes] == [urls["a/episode.mp3"], urls["b/episode.mp3"]]


def test_a_cached_download_cut_short_or_written_over_is_downloaded_again(server, served_dir, tmp_path,
                                                                         caplog):
    url = _serve(served_dir, server, f"cached-{tmp_path.name}", {"episode.mp3": SHOW_A})["episode.mp3"]
    options = FetchOptions(download_dir=tmp_path / "media", retries=0)
    _, media = download(url, options)
    whole = media.read_bytes()
    assert whole == SHOW_A.read_bytes()
    note = json.loads(media.with_name(media.name + ".recap.json").read_text())
    assert note["url"] == url and note["size"] == len(whole)

    written = media.stat().st_mtime_ns
    assert download(url, options)[1] == media and media.stat().st_mtime_ns == written  # sound: reused
    assert "again" not in caplog.text

    for damage in (whole[: len(whole) // 3], whole[::-1]):  # cut short; written over, same size
        caplog.clear()
        media.write_bytes(damage)
        with caplog.at_level(logging.WARNING):
            _, again = download(url, options)
        assert again.read_bytes() == whole
        assert "downloading it again" in caplog.text


@pytest.mark.slow
def test_a_feed_of_guidless_items_with_the_same_file_name_gives_each_its_own_article(
        server, served_dir, shared_cache, tmp_path):
    folder = f"feed-{tmp_path.name}"
    urls = _serve(served_dir, server, folder, {"a/episode.mp3": SHOW_A, "b/episode.mp3": SHOW_B})
    items = "".join(
        f"<item><title>{title}</title><pubDate>{date}</pubDate>"
        f'<enclosure url="{urls[name]}" type="audio/mpeg" length="1"/></item>'
        for title, date, name in (("Show A", "Mon, 12 Jan 2026 09:00:00 GMT", "a/episode.mp3"),
                                  ("Show B", "Mon, 05 Jan 2026 09:00:00 GMT", "b/episode.mp3")))
    (served_dir / folder / "feed.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Two shows</title>'
        f"<link>{server}/</link><description>x</description>{items}</channel></rss>", encoding="utf-8")
    out = tmp_path / "out"
    result = run_recap("channel", f"{server}/{folder}/feed.xml", "-o", str(out), "--cache-dir",
                       str(shared_cache))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 done, 0 skipped, 0 failed" in result.stdout
    texts = {}
    for record in Archive(out).load().values():
        transcript = json.loads((out / record.folder / "transcript.json").read_text())
        texts[record.title] = " ".join(s["text"] for s in transcript["segments"])
    assert "Quill" in texts["Show A"] and "Quill" not in texts["Show B"]
    assert "compiler" in texts["Show B"] and "compiler" not in texts["Show A"]


# -- 2: transcript-cache entries are checked before use ---------------------------------------
def _cached_run(tmp_path: Path, media: Path, hears: ScriptedTranscriber, out: str):
    options = RunOptions(out_dir=tmp_path / out, formats=("json",), cache_dir=tmp_path / "cache")
    return Pipeline(options, transcriber=hears).run(str(media))


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "transcripts").iterdir())


def _shortened(entry: Path) -> None:
    data = json.loads(entry.read_text())
    data["transcript"]["segments"] = data["transcript"]["segments"][:1]
    data["transcript"]["duration"] = data["transcript"]["segments"][0]["end"]
    entry.write_text(json.dumps(data))


def _bare_transcript(entry: Path) -> None:  # as an older recap wrote entries, but one sentence short
    data = json.loads(entry.read_text())["transcript"]
    data["segments"] = data["segments"][:1]
    entry.write_text(json.dumps(data))


def _folder(entry: Path) -> None:
    entry.unlink()
    (entry / "inside").mkdir(parents=True)


DAMAGE = {
    "empty list": lambda entry: entry.write_text("[]"),
    "null": lambda entry: entry.write_text("null"),
    "segments not a list": lambda entry: entry.write_text('{"segments": "abc"}'),
    "words not a list": lambda entry: entry.write_text(
        '{"segments": [{"start": 0, "end": 1, "text": "hi", "words": "abc"}]}'),
    "nested too deep": lambda entry: entry.write_text("[" * 100_000 + "]" * 100_000),
    "a folder": _folder,
    "shortened": _shortened,
    "older layout": _bare_transcript,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_cache_entry_that_still_parses_is_rebuilt_with_a_warning(tmp_path, caplog, damage):
    media = tmp_path / "show.mp3"
    shutil.copy(SHOW_A, media)
    hears = ScriptedTranscriber(SCRIPT)
    first = _cached_run(tmp_path, media, hears, "first")
    (entry,) = _entries(tmp_path)
    DAMAGE[damage](entry)

    with caplog.at_level(logging.WARNING):
        second = _cached_run(tmp_path, media, hears, "second")

    assert second.transcribed and "damaged" in caplog.text
    read = [(tmp_path / name / "transcript.json").read_text() for name in ("first", "second")]
    assert read[0] == read[1]
    assert not _cached_run(tmp_path, media, hears, "third").transcribed  # the rebuilt entry is used
    assert [first.transcribed, len(hears.heard)] == [True, 2]


def test_a_cache_entry_copied_under_another_key_is_not_used(tmp_path, caplog):
    show_a, show_b = tmp_path / "a.mp3", tmp_path / "b.mp3"
    shutil.copy(SHOW_A, show_a)
    shutil.copy(SHOW_B, show_b)
    hears = ScriptedTranscriber(SCRIPT)
    _cached_run(tmp_path, show_a, hears, "a")
    (entry_a,) = _entries(tmp_path)
    _cached_run(tmp_path, show_b, ScriptedTranscriber("Quite another show. Nothing in common."), "b")
    entry_b = next(path for path in _entries(tmp_path) if path != entry_a)
    shutil.copy(entry_b, entry_a)  # a's key now holds b's words, intact and well formed

    with caplog.at_level(logging.WARNING):
        assert _cached_run(tmp_path, show_a, hears, "again").transcribed
    assert "damaged" in caplog.text
    assert "Harbor" in (tmp_path / "again" / "transcript.json").read_text()


@pytest.mark.slow
def test_a_folder_in_place_of_a_cache_entry_is_a_warning_not_an_internal_error(tmp_path):
    cache = tmp_path / "cache"
    first = run_recap(str(SHOW_A), "-o", str(tmp_path / "first"), "--cache-dir", str(cache))
    assert first.returncode == 0, first.stderr
    (entry,) = (cache / "transcripts").iterdir()
    _folder(entry)

    second = run_recap(str(SHOW_A), "-o", str(tmp_path / "second"), "--cache-dir", str(cache))

    assert second.returncode == 0, second.stderr
    lines = [line for line in second.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "damaged" in lines[0] and "internal error" not in second.stderr
    assert entry.is_file()  # rebuilt


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
    url = _serve(served_dir, server, f"noise-{tmp_path.name}", {"noise.mp3": noise})["noise.mp3"]
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


# -- 5: a title with nothing usable in a file name still gets a folder of its own ---------------
@pytest.mark.parametrize("title", ["..", "...", "~", "   ", "-", "🚀", "\x07"])
def test_titles_with_no_usable_character_give_each_episode_its_own_folder(tmp_path, monkeypatch, title):
    monkeypatch.chdir(tmp_path)
    options = RunOptions(formats=("md",), cache_dir=tmp_path / "cache", overrides=Overrides(title=title))
    show_a, show_b = SAMPLES / "tensor_weekly_13.txt", SAMPLES / "tensor_weekly_14.txt"
    first, second, again = (Pipeline(options).run(str(path)) for path in (show_a, show_b, show_a))

    assert first.out_dir != second.out_dir and again.out_dir == first.out_dir  # a rerun finds its own
    assert {first.out_dir.parent, second.out_dir.parent} == {tmp_path}
    assert first.out_dir.name.startswith("episode-") and second.out_dir.name.startswith("episode-")
    assert "Quill" in (first.out_dir / "article.md").read_text()
    assert "Basalt" in (second.out_dir / "article.md").read_text()


def test_media_with_the_same_unusable_title_get_their_own_folders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    options = RunOptions(formats=("md",), cache_dir=tmp_path / "cache", overrides=Overrides(title=".."))
    folders = {Pipeline(options, transcriber=ScriptedTranscriber()).run(str(media)).out_dir
               for media in (SHOW_A, SHOW_B)}
    assert len(folders) == 2


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
    url = _serve(served_dir, server, folder, {"show.mp3": SHOW_A})["show.mp3"]
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


# -- 13: the cookies file is read, never written -----------------------------------------------
COOKIES = ("# Netscape HTTP Cookie File\n# my notes: exported for recap, keep this line\n\n"
           "127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tabc123\n")


def test_yt_dlp_gets_a_private_copy_and_the_cookies_file_stays_as_it_was(server, served_dir, tmp_path):
    cookies = tmp_path / "cookies.txt"
    cookies.write_text(COOKIES)
    before = (cookies.read_bytes(), cookies.stat().st_mtime_ns)
    url = _serve(served_dir, server, f"cookies-{tmp_path.name}", {"episode.mp3": SHOW_B})["episode.mp3"]
    options = FetchOptions(download_dir=tmp_path / "media", cookies=cookies, retries=0)

    _, media = download(url, options)  # yt-dlp saves its cookie jar when it closes

    assert media.read_bytes() == SHOW_B.read_bytes()
    assert (cookies.read_bytes(), cookies.stat().st_mtime_ns) == before
    copy = Path(ytdlp_params(options)["cookiefile"])
    assert copy != cookies and "abc123" in copy.read_text()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600 and stat.S_IMODE(copy.parent.stat().st_mode) == 0o700


def test_a_missing_or_foreign_cookies_file_is_one_clear_error(tmp_path):
    missing = tmp_path / "missing.txt"
    with pytest.raises(RecapError, match="cookies file: no such file"):
        private_cookies(missing)
    assert not missing.exists()

    secret = tmp_path / "notes.txt"
    secret.write_text("password=hunter2\nanother line of notes\n")
    with pytest.raises(RecapError, match="not a Netscape cookies file") as caught:
        private_cookies(secret)
    assert "hunter2" not in str(caught.value)

    exported = tmp_path / "cookies.json"
    exported.write_text('[{"domain": ".example.com", "name": "sid", "value": "x"}]')
    with pytest.raises(RecapError, match="JSON"):
        private_cookies(exported)


def test_lines_that_are_not_cookies_are_left_out_with_one_warning(tmp_path, caplog):
    cookies = tmp_path / "cookies.txt"
    cookies.write_text(COOKIES + "secret junk line\nmore junk\n")
    with caplog.at_level(logging.WARNING):
        copy = private_cookies(cookies)
    assert "abc123" in copy.read_text() and "junk" not in copy.read_text()
    assert "left out 2 line(s)" in caplog.text and "junk" not in caplog.text


@pytest.mark.slow
def test_cookies_errors_from_the_command_line(server, tmp_path):
    missing = tmp_path / "missing.txt"
    result = run_recap(f"{server}/tensor_weekly_13.mp3", "--cookies", str(missing),
                       "--cache-dir", str(tmp_path / "cache"))
    assert "no such file" in assert_one_line_error(result)
    assert not missing.exists()

    notes = tmp_path / "notes.txt"
    notes.write_text("".join(f"line {n} of my notes\n" for n in range(28)))
    result = run_recap(f"{server}/tensor_weekly_13.mp3", "--cookies", str(notes),
                       "--cache-dir", str(tmp_path / "cache"))
    assert "not a Netscape cookies file" in assert_one_line_error(result)
    assert "my notes" not in result.stderr
