"""Show profiles: how hosts talk is data a person can read and extend, never phrases in code."""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import pytest
from conftest import ROOT, assert_one_line_error, run_recap

from recap.core.document import TimedText
from recap.core.errors import ProfileError
from recap.language.profile import SHIPPED, default_cues, load_profile
from recap.stages.segment import segment
from recap.stages.segment.signals import opener_strength

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

NEWS = SHIPPED / "news.toml"
ENGLISH = ROOT / "recap" / "language" / "english.toml"


def write_profile(folder: Path, text: str, name: str = "show.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_entry_of_the_shipped_profile_says_what_it_catches():
    lines = NEWS.read_text(encoding="utf-8").splitlines()
    in_table, keys = False, 0
    for number, line in enumerate(lines):
        if line.startswith("["):
            in_table = True
        elif in_table and re.match(r"[\w-]+ = ", line):
            keys += 1
            assert lines[number - 1].startswith("# "), f"news.toml line {number + 1} has no comment above it"
    assert keys > 80


def _vocabulary() -> set[str]:
    """Every word the shipped data spells: a code literal that holds one is knowledge out of place."""
    words: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            words.update(w.lower() for w in re.findall(r"[A-Za-z]{3,}", value))

    for path in (NEWS, ENGLISH):
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    return words


def _regex_literals(path: Path):
    """(line, text) of each literal handed to a function of ``re``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args):
            first = node.args[0]
            parts = first.values if isinstance(first, ast.JoinedStr) else [first]
            for part in parts:
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    yield node.lineno, part.value


def test_no_english_phrase_is_written_into_the_segmenter_code():
    """The issue's rule: segment/ and recap/language/ compile their patterns from the profile and
    the English word lists. What stays in code is punctuation, and the shapes of URLs and hosts."""
    vocabulary = _vocabulary()
    found = []
    for path in sorted([*ROOT.glob("segment/*.py"), *ROOT.glob("recap/language/*.py")]):
        for line, literal in _regex_literals(path):
            if "/" in literal or "\\." in literal:
                continue  # a URL's or a host's shape: "github\.com/", "/status/\d"
            bare = re.sub(r"\(\?P[<=]\w+[>)]", "", literal)  # group names are the code's own
            english = [w for w in re.findall(r"[A-Za-z]{3,}", bare) if w.lower() in vocabulary]
            if english:
                found.append(f"{path.relative_to(ROOT)}:{line}: {english}")
    assert not found


def test_a_show_profile_adds_replaces_and_removes_entries(tmp_path):
    said = "Bazinga, that brings us to the database thing."
    assert opener_strength(said, default_cues()) == 0.0
    show = load_profile(str(write_profile(tmp_path, (
        'extends = "news"\n'
        "[opener]\n"
        "# the hosts' own hand-off\n"
        "bazinga = '''bazinga'''\n"
        "# \"Next up\" opens nothing on this show\n"
        "next_item = false\n"
        "[titles]\n"
        "# the greeting's heading\n"
        "intro = '''Welcome'''\n"))))
    assert opener_strength(said, show.cues) == 1.0
    assert opener_strength("Next up, Cobalt shipped a chip.", default_cues()) == 1.0
    assert opener_strength("Next up, Cobalt shipped a chip.", show.cues) < 1.0  # "next" is weak still
    assert show.cues.title("intro") == "Welcome" and show.cues.title("outro") == "Outro"
    assert show.files == (NEWS.resolve(), (tmp_path / "show.toml").resolve())


def test_the_profile_changes_where_the_segmenter_cuts(tmp_path):
    """Two stories on one subject joined by a phrase only this show says: the default profile
    sees no seam, the show's profile cuts there."""
    timed = TimedText(
        "We looked at the scheduler again this week. It packs jobs by memory and it retries failed jobs "
        "twice. The scheduler is fast and the jobs finish early. Most jobs wait less than a minute now. "
        "Memory use went down for every job we ran. The retries catch most of the failed jobs. "
        "ping pong, the scheduler has a second mode for long jobs. Long jobs get their own memory pool. "
        "A failed long job retries once and then waits. The pool keeps memory for the next jobs. We ran "
        "the long jobs all week and the scheduler held up. Every job finished before the weekend.")
    show = load_profile(str(write_profile(tmp_path, (
        "[opener]\n# the hand-off between the hosts\nping_pong = \'\'\'ping pong\'\'\'\n"))))
    assert [s.span[0] for s in segment(timed)] == [0]
    assert [s.span[0] for s in segment(timed, profile=show)] == [0, timed.text.index("ping pong")]


@pytest.mark.parametrize(("text", "line", "problem"), [
    ("[opener]\n# mine\nmine = '''(unclosed'''\n", 3, "[opener] mine: missing )"),
    ("[openers]\nmine = 'x'\n", 1, "no table [openers] in a profile (did you mean [opener]?)"),
    ("name = 'show'\n[opener]\nmine = 3\n", 3, "[opener] mine must be a pattern in quotes"),
    ("[opener]\nmine = \"x\n", 2, "illegal character"),
    ("[opener]\n\n# mine\nmine = '''${nothing}'''\n", 4, "${nothing} names no fragment"),
    ("[opener]\nmine = ''\n", 2, "[opener] mine is empty"),
    ("colour = 'blue'\n", 1, "unknown setting 'colour'"),
])
def test_a_bad_profile_is_one_error_naming_its_file_and_line(tmp_path, text, line, problem):
    path = write_profile(tmp_path, text)
    with pytest.raises(ProfileError) as raised:
        load_profile(str(path))
    message = str(raised.value)
    assert message.startswith(f"{path.resolve()}, line {line}: ") and problem in message
    assert "\n" not in message


def test_an_unknown_profile_name_lists_what_there_is(tmp_path):
    with pytest.raises(ProfileError, match=r"no profile 'nosuchshow'.*shipped one \(news\)"):
        load_profile("nosuchshow")
    loop = write_profile(tmp_path, "extends = 'show.toml'\n")
    with pytest.raises(ProfileError, match="goes round in a circle"):
        load_profile(str(loop))


@pytest.mark.slow
def test_the_command_line_takes_a_profile_from_the_flag_or_the_users_config(tmp_path, samples):
    transcript = str(samples / "tensor_weekly_12.txt")
    profile = write_profile(tmp_path, "[titles]\n# the greeting's heading\nintro = '''Welcome'''\n")
    flagged = run_recap("segment", transcript, "--profile", str(profile))
    assert flagged.returncode == 0, flagged.stderr
    assert json.loads(flagged.stdout)["stories"][0]["title"] == "Welcome"

    config = tmp_path / "xdg" / "recap"
    config.mkdir(parents=True)
    (config / "config.toml").write_text('profile = "../../show.toml"\n', encoding="utf-8")
    configured = run_recap("segment", transcript, env={"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    assert configured.returncode == 0, configured.stderr
    assert json.loads(configured.stdout)["stories"][0]["title"] == "Welcome"
    plain = run_recap("segment", transcript)
    assert json.loads(plain.stdout)["stories"][0]["title"] == "Intro"

    bad = write_profile(tmp_path, "[opener]\n# mine\nmine = '''(x'''\n", "bad.toml")
    failed = run_recap("segment", transcript, "--profile", str(bad))
    assert failed.returncode == 1
    assert assert_one_line_error(failed).startswith(f"recap: error: {bad.resolve()}, line 3: [opener] mine")


@pytest.mark.slow
def test_a_channel_folder_remembers_its_profile(server, served_dir, shared_cache, tmp_path):
    from test_channel import EP13, write_feed

    feed = write_feed(served_dir, server, f"profiled-{tmp_path.name}.xml", [EP13])
    out = tmp_path / "out"
    profile = write_profile(tmp_path, "[titles]\n# the greeting's heading\nintro = '''Welcome'''\n")

    def first_heading() -> str:
        (folder,) = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]
        return json.loads((folder / "stories.json").read_text())["stories"][0]["title"]

    chosen = run_recap("channel", feed, "-o", str(out), "--cache-dir", str(shared_cache),
                       "--profile", str(profile))
    assert chosen.returncode == 0, chosen.stderr
    assert first_heading() == "Welcome"
    assert json.dumps(str(profile.resolve())) in (out / "profile.toml").read_text()

    again = run_recap("channel", feed, "-o", str(out), "--cache-dir", str(shared_cache), "--force")
    assert again.returncode == 0, again.stderr
    assert first_heading() == "Welcome"  # remembered: no --profile this time

    (out / "profile.toml").write_text("# my own\n[titles]\n# the greeting's heading\nintro = '''Hi'''\n")
    kept = run_recap("channel", feed, "-o", str(out), "--cache-dir", str(shared_cache), "--force",
                     "--profile", str(profile))
    assert kept.returncode == 0, kept.stderr
    assert (out / "profile.toml").read_text().startswith("# my own")  # a person's file stays theirs
    assert "is kept" in kept.stderr and first_heading() == "Welcome"
