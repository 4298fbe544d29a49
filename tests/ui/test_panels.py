"""Attribute table and scenario form: validated edits through the undo stack."""

from __future__ import annotations

from PyQt6.QtCore import Qt

from wufei_gis.ui import i18n


def _col(tm, name):
    return [f.name for f in tm.fields].index(name)


def test_generation_edit_and_rejection(window):
    tm = window.table.models["generation"]
    gen = window.model.project.generation
    assert tm.rowCount() == len(gen)  # an adapter: no copy of the frame
    idx = tm.index(0, _col(tm, "generation_tpd"))
    assert tm.flags(idx) & Qt.ItemFlag.ItemIsEditable
    assert tm.setData(idx, "250.5")
    assert window.model.project.generation["generation_tpd"].iloc[0] == 250.5
    assert window.isWindowModified()

    messages = []
    tm.rejected.connect(messages.append)
    assert not tm.setData(idx, "-3")
    assert window.model.project.generation["generation_tpd"].iloc[0] == 250.5
    assert "第 1 行" in messages[-1] and "generation_tpd" in messages[-1]
    assert tm.data(idx, Qt.ItemDataRole.BackgroundRole) is not None  # red cell
    assert "最小值" in tm.data(idx, Qt.ItemDataRole.ToolTipRole)  # worded in the UI language
    assert "最小值" in window.statusBar().currentMessage()
    assert tm.setData(idx, "260")  # fixing the value clears the mark
    assert tm.data(idx, Qt.ItemDataRole.ToolTipRole) is None
    window.model.undo()
    window.model.undo()
    assert window.model.project.generation["generation_tpd"].iloc[0] != 250.5


def test_facility_status_and_capacity(window):
    tm = window.table.models["facilities"]
    status = tm.index(0, _col(tm, "status"))
    assert tm.choices(status.column()) == ["operating", "under_construction", "planned", "closed"]
    assert tm.setData(status, "closed")
    assert window.model.project.facilities["status"].iloc[0] == "closed"
    assert not tm.setData(status, "open")
    assert not tm.setData(tm.index(0, _col(tm, "capacity_tpd")), "lots")
    assert tm.setData(tm.index(0, _col(tm, "capacity_tpd")), "800")
    assert not tm.flags(tm.index(0, _col(tm, "facility_id"))) & Qt.ItemFlag.ItemIsEditable
    cand = window.table.models["candidates"]
    assert cand.choices(_col(cand, "size_class")) == ["large", "medium", "small"]
    assert cand.setData(cand.index(0, _col(cand, "fixed_cost_yuan_yr")), "2500000")


def test_scenario_form(window):
    panel = window.scenario_panel
    model = window.model
    assert panel.current() == "baseline-2020"
    panel.selector.setCurrentText("plan-2025")
    w = panel.widgets["circuity_factor"]
    assert w.text() == "1.4"
    w.setText("1.25")
    w.editingFinished.emit()
    assert model.project.scenarios["plan-2025"].circuity_factor == 1.25
    w.setText("0.5")
    w.editingFinished.emit()
    assert model.project.scenarios["plan-2025"].circuity_factor == 1.25
    assert "circuity" in w.toolTip() and w.styleSheet()
    window.model.undo()
    assert model.project.scenarios["plan-2025"].circuity_factor == 1.4
    assert panel.widgets["circuity_factor"].text() == "1.4"  # form follows the model
    panel.widgets["single_sourcing"].setChecked(True)
    assert model.project.scenarios["plan-2025"].single_sourcing is True
    ml = panel.widgets["incineration_share_min"]
    ml.setText("")
    ml.editingFinished.emit()
    assert model.project.scenarios["plan-2025"].incineration_share_min is None
    panel.add_scenario(duplicate=True, name="plan-copy")
    assert panel.current() == "plan-copy"
    assert model.project.scenarios["plan-copy"].single_sourcing is True
    panel.delete_scenario()
    assert "plan-copy" not in model.project.scenarios
    # every Scenario parameter has a widget, grouped, with a unit where it has one
    import dataclasses

    from wufei_gis.scenario import Scenario

    assert set(panel.widgets) == {f.name for f in dataclasses.fields(Scenario)}
    assert "元/吨·公里" in panel.labels["collection_cost_yuan_tkm"].text()


def test_language_switch(window):
    assert window.menus["menu.file"].title().startswith("文件")
    window.actions_by_key["lang.en"].trigger()
    try:
        assert i18n.language() == "en"
        assert window.menus["menu.file"].title() == "&File"
        assert window.docks["table"].windowTitle() == "Attributes"
        tm = window.table.models["generation"]
        assert tm.headerData(2, Qt.Orientation.Horizontal) == "Generation (t/d)"
        assert window.canvas.styles["counties"].label_field == "name_en"
    finally:
        window.actions_by_key["lang.zh"].trigger()
    assert window.menus["menu.file"].title().startswith("文件")
    assert window.canvas.styles["counties"].label_field == "name_zh"
