"""Tests of the comparison window and the export dialog (pytest-qt, offscreen)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("PyQt6")
pytest.importorskip("pytestqt")

from wufei_gis.analysis import KPI_FIELDS
from wufei_gis.ui.compare_window import CompareWindow, ExtentSync, show_compare_window
from wufei_gis.ui.export_dialog import ExportDialog, show_export_dialog

sys.path.insert(0, str(Path(__file__).parents[1] / "core"))
from test_analysis import make_result


@pytest.fixture
def results():
    return [make_result("A", unserved_c=10.0), make_result("B", unserved_c=2.0)]


def test_compare_window_maps_share_scale_and_extent(qtbot, results):
    win = CompareWindow(results)
    qtbot.addWidget(win)
    assert len(win.canvases) == 2 and len(win.axes) == 3  # two maps + the difference map
    # one colour scale for all maps
    assert {(m.norm.vmin, m.norm.vmax) for m in win.mappables} == {(0.0, 1.0)}
    assert win.diff_mappable.norm.vmin == pytest.approx(-8.0)
    assert win.diff_mappable.norm.vmax == pytest.approx(8.0)
    # pan/zoom one map: the others follow
    ax0, ax1, axd = win.axes
    x0, x1 = ax0.get_xlim()
    y0, y1 = ax0.get_ylim()
    ax1.set_xlim(x0 + 100.0, x0 + 5000.0)
    ax1.set_ylim(y0 + 100.0, y0 + 5000.0)
    for ax in (ax0, axd):
        assert ax.get_xlim() == pytest.approx((x0 + 100.0, x0 + 5000.0))
        assert ax.get_ylim() == pytest.approx((y0 + 100.0, y0 + 5000.0))


def test_compare_window_kpi_table(qtbot, results):
    win = show_compare_window(results)
    qtbot.addWidget(win)
    assert win.isVisible()
    assert win.kpi.rowCount() == len(KPI_FIELDS)
    assert win.kpi.columnCount() == 5  # indicator, unit, A, B, B − A
    row = list(KPI_FIELDS).index("unserved_tpd")
    assert win.kpi.item(row, 2).text() == "10.00"
    assert win.kpi.item(row, 3).text() == "2.00"
    assert win.kpi.item(row, 4).text() == "-8.00"


def test_compare_three_scenarios_selects_difference(qtbot):
    rs = [
        make_result("A", unserved_c=10.0),
        make_result("B", unserved_c=2.0),
        make_result("C", unserved_c=0.0),
    ]
    win = CompareWindow(rs)
    qtbot.addWidget(win)
    assert win.diff_selector.count() == 2
    win.diff_selector.setCurrentIndex(1)
    assert "C" in win.diff_canvas.ax.get_title()
    assert win.kpi.columnCount() == 2 + 3 + 2


def test_compare_needs_two(qtbot):
    with pytest.raises(ValueError):
        CompareWindow([make_result("A")])


def test_extent_sync_is_qt_free():
    from matplotlib.figure import Figure

    axes = [Figure().add_subplot(111) for _ in range(3)]
    sync = ExtentSync(axes)  # keep a reference: matplotlib holds callbacks weakly
    axes[2].set_xlim(3, 4)
    assert axes[0].get_xlim() == (3, 4) and axes[1].get_xlim() == (3, 4)
    assert sync.axes == axes


def test_export_dialog_exports(qtbot, results, tmp_path):
    dlg = ExportDialog(results, current="B")
    qtbot.addWidget(dlg)
    assert dlg.scenario.currentText() == "B"
    dlg.set_format("csv")
    dlg.path.setText(str(tmp_path / "csv"))
    out = dlg.export()
    s = pd.read_csv(out / "run_summary.csv", encoding="utf-8-sig")
    assert s["scenario"].item() == "B"
    dlg.path.setText(str(tmp_path / "r.gpkg"))
    dlg.set_format("xlsx")
    assert dlg.path.text().endswith("r.xlsx")
    dlg.accept()
    assert (tmp_path / "r.xlsx").exists() and dlg.result() == ExportDialog.DialogCode.Accepted


def test_show_export_dialog_from_window(qtbot, results, monkeypatch):
    from PyQt6.QtWidgets import QMainWindow, QMessageBox

    class Model:
        def __init__(self, res):
            self.results = {r.scenario: r for r in res}
            self.project = None

    win = QMainWindow()
    qtbot.addWidget(win)
    win.model = Model(results)
    dlg = show_export_dialog(win)
    assert isinstance(dlg, ExportDialog) and dlg.isVisible()
    dlg.reject()
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a))
    win.model = Model([])
    assert show_export_dialog(win) is None and shown
