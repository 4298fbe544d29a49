"""Solve a scenario in the worker thread, with a progress dialog and a working Cancel."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout

from wufei_gis.editing import ProjectModel
from wufei_gis.project import Project

from .i18n import tr
from .worker import Worker

__all__ = ["SolveDialog", "start_solve", "snapshot"]

logger = logging.getLogger(__name__)


def snapshot(project: Project) -> Project:
    """Return a copy of the project for a background solve (edits go on meanwhile)."""
    copy = Project(
        project.counties.copy(),
        project.facilities.copy(),
        project.generation.copy(),
        candidates=project.candidates.copy(),
        exclusions=project.exclusions.copy(),
        scenarios=dict(project.scenarios),
        name=project.name,
        path=project.path,
    )
    copy.towns = project.towns.copy()
    return copy


def _solve(project: Project, scenario: str, *, progress, should_cancel, **kwargs):
    from wufei_gis.optimization.planning import solve_scenario

    return solve_scenario(
        project, scenario, progress=progress, should_cancel=should_cancel, **kwargs
    )


class SolveDialog(QDialog):
    """Shows the phase and progress of a :class:`Worker`; Cancel asks it to stop."""

    def __init__(self, worker: Worker, title: str, parent=None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(380)
        self.phase = QLabel(tr("solve.start"))
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.cancel_button = QPushButton(tr("solve.cancel"))
        lay = QVBoxLayout(self)
        lay.addWidget(self.phase)
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        self.cancel_button.clicked.connect(self.cancel)
        worker.progress.connect(self.on_progress)
        worker.finished.connect(self.accept)

    def on_progress(self, fraction: float, message: str) -> None:
        """Show the phase (translated when known) and the fraction done."""
        if not self.worker.should_cancel():
            self.phase.setText(
                tr(f"phase.{message}") if f"phase.{message}" in _known() else message
            )
        if fraction < 0:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 100)
            self.bar.setValue(int(round(100 * fraction)))

    def cancel(self) -> None:
        """Ask the worker to stop; the dialog closes when it has."""
        self.worker.cancel()
        self.cancel_button.setEnabled(False)
        self.phase.setText(tr("solve.cancelling"))

    def reject(self) -> None:  # Esc / window close = Cancel
        """Cancel instead of hiding the dialog while work runs."""
        if self.worker.isRunning():
            self.cancel()
        else:
            super().reject()


def _known() -> set[str]:
    from .i18n import STRINGS

    return set(STRINGS)


def start_solve(
    parent,
    model: ProjectModel,
    scenario: str,
    *,
    on_result: Callable | None = None,
    on_error: Callable[[str], None] | None = None,
    solve_fn: Callable | None = None,
    **kwargs,
) -> tuple[Worker, SolveDialog]:
    """Solve ``scenario`` of a snapshot of the project in a :class:`Worker`.

    The result is stored with :meth:`ProjectModel.set_result` (and passed to
    ``on_result``); an error message goes to ``on_error``.  Returns the worker
    and its (shown) dialog.
    """
    fn = solve_fn or _solve
    worker = Worker(fn, snapshot(model.project), scenario, parent=parent, **kwargs)
    dialog = SolveDialog(worker, f"{tr('solve.title')}: {scenario}", parent)

    version = model.input_version  # edits made while solving leave the result stale

    def done(result) -> None:
        model.set_result(result, input_version=version)
        if on_result is not None:
            on_result(result)

    worker.result.connect(done)
    if on_error is not None:
        worker.error.connect(on_error)
    dialog.show()
    worker.start()
    return worker, dialog
