"""File > Export: choose a solved scenario, a format and a path; calls :func:`export_result`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from wufei_gis.errors import WufeiError
from wufei_gis.export import EXPORT_FORMATS, export_result
from wufei_gis.labels import label
from wufei_gis.results import RunResult

from .dialogs import error_text, ok_cancel_buttons
from .i18n import language

if TYPE_CHECKING:  # pragma: no cover
    from wufei_gis.project import Project

__all__ = ["ExportDialog", "show_export_dialog"]


def _t(key: str, **kw: Any) -> str:
    return label(f"export.{key}", language(), **kw)


class ExportDialog(QDialog):
    """Pick scenario, format and path; :meth:`export` writes the files.

    Parameters
    ----------
    results
        Solved scenarios by name (or a list).
    project
        The project, for names and the parameter sheet.
    current
        The scenario selected at first.
    """

    def __init__(
        self,
        results: Mapping[str, RunResult] | Sequence[RunResult],
        *,
        project: Project | None = None,
        current: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if not isinstance(results, Mapping):
            results = {r.scenario: r for r in results}
        self.results = dict(results)
        self.project = project
        self.last_path: Path | None = None
        self.setWindowTitle(_t("title"))

        self.scenario = QComboBox()
        self.scenario.addItems(list(self.results))
        if current in self.results:
            self.scenario.setCurrentText(current)
        self.format = QComboBox()
        for key in EXPORT_FORMATS:
            self.format.addItem(_t(f"format.{key}"), key)
        self.path = QLineEdit()
        self.browse = QPushButton(_t("browse"))
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #666;")
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        form = QFormLayout(self)
        form.addRow(_t("scenario"), self.scenario)
        form.addRow(_t("format"), self.format)
        form.addRow(_t("path"), row)
        form.addRow("", self.hint)
        self.buttons = ok_cancel_buttons(self)
        form.addRow(self.buttons)
        self.browse.clicked.connect(self._browse)
        self.format.currentIndexChanged.connect(self._format_changed)
        self._format_changed()

    # --- state ------------------------------------------------------------------
    def fmt(self) -> str:
        """Return the chosen format key (``"gpkg"``, ``"csv"``...)."""
        return str(self.format.currentData())

    def set_format(self, fmt: str) -> None:
        """Select a format by key."""
        self.format.setCurrentIndex(self.format.findData(fmt))

    def _is_folder(self) -> bool:
        return EXPORT_FORMATS[self.fmt()][1] == ""

    def _format_changed(self, *_: Any) -> None:
        self.hint.setText(_t("folder_hint") if self._is_folder() else _t("file_hint"))
        text = self.path.text().strip()
        if text:
            p = Path(text)
            suffix = EXPORT_FORMATS[self.fmt()][1]
            stem = p.with_suffix("") if p.suffix in (".gpkg", ".xlsx") else p
            self.path.setText(str(stem.with_suffix(suffix) if suffix else stem))

    def _browse(self) -> None:
        start = self.path.text() or str(Path.home() / f"{self.scenario.currentText()}")
        if self._is_folder():
            chosen = QFileDialog.getExistingDirectory(self, _t("path"), start)
        else:
            suffix = EXPORT_FORMATS[self.fmt()][1]
            chosen, _ = QFileDialog.getSaveFileName(
                self, _t("path"), start, f"{self.format.currentText()} (*{suffix})"
            )
            if chosen and not chosen.endswith(suffix):
                chosen += suffix
        if chosen:
            self.path.setText(chosen)

    # --- work --------------------------------------------------------------------
    def export(self) -> Path:
        """Export the chosen scenario; raise :class:`WufeiError` on bad input."""
        text = self.path.text().strip()
        if not text:
            raise WufeiError(_t("no_path"))
        result = self.results[self.scenario.currentText()]
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.last_path = export_result(result, self.fmt(), text, project=self.project)
        finally:
            QApplication.restoreOverrideCursor()
        return self.last_path

    def accept(self) -> None:  # Qt override
        try:
            path = self.export()
        except (WufeiError, OSError) as err:
            QMessageBox.warning(self, _t("failed"), error_text(err))
            return
        parent = self.parent()
        status = getattr(parent, "statusBar", None)
        if callable(status):
            status().showMessage(_t("done", path=path), 8000)
        super().accept()


def _model_of(window: Any) -> Any:
    for name in ("model", "project_model", "_model"):
        m = getattr(window, name, None)
        if m is not None and hasattr(m, "results"):
            return m
    return None


def show_export_dialog(window: Any) -> ExportDialog | None:
    """Open the export dialog for the main window's results (File > Export).

    Reads ``window.model`` (a :class:`~wufei_gis.editing.ProjectModel`):
    its ``results`` and ``project``; the scenario shown in the results panel
    (``window.results_panel.current()``) is selected first.  Returns the
    (window-modal, already open) dialog, or ``None`` when there is nothing to
    export yet (the user is told so).
    """
    model = _model_of(window)
    results = dict(getattr(model, "results", {}) or {})
    if not results:
        QMessageBox.information(
            window if isinstance(window, QWidget) else None, _t("title"), _t("no_results")
        )
        return None
    current = None
    panel = getattr(window, "results_panel", None)
    if panel is not None and hasattr(panel, "current"):
        current = panel.current()
    dialog = ExportDialog(
        results,
        project=getattr(model, "project", None),
        current=current,
        parent=window if isinstance(window, QWidget) else None,
    )
    project = getattr(model, "project", None)
    base = getattr(project, "path", None)
    scen = dialog.scenario.currentText()
    if base is not None:
        dialog.path.setText(str(Path(base).with_name(f"{Path(base).stem}_{scen}.gpkg")))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.open()
    return dialog
