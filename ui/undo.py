"""Wrap core edit commands (:mod:`wufei_gis.editing`) in ``QUndoCommand``."""

from __future__ import annotations

import logging

from PyQt6.QtGui import QUndoCommand, QUndoStack

from wufei_gis.editing import Command

__all__ = ["QtCommand", "push"]

logger = logging.getLogger(__name__)


class QtCommand(QUndoCommand):
    """A ``QUndoCommand`` that runs a core command's ``do``/``undo``.

    Core commands validate on construction, so ``do``/``undo`` should not
    fail; if one does, it is logged rather than let through Qt (where an
    exception in a virtual method aborts the application).
    """

    def __init__(self, command: Command) -> None:
        super().__init__(command.text)
        self.command = command

    def redo(self) -> None:  # noqa: D102 - Qt API (first push calls redo)
        try:
            self.command.do()
        except Exception:  # noqa: BLE001
            logger.exception("edit %r failed", self.command.text)
            self.setObsolete(True)

    def undo(self) -> None:  # noqa: D102
        try:
            self.command.undo()
        except Exception:  # noqa: BLE001
            logger.exception("undo of %r failed", self.command.text)


def push(stack: QUndoStack, command: Command) -> Command:
    """Do ``command`` through ``stack`` (so Edit > Undo can revert it)."""
    stack.push(QtCommand(command))
    return command
