"""File > Export map…: a print-layout map (PDF/PNG/SVG) written in the background.

The dialog picks what to map (a solved scenario, or the project alone), the
file (its ending sets the format), paper, orientation, resolution, title,
language and map projection; :meth:`MapExportDialog.start` runs
:func:`wufei_gis.mapping.write_map` in a :class:`~wufei_gis.ui.worker.Worker`
with a busy progress bar.  The same map comes from ``wufei map`` on the
command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QWidget,
)

from wufei_gis.basemap import BASEMAP_CHOICES, BasemapLayer, BasemapOptions
from wufei_gis.errors import InputError
from wufei_gis.labels import label
from wufei_gis.mapping import MapOptions, parse_crs_choice, write_map
from wufei_gis.mapping.layout import MAP_FORMATS, PAPER_SIZES_MM
from wufei_gis.progress import ProgressCallback
from wufei_gis.results import RunResult

from .dialogs import error_text, ok_cancel_buttons
from .i18n import language
from .worker import Worker

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

    from wufei_gis.project import Project

__all__ = ["MapExportDialog", "export_map_job", "show_map_export_dialog"]

_PROJECT_ONLY = "\x00project"


def _t(key: str, **kw: Any) -> str:
    return label(f"maps.{key}", language(), **kw)


def export_map_job(
    subject: RunResult | Project,
    out: str,
    options: MapOptions,
    *,
    project: Project | None,
    progress: ProgressCallback,
    should_cancel: Callable[[], bool],
) -> Path:
    """Worker job: draw and write the map (progress is indeterminate while drawing)."""
    progress(None, label("maps.drawing", options.lang))
    path = write_map(subject, out, options, project=project)
    progress(1.0, label("maps.done", options.lang, path=path))
    return path


class MapExportDialog(QDialog):
    """Options of a print-layout map; :meth:`start` writes it in the background.

    Parameters
    ----------
    results
        Solved scenarios by name (may be empty: then the project is mapped).
    project
        The project (names, statuses, data sources; mapped alone when chosen).
    current
        The scenario selected at first.
    """

    def __init__(
        self,
        results: Mapping[str, RunResult],
        *,
        project: Project | None = None,
        current: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.results = dict(results)
        self.project = project
        self.worker: Worker | None = None
        self.last_path: Path | None = None
        self.setWindowTitle(_t("export_title"))
        self._build()
        if current in self.results:
            self.what.setCurrentIndex(self.what.findData(current))

    # --- widgets ---------------------------------------------------------------------
    def _build(self) -> None:
        lang = language()
        self.what = QComboBox()
        for name in self.results:
            self.what.addItem(name, name)
        if self.project is not None:
            self.what.addItem(_t("what_project"), _PROJECT_ONLY)
        self.path = QLineEdit()
        self.browse = QPushButton(_t("browse"))
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        self.paper = QComboBox()
        self.paper.addItems(list(PAPER_SIZES_MM))
        self.orientation = QComboBox()
        for key in ("landscape", "portrait"):
            self.orientation.addItem(_t(key), key)
        self.dpi = QSpinBox()
        self.dpi.setRange(50, 1200)
        self.dpi.setSingleStep(50)
        self.dpi.setValue(200)
        self.title = QLineEdit()
        self.title.setPlaceholderText(_t("title_hint"))
        self.lang = QComboBox()
        for code in ("zh", "en"):
            self.lang.addItem(label(f"lang.{code}", lang), code)
        self.lang.setCurrentIndex(self.lang.findData(lang))
        self.crs = QComboBox()
        self.crs.setEditable(True)  # any EPSG:n may be typed
        self.crs.addItem(_t("crs_gk"), "gk")
        self.crs.addItem(_t("crs_utm"), "utm")
        self.basemap = QComboBox()
        for source in BASEMAP_CHOICES:
            self.basemap.addItem(label(f"basemap.choice.{source}", lang), source)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a00;")
        form = QFormLayout(self)
        form.addRow(_t("what"), self.what)
        form.addRow(_t("path"), row)
        form.addRow(_t("paper"), self.paper)
        form.addRow(_t("orientation"), self.orientation)
        form.addRow(_t("dpi"), self.dpi)
        form.addRow(_t("title"), self.title)
        form.addRow(_t("language"), self.lang)
        form.addRow(_t("crs"), self.crs)
        form.addRow(label("basemap.label", lang), self.basemap)
        form.addRow(self.progress)
        form.addRow(self.message)
        self.buttons = ok_cancel_buttons(self)
        form.addRow(self.buttons)
        self.browse.clicked.connect(self._browse)

    def _browse(self) -> None:
        start = self.path.text() or str(Path.home() / "map.pdf")
        chosen, _ = QFileDialog.getSaveFileName(self, _t("path"), start, _t("filter"))
        if chosen:
            self.path.setText(chosen if Path(chosen).suffix else chosen + ".pdf")

    # --- state -----------------------------------------------------------------------
    def crs_choice(self) -> str:
        """The map projection: ``"gk"``, ``"utm"`` or the typed ``"EPSG:n"``."""
        i = self.crs.currentIndex()
        if i >= 0 and self.crs.itemText(i) == self.crs.currentText():
            return str(self.crs.itemData(i))
        return self.crs.currentText().strip()

    def options(self) -> MapOptions:
        """Return the chosen :class:`~wufei_gis.mapping.MapOptions` (checked)."""
        crs = self.crs_choice()
        parse_crs_choice(crs)
        return MapOptions(
            paper=self.paper.currentText(),
            orientation=str(self.orientation.currentData()),
            dpi=self.dpi.value(),
            title=self.title.text().strip() or None,
            lang=str(self.lang.currentData()),
            crs=crs,
            basemap=self.basemap_layer(),
        )

    def basemap_layer(self) -> BasemapLayer | None:
        """The chosen basemap as the layout's hook (``None`` for no basemap)."""
        source = str(self.basemap.currentData() or "none")
        if source == "none":
            return None
        return BasemapLayer(source, BasemapOptions(lang=str(self.lang.currentData())))

    def _subject(self) -> RunResult | Project:
        key = self.what.currentData()
        if key == _PROJECT_ONLY or key is None:
            if self.project is None:
                raise InputError(_t("nothing"))
            return self.project
        return self.results[str(key)]

    # --- work ------------------------------------------------------------------------
    def start(self) -> Worker | None:
        """Check the options and write the map in a background worker (returned)."""
        self.message.clear()
        text = self.path.text().strip()
        try:
            if not text:
                raise InputError(_t("no_path"))
            if Path(text).suffix.lower() not in MAP_FORMATS:
                raise InputError(
                    f"cannot write a map as '{Path(text).suffix or text}'",
                    file=text,
                    fix="name the file .pdf, .png or .svg",
                )
            options = self.options()
            subject = self._subject()
        except InputError as err:
            self.message.setText(error_text(err))
            return None
        self.worker = Worker(
            export_map_job, subject, text, options, project=self.project, parent=self
        )
        self.worker.progress.connect(self._on_progress)
        self.worker.result.connect(self._on_done)
        self.worker.error.connect(self._on_error)
        self.worker.finished.connect(self._on_finished)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.buttons.setEnabled(False)
        self.worker.start()
        return self.worker

    def _on_progress(self, fraction: float, message: str) -> None:
        if fraction >= 0:
            self.progress.setRange(0, 100)
            self.progress.setValue(round(fraction * 100))
        self.progress.setFormat(message)

    def _on_done(self, path: object) -> None:
        self.last_path = Path(str(path))
        parent = self.parent()
        status = getattr(parent, "statusBar", None)
        if callable(status):
            status().showMessage(_t("done", path=self.last_path), 8000)
        super().accept()

    def _on_error(self, message: str) -> None:
        self.message.setText(f"{_t('failed')}: {message}")

    def _on_finished(self) -> None:
        self.progress.setVisible(False)
        self.buttons.setEnabled(True)

    def accept(self) -> None:  # Qt override: OK starts the export; the dialog closes when done
        if self.worker is None or not self.worker.isRunning():
            self.start()


def show_map_export_dialog(window: Any) -> MapExportDialog:
    """Open File > Export map… for the main window (its model's results and project)."""
    model = getattr(window, "model", None)
    results = dict(getattr(model, "results", {}) or {})
    project = getattr(model, "project", None)
    current = None
    panel = getattr(window, "results_panel", None)
    if panel is not None and hasattr(panel, "current"):
        current = panel.current()
    dialog = MapExportDialog(
        results,
        project=project,
        current=current,
        parent=window if isinstance(window, QWidget) else None,
    )
    base = getattr(project, "path", None)
    if base is not None:
        dialog.path.setText(str(Path(base).with_name(f"{Path(base).stem}_map.pdf")))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.open()
    return dialog
