"""Scenario > Sweep…: from the menu, runs on a real local Dask cluster, table and chart."""

from __future__ import annotations

import pytest

from wufei_gis.errors import InputError

pytest.importorskip("distributed")


def _open_from_menu(window):
    action = window.actions_by_key["act.sweep"]
    assert action in window.menus["menu.scenario"].actions()
    action.trigger()
    return window.sweep_dialog


def test_sweep_from_the_menu_runs_and_shows_runs_and_chart(qtbot, window, tmp_path):
    dlg = _open_from_menu(window)
    assert dlg.isVisible() and dlg.windowTitle() == "情景参数扫描"
    # one key with two values: two runs on a local cluster of one process
    dlg.rows.setRowCount(0)
    dlg.add_row("circuity_factor", "1.3,1.5")
    dlg.workers.setValue(1)
    worker = dlg.start()
    assert worker is not None
    qtbot.waitUntil(lambda: worker.isFinished(), timeout=240_000)
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=5_000)
    assert dlg.table.rowCount() == 2
    statuses = {dlg.table.item(r, 2).text() for r in range(2)}
    assert statuses == {"最优"}
    assert dlg.canvas.figure.axes  # the sensitivity chart is drawn
    out = dlg.save("pdf", tmp_path / "sweep.pdf")
    assert out is not None and out.stat().st_size > 1000
    dlg.grab().save(str(tmp_path / "sweep.png"))


def test_bad_values_are_a_message_not_a_run(window):
    dlg = _open_from_menu(window)
    dlg.rows.setRowCount(0)
    dlg.add_row("circuity_factor", "0.2,abc")
    assert dlg.start() is None
    assert "circuity_factor" in dlg.status.text()
    with pytest.raises(InputError):
        dlg.variations()
    dlg.remote.setChecked(True)
    dlg.rows.setRowCount(0)
    dlg.add_row("circuity_factor", "1.3")
    assert dlg.start() is None and dlg.status.text()
