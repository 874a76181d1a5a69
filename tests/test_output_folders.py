"""Output folders: one for each episode whatever its title, an article's files switched in as one
set under the folder's lock, a failure or a kill that never leaves a mix of two runs."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES, ScriptedTranscriber, assert_one_line_error, run_recap

from recap.app.pipeline import Pipeline
from recap.core.errors import RecapError
from recap.core.files import LOCK_NAME, STAGING_NAME, Staging
from recap.core.options import Overrides, RunOptions

SHOW_A, SHOW_B = SAMPLES / "tensor_weekly_13.mp3", SAMPLES / "tensor_weekly_14.mp3"


TESTS = Path(__file__).resolve().parent
SHOW = SAMPLES / "tensor_weekly_13.mp3"
MARKS = ("Alpha", "Bravo", "Charlie")
SET = ("episode.json", "transcript.json", "stories.json", "article.md", "article.html", "article.json")
USERS = {"clean.md": "# My edit\n\nKeep me.\n", "notes.txt": "mine\n", ".notes.tmp": "mine too\n"}


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


# -- 4: an article is one unit ------------------------------------------------------------------
def script_for(mark: str) -> str:
    return (f"Welcome to the {mark} show. Orca Labs released Harbor, an open model. In other news, "
            "Granite Systems announced Basalt, a compiler. That's all for this week.")


def _options(out: Path, mark: str, cache: Path, **more) -> RunOptions:
    return RunOptions(out_dir=out, cache_dir=cache, overrides=Overrides(title=f"The {mark} show"), **more)


def _run(out: Path, mark: str, cache: Path, **more):
    hears = ScriptedTranscriber(script_for(mark))
    return Pipeline(_options(out, mark, cache, **more), transcriber=hears).run(str(SHOW))


def _marks(out: Path) -> dict[str, list[str]]:
    """Which run wrote each of the article's files: the marks found in it."""
    return {name: [mark for mark in MARKS if mark in (out / name).read_text()]
            for name in SET if (out / name).exists()}


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name == STAGING_NAME or
                  (p.name.endswith(".tmp") and p.name != ".notes.tmp"))


def _with_users_files(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, text in USERS.items():
        (out / name).write_text(text)


def _users_files_kept(out: Path) -> bool:
    return all((out / name).read_text() == text for name, text in USERS.items())


def test_a_run_switches_its_whole_set_in_and_leaves_the_users_files(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    _with_users_files(out)
    _run(out, "Alpha", cache)
    assert _marks(out) == {name: ["Alpha"] for name in SET}

    result = _run(out, "Bravo", cache)

    assert _marks(out) == {name: ["Bravo"] for name in SET}
    assert sorted(p.name for p in result.files) == sorted(SET) and all(p.parent == out for p in result.files)
    assert _users_files_kept(out) and _leftovers(out) == []


def test_a_later_failure_keeps_the_stages_files_in_a_new_folder_and_a_previous_set_whole(tmp_path):
    broken = tmp_path / "broken.md.j2"
    broken.write_text("{{ article.title | no_such_filter }}\n")
    cache = tmp_path / "cache"
    fresh = tmp_path / "fresh"
    with pytest.raises(RecapError, match="no_such_filter"):
        _run(fresh, "Alpha", cache, template=broken)
    assert _marks(fresh) == {name: ["Alpha"] for name in ("episode.json", "transcript.json", "stories.json")}

    kept = tmp_path / "kept"
    _with_users_files(kept)
    _run(kept, "Alpha", cache)
    with pytest.raises(RecapError, match="no_such_filter"):
        _run(kept, "Bravo", cache, template=broken)
    assert _marks(kept) == {name: ["Alpha"] for name in SET}
    assert _users_files_kept(kept) and _leftovers(kept) == []


_KILLER = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from conftest import ScriptedTranscriber
from recap.core.options import Overrides, RunOptions
from recap.app.pipeline import Pipeline

out, staging = Path({out!r}), Path({out!r}) / {staging!r}
real, counts = os.replace, {{"staged": 0, "switched": 0}}

def replace(src, dst):  # kill -9 this process at one exact step of writing the set
    real(src, dst)
    where = "staged" if Path(dst).parent == staging else "switched" if Path(dst).parent == out else None
    if where:
        counts[where] += 1
        if where == {where!r} and counts[where] == {after}:
            os.kill(os.getpid(), signal.SIGKILL)

os.replace = replace
options = RunOptions(out_dir=out, cache_dir=Path({cache!r}), overrides=Overrides(title="The Bravo show"))
Pipeline(options, transcriber=ScriptedTranscriber({script!r})).run({show!r})
"""


def _killed_run(out: Path, cache: Path, where: str, after: int) -> None:
    """A run writing the Bravo set, killed by SIGKILL after ``after`` renames into ``where``."""
    code = _KILLER.format(tests=str(TESTS), out=str(out), staging=STAGING_NAME, where=where, after=after,
                          cache=str(cache), script=script_for("Bravo"), show=str(SHOW))
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr


@pytest.mark.slow  # a child process, killed
def test_a_run_killed_while_staging_leaves_the_previous_set_and_the_next_run_cleans_up(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    _with_users_files(out)
    _run(out, "Alpha", cache)
    (out / ".article.md.x1y2z3.tmp").write_text("half an article")  # write_atomic's, killed mid-write
    _killed_run(out, cache, "staged", 3)

    assert _marks(out) == {name: ["Alpha"] for name in SET}  # nothing of Bravo's is in place
    assert (out / STAGING_NAME).is_dir()

    _run(out, "Charlie", cache)
    assert _marks(out) == {name: ["Charlie"] for name in SET}
    assert _users_files_kept(out) and _leftovers(out) == []


@pytest.mark.slow  # a child process, killed
def test_a_run_killed_between_the_renames_of_its_switch_is_finished_by_the_next_run(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    _with_users_files(out)
    _run(out, "Alpha", cache)
    _killed_run(out, cache, "switched", 2)
    assert sorted({mark for marks in _marks(out).values() for mark in marks}) == ["Alpha", "Bravo"]

    empty = tmp_path / "empty.txt"  # the next run into the folder, even one that fails at once
    empty.write_text("  \n")
    with pytest.raises(RecapError, match="empty"):
        Pipeline(_options(out, "Charlie", cache)).run(str(empty))

    assert _marks(out) == {name: ["Bravo"] for name in SET}  # the killed run's switch, finished
    assert _users_files_kept(out) and _leftovers(out) == []


def test_staging_recovers_only_what_was_committed_and_only_its_own_files(tmp_path):
    names = ("article.md", "article.html")
    (tmp_path / "article.md").write_text("old md")
    (tmp_path / "article.html").write_text("old html")
    staging = Staging(tmp_path, names)
    staging.write("article.md", "new md")
    Staging(tmp_path, names).recover()  # not committed: dropped
    assert (tmp_path / "article.md").read_text() == "old md" and not (tmp_path / STAGING_NAME).exists()
    with pytest.raises(ValueError):
        staging.write("clean.md", "not one of the set's files")

    (tmp_path / "article.html").unlink()
    (tmp_path / "article.html").mkdir()  # a folder in the way: refused before anything moves
    staging.write("article.md", "new md")
    staging.write("article.html", "new html")
    with pytest.raises(IsADirectoryError):
        staging.switch()
    assert (tmp_path / "article.md").read_text() == "old md" and not (tmp_path / STAGING_NAME).exists()


def _holder(folder: Path) -> subprocess.Popen:
    """Another process holding the folder's lock until its stdin closes."""
    code = ("import sys; from pathlib import Path; from recap.core.files import hold_folder\n"
            f"with hold_folder(Path({str(folder)!r})):\n    print('held', flush=True); sys.stdin.read()\n")
    holder = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_run_into_a_folder_in_use_stops_at_once_naming_the_holder(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    _run(out, "Alpha", cache)
    before = {name: (out / name).read_bytes() for name in SET}
    holder = _holder(out)
    try:
        hears = ScriptedTranscriber(script_for("Bravo"))
        with pytest.raises(RecapError, match=rf"in use by another recap run \(PID {holder.pid}\)"):
            Pipeline(_options(out, "Bravo", cache), transcriber=hears).run(str(SHOW))
        assert hears.heard == []  # stopped before its work, not after
        assert {name: (out / name).read_bytes() for name in SET} == before
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    _run(out, "Bravo", cache)  # once the holder has finished
    assert _marks(out) == {name: ["Bravo"] for name in SET}


@pytest.mark.slow
@pytest.mark.parametrize("command", ["render", "clean"])
def test_a_second_run_into_a_folder_in_use_is_one_line_and_writes_nothing(tmp_path, command):
    """render, channel and `recap clean` alike: a second run into a folder a run is writing stops
    with one line naming the holder and writes nothing."""
    out = tmp_path / "out"
    out.mkdir()
    holder = _holder(out)
    try:
        result = run_recap(command, str(SAMPLES / "tensor_weekly_13.txt"), "-o", str(out))
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    line = assert_one_line_error(result)
    assert result.returncode == 1 and f"in use by another recap run (PID {holder.pid})" in line
    assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME]


_FULL_DISK = """
import json, os, subprocess, sys
from pathlib import Path
disk = Path(sys.argv[1])
if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)]).returncode:
    print(json.dumps({"skip": "cannot mount a tmpfs"})); sys.exit(0)
out = disk / "out"
def recap(text, title):
    return subprocess.run([sys.executable, "-m", "recap", "render", text, "-o", str(out), "--title", title],
                          capture_output=True, text=True)
first = recap(sys.argv[2], "The Alpha show")
free = os.statvfs(disk)
with open(disk / "filler", "wb") as handle:  # leave 6 KB: the next article's set does not fit
    handle.write(b"x" * max(0, free.f_bavail * free.f_frsize - 6 * 1024))
second = recap(sys.argv[3], "The Bravo show")
files = {p.name: p.read_text(errors="replace") for p in out.iterdir() if p.is_file()}
print(json.dumps({"first": [first.returncode, first.stderr], "second": [second.returncode, second.stderr],
                  "files": files, "names": sorted(p.name for p in out.iterdir())}))
"""


@pytest.mark.slow
def test_a_full_disk_keeps_the_previous_article_whole(tmp_path):
    """A real 256 KB tmpfs, mounted in a private mount namespace (root or user namespaces needed)."""
    if not shutil.which("unshare"):
        pytest.skip("no unshare to mount a private tmpfs")
    disk = tmp_path / "disk"
    disk.mkdir()
    driver = tmp_path / "full_disk.py"
    driver.write_text(_FULL_DISK)
    texts = [str(SAMPLES / "tensor_weekly_13.txt"), str(SAMPLES / "tensor_weekly_14.txt")]
    ran = subprocess.run(["unshare", "--mount", "--propagation", "private", sys.executable, str(driver),
                          str(disk), *texts], capture_output=True, text=True, timeout=300)
    if ran.returncode or not ran.stdout.strip():
        pytest.skip(f"cannot make a private tmpfs here: {ran.stderr.strip()[-200:]}")
    report = json.loads(ran.stdout.strip().splitlines()[-1])
    if "skip" in report:
        pytest.skip(report["skip"])

    assert report["first"][0] == 0, report["first"][1]
    code, stderr = report["second"]
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert code == 1 and len(lines) == 1 and "No space left on device" in lines[0], stderr
    written = [name for name in report["files"] if name in SET]
    assert written and all("Alpha" in report["files"][name] and "Bravo" not in report["files"][name]
                           for name in written)
    assert not [name for name in report["names"] if name == STAGING_NAME or name.endswith(".tmp")]
