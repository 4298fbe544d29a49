"""Scenario → Sweep…: vary scenario keys, run on Dask, watch the runs, read the chart.

A thin window over :func:`wufei_gis.optimization.sweep.run_sweep`: the planner
picks the base scenario, one row per varied key (``0.6,0.7`` or ``0.6:0.8:0.1``),
the design (every combination or a Latin hypercube) and where it runs (a local
cluster of N processes or a Dask scheduler address).  The sweep runs in the
:class:`~wufei_gis.ui.worker.Worker` thread with a progress bar and a Cancel
that cancels the pending runs; the table of runs and the sensitivity chart
(:func:`wufei_gis.sensitivity.sensitivity_figure`) fill in when it ends, and
both can be saved (GeoPackage table, PDF).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wufei_gis.editing import ProjectModel
from wufei_gis.errors import InputError
from wufei_gis.formatting import format_bare, format_gap, format_yuan
from wufei_gis.labels import value_label
from wufei_gis.scenario import PARAMETERS
from wufei_gis.sweep_design import Variation, parse_vary

from .dialogs import error_text
from .fonts import cjk_font
from .i18n import language, param_info, tr
from .solve_dialog import snapshot
from .worker import Worker

__all__ = ["SweepDialog", "VARIABLE_KEYS"]

#: Scenario keys a planner can sweep from the dialog (numbers and switches).
VARIABLE_KEYS = tuple(
    k
    for k, spec in PARAMETERS.items()
    if spec.kind in ("float", "int", "bool") and k not in ("threads", "time_limit_s", "mip_gap")
)


def _run(project, scenario, variations, *, options, progress, should_cancel):
    from wufei_gis.optimization.sweep import run_sweep

    return run_sweep(
        project,
        scenario,
        variations,
        options=options,
        progress=progress,
        should_cancel=should_cancel,
    )


class SweepDialog(QDialog):
    """The sweep window (non-modal); see the module docstring."""

    def __init__(
        self, model: ProjectModel, parent: QWidget | None = None, *, scenario: str | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.worker: Worker | None = None
        self.result: Any = None
        self.setWindowTitle(tr("sweep.window"))
        self.resize(980, 720)

        self.scenario = QComboBox()
        self.scenario.addItems(list(model.project.scenarios))
        if scenario:
            self.scenario.setCurrentText(scenario)
        self.rows = QTableWidget(0, 2)
        self.rows.setHorizontalHeaderLabels([tr("sweep.key"), tr("sweep.values")])
        header = self.rows.horizontalHeader()
        assert header is not None  # a QTableWidget always has one
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        add, remove = QPushButton(tr("sweep.add_key")), QPushButton(tr("sweep.remove_key"))
        add.clicked.connect(lambda: self.add_row())
        remove.clicked.connect(self.remove_row)
        self.design = QComboBox()
        self.design.addItem(tr("sweep.grid"), "grid")
        self.design.addItem(tr("sweep.lhs"), "lhs")
        self.samples = QSpinBox()
        self.samples.setRange(1, 1000)
        self.samples.setValue(8)
        self.local = QRadioButton(tr("sweep.local"))
        self.local.setChecked(True)
        self.remote = QRadioButton(tr("sweep.remote"))
        self.workers = QSpinBox()
        self.workers.setRange(1, 64)
        self.workers.setValue(2)
        self.address = QLineEdit()
        self.address.setPlaceholderText("tcp://host:8786")

        form = QFormLayout()
        form.addRow(tr("sweep.base"), self.scenario)
        keys = QWidget()
        kl = QVBoxLayout(keys)
        kl.setContentsMargins(0, 0, 0, 0)
        kl.addWidget(self.rows)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        kl.addLayout(buttons)
        form.addRow(tr("sweep.keys"), keys)
        design = QHBoxLayout()
        design.addWidget(self.design)
        design.addWidget(QLabel(tr("sweep.samples")))
        design.addWidget(self.samples)
        form.addRow(tr("sweep.design"), design)
        where = QHBoxLayout()
        where.addWidget(self.local)
        where.addWidget(self.workers)
        where.addWidget(self.remote)
        where.addWidget(self.address, 1)
        form.addRow(tr("sweep.where"), where)

        self.run_button = QPushButton(tr("sweep.run"))
        self.cancel_button = QPushButton(tr("solve.cancel"))
        self.cancel_button.setEnabled(False)
        self.save_table = QPushButton(tr("sweep.save_table"))
        self.save_pdf = QPushButton(tr("sweep.save_pdf"))
        for b in (self.save_table, self.save_pdf):
            b.setEnabled(False)
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.save_table.clicked.connect(lambda: self.save("gpkg"))
        self.save_pdf.clicked.connect(lambda: self.save("pdf"))
        self.bar = QProgressBar()
        self.status = QLabel("")
        actions = QHBoxLayout()
        for w in (self.run_button, self.cancel_button, self.bar, self.save_table, self.save_pdf):
            actions.addWidget(w)

        self.table = QTableWidget(0, 0)
        self.table.setSortingEnabled(True)
        self.canvas = FigureCanvasQTAgg()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.canvas)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(actions)
        lay.addWidget(self.status)
        lay.addWidget(split, 1)
        self.add_row("incineration_share_min", "0.6,0.65,0.7")
        self.add_row("generation_growth_rate", "0.01,0.03")

    # --- the varied keys ------------------------------------------------------------
    def add_row(self, key: str = "circuity_factor", values: str = "") -> None:
        """Add a varied key (a key combo and its values)."""
        r = self.rows.rowCount()
        self.rows.insertRow(r)
        combo = QComboBox()
        for k in VARIABLE_KEYS:
            combo.addItem(param_info(k)[1], k)
        combo.setCurrentIndex(max(0, combo.findData(key)))
        self.rows.setCellWidget(r, 0, combo)
        self.rows.setItem(r, 1, QTableWidgetItem(values))

    def remove_row(self) -> None:
        """Remove the selected varied key (or the last)."""
        r = self.rows.currentRow()
        self.rows.removeRow(r if r >= 0 else self.rows.rowCount() - 1)

    def variations(self) -> list[Variation]:
        """The varied keys as checked :class:`Variation` s (raises InputError)."""
        out = []
        for r in range(self.rows.rowCount()):
            combo = self.rows.cellWidget(r, 0)
            item = self.rows.item(r, 1)
            text = item.text().strip() if item is not None else ""
            key = combo.currentData() if isinstance(combo, QComboBox) else ""
            out.append(parse_vary(f"{key}={text}", scenario=self.scenario.currentText()))
        return out

    def options(self) -> Any:
        """The :class:`~wufei_gis.optimization.sweep.SweepOptions` chosen in the form."""
        from wufei_gis.optimization.sweep import SweepOptions

        return SweepOptions(
            scheduler=self.address.text().strip() or None if self.remote.isChecked() else None,
            workers=self.workers.value(),
            design=str(self.design.currentData()),
            samples=self.samples.value(),
        )

    # --- running ---------------------------------------------------------------------
    def start(self) -> Worker | None:
        """Check the form and start the sweep in a worker thread."""
        try:
            variations = self.variations()
            if self.remote.isChecked() and not self.address.text().strip():
                raise InputError(tr("sweep.need_address"), field="scheduler")
        except InputError as err:
            self.status.setText(error_text(err))
            return None
        self.worker = Worker(
            _run,
            snapshot(self.model.project),
            self.scenario.currentText(),
            variations,
            options=self.options(),
            parent=self,
        )
        self.worker.progress.connect(self._progress)
        self.worker.result.connect(self.show_result)
        self.worker.error.connect(self.status.setText)
        self.worker.finished.connect(self._finished)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.bar.setRange(0, 0)
        self.status.setText(tr("sweep.starting"))
        self.worker.start()
        return self.worker

    def _progress(self, fraction: float, _message: str) -> None:
        if fraction >= 0:
            self.bar.setRange(0, 100)
            self.bar.setValue(round(100 * fraction))
        done = round(100 * max(fraction, 0.0))
        self.status.setText(tr("sweep.progress", percent=done))

    def cancel(self) -> None:
        """Cancel the pending runs (finished runs are kept)."""
        if self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(tr("solve.cancelling"))

    def _finished(self) -> None:
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.bar.setRange(0, 100)

    def show_result(self, result: Any) -> None:
        """Fill the table of runs and draw the sensitivity chart."""
        from wufei_gis.labels import label
        from wufei_gis.sensitivity import sensitivity_figure

        self.result = result
        lang = language()
        runs = result.runs
        cols = [*result.keys, "run_id", "status", "objective", "mip_gap", "opened_sites"]
        heads = [
            param_info(c)[1] if c in result.keys else label(f"sweep.col.{c}", lang) for c in cols
        ]
        self.table.setSortingEnabled(False)
        self.table.clear()
        self.table.setColumnCount(len(cols))
        self.table.setRowCount(len(runs))
        self.table.setHorizontalHeaderLabels(heads)
        for r, row in enumerate(runs.to_dict("records")):
            for c, col in enumerate(cols):
                self.table.setItem(r, c, _item(col, row.get(col), lang))
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()
        texts = {k: label(f"sweep.{k}", lang) for k in ("tornado", "objective", "gap")}
        fig = sensitivity_figure(runs, result.keys, lang=lang, font=cjk_font(), texts=texts)
        self.canvas.figure = fig
        fig.set_canvas(self.canvas)
        self.canvas.draw_idle()
        ok = int((runs["status"] != "error").sum())
        key = "sweep.cancelled" if result.cancelled else "sweep.done"
        self.status.setText(tr(key, runs=len(runs), ok=ok, seconds=f"{result.wall_s:.1f}"))
        for b in (self.save_table, self.save_pdf):
            b.setEnabled(True)

    def save(self, kind: str, path: str | Path | None = None) -> Path | None:
        """Save the table of runs (``gpkg``) or the chart and table (``pdf``)."""
        from wufei_gis.labels import label
        from wufei_gis.sensitivity import write_sweep_pdf, write_sweep_table

        if self.result is None:
            return None
        if path is None:
            filt = "GeoPackage (*.gpkg)" if kind == "gpkg" else "PDF (*.pdf)"
            path, _ = QFileDialog.getSaveFileName(self, tr("sweep.save_title"), "", filt)
            if not path:
                return None
        res, lang = self.result, language()
        if kind == "gpkg":
            out = write_sweep_table(res.runs, res.keys, path)
        else:
            title = label("sweep.title", lang, scenario=res.base)
            out = write_sweep_pdf(res.runs, res.keys, path, title=title, lang=lang)
        self.status.setText(tr("status.saved", path=str(out)))
        return out


class _Item(QTableWidgetItem):
    """A cell shown formatted but sorted by its value (numbers as numbers)."""

    def __init__(self, text: str, key: Any) -> None:
        super().__init__(text)
        self.key = key

    def __lt__(self, other: QTableWidgetItem) -> bool:  # Qt's sort order
        a, b = self.key, getattr(other, "key", other.text())
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return a < b
        return str(a) < str(b)


def _item(col: str, value: Any, lang: str) -> QTableWidgetItem:
    if value is None or (isinstance(value, float) and value != value):
        return _Item("", "")
    if col == "status":
        return _Item(value_label("solve_status", value, lang), str(value))
    if col == "mip_gap":
        return _Item(format_gap(value), float(value))
    if col == "objective":
        return _Item(format_yuan(value, lang=lang), float(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _Item(format_bare(value), value)
    return _Item(str(value), str(value))
