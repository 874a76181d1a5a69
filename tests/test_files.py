"""recap.core.files on its own: atomic writes, a set of files switched in together (and finished or
undone after a kill), the folder lock, reading a user's files, and file names from titles."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from recap.core.errors import RecapError
from recap.core.files import (
    STAGING_NAME,
    SWITCH_NAME,
    Staging,
    hold_folder,
    read_text,
    safe_filename,
    write_atomic,
)


def test_atomic_write_replaces_whole_and_honours_the_umask(tmp_path):
    target = tmp_path / "article.md"
    write_atomic(target, "first")
    write_atomic(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["article.md"]
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


# -- a set of files switched in together -----------------------------------------------------
def _staged(folder, names=("a.md", "b.json")):
    staging = Staging(folder, names)
    for name in names:
        staging.write(name, f"new {name}")
    return staging


def test_a_set_switches_in_whole_and_leaves_a_users_other_files_alone(tmp_path):
    (tmp_path / "a.md").write_text("old a.md")
    (tmp_path / "notes.txt").write_text("mine")
    paths = _staged(tmp_path).switch()
    assert [p.name for p in paths] == ["a.md", "b.json"]
    assert (tmp_path / "a.md").read_text() == "new a.md" and (tmp_path / "b.json").read_text() == "new b.json"
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.json", "notes.txt"]


def test_a_file_outside_the_set_is_never_staged(tmp_path):
    with pytest.raises(ValueError, match="not one of the set's files"):
        Staging(tmp_path, ["a.md"]).write("../escape.md", "x")


def test_a_run_killed_before_its_commit_leaves_the_folder_as_it_was(tmp_path):
    (tmp_path / "a.md").write_text("old a.md")
    _staged(tmp_path)  # killed here: written, never switched
    (tmp_path / ".b.json.x1y2.tmp").write_text("half")  # a write_atomic cut short
    (tmp_path / ".notes.txt.x1y2.tmp").write_text("not ours")
    Staging(tmp_path, ["a.md", "b.json"]).recover()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.txt.x1y2.tmp", "a.md"]
    assert (tmp_path / "a.md").read_text() == "old a.md"


def test_a_run_killed_between_its_renames_is_finished_by_the_next(tmp_path):
    staging = _staged(tmp_path)
    write_atomic(staging.path / SWITCH_NAME, json.dumps({"files": ["a.md", "b.json"]}))
    os.replace(staging.path / "a.md", tmp_path / "a.md")  # killed after the first rename
    Staging(tmp_path, ["a.md", "b.json"]).recover()
    assert (tmp_path / "b.json").read_text() == "new b.json" and not staging.path.exists()


def test_a_folder_in_the_way_stops_the_switch_before_anything_moves(tmp_path):
    (tmp_path / "b.json").mkdir()
    (tmp_path / "a.md").write_text("old a.md")
    with pytest.raises(IsADirectoryError):
        _staged(tmp_path).switch()
    assert (tmp_path / "a.md").read_text() == "old a.md" and not (tmp_path / STAGING_NAME).exists()


# -- one run per folder ----------------------------------------------------------------------
def test_a_held_folder_turns_another_process_away_naming_the_holder(tmp_path):
    hold = ("import sys, time; from pathlib import Path; from recap.core.files import hold_folder\n"
            "with hold_folder(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", hold, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RecapError, match=rf"in use by another recap run \(PID {holder.pid}\)"), \
                hold_folder(tmp_path):
            pass
    finally:
        holder.kill()
        holder.wait()
    with hold_folder(tmp_path):  # the kernel dropped the dead holder's lock
        pass


# -- reading a user's files ------------------------------------------------------------------
def test_reading_says_what_is_wrong_with_the_file(tmp_path):
    with pytest.raises(RecapError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    with pytest.raises(RecapError, match="is a folder, not a file"):
        read_text(tmp_path)
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(RecapError, match="not a regular file"):
        read_text(tmp_path / "pipe")  # opened without blocking, refused without reading
    (tmp_path / "big.txt").write_text("x" * 11)
    with pytest.raises(RecapError, match="too large: recap reads input files of up to 10 bytes"):
        read_text(tmp_path / "big.txt", limit=10)
    (tmp_path / "latin1.txt").write_bytes("café".encode("latin-1"))
    with pytest.raises(RecapError, match="is not UTF-8 text"):
        read_text(tmp_path / "latin1.txt")
    (tmp_path / "bom.txt").write_bytes("\ufeffHello".encode())
    assert read_text(tmp_path / "bom.txt") == "Hello"


@pytest.mark.parametrize(("title", "name"), [
    ("Tensor Weekly #12: Harbor 7B", "Tensor-Weekly-12-Harbor-7B"),
    ("../../etc/passwd", "etc-passwd"),
    ("..", "episode"), ("~", "episode"), ("🎙️🎧", "episode"),
    ("line\nbreak\x1b[31m", "linebreak-31m"),
    ("Ｆｕｌｌｗｉｄｔｈ", "Fullwidth"),
])
def test_a_title_becomes_a_file_name_that_stays_in_its_folder(title, name):
    assert safe_filename(title) == name


def test_a_long_title_is_cut_without_a_trailing_dash():
    assert safe_filename("word " * 40, max_length=12) == "word-word-wo"
    assert not safe_filename("a-" * 60).endswith("-")
