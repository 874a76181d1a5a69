"""Command-line manners: -q/--quiet prints nothing but errors, --no-progress turns bars off."""

from __future__ import annotations

from recap.app import cli, commands


def test_quiet_prints_nothing_on_success_and_still_one_line_on_error(samples, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["render", str(samples / "tensor_weekly_12.txt"), "-o", str(out),
            "--description", str(samples / "tensor_weekly_12.description.txt")]

    assert cli.main([*argv, "-q"]) == 0
    quiet = capsys.readouterr()
    assert cli.main(argv) == 0
    told = capsys.readouterr()
    assert cli.main(["render", str(tmp_path / "missing.txt"), "-q"]) == 1
    failed = capsys.readouterr()

    assert (out / "article.md").exists() and quiet.out == "" and quiet.err == ""
    assert told.out == f"{out}: article.md, article.html, article.json\n"  # a text has no times: no chapters
    assert failed.out == "" and failed.err.startswith("recap: error: ") and failed.err.count("\n") == 1


def test_no_progress_and_quiet_turn_the_bars_off():
    base = ["render", "x.txt"]
    assert commands.progress_bars(cli.parse_args(base)) is None  # on a terminal only
    assert commands.progress_bars(cli.parse_args([*base, "--no-progress"])) is False
    assert commands.progress_bars(cli.parse_args([*base, "-q"])) is False


def test_a_file_named_like_a_command_is_reached_with_dashes_or_a_path():
    cases = ((["--", "clean"], "clean"), (["./channel"], "./channel"), (["--", "-v.mp4"], "-v.mp4"))
    for argv, source in cases:
        args = cli.parse_args(argv)
        assert (args.command, args.source) == ("run", source)
    assert cli.parse_args(["clean", "talk.mp4"]).command == "clean"
    assert "recap -- clean" in cli.build_parser().format_help()


def test_yt_dlp_spellings_pick_episodes_too():
    from datetime import date, timedelta

    args = cli.parse_args(["channel", "https://example.com/feed.xml", "--dateafter", "20250102",
                           "--datebefore", "now-1week", "--max-downloads", "3"])
    week_ago = (date.today() - timedelta(weeks=1)).isoformat()
    assert (args.since, args.until, args.limit) == ("2025-01-02", week_ago, 3)
    today = cli.parse_args(["channel", "https://example.com/f.xml", "--since", "today"]).since
    assert today == date.today().isoformat()


def test_completion_scripts_for_three_shells_and_a_real_completion(tmp_path):
    import os
    import subprocess
    import sys

    for shell in ("bash", "zsh", "fish"):
        script = subprocess.run([sys.executable, "-m", "recap", "completion", shell], capture_output=True,
                                text=True, timeout=60)
        assert script.returncode == 0 and "recap" in script.stdout and "_ARGCOMPLETE" in script.stdout

    answer = tmp_path / "completions"
    env = {**os.environ, "_ARGCOMPLETE": "1", "_ARGCOMPLETE_IFS": "\n", "COMP_LINE": "recap channel --max-",
           "COMP_POINT": "20", "_ARGCOMPLETE_STDOUT_FILENAME": str(answer)}
    done = subprocess.run([sys.executable, "-m", "recap"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and answer.read_text().split() == ["--max-downloads"]


def test_the_changelog_names_the_version_recap_prints():
    import re
    from pathlib import Path

    from recap import __version__

    changelog = (Path(__file__).parent.parent / "CHANGELOG.md").read_text()
    assert re.search(r"^## \[(\d[^\]]*)\]", changelog, re.MULTILINE).group(1) == __version__


def test_every_option_of_every_command_is_in_the_docs():
    import argparse
    from pathlib import Path

    docs = "".join(page.read_text() for page in (Path(__file__).parent.parent / "docs").glob("*.md"))

    def undocumented(parser: argparse.ArgumentParser, name: str):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for command, sub in action.choices.items():
                    yield from undocumented(sub, command)
            yield from (f"{name} {option}" for option in action.option_strings
                        if option.startswith("--") and option != "--help" and option not in docs)

    assert list(undocumented(cli.build_parser(), "recap")) == []
