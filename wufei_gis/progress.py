"""Progress and cancellation callables shared by every long-running function.

Core functions never import Qt.  Instead they accept two optional keyword
arguments:

``progress(fraction, message)``
    ``fraction`` in ``[0, 1]`` or ``None`` when unknown; ``message`` names the
    phase (e.g. ``"building model"``).
``should_cancel()``
    returns ``True`` when the user asked to stop; the function then raises
    :class:`wufei_gis.errors.CancelledError` (or, for solvers, returns the best
    solution found so far).
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import CancelledError

ProgressCallback = Callable[[float | None, str], None]
CancelCallback = Callable[[], bool]

__all__ = ["ProgressCallback", "CancelCallback", "report", "check_cancel"]


def report(progress: ProgressCallback | None, fraction: float | None, message: str) -> None:
    """Call ``progress`` if one was given."""
    if progress is not None:
        progress(fraction, message)


def check_cancel(should_cancel: CancelCallback | None, what: str = "work") -> None:
    """Raise :class:`CancelledError` if the user asked to stop."""
    if should_cancel is not None and should_cancel():
        msg = f"{what} was cancelled"
        raise CancelledError(msg)
