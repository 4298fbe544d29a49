"""One error family for wufei-gis.

Every error a user can cause is an :class:`InputError` that names *where*
(file, layer, row, field) and *how to fix it*.  The CLI and the GUI each catch
:class:`WufeiError` in exactly one place and show ``str(err)``; nothing else is
ever shown to a user as a traceback.
"""

from __future__ import annotations

from os import PathLike

__all__ = ["WufeiError", "InputError", "SolveError", "CancelledError"]


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
    ) -> "InputError":
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
