"""One error family for wufei-gis.

Every error a user can cause is an :class:`InputError` that names *where*
(file, layer, row, field) and *how to fix it*.  The CLI and the GUI each catch
:class:`WufeiError` in exactly one place and show ``str(err)``; nothing else is
ever shown to a user as a traceback.
"""

from __future__ import annotations

import errno
import os
from os import PathLike

__all__ = ["WufeiError", "InputError", "SolveError", "CancelledError", "describe_os_error"]


class WufeiError(Exception):
    """Base class of every error wufei-gis raises on purpose."""


class InputError(WufeiError, ValueError):
    """Bad user input: a file, layer, row or field that cannot be used.

    Parameters
    ----------
    problem
        What is wrong, in one sentence.
    file, layer, row, field
        Where it is wrong; any may be omitted.  ``row`` is the 1-based data row
        (the first feature is row 1) as a person counts rows in QGIS or Excel.
    fix
        What the user should do about it.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | PathLike[str] | None = None,
        layer: str | None = None,
        row: int | None = None,
        field: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = None if file is None else str(file)
        self.layer = layer
        self.row = row
        self.field = field
        self.fix = fix
        super().__init__(self._message())

    def _message(self) -> str:
        where = []
        if self.file:
            where.append(f"file '{self.file}'")
        if self.layer:
            where.append(f"layer '{self.layer}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field '{self.field}'")
        msg = (", ".join(where) + ": " if where else "") + self.problem
        if self.fix:
            msg += f" Fix: {self.fix}"
        return msg

    def located(
        self,
        *,
        file: str | PathLike[str] | None = None,
        layer: str | None = None,
    ) -> InputError:
        """Return a copy with the file/layer filled in where still unknown."""
        return InputError(
            self.problem,
            file=self.file or (None if file is None else str(file)),
            layer=self.layer or layer,
            row=self.row,
            field=self.field,
            fix=self.fix,
        )


class SolveError(WufeiError):
    """A solver could not be run at all (not: the problem had a capacity gap)."""


class CancelledError(WufeiError):
    """Long work was stopped because the user asked for it."""


#: errno -> (what happened, how to fix it); ``{path}`` is the file named by the error.
_OS_ERRORS: dict[int, tuple[str, str]] = {
    errno.EACCES: (
        "permission denied",
        ("choose a file or folder you have access to, or ask for access to it"),
    ),
    errno.EPERM: (
        "operation not permitted",
        ("choose a folder you can write to, or ask for access to it"),
    ),
    errno.EROFS: ("the folder is on a read-only disk", "choose a folder on a writable disk"),
    errno.EISDIR: (
        "is a folder, not a file",
        ("give a file name inside it, e.g. {path}/result.gpkg"),
    ),
    errno.ENOTDIR: ("part of the path is a file, not a folder", "check the path"),
    errno.ENOENT: ("no such file or folder", "check the path; create the folder first"),
    errno.ENOSPC: ("the disk is full", "free some disk space or choose another disk"),
    errno.EDQUOT: ("the disk quota is exceeded", "free some disk space or choose another disk"),
    errno.EBUSY: (
        "the file is in use by another program",
        ("close it in QGIS, Excel or other programs and try again"),
    ),
    errno.ETXTBSY: (
        "the file is in use by another program",
        ("close it in other programs and try again"),
    ),
    errno.ENAMETOOLONG: ("the file name is too long", "choose a shorter path"),
    errno.EEXIST: ("already exists", "choose another name or delete it first"),
}

#: Windows "sharing violation" / "lock violation": another program has the file open.
_WINDOWS_LOCKED = (32, 33)


def describe_os_error(err: OSError) -> str:
    """Return one line naming the path, what went wrong and the fix.

    Used by the ``wufei`` CLI and the desktop app so that an operating-system
    error (permission denied, a folder given for a file, disk full, a file
    locked by another program) reads the same everywhere and never shows as a
    traceback.

    Parameters
    ----------
    err
        Any :class:`OSError` (``PermissionError``, ``IsADirectoryError``, ...).

    Returns
    -------
    str
        E.g. ``"path '/data/out.gpkg': permission denied. Fix: choose a folder
        you can write to ..."``.
    """
    path = err.filename
    if path is not None:
        name = os.path.basename(os.fspath(path))
        if name.startswith(".") and (".saving-" in name or ".tmp" in name):
            path = os.path.dirname(os.fspath(path)) or "."  # our temporary file: name the folder
    where = f"path '{path}': " if path is not None else ""
    if getattr(err, "winerror", None) in _WINDOWS_LOCKED:
        problem, fix = (
            "the file is locked by another program",
            "close it in QGIS, Excel or other programs and try again",
        )
    elif err.errno in _OS_ERRORS:
        problem, fix = _OS_ERRORS[err.errno]
    else:
        problem = err.strerror or str(err) or type(err).__name__
        fix = "check the path, free disk space and access rights, then try again"
    if err.filename2 is not None:
        where = f"path '{path}' -> '{err.filename2}': "
    return f"{where}{problem}. Fix: {fix.format(path=path)}"
