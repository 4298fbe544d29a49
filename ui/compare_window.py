"""Side-by-side comparison of solved scenarios (thin over :mod:`wufei_gis.comparison`).

One map canvas per scenario, all on one colour scale (unserved share of
generation, 0–100 %), a difference map (B − A, unserved t/d, with a legend
saying which colour means the gap shrinks or grows) and a KPI table with
deltas.  Pan and zoom are synchronized: every map's axes follow the one being
moved (``xlim_changed``/``ylim_changed`` callbacks, see :class:`ExtentSync`).
Every piece is drawn by the panel functions of :mod:`wufei_gis.comparison`,
the same ones that draw ``wufei compare --out x.png``; *Export…* writes that
figure (PDF, PNG or SVG) with :func:`wufei_gis.comparison.write_comparison`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matplotlib.backends.backend_qt import NavigationToolbar2QT
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wufei_gis.comparison import (
    CompareOptions,
    comparison_title,
    difference_colorbar,
    draw_difference_panel,
    draw_gap_panel,
    gap_colorbar,
    kpi_cells,
    letter,
    prepare_comparison,
    write_comparison,
)
from wufei_gis.errors import InputError
from wufei_gis.labels import label
from wufei_gis.results import RunResult

from .dialogs import error_text
from .i18n import language

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.colorbar import Colorbar

    from wufei_gis.project import Project

__all__ = ["CompareWindow", "ExtentSync", "show_compare_window"]


def _t(key: str, **kw: Any) -> str:
    return label(f"compare.{key}", language(), **kw)


class ExtentSync:
    """Keep the x/y limits of several axes equal (pan/zoom one, the others follow).

    Works across figures and canvases; each follower's canvas is redrawn
    with ``draw_idle``.  Qt-free (plain matplotlib callbacks).  Keep a
    reference to the object: matplotlib holds its callbacks weakly.
    """

    def __init__(self, axes: Sequence[Axes] = ()) -> None:
        self.axes: list[Axes] = []
        self._busy = False
        for ax in axes:
            self.add(ax)

    def add(self, ax: Axes) -> None:
        """Synchronize ``ax`` with the axes already added."""
        if self.axes:
            ax.set_xlim(self.axes[0].get_xlim())
            ax.set_ylim(self.axes[0].get_ylim())
        self.axes.append(ax)
        ax.callbacks.connect("xlim_changed", self._changed)
        ax.callbacks.connect("ylim_changed", self._changed)

    def _changed(self, src: Axes) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            xlim, ylim = src.get_xlim(), src.get_ylim()
            for ax in self.axes:
                if ax is src:
                    continue
                if ax.get_xlim() != xlim or ax.get_ylim() != ylim:
                    ax.set_xlim(xlim)
                    ax.set_ylim(ylim)
                    ax.figure.canvas.draw_idle()
        finally:
            self._busy = False


class _MapCanvas(FigureCanvasQTAgg):
    def __init__(self, owner: QWidget) -> None:
        self.figure = Figure(figsize=(4, 4), layout="constrained")
        super().__init__(self.figure)
        # A queued idle redraw holds only the canvas: this reference keeps the window (and so
        # this canvas's C++ object) alive until that redraw has run, so the garbage collector
        # cannot delete the window in the middle of the draw.
        self.owner = owner
        self.ax = self.figure.add_subplot(111)
        self.setMinimumSize(240, 240)


class CompareWindow(QWidget):
    """Two or more solved scenarios side by side; see the module docstring.

    Parameters
    ----------
    results
        The solved scenarios; A is the first, the difference map is B − A
        (pick B in the selector when there are more than two).
    project
        Optional, for county names and targets.
    """

    def __init__(
        self,
        results: Sequence[RunResult],
        project: Project | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.results = list(results)
        if len(self.results) < 2:
            raise ValueError(_t("need_two"))
        self.project = project
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.comparison = prepare_comparison(self.results, project=project, lang=language())
        self.lang = self.comparison.lang
        self.setWindowTitle(comparison_title(self.comparison))
        self.color_limits = self.comparison.gap_limits
        self.diff_limits = self.comparison.diff_limits
        self.sync = ExtentSync()
        self.canvases: list[_MapCanvas] = []
        self.mappables: list[Any] = []
        self._diff_cbar: Colorbar | None = None
        self.last_export: Path | None = None

        splitter = QSplitter(Qt.Orientation.Horizontal)
        for i in range(len(self.results)):
            splitter.addWidget(self._with_toolbar(self._gap_canvas(i)))
        splitter.addWidget(self._difference_box())
        for ax in self.axes:
            self.sync.add(ax)

        self.kpi = QTableWidget()
        self._fill_kpis()
        vsplit = QSplitter(Qt.Orientation.Vertical)
        vsplit.addWidget(splitter)
        vsplit.addWidget(self.kpi)
        vsplit.setStretchFactor(0, 3)
        vsplit.setStretchFactor(1, 2)
        outer = QVBoxLayout(self)
        outer.addLayout(self._button_row())
        outer.addWidget(vsplit)
        self.resize(380 * (len(self.results) + 1), 800)

    # --- pieces ---------------------------------------------------------------------
    @property
    def axes(self) -> list[Axes]:
        """The map axes: one per scenario, then the difference map."""
        return [c.ax for c in self.canvases] + [self.diff_canvas.ax]

    @property
    def difference_index(self) -> int:
        """Which scenario the difference map shows against A (1 = B)."""
        return int(self.diff_selector.currentData() or 1)

    def _gap_canvas(self, i: int) -> _MapCanvas:
        canvas = _MapCanvas(self)
        sm = draw_gap_panel(canvas.ax, self.comparison, i)
        self.mappables.append(sm)
        if i == len(self.results) - 1:  # one colour bar: the scale is shared
            gap_colorbar(sm, self.comparison, ax=canvas.ax)
        self.canvases.append(canvas)
        return canvas

    def _difference_box(self) -> QWidget:
        self.diff_canvas = _MapCanvas(self)
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        self.diff_selector = QComboBox()
        for i, b in enumerate(self.results[1:], start=1):
            self.diff_selector.addItem(f"{_t('diff_of')}{letter(i)} − A ({b.scenario})", i)
        self.diff_selector.setVisible(len(self.results) > 2)
        self.diff_selector.currentIndexChanged.connect(self._draw_difference)
        lay.addWidget(self.diff_selector)
        lay.addWidget(self._with_toolbar(self.diff_canvas))
        self._draw_difference()
        return box

    def _button_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.title_label = QLabel(self.windowTitle())
        self.export_button = QPushButton(_t("export"))
        self.export_button.clicked.connect(lambda: self.export())
        row.addWidget(self.title_label, 1)
        row.addWidget(self.export_button)
        return row

    def _with_toolbar(self, canvas: FigureCanvasQTAgg) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(NavigationToolbar2QT(canvas, box))
        lay.addWidget(canvas)
        return box

    def _draw_difference(self, *_: Any) -> None:
        ax = self.diff_canvas.ax
        ax.clear()  # clearing also drops the axes' limit callbacks: re-added below
        if self._diff_cbar is not None:
            self._diff_cbar.remove()
        sm = draw_difference_panel(ax, self.comparison, self.difference_index)
        self._diff_cbar = difference_colorbar(sm, self.comparison, ax=ax)
        self.diff_mappable = sm
        if ax in self.sync.axes:  # a redraw follows the other maps' pan/zoom
            self.sync.axes.remove(ax)
            self.sync.add(ax)
        self.diff_canvas.draw_idle()

    def _fill_kpis(self) -> None:
        headers, rows = kpi_cells(self.comparison)
        self.kpi.setColumnCount(len(headers))
        self.kpi.setRowCount(len(rows))
        self.kpi.setHorizontalHeaderLabels(headers)
        for row, cells in enumerate(rows):
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if col >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.kpi.setItem(row, col, item)
        rows_header, columns = self.kpi.verticalHeader(), self.kpi.horizontalHeader()
        if rows_header is not None:  # a QTableWidget always has both headers
            rows_header.setVisible(False)
        if columns is not None:
            columns.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.kpi_frame = self.comparison.kpis

    # --- export ---------------------------------------------------------------------
    def export(self, path: str | Path | None = None) -> Path | None:
        """Write the comparison figure (PDF, PNG or SVG by suffix); ``None`` asks for the file.

        Returns the file written, or ``None`` (cancelled, or an error shown in a message box).
        """
        if path is None:
            name = f"{self.results[0].scenario}_vs_{self.results[self.difference_index].scenario}"
            path, _ = QFileDialog.getSaveFileName(
                self, _t("export_title"), f"{name}.pdf", _t("export_filter")
            )
            if not path:
                return None
        try:
            out = write_comparison(
                self.results,
                path,
                project=self.project,
                lang=self.lang,
                options=CompareOptions(difference=self.difference_index),
            )
        except (InputError, OSError) as err:
            QMessageBox.critical(self, _t("export_title"), error_text(err))
            return None
        self.last_export = out
        self.title_label.setText(_t("exported", path=out))
        return out


def show_compare_window(
    results: Sequence[RunResult], project: Project | None = None, parent: QWidget | None = None
) -> CompareWindow:
    """Open (show) a :class:`CompareWindow` for ``results`` and return it."""
    win = CompareWindow(results, project=project, parent=parent)
    win.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    win.show()
    return win
