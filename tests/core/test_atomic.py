"""Atomic whole-file writes: old or new content, never half; modes kept."""

from __future__ import annotations

import os
import stat

import pytest

from wufei_gis.atomic import atomic_file, atomic_folder, default_file_mode


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


def _private_writer(path):
    """A writer that creates its file 0600, as SQLite or ``tempfile`` may."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.write(fd, b"new")
    os.close(fd)


@pytest.mark.parametrize("mode", [0o644, 0o664, 0o640])
def test_a_private_writer_does_not_change_the_targets_mode(tmp_path, mode):
    target = tmp_path / "project.gpkg"
    target.write_text("old")
    os.chmod(target, mode)
    with atomic_file(target, suffix=".gpkg") as tmp:
        _private_writer(tmp)
        assert stat.S_IMODE(tmp.stat().st_mode) == 0o600
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == mode


@pytest.mark.parametrize(("umask", "expected"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_gets_the_umask_mode(tmp_path, umask, expected):
    old = os.umask(umask)
    try:
        assert default_file_mode() == expected
        with atomic_file(tmp_path / "new.xlsx", suffix=".xlsx") as tmp:
            _private_writer(tmp)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.xlsx").stat().st_mode) == expected


def test_a_new_project_file_gets_the_umask_mode(tmp_path):
    """storage's whole-file writes (a new project, Save As) follow the same rule."""
    import geopandas as gpd
    from shapely.geometry import Point

    from wufei_gis import storage

    pts = gpd.GeoDataFrame({"a": [1]}, geometry=[Point(102.0, 24.0)], crs="EPSG:4326")
    old = os.umask(0o027)
    try:
        new = storage.write_layers(tmp_path / "new.gpkg", {"pts": (pts, "Point")})
    finally:
        os.umask(old)
    assert stat.S_IMODE(new.stat().st_mode) == 0o640
    other = storage.write_layers(tmp_path / "other.gpkg", {"pts": (pts, "Point")})
    os.chmod(other, 0o604)
    storage.write_layers(other, {"more": (pts, "Point")}, base=new)  # Save As over it
    assert stat.S_IMODE(other.stat().st_mode) == 0o604
