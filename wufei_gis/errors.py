"""One error family for wufei-gis.

Every error a user can cause is an :class:`InputError` that names *where*
(file, layer, row, field) and *how to fix it*.  The CLI and the GUI each catch
:class:`WufeiError` in exactly one place; nothing else is ever shown to a user
as a traceback.  ``str(err)`` is English (the CLI and the logs); the GUI shows
:meth:`InputError.message` in its language: the location is always framed in
that language (文件/图层/第 N 行/字段/如何修正), and errors raised with a label
``key`` (in :mod:`wufei_gis.labels`, ``err.*``) are worded in it too; the
others keep their English problem and fix.  :func:`describe_os_error` words
operating-system errors in either language.
"""

from __future__ import annotations

import errno
import os
from os import PathLike
from typing import Any

from .labels import LABELS, label, value_label

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
    key, params
        Optional label key of the problem (``err.*``) and the values of its
        placeholders; the fix is the label ``key + ".fix"`` when it exists.
        Used by :meth:`message` to word the error in the GUI's language.
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
        key: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.problem = problem
        self.file = None if file is None else str(file)
        self.layer = layer
        self.row = row
        self.field = field
        self.fix = fix
        self.key = key
        self.params = dict(params or {})
        super().__init__(self._message())

    def message(self, lang: str = "en") -> str:
        """Return the error for a person reading ``lang`` ``{"zh", "en"}``.

        English is ``str(err)``.  Chinese frames the location in Chinese
        (文件、图层、第 N 行、字段、如何修正) and, when the error has a label
        :attr:`key`, words the problem and the fix in Chinese too.
        """
        if lang == "en":
            return str(self)
        where = []
        if self.file:
            where.append(label("err.where_file", lang, v=self.file))
        if self.layer:
            where.append(label("err.where_layer", lang, v=value_label("layer", self.layer, lang)))
        if self.row is not None:
            where.append(label("err.where_row", lang, v=self.row))
        if self.field:
            where.append(label("err.where_field", lang, v=_field_name(self.layer, self.field)))
        problem, fix = self.problem, self.fix
        if self.key in LABELS:
            problem = label(self.key, lang, **self.params)
            fix_key = f"{self.key}.fix"
            fix = label(fix_key, lang, **self.params) if fix_key in LABELS else fix
        text = label("err.where_sep", lang).join(where)
        msg = label("err.located", lang, where=text, problem=problem) if where else problem
        return msg + (label("err.fix", lang, fix=fix) if fix else "")

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
            key=self.key,
            params=self.params,
        )


def _field_name(layer: str | None, field: str) -> str:
    """A column named in Chinese with its code: ``处理能力 (吨/日)（capacity_tpd）``."""
    from .schema import LAYER_SPECS

    if field == "geometry":
        return label("err.geometry", "zh")
    spec = LAYER_SPECS.get(layer or "")
    f = next((f for f in spec.fields if f.name == field), None) if spec else None
    return f"{f.label_zh}（{field}）" if f is not None and f.label_zh else field


class SolveError(WufeiError):
    """A solver could not be run at all (not: the problem had a capacity gap)."""


class CancelledError(WufeiError):
    """Long work was stopped because the user asked for it."""


#: errno -> label key of what happened (``oserr.<key>``) and how to fix it
#: (``oserr.<key>.fix``, where ``{path}`` is the file named by the error).
_OS_ERRORS: dict[int, str] = {
    errno.EACCES: "access",
    errno.EPERM: "perm",
    errno.EROFS: "readonly",
    errno.EISDIR: "isdir",
    errno.ENOTDIR: "notdir",
    errno.ENOENT: "noent",
    errno.ENOSPC: "full",
    errno.EDQUOT: "quota",
    errno.EBUSY: "busy",
    errno.ETXTBSY: "txtbusy",
    errno.ENAMETOOLONG: "toolong",
    errno.EEXIST: "exists",
}

#: Windows "sharing violation" / "lock violation": another program has the file open.
_WINDOWS_LOCKED = (32, 33)


def describe_os_error(err: OSError, lang: str = "en") -> str:
    """Return one line naming the path, what went wrong and the fix.

    Used by the ``wufei`` CLI and the desktop app so that an operating-system
    error (permission denied, a folder given for a file, disk full, a file
    locked by another program) reads the same everywhere and never shows as a
    traceback.

    Parameters
    ----------
    err
        Any :class:`OSError` (``PermissionError``, ``IsADirectoryError``, ...).
    lang
        ``{"en", "zh"}``: the language of the line (the CLI uses English).

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
    if getattr(err, "winerror", None) in _WINDOWS_LOCKED:
        key = "locked"
    else:
        key = _OS_ERRORS.get(err.errno or 0, "other")
    if key == "other":
        problem = err.strerror or str(err) or type(err).__name__
    else:
        problem = label(f"oserr.{key}", lang)
    fix = label(f"oserr.{key}.fix", lang, path=path)
    where = ""
    if path is not None:
        arrow = "' -> '" if lang == "en" else "”→“"
        shown = path if err.filename2 is None else f"{path}{arrow}{err.filename2}"
        where = label("err.where_path", lang, v=shown)
    if lang == "en":
        return f"{where + ': ' if where else ''}{problem}. Fix: {fix}"
    msg = label("err.located", lang, where=where, problem=problem) if where else problem
    return msg + label("err.fix", lang, fix=fix)
