"""File > Export map…: the dialog writes a real map file in its background worker."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from conftest import ARTIFACTS


@pytest.fixture(scope="module")
def solved(yuxi_sample):
    from wufei_gis.optimization.planning import solve_scenario

    return solve_scenario(yuxi_sample, yuxi_sample.scenario("plan-2025"))


def test_menu_opens_dialog_and_writes_pdf(qtbot, window, solved, tmp_path):
    from wufei_gis.ui.map_export_dialog import MapExportDialog

    window.model.set_result(solved)
    act = window.actions_by_key["act.export_map"]
    assert act.text() == "导出地图…"
    assert act in window.menus["menu.file"].actions()
    act.trigger()
    dialog = window.findChild(MapExportDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.what.currentData() == "plan-2025"
    out = tmp_path / "yuxi_map.pdf"
    dialog.path.setText(str(out))
    dialog.paper.setCurrentText("A3")
    dialog.dpi.setValue(100)
    dialog.title.setText("玉溪市设施布局")
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "map_export_dialog.png"))
    with qtbot.waitSignal(dialog.finished, timeout=120_000):
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.last_path == out
    text = pypdfium2.PdfDocument(out)[0].get_textpage().get_text_range()
    assert "玉溪市设施布局" in text and "红塔区" in text
    assert str(out) in window.statusBar().currentMessage()


def test_dialog_reports_bad_input_without_closing(qtbot, yuxi_sample, solved, tmp_path):
    from wufei_gis.ui.map_export_dialog import MapExportDialog

    dialog = MapExportDialog({solved.scenario: solved}, project=yuxi_sample)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "m.jpg"))
    assert dialog.start() is None
    assert ".pdf, .png or .svg" in dialog.message.text()
    dialog.path.setText(str(tmp_path / "m.png"))
    dialog.crs.setEditText("EPSG:4326")
    assert dialog.start() is None
    assert "not in metres" in dialog.message.text()
    assert not Path(tmp_path / "m.png").exists()


def test_dialog_maps_the_project_alone_in_english(qtbot, yuxi_sample, tmp_path):
    from PIL import Image

    from wufei_gis.ui.map_export_dialog import MapExportDialog

    dialog = MapExportDialog({}, project=yuxi_sample)
    qtbot.addWidget(dialog)
    assert dialog.what.count() == 1
    out = tmp_path / "p.png"
    dialog.path.setText(str(out))
    dialog.orientation.setCurrentIndex(dialog.orientation.findData("portrait"))
    dialog.lang.setCurrentIndex(dialog.lang.findData("en"))
    dialog.crs.setCurrentIndex(dialog.crs.findData("utm"))
    dialog.dpi.setValue(60)
    assert dialog.options().crs == "utm"
    assert dialog.options().basemap is None  # default: no basemap
    dialog.basemap.setCurrentIndex(dialog.basemap.findData("terrain"))
    assert dialog.options().basemap is not None
    worker = dialog.start()
    assert worker is not None
    with qtbot.waitSignal(worker.finished, timeout=120_000):
        pass
    assert dialog.message.text() == ""
    with Image.open(out) as im:
        assert im.size[0] < im.size[1]  # portrait
