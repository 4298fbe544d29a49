"""Atomic whole-file writes: old or new content, never half; modes kept."""

from __future__ import annotations

import os
import stat

import pytest

from wufei_gis.atomic import atomic_file, atomic_folder


def test_replaces_and_keeps_the_mode(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    os.chmod(target, 0o640)
    with atomic_file(target, suffix=".csv") as tmp:
        assert tmp.suffix == ".csv" and not tmp.exists()
        tmp.write_text("new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_failure_leaves_the_old_file(tmp_path):
    target = tmp_path / "out.pdf"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_file(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("writer failed")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_new_file_gets_the_usual_mode(tmp_path):
    mask = os.umask(0o022)
    try:
        with atomic_file(tmp_path / "sub" / "new.txt") as tmp:
            tmp.write_text("x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "sub" / "new.txt").stat().st_mode) == 0o644


def test_folder_moves_every_file(tmp_path):
    out = tmp_path / "shp"
    with atomic_folder(out) as tmp:
        (tmp / "a.shp").write_text("a")
        (tmp / "a.dbf").write_text("b")
    assert sorted(p.name for p in out.iterdir()) == ["a.dbf", "a.shp"]
