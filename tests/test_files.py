"""Atomic writes: whole files only, readable by others like any file the user makes."""

from __future__ import annotations

import os

from recap.core.files import write_atomic


def test_atomic_write_replaces_whole_and_honours_the_umask(tmp_path):
    target = tmp_path / "article.md"
    write_atomic(target, "first")
    write_atomic(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["article.md"]
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
