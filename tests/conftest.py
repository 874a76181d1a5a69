"""Shared fixtures: the bundled samples, a loopback HTTP server, a way to run the CLI, and a
scripted transcriber for pipeline tests that are not about transcription."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from recap.core.document import Progress, Segment, Transcript, Word

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
EPISODE = "tensor_weekly_12"
STALL_S = 30
# The samples' descriptions link to public sites: no test reads their pages (tests/test_link_pages.py
# turns link pages on against its loopback site). Children of the tests inherit it.
os.environ["RECAP_LINK_PAGES"] = "off"
# The developer's own config.toml and RECAP_* settings never reach a test (test_settings.py makes its own).
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="recap-test-config-")
for _name in ("RECAP_MODEL", "RECAP_DEVICE", "RECAP_PROFILE", "RECAP_CACHE_DIR", "RECAP_WORKERS"):
    os.environ.pop(_name, None)


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def truth() -> dict:
    return json.loads((SAMPLES / f"{EPISODE}.truth.json").read_text())


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files, plus ``/status/NNN`` (that HTTP error) and ``/stall/...`` (never answers)."""

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        if self.path.startswith("/status/"):
            self.send_error(int(self.path.split("/")[2]))
        elif self.path.startswith("/stall/"):
            time.sleep(STALL_S)  # a server that accepted the connection and went quiet
        else:
            super().do_GET()

    do_HEAD = do_GET  # noqa: N815

    def log_message(self, *args) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # clients that hang up early are fine
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def served_dir(tmp_path_factory) -> Path:
    """A folder served over HTTP; starts with the samples, tests may add files."""
    folder = tmp_path_factory.mktemp("www")
    for path in SAMPLES.iterdir():
        if path.is_file():
            (folder / path.name).symlink_to(path)
    return folder


@pytest.fixture(scope="session")
def server(served_dir: Path) -> str:
    """Base URL of a loopback-only HTTP server over ``served_dir``."""
    handler = functools.partial(_QuietHandler, directory=str(served_dir))
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)  # a quick shutdown
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def serve_copies(served_dir: Path, server: str, folder: str, files: dict[str, Path]) -> dict[str, str]:
    """Copies of ``files`` served under their own folder; their URLs by name."""
    urls = {}
    for name, source in files.items():
        target = served_dir / folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
        urls[name] = f"{server}/{folder}/{name}"
    return urls


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    """One transcript cache for tests that do not test caching: each sample transcribes once."""
    return tmp_path_factory.mktemp("cache")


_RUNNING: dict[str, pytest.Item] = {}  # the test being set up, run or torn down


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    _RUNNING["item"] = item  # before its fixtures, so module fixtures that run the CLI count too


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` (addopts), at most four workers. The whole suite waits on child processes, loopback
    servers and timeouts, so it takes a worker more than the cores (on 2 cores: 4.5 min with 3
    workers, 5 with 2); the quick loop only computes, so it takes one a core (21 s with 2, 28 with 3)."""
    cores = os.cpu_count() or 1
    quick = "not slow" in (config.getoption("markexpr") or "")
    return min(4, cores if quick else cores + 1)


def pytest_configure(config: pytest.Config) -> None:
    _guard_model_loads()


def _guard_model_loads() -> None:
    """A test outside -m slow that loads a Whisper model fails, so the quick loop stays quick: a
    load takes seconds and hundreds of MB. (Failed is a BaseException: recap's own handlers of a
    failed load cannot swallow it.)"""
    import ctranslate2.models

    real = ctranslate2.models.Whisper

    def guarded(*args, **kwargs):
        item = _RUNNING.get("item")
        if item is not None and item.get_closest_marker("slow") is None:
            pytest.fail(f"{item.nodeid} loads a Whisper model: mark it @pytest.mark.slow", pytrace=False)
        return real(*args, **kwargs)

    ctranslate2.models.Whisper = guarded


def run_recap(*args: str, cwd: Path | None = None, timeout: float = 300,
              env: dict | None = None) -> subprocess.CompletedProcess:
    """The real command line in a child process, as a user would run it (only from slow tests)."""
    item = _RUNNING.get("item")
    if item is not None and item.get_closest_marker("slow") is None:
        pytest.fail(f"{item.nodeid} runs the CLI in a child process: mark it @pytest.mark.slow",
                    pytrace=False)
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "recap", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=full_env)


class ScriptedTranscriber:
    """A stand-in for recap.stages.transcribe.WhisperTranscriber, for pipeline tests that are not about
    transcription: whatever the media, it "hears" ``script``, one segment per sentence, a word
    every ``step`` seconds. Its cache fields name it and its script, so its transcripts never
    share a cache entry with the real model's or with another script's."""

    def __init__(self, script: str = "Welcome to the show. Orca Labs released Harbor, an open model.",
                 step: float = 0.4) -> None:
        self.script = script
        self.step = step
        self.heard: list[Path] = []  # every media it was asked to transcribe, in order
        self.guided: list[str | None] = []  # the guidance it was given each time (and ignored)

    @property
    def cache_fields(self) -> dict:
        digest = hashlib.sha256(self.script.encode("utf-8")).hexdigest()[:16]
        return {"transcriber": "scripted", "script": digest, "step": self.step}

    def transcribe(self, media: Path, progress: Progress | None = None,
                   guidance: str | None = None) -> Transcript:
        self.heard.append(Path(media))
        self.guided.append(guidance)
        segments, count = [], 0
        for sentence in re.split(r"(?<=[.!?])\s+", self.script.strip()):
            tokens = sentence.split()
            if not tokens:
                continue
            starts = [round((count + i) * self.step, 3) for i in range(len(tokens))]
            said = [Word(f" {token}", start, round(start + 0.8 * self.step, 3))
                    for token, start in zip(tokens, starts)]
            count += len(tokens)
            segments.append(Segment(said[0].start, said[-1].end, "".join(w.text for w in said), said))
        duration = round(count * self.step, 3)
        if progress:
            progress(duration, duration)
        return Transcript(segments=segments, duration=duration, model="scripted")


def assert_one_line_error(result: subprocess.CompletedProcess) -> str:
    """A failed run: non-zero exit, one line on stderr, no traceback."""
    assert result.returncode != 0, result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("recap: error: "), lines[0]
    return lines[0]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("-", " "))


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance over the reference length (numbers spelt out as words count)."""
    ref, hyp = words(reference), words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        diagonal, row[0] = row[0], i
        for j, h in enumerate(hyp, start=1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (r != h))
    return row[len(hyp)] / max(1, len(ref))


# -- a two-host discussion show, written here: items on distinct subjects, the hosts' talk between --
TOPICS = (("scheduler", "jobs", "memory", "queue", "workers"),
          ("editor", "plugins", "themes", "keys", "buffers"),
          ("database", "tables", "queries", "indexes", "rows"),
          ("compiler", "types", "errors", "modules", "builds"),
          ("browser", "tabs", "cookies", "pages", "extensions"),
          ("camera", "lenses", "photos", "sensors", "flashes"))
_TALK = ("The {0} keeps the {1} in {2}, and the {3} stays small.",
         "Yeah, the {1} use less {2} now, right.",
         "I tried the {0} with my {4} and the {3} held up.",
         "Nice, so the {3} and the {4} both got faster.",
         "What I like is that the {1} never touch the {2} twice.",
         "Right, and the {0} reports every {3} it finds.",
         "Cool, the {4} can share the {2} across the {1}.",
         "Exactly, the {3} used to block the {0}, not anymore.")


def discussed_item(opening: str, topic: tuple[str, ...], sentences: int = 40) -> str:
    """One item two hosts talk through: ``opening`` (the hand-off), then talk about ``topic``."""
    return " ".join([opening, *(_TALK[i % len(_TALK)].format(*topic) for i in range(sentences))])


def discussion_episode(hand_off: str, topics=TOPICS[:4], extras=TOPICS[4]) -> tuple[str, list[str]]:
    """A greeting, an item per topic (the first asked for, the others opened by ``hand_off``) and
    the extras; the text and the opening sentence of each part."""
    openings = ["Hello and welcome to the Byte Show, I'm Ana and I'm Ben.",
                "What do you got for us first, Ben?"]
    openings += [hand_off] * (len(topics) - 1) + ["All right, on to our extras."]
    parts = [openings[0] + " Thanks for listening, we have four items today and a few extras. The show notes "
             "have every link we talk about, and the newsletter sends them to you each week."]
    parts += [discussed_item(opening, topic) for opening, topic in zip(openings[1:], topics)]
    parts.append(discussed_item(openings[-1], extras, 8))
    return " ".join(parts), openings
