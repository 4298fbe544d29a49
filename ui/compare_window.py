"""Side-by-side comparison of solved scenarios (thin over :mod:`wufei_gis.analysis`).

One map canvas per scenario, all on one colour scale (unserved share of
generation, 0–100 %), a difference map (B − A, unserved t/d) and a KPI table
with deltas.  Pan and zoom are synchronized: every map's axes follow the one
being moved (``xlim_changed``/``ylim_changed`` callbacks, see :class:`ExtentSync`).
The drawing itself is :func:`wufei_gis.report.plot_gap_map` /
:func:`~wufei_gis.report.plot_difference_map`, the same as in the PDF report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from matplotlib.backends.backend_qt import NavigationToolbar2QT
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wufei_gis.analysis import (
    difference_color_limits,
    gap_difference,
    kpi_table,
    shared_color_limits,
    synced_extent,
)
from wufei_gis.formatting import format_bare
from wufei_gis.labels import label, unit_label
from wufei_gis.report import MapStyle, find_cjk_font, map_crs, plot_difference_map, plot_gap_map
from wufei_gis.results import RunResult

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
    def __init__(self) -> None:
        self.figure = Figure(figsize=(4, 4), layout="constrained")
        super().__init__(self.figure)
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
        self.setWindowTitle(_t("title") + ": " + " / ".join(r.scenario for r in self.results))
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.cjk_font = find_cjk_font()
        self.lang = language() if self.cjk_font else "en"
        self.crs = map_crs(self.results)
        self.map_style = MapStyle(crs=self.crs, font=self.cjk_font, lang=self.lang)
        self.color_limits = shared_color_limits(self.results, column="unserved_share")
        self.diffs = [gap_difference(self.results[0], b) for b in self.results[1:]]
        self.diff_limits = difference_color_limits(self.diffs)
        self.sync = ExtentSync()
        self.canvases: list[_MapCanvas] = []
        self.mappables: list[Any] = []

        splitter = QSplitter(Qt.Orientation.Horizontal)
        for i, r in enumerate(self.results):
            canvas = _MapCanvas()
            sm = plot_gap_map(
                canvas.ax,
                r,
                vmin=self.color_limits[0],
                vmax=self.color_limits[1],
                style=self.map_style,
                title=f"{chr(65 + i)}. {r.scenario}",
            )
            self.mappables.append(sm)
            if i == len(self.results) - 1:
                cb = canvas.figure.colorbar(sm, ax=canvas.ax, shrink=0.7)
                cb.set_label(_t("gap_cbar"))
                cb.set_ticks([0, 0.25, 0.5, 0.75, 1.0])
                cb.set_ticklabels(["0 %", "25 %", "50 %", "75 %", "100 %"])
            splitter.addWidget(self._with_toolbar(canvas))
            self.canvases.append(canvas)

        self.diff_canvas = _MapCanvas()
        diff_box = QWidget()
        lay = QVBoxLayout(diff_box)
        lay.setContentsMargins(0, 0, 0, 0)
        self.diff_selector = QComboBox()
        for i, b in enumerate(self.results[1:], start=1):
            self.diff_selector.addItem(f"{_t('diff_of')}{chr(65 + i)} − A ({b.scenario})", i)
        self.diff_selector.setVisible(len(self.results) > 2)
        self.diff_selector.currentIndexChanged.connect(self._draw_difference)
        lay.addWidget(self.diff_selector)
        lay.addWidget(self._with_toolbar(self.diff_canvas))
        splitter.addWidget(diff_box)
        self._diff_cbar: Colorbar | None = None

        xmin, ymin, xmax, ymax = synced_extent(self.results, crs=self.crs, pad=0.02)
        for c in self.canvases + [self.diff_canvas]:
            c.ax.set_xlim(xmin, xmax)
            c.ax.set_ylim(ymin, ymax)
            c.ax.set_adjustable("datalim")
        self._draw_difference()
        for c in self.canvases + [self.diff_canvas]:
            self.sync.add(c.ax)

        self.kpi = QTableWidget()
        self._fill_kpis()
        vsplit = QSplitter(Qt.Orientation.Vertical)
        vsplit.addWidget(splitter)
        vsplit.addWidget(self.kpi)
        vsplit.setStretchFactor(0, 3)
        vsplit.setStretchFactor(1, 2)
        outer = QVBoxLayout(self)
        outer.addWidget(vsplit)
        self.resize(360 * (len(self.results) + 1), 760)

    # --- pieces ---------------------------------------------------------------------
    @property
    def axes(self) -> list[Axes]:
        """The map axes: one per scenario, then the difference map."""
        return [c.ax for c in self.canvases] + [self.diff_canvas.ax]

    def _with_toolbar(self, canvas: FigureCanvasQTAgg) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(NavigationToolbar2QT(canvas, box))
        lay.addWidget(canvas)
        return box

    def _draw_difference(self, *_: Any) -> None:
        k = int(self.diff_selector.currentData() or 1)
        ax = self.diff_canvas.ax
        xlim, ylim = ax.get_xlim(), ax.get_ylim()
        ax.clear()
        if self._diff_cbar is not None:
            self._diff_cbar.remove()
        sm = plot_difference_map(
            ax,
            self.diffs[k - 1],
            vmin=self.diff_limits[0],
            vmax=self.diff_limits[1],
            style=self.map_style,
            title=f"{_t('diff')}: {chr(65 + k)} − A",
        )
        self._diff_cbar = self.diff_canvas.figure.colorbar(sm, ax=ax, shrink=0.7)
        self._diff_cbar.set_label(_t("diff_cbar"))
        self.diff_mappable = sm
        if xlim != (0.0, 1.0):
            ax.set_xlim(xlim)
            ax.set_ylim(ylim)
        self.diff_canvas.draw_idle()

    def _fill_kpis(self) -> None:
        t = kpi_table(self.results, project=self.project)
        names = [c for c in t.columns[4:] if not str(c).startswith("delta ")]
        headers = [_t("kpi"), _t("unit")]
        headers += [f"{chr(65 + i)}: {n}" for i, n in enumerate(names)]
        headers += [_t("delta", b=chr(65 + i)) for i in range(1, len(names))]
        self.kpi.setColumnCount(len(headers))
        self.kpi.setRowCount(len(t))
        self.kpi.setHorizontalHeaderLabels(headers)
        zh = language() == "zh"
        for row, (_, r) in enumerate(t.iterrows()):
            unit = r["unit"]
            cells = [r["label_zh"] if zh else r["label_en"], unit_label(unit, language())]
            cells += [format_bare(r[n], unit) for n in names]
            cells += [format_bare(r[f"delta {n}"], unit, signed=True) for n in names[1:]]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(str(text))
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if col >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.kpi.setItem(row, col, item)
        rows, columns = self.kpi.verticalHeader(), self.kpi.horizontalHeader()
        if rows is not None:  # a QTableWidget always has both headers
            rows.setVisible(False)
        if columns is not None:
            columns.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.kpi_frame = t


def show_compare_window(
    results: Sequence[RunResult], project: Project | None = None, parent: QWidget | None = None
) -> CompareWindow:
    """Open (show) a :class:`CompareWindow` for ``results`` and return it."""
    win = CompareWindow(results, project=project, parent=parent)
    win.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    win.show()
    return win
