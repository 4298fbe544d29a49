"""One generic worker thread for slow work (load, network, matrix, solve)."""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PyQt6.QtCore import QThread, pyqtSignal

from wufei_gis.errors import CancelledError, WufeiError

from .dialogs import error_text

__all__ = ["Worker"]

logger = logging.getLogger(__name__)


class Worker(QThread):
    """Run ``fn(*args, progress=..., should_cancel=..., **kwargs)`` in a thread.

    Signals
    -------
    progress(float, str)
        Fraction in [0, 1] (``-1`` when unknown) and the phase message.
    result(object)
        The return value (not emitted on error or cancel).
    error(str)
        A user-facing message: ``str(err)`` for a :class:`WufeiError`, else a
        short description (the traceback goes to the log, not to the user).
    cancelled()
        The work stopped because :meth:`cancel` was called.
    ``finished`` (from ``QThread``) always follows.
    """

    progress = pyqtSignal(float, str)
    result = pyqtSignal(object)
    error = pyqtSignal(str)
    cancelled = pyqtSignal()

    def __init__(self, fn: Callable[..., Any], *args: Any, parent=None, **kwargs: Any) -> None:
        super().__init__(parent)
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._cancel = threading.Event()
        self.value: Any = None
        self.failure: str | None = None

    def cancel(self) -> None:
        """Ask the work to stop (it checks :meth:`should_cancel` often)."""
        self._cancel.set()

    def should_cancel(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancel.is_set()

    def _report(self, fraction: float | None, message: str) -> None:
        self.progress.emit(-1.0 if fraction is None else float(fraction), str(message))

    def run(self) -> None:  # QThread API
        try:
            value = self._fn(
                *self._args, progress=self._report, should_cancel=self.should_cancel, **self._kwargs
            )
        except CancelledError:
            self.cancelled.emit()
            return
        except (WufeiError, OSError) as err:  # OSError: permission denied, disk full, ...
            self.failure = error_text(err)
        except Exception as err:  # shown as a message box, logged in full
            logger.error("worker failed:\n%s", traceback.format_exc())
            self.failure = f"{type(err).__name__}: {err}"
        else:
            if self.should_cancel():
                self.cancelled.emit()
            self.value = value
            self.result.emit(value)
            return
        self.error.emit(self.failure)
