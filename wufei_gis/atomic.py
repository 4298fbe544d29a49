"""Atomic whole-file writes: a temporary file next to the target, fsync, one ``os.replace``.

Every writer of a whole output file (exports, the PDF report, the font cache,
a brand-new project GeoPackage) goes through :func:`atomic_file`, so a failed
or killed write never leaves a half-written target and a reader sees either
the old file or the new one.

Permissions: whatever mode the writer gives its temporary file (SQLite,
``tempfile`` and some libraries create files ``0600``), a replaced target
keeps its permission bits (and owner, where allowed), read before writing,
and a new file gets ``0666 & ~umask`` (:func:`default_file_mode`) like any
other program's new file.  In-place edits of a project are SQLite
transactions instead (:mod:`wufei_gis.storage`), which do not touch the mode.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from os import PathLike
from pathlib import Path

__all__ = ["atomic_file", "atomic_folder", "default_file_mode", "fsync_path"]


def fsync_path(path: str | PathLike[str]) -> None:
    """Flush a file (or, where the system allows, a folder entry) to disk."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if Path(path).is_dir() else os.O_RDONLY
    try:
        fd = os.open(path, flags)
    except OSError:  # folders cannot be opened on every system: nothing to flush
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _umask() -> int:
    """The process's umask, read without changing it where the system tells it."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)  # elsewhere: set and restore at once
    os.umask(mask)
    return mask


def default_file_mode() -> int:
    """Return the mode a new file gets: ``0o666 & ~umask`` (``0o644`` under umask 022)."""
    return 0o666 & ~_umask()


def _target_mode(target: Path) -> tuple[int, tuple[int, int] | None]:
    """``(permission bits, (uid, gid) or None)`` the written file must end up with."""
    try:
        st = target.stat()
    except FileNotFoundError:
        return default_file_mode(), None
    return stat.S_IMODE(st.st_mode), (st.st_uid, st.st_gid)


@contextlib.contextmanager
def atomic_file(target: str | PathLike[str], *, suffix: str = "") -> Iterator[Path]:
    """Yield a fresh temporary path next to ``target``; on success it replaces ``target``.

    Parameters
    ----------
    target
        The file to write.  Its folder is created if missing.
    suffix
        Ending of the temporary name, e.g. ``".gpkg"``, for writers that pick
        their format from the file name.

    Notes
    -----
    The temporary path does not exist when yielded: the writer creates it.
    Before it replaces ``target`` it gets the target's mode and owner (read
    before the write), or :func:`default_file_mode` for a new file, whatever
    mode the writer created it with.
    If the block raises, the temporary file is removed and ``target`` is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    mode, owner = _target_mode(target)
    fd, name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=f".tmp{suffix}", dir=target.parent
    )
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()
    try:
        yield tmp
        _replace(tmp, target, mode, owner)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _replace(tmp: Path, target: Path, mode: int, owner: tuple[int, int] | None) -> None:
    fsync_path(tmp)
    os.chmod(tmp, mode)
    if owner is not None:
        with contextlib.suppress(OSError, AttributeError):  # not ours to give / no chown
            os.chown(tmp, *owner)
    os.replace(tmp, target)
    fsync_path(target.parent if str(target.parent) else Path("."))


@contextlib.contextmanager
def atomic_folder(target: str | PathLike[str]) -> Iterator[Path]:
    """Yield a temporary folder inside ``target``; on success move each file into ``target``.

    Each file lands with one ``os.replace``; if the block raises, nothing is moved.
    """
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".export.", dir=target))
    try:
        yield tmp
        for f in sorted(tmp.iterdir()):
            fsync_path(f)
            os.replace(f, target / f.name)
        fsync_path(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
