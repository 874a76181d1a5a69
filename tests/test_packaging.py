"""The wheel users get: built from this tree offline, installed into a fresh venv, run from elsewhere."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow  # builds a wheel and runs it in child processes

TEMPLATES = {"recap/stages/render/templates/article.md.j2", "recap/stages/clean/templates/review.html.j2"}
NOT_SOURCE = (".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache", ".venv")

# Every module in the wheel must import, and from the venv: a module missing from the wheel would
# otherwise be found by the development install's finder (see the venv fixture).
IMPORT_ALL = """
import pkgutil, sys
import recap.stages.fetch, recap.stages.transcribe, recap.stages.segment
import recap.stages.render, recap.stages.clean
import recap
for info in pkgutil.walk_packages(recap.__path__, "recap."):
    if not info.name.endswith(".__main__"):
        __import__(info.name)
for name, module in sorted(sys.modules.items()):
    if name == "recap" or name.startswith("recap."):
        print(name, getattr(module, "__file__", None))
"""


def _run(*argv: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    """Offline, and with nothing pointing Python at this checkout."""
    drop = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV"}
    return {**{k: v for k, v in os.environ.items() if k not in drop}, "PYTHONNOUSERSITE": "1",
            "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "HF_HUB_OFFLINE": "1"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory, env) -> Path:
    """Built from a copy of the tree: setuptools writes build/ and *.egg-info beside the source, and
    a build/ left by an earlier build would put modules deleted since into the wheel."""
    work = tmp_path_factory.mktemp("build")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    result = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                  "-w", work / "dist", source, cwd=work, env=env)
    assert result.returncode == 0, (
        "building without isolation uses this environment's setuptools, which must have bdist_wheel "
        f"(setuptools>=70.1, or the wheel package):\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    [built] = (work / "dist").glob("*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel, env) -> Path:
    """A venv with the wheel installed and the dependencies borrowed from this Python.

    Not --system-site-packages: that would run this Python's .pth files, among them the editable
    install's, whose finder serves any recap module the wheel lacks from the checkout. A path line
    in a .pth of our own adds the same folders without running theirs."""
    folder = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=120)
    purelib = _run(folder / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                   cwd=folder, env=env).stdout.strip()
    Path(purelib, "borrowed-dependencies.pth").write_text("".join(f"{d}\n" for d in site.getsitepackages()))
    # --ignore-installed: the development install is visible through those folders; leave it alone.
    result = _run(folder / "bin" / "python", "-m", "pip", "install", "--no-deps", "--no-index",
                  "--ignore-installed", wheel, cwd=folder, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


def test_wheel_holds_one_import_package_and_its_templates(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0].removesuffix(".py") for name in names}
    assert {top for top in tops if not top.endswith((".dist-info", ".data"))} == {"recap"}
    [top_level] = [name for name in names if name.endswith(".dist-info/top_level.txt")] or [None]
    if top_level:
        assert zipfile.ZipFile(wheel).read(top_level).decode().split() == ["recap"]
    assert not TEMPLATES - set(names)


def test_installed_command_runs_from_another_folder(venv, env, tmp_path):
    result = _run(venv / "bin" / "recap", "--help", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "recap" in result.stdout


def test_every_module_imports_from_the_installed_wheel(venv, env, tmp_path):
    result = _run(venv / "bin" / "python", "-c", IMPORT_ALL, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    loaded = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    stages = {f"recap.stages.{name}" for name in ("fetch", "transcribe", "segment", "render", "clean")}
    assert stages <= set(loaded)
    outside = {name: path for name, path in loaded.items()
               if not Path(path).resolve().is_relative_to(venv.resolve())}
    assert not outside, outside


def test_a_python_started_in_the_checkout_finds_the_stages_beside_its_recap(venv, env):
    """`pip install .`, then the README's Python lines run in the checkout: Python imports the
    checkout's recap/ (the current folder comes first), whose stages live in top-level folders."""
    code = "import recap, recap.stages.fetch as fetch; recap.article; print(fetch.__file__)"
    result = _run(venv / "bin" / "python", "-c", code, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == ROOT / "fetch" / "__init__.py"
