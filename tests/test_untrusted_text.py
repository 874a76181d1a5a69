"""What comes from a video or a user is checked where it enters: URLs recap would not fetch are
usage errors, text loses control characters and bidi overrides, links lose their credentials."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import SAMPLES, ScriptedTranscriber
from test_output_folders import script_for

from recap.app import cli
from recap.app.archive import Record
from recap.app.channel import summary_table
from recap.app.index import write_index
from recap.app.pipeline import Pipeline
from recap.core.document import Episode, plain_text
from recap.core.options import RunOptions
from recap.core.urls import is_http_url, public_url, time_url
from recap.stages.fetch import episode_from_info

SHOW = SAMPLES / "tensor_weekly_13.mp3"
SET = ("episode.json", "transcript.json", "stories.json", "article.md", "article.html", "article.json")


# -- 9: URLs are checked where they enter ----------------------------------------------------------
BAD_URLS = ["https://e.example.com/x.mp3\n<details open ontoggle=alert(1) x", "javascript:alert(1)",
            "ftp://e.example.com/x.mp3", "https://e.example.com/a b.mp3", "https://e.example.com/\u202ex",
            "https://e.example.com/\x07", "http://", "e.example.com/x.mp3"]


@pytest.mark.parametrize("url", BAD_URLS, ids=range(len(BAD_URLS)))
@pytest.mark.parametrize("command", ["run", "render", "clean"])
def test_a_bad_url_option_is_a_one_line_usage_error(command, url, capsys, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as stopped:
        cli.main([command, str(SAMPLES / "tensor_weekly_13.txt"), "-o", str(out), "--url", url])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and err.count("\n") == 1
    assert err.startswith("recap: error: argument --url: ") and f"see `recap {command} --help`" in err
    assert "<details" not in err.replace("'", "") or "\\n" in err  # shown escaped, never raw
    assert not out.exists()


@pytest.mark.parametrize("command", ["run", "transcribe", "clean", "channel"])
def test_a_source_url_that_recap_would_not_fetch_is_a_usage_error(command, capsys):
    for url in [url for url in BAD_URLS if "://" in url]:  # without one it is a path ("no such file")
        with pytest.raises(SystemExit) as stopped:
            cli.main([command, url])
        err = capsys.readouterr().err
        assert stopped.value.code == 2 and err.count("\n") == 1 and "argument URL" in err, err


def test_good_urls_and_paths_are_taken():
    assert cli.parse_args(["render", "x.txt", "--url", "https://www.youtube.com/watch?v=abc&t=5"]).url
    assert cli.parse_args(["x.mp3"]).source == "x.mp3" and cli.parse_args(["./a b.mp3"]).source == "./a b.mp3"
    assert cli.parse_args(["channel", "http://127.0.0.1:8000/feed.xml"]).source.endswith("feed.xml")


def test_only_clean_http_urls_become_links():
    assert is_http_url("https://e.example.com/x?y=1#z") and is_http_url("http://[::1]:80/x")
    for url in [*BAD_URLS, "http://[::1", "http://e.example.com:port/", "data:text/html,x", None, 5]:
        assert not is_http_url(url), url


# -- 10: text from the video without control characters; links without credentials --------------
HOSTILE = "Bell\x07 \x1b[31mred\x1b[0m \u202eevil\u202c \u2066isolated\u2069 \x9bC1"
IN_XML = "\u202eevil\u202c \u2066isolated\u2069 \x9bC1"  # XML 1.0 has no ESC or BEL, even escaped


def test_plain_text_drops_controls_escapes_and_bidi_overrides():
    assert plain_text(HOSTILE) == "Bell red evil isolated C1"
    assert plain_text("one\r\ntwo\tthree\x00", lines=True) == "one\ntwo\tthree"
    assert plain_text("one\ntwo\tthree") == "one two three"
    assert plain_text("Café – naïve ✓ עברית") == "Café – naïve ✓ עברית"  # real text stays


def test_public_urls_carry_no_user_info_and_no_secret_parameters():
    url = ("https://alice:hunter2@cdn.example.com:8443/ep.mp3?token=abc&id=7&X-Amz-Signature=f00"
           "&Key-Pair-Id=k&apiKey=1&access_token=2&q=a%20b#t=5&auth=3")
    assert public_url(url) == "https://cdn.example.com:8443/ep.mp3?id=7&q=a%20b#t=5"
    assert public_url("https://www.youtube.com/watch?v=abc&list=PL1&si=x") == \
        "https://www.youtube.com/watch?v=abc&list=PL1&si=x"
    assert public_url("javascript:alert(1)") is None and public_url(None) is None


_SECRETS = ("hunter2", "alice", "token", "abc123", "sig=", "Signature")


def no_secrets_or_controls(text: str) -> None:
    assert not [s for s in _SECRETS if s in text], text[:300]
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)


def test_a_downloaded_episodes_links_carry_no_credentials(server, served_dir, tmp_path):
    folder = served_dir / f"secret-{tmp_path.name}"
    folder.mkdir()
    shutil.copy(SHOW, folder / "show.mp3")
    port_url = server.removeprefix("http://")
    url = f"http://alice:hunter2@{port_url}/{folder.name}/show.mp3?token=abc123&ep=13&sig=ff"
    out = tmp_path / "out"
    options = RunOptions(out_dir=out, cache_dir=tmp_path / "cache", retries=0)
    result = Pipeline(options, transcriber=ScriptedTranscriber(script_for("Alpha"))).run(url)

    article = json.loads((out / "article.json").read_text())
    assert article["url"] == f"http://{port_url}/{folder.name}/show.mp3?ep=13"
    story = article["sections"][0]["stories"][0]
    assert story["time_url"].startswith(article["url"] + "#t=")
    for name in SET:
        no_secrets_or_controls((out / name).read_text())
    assert result.out_dir == out


def test_metadata_from_the_video_enters_clean_and_reaches_no_output_unclean(tmp_path):
    info = {"id": "e1", "title": f"Tensor {HOSTILE} Weekly", "extractor_key": "Generic",
            "webpage_url": "https://alice:hunter2@cdn.example.com/ep.mp3?token=abc123&n=1",
            "uploader": f"Host\x1b]0;pwned\x07 {HOSTILE}", "upload_date": "20260105",
            "description": f"Intro {HOSTILE}\nLinks: https://orca.example.com/harbor\x07x\n",
            "chapters": [{"title": f"Harbor {HOSTILE}", "start_time": 0.0}]}
    episode = episode_from_info(info)
    assert episode.title == "Tensor Bell red evil isolated C1 Weekly"
    assert episode.url == episode.media_url == "https://cdn.example.com/ep.mp3?n=1"
    assert episode.uploader == "Host Bell red evil isolated C1" and "\n" in episode.description

    out = tmp_path / "out"
    result = Pipeline(RunOptions(out_dir=out, cache_dir=tmp_path / "cache"),
                      transcriber=ScriptedTranscriber(script_for("Alpha"))).process(episode, SHOW)
    for name in SET:
        no_secrets_or_controls((out / name).read_text())
    record = Record(key="generic e1", status="done", title=episode.title, url=episode.url, folder="out",
                    files=[p.name for p in result.files], stories=2, reason="")
    for path in write_index(tmp_path, "Channel", "https://example.com/feed", [record]):
        no_secrets_or_controls(path.read_text())


def test_files_given_by_hand_are_published_clean_too(tmp_path):
    stories = {"episode": {"id": "e", "title": f"Edited {HOSTILE}", "url": "https://u:hunter2@e.example.com/v?sig=1",
                           "description": ""},
               "stories": [{"title": f"Harbor {HOSTILE}", "text": f"Orca Labs released Harbor. {HOSTILE}.",
                            "span": [0, 40], "kind": "story"}]}
    path = tmp_path / "stories.json"
    path.write_text(json.dumps(stories))
    out = tmp_path / "out"
    Pipeline(RunOptions(out_dir=out, cache_dir=tmp_path / "cache")).render_file(path)
    for name in ("episode.json", "stories.json", "article.md", "article.html", "article.json"):
        no_secrets_or_controls((out / name).read_text())
    assert time_url(Episode.from_dict(stories["episode"]), 5) == "https://e.example.com/v#t=5"


def test_an_error_line_and_the_runs_table_show_no_escape_codes(tmp_path, capsys):
    missing = tmp_path / f"no such {HOSTILE}.txt"
    assert cli.main(["render", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err and "\u202e" not in err and "\x07" not in err
    table = summary_table([Record(key="k", status="failed", title=HOSTILE, reason=f"404 {HOSTILE}")])
    assert table.count("\n") == 0 and not re.search(r"[\x00-\x1f\u202a-\u202e]", table)
    titled = cli.parse_args(["render", "x.txt", "--title", f"A {HOSTILE}"])
    assert titled.title == "A Bell red evil isolated C1"
