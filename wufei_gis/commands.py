"""The one edit history: undoable commands, their stack and the change events (Qt-free).

Every user edit is a :class:`Command` with ``do()``, ``undo()`` and a
description (:meth:`Command.text`): a label key (:attr:`Command.text_key`, in
:mod:`wufei_gis.labels`) plus its parameters, put into words in the language
asked for, so the GUI shows it in its language.  Commands run through ONE
:class:`CommandStack` owned by the project model
(:attr:`wufei_gis.editing.ProjectModel.history`), as in glue's
``core/command.py``.  The stack keeps a clean index (the state last saved), so
"unsaved changes" is simply "not at the clean index"; its :attr:`CommandStack.changed`
signal fires after every change.  The GUI's Undo/Redo actions, their texts,
the dirty flag and the window-title star are views of this stack.

Commands tell views what they changed with a :class:`ChangeEvent` on the
model's :class:`Signal`.  The concrete project edits are in
:mod:`wufei_gis.edits`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .labels import LANGUAGES, label

if TYPE_CHECKING:
    from .editing import ProjectModel

__all__ = ["ChangeEvent", "Command", "CommandStack", "Signal"]

logger = logging.getLogger(__name__)

#: A parameter of an edit description: plain text, or ``(中文, English)``.
TextParam = str | tuple[str, str]


# --------------------------------------------------------------------------- events
class Signal:
    """A tiny callback signal: ``connect(cb)``, ``disconnect(cb)``, ``emit(*args)``."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> None:
        """Call ``callback`` on every emit."""
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        """Stop calling ``callback`` (no error if it was not connected)."""
        with contextlib.suppress(ValueError):
            self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        """Call every connected callback with ``args``."""
        for cb in list(self._callbacks):
            cb(*args)


@dataclass(frozen=True)
class ChangeEvent:
    """What changed.

    Parameters
    ----------
    kind
        ``{"values", "inserted", "removed", "reset", "scenario", "scenarios",
        "results", "saved", "project"}``.
    layer
        Layer name (``"counties"``, ``"facilities"``...), or ``None``.
    rows
        0-based positions of the rows affected (after the change for
        ``"inserted"``/``"values"``, before it for ``"removed"``).
    fields
        Columns changed (``"geometry"`` for moves), or scenario parameters.
    scenario
        Scenario name for ``"scenario"``/``"results"`` events.
    """

    kind: str
    layer: str | None = None
    rows: tuple[int, ...] = ()
    fields: tuple[str, ...] = ()
    scenario: str | None = None


# --------------------------------------------------------------------------- commands
class Command:
    """An undoable edit of a project model.

    Subclasses implement :meth:`do` and :meth:`undo` and describe themselves
    with a label key :attr:`text_key` and its :attr:`text_params` (or, for
    small ad-hoc commands, a ``(中文, English)`` pair in :attr:`texts`).  They
    validate their input on construction (raising :class:`~wufei_gis.errors.InputError`), so ``do``
    and ``undo`` are not expected to fail.

    Parameters
    ----------
    model
        The project being edited.
    """

    #: What the edit does, (中文, English) as in the UI string table: the words
    #: after "撤销" / "Undo" in the Edit menu (set per instance when they name a field).
    texts: tuple[str, str] = ("编辑", "edit")
    #: Label key of the description (``undo.*``); ``None`` uses :attr:`texts`.
    text_key: str | None = None

    def __init__(self, model: ProjectModel) -> None:
        self.model = model
        #: Values of the ``{placeholders}`` of :attr:`text_key`: text, or ``(中文, English)``.
        self.text_params: dict[str, TextParam] = {}

    def text(self, lang: str) -> str:
        """Return the description of the edit in ``lang`` ``{"zh", "en"}``."""
        if lang not in LANGUAGES:
            msg = f"unknown language {lang!r}; use one of {LANGUAGES}"
            raise ValueError(msg)
        i = LANGUAGES.index(lang)
        if self.text_key is None:
            return self.texts[i]
        params = {k: (v[i] if isinstance(v, tuple) else v) for k, v in self.text_params.items()}
        return label(self.text_key, lang, **params)

    def do(self) -> None:  # pragma: no cover - abstract
        """Make the edit (also used to redo it)."""
        raise NotImplementedError

    def undo(self) -> None:  # pragma: no cover - abstract
        """Revert the edit."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.text('en')}>"


class CommandStack:
    """A linear undo/redo history with a clean index.

    ``execute`` does a command and records it (dropping anything that could
    have been redone); ``undo``/``redo`` move along the history.  The clean
    index is the position last marked saved: the history is clean when it is
    back there, and can never be clean again once the commands leading to it
    are dropped (or after :meth:`mark_dirty`).  :attr:`changed` is emitted
    (without arguments) after every change of position, content or clean index.
    """

    def __init__(self) -> None:
        self._commands: list[Command] = []
        self._index = 0
        self._clean: int | None = 0
        self.changed = Signal()

    def __len__(self) -> int:
        return len(self._commands)

    # --- state ---------------------------------------------------------------
    @property
    def index(self) -> int:
        """How many commands are done (the position in the history)."""
        return self._index

    @property
    def clean_index(self) -> int | None:
        """The position last marked clean (saved), or ``None`` if unreachable."""
        return self._clean

    @property
    def is_clean(self) -> bool:
        """Whether the current position is the saved state."""
        return self._clean == self._index

    @property
    def can_undo(self) -> bool:
        """Whether there is a command to undo."""
        return self._index > 0

    @property
    def can_redo(self) -> bool:
        """Whether there is an undone command to redo."""
        return self._index < len(self._commands)

    def undo_text(self, lang: str) -> str:
        """Return the description of the command :meth:`undo` would revert ("" if none)."""
        return self._commands[self._index - 1].text(lang) if self.can_undo else ""

    def redo_text(self, lang: str) -> str:
        """Return the description of the command :meth:`redo` would redo ("" if none)."""
        return self._commands[self._index].text(lang) if self.can_redo else ""

    # --- moving ----------------------------------------------------------------
    def execute(self, command: Command) -> Command:
        """Do ``command`` and record it; the commands that could be redone are dropped.

        If ``command.do()`` raises, nothing is recorded and the error propagates.
        """
        command.do()
        del self._commands[self._index :]
        if self._clean is not None and self._clean > self._index:
            self._clean = None  # the saved state was in the dropped redo branch
        self._commands.append(command)
        self._index += 1
        self.changed.emit()
        return command

    def undo(self) -> Command | None:
        """Undo the last done command and return it (``None`` if there is none).

        If ``command.undo()`` raises, the position does not move and the error propagates.
        """
        if not self.can_undo:
            return None
        command = self._commands[self._index - 1]
        command.undo()
        self._index -= 1
        self.changed.emit()
        return command

    def redo(self) -> Command | None:
        """Redo the last undone command and return it (``None`` if there is none)."""
        if not self.can_redo:
            return None
        command = self._commands[self._index]
        command.do()
        self._index += 1
        self.changed.emit()
        return command

    # --- clean state -------------------------------------------------------------
    def mark_clean(self) -> None:
        """Treat the current position as saved."""
        self._clean = self._index
        self.changed.emit()

    def mark_dirty(self) -> None:
        """Treat every position as unsaved (e.g. a recovered project) until the next save."""
        self._clean = None
        self.changed.emit()

    def clear(self) -> None:
        """Forget every command; the empty history is clean."""
        self._commands.clear()
        self._index = 0
        self._clean = 0
        self.changed.emit()
