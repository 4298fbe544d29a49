"""Save/reopen, unsaved-changes prompt, autosave recovery, import with field mapping."""

from __future__ import annotations

import pandas as pd
from PyQt6.QtWidgets import QMessageBox
from uihelpers import click, key, make_window

from wufei_gis.editing import find_recovery
from wufei_gis.project import Project


def _edit_everything(window):
    c, model = window.canvas, window.model
    c.set_tool("add_candidate")
    p = model.project.counties.geometry.iloc[0].representative_point()
    click(c, p.x, p.y)
    new_id = model.project.candidates["candidate_id"].iloc[-1]
    c.set_tool("draw_exclusion")
    for lon, lat in [(102.0, 24.0), (102.2, 24.0), (102.2, 24.2)]:
        click(c, lon, lat)
    key(c, "enter")
    tm = window.table.models["generation"]
    col = [f.name for f in tm.fields].index("generation_tpd")
    assert tm.setData(tm.index(1, col), "333")
    fac = window.table.models["facilities"]
    assert fac.setData(fac.index(2, [f.name for f in fac.fields].index("status")), "closed")
    panel = window.scenario_panel
    panel.selector.setCurrentText("plan-2025")
    panel.widgets["max_new_sites"].setText("3")
    panel.widgets["max_new_sites"].editingFinished.emit()
    return new_id


def test_save_and_reopen_keeps_every_edit(window, tmp_path, qtbot):
    new_id = _edit_everything(window)
    target = tmp_path / "yuxi.gpkg"
    assert window.save_as(target)
    assert not window.model.dirty and not window.isWindowModified()
    back = Project.read(target)
    assert new_id in set(back.candidates["candidate_id"])
    assert len(back.exclusions) == 1
    assert back.generation["generation_tpd"].iloc[1] == 333
    assert back.facilities["status"].iloc[2] == "closed"
    assert back.scenarios["plan-2025"].max_new_sites == 3
    # reopen in a new window
    w2 = make_window(qtbot, Project.read(target))
    assert w2.open_project(target)
    assert len(w2.canvas._artists["exclusions"]) == 1
    assert w2.scenario_panel.current() == "baseline-2020"


def test_unsaved_prompt_on_close(window):
    asked = []
    window.ask_unsaved = lambda: asked.append(1) or QMessageBox.StandardButton.Cancel
    window.close()
    assert not asked  # nothing to save yet
    window.show()
    _edit_everything(window)
    window.close()
    assert asked and window.isVisible()  # Cancel keeps the window open
    window.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    window.close()
    assert not window.isVisible()


def test_recovery_after_crash(qtbot, yuxi, yuxi_sample, recovery_dir):
    w1 = make_window(qtbot, yuxi)
    assert w1.recovery_dir == recovery_dir
    assert w1.autosave() is None  # nothing to autosave while clean
    new_id = _edit_everything(w1)
    assert w1.autosave_timer.isActive() and w1.autosave_timer.interval() == 120_000
    w1.autosave_timer.timeout.emit()  # what the timer does every 2 minutes
    rec = find_recovery(recovery_dir)
    assert rec is not None
    # "crash": the window is never closed properly; a new session starts
    from wufei_gis.ui.solve_dialog import snapshot

    w2 = make_window(qtbot, snapshot(yuxi_sample))
    assert w2.offer_recovery(answer=True)
    assert new_id in set(w2.model.project.candidates["candidate_id"])
    assert len(w2.model.project.exclusions) == 1
    assert w2.model.dirty and w2.isWindowModified()
    # a clean close removes the recovery file; declining an offer also does
    w2.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    w2.close()
    assert find_recovery(recovery_dir) is None
    w1.autosave()
    w3 = make_window(qtbot, snapshot(yuxi_sample))
    assert not w3.offer_recovery(answer=False)
    assert find_recovery(recovery_dir) is None
    assert not w3.offer_recovery()  # nothing left to offer


def test_import_with_field_mapping(window, tmp_path):
    gen = window.model.project.generation
    gen = gen[gen["stream"] == "residual"]  # a file without a stream column: one stream
    csv = tmp_path / "gen.csv"
    pd.DataFrame(
        {"代码": gen["county_id"], "年份": gen["year"], "吨每日": gen["generation_tpd"] * 2}
    ).to_csv(csv, index=False)
    asked = {}

    def mapping(spec, columns):
        from wufei_gis.ui.import_dialog import FieldMappingDialog

        dlg = FieldMappingDialog(spec, columns, window)
        asked["guess_year"] = dlg.combos["year"].currentData()
        dlg.set_column("county_id", "代码")
        dlg.set_column("generation_tpd", "吨每日")
        return dlg.column_map()

    assert window.import_layer(csv, target="generation", ask_mapping=mapping)
    assert asked["guess_year"] == "年份"  # guessed from the Chinese label
    assert (
        window.model.project.generation["generation_tpd"].iloc[0]
        == gen["generation_tpd"].iloc[0] * 2
    )
    window.model.undo()
    assert (
        window.model.project.generation["generation_tpd"].iloc[0] == gen["generation_tpd"].iloc[0]
    )


def test_import_facilities_csv_lonlat(window, tmp_path):
    csv = tmp_path / "fac.csv"
    csv.write_text(
        "facility_id,name_zh,type,status,capacity_tpd,county_id,lon,lat\n"
        "N1,新厂,incinerator,planned,500,530402,102.5,24.3\n",
        encoding="utf-8",
    )
    assert window.import_layer(csv, target="facilities")
    assert list(window.model.project.facilities["facility_id"]) == ["N1"]
    assert len(window.canvas._artists["facilities"][0].get_offsets()) == 1


def test_bad_file_shows_the_problem(window, tmp_path):
    bad = tmp_path / "broken.geojson"
    bad.write_text("{not json", encoding="utf-8")
    assert not window.import_layer(bad, target="counties")
    assert "broken.geojson" in window.last_error
    csv = tmp_path / "neg.csv"
    csv.write_text("county_id,year,generation_tpd\n530402,2020,-5\n", encoding="utf-8")
    assert not window.import_layer(csv, target="generation")
    assert "第 1 行" in window.last_error and "generation_tpd" in window.last_error
    assert not window.open_project(tmp_path / "missing.gpkg")
    assert "not found" in window.last_error
    for box in window.findChildren(QMessageBox):
        box.close()
