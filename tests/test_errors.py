"""Bad input: one clear line on stderr, a non-zero exit, never a traceback."""

from __future__ import annotations

import socket

from conftest import assert_one_line_error, run_recap


def test_missing_file(tmp_path):
    line = assert_one_line_error(run_recap(str(tmp_path / "nope.mp4")))
    assert "no such file" in line


def test_folder_instead_of_file(tmp_path):
    line = assert_one_line_error(run_recap(str(tmp_path)))
    assert "folder" in line


def test_file_that_is_not_media(tmp_path):
    fake = tmp_path / "notes.mp3"
    fake.write_text("this is not audio at all\n" * 50)
    line = assert_one_line_error(run_recap(str(fake), "--cache-dir", str(tmp_path / "c")))
    assert "cannot read audio" in line


def test_unreachable_url_on_a_closed_port(tmp_path):
    with socket.socket() as probe:  # bind then close: nothing listens there afterwards
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_recap(f"http://127.0.0.1:{port}/episode.mp4", "--cache-dir", str(tmp_path))
    line = assert_one_line_error(result)
    assert "cannot download" in line


def test_page_without_media_is_unsupported(server, served_dir, tmp_path):
    (served_dir / "page.html").write_text("<html><body><p>No video here.</p></body></html>")
    result = run_recap(f"{server}/page.html", "--cache-dir", str(tmp_path))
    assert_one_line_error(result)
    assert result.returncode == 2


def test_unknown_format_is_a_usage_error(samples):
    result = run_recap(str(samples / "tensor_weekly_12.txt"), "--format", "pdf")
    assert result.returncode == 2
    assert "unknown format" in result.stderr
