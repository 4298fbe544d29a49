"""Inspecting results: identify dock, result tables linked to the map, export selection, summary."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import ARTIFACTS
from PyQt6.QtCore import QItemSelectionModel, Qt
from shapely.geometry import Point
from uihelpers import click

from wufei_gis.optimization.planning import solve_scenario
from wufei_gis.ui import i18n


@pytest.fixture(scope="module")
def plan_result(yuxi_sample):
    """The Yuxi plan-2025 scenario, really solved (HiGHS), once for this module."""
    return solve_scenario(yuxi_sample, "plan-2025")


@pytest.fixture
def solved(window, plan_result):
    window.model.set_result(plan_result)
    window.canvas.draw()
    return window


def _row(frame, column: str, value: str) -> int:
    return int((frame[column].astype(str) == value).to_numpy().argmax())


def _xy(frame, row: int) -> tuple[float, float]:
    g = frame.geometry.iloc[row]
    return float(g.x), float(g.y)


def test_identify_shows_the_clicked_facility_and_county_formatted(solved, qtbot):
    w, p = solved, solved.model.project
    res = w.model.results["plan-2025"]
    w.actions_by_key["tool.identify"].trigger()
    fac = _row(p.facilities, "facility_id", "YX-INC-01")
    click(w.canvas, *_xy(p.facilities, fac))
    sections = w.identify_dock.sections()
    name = p.facilities["name_zh"].iloc[fac]
    assert list(sections) == [("规划站点", name), ("现有设施", name)]  # both under the click
    site = sections[("规划站点", name)]
    s = res.proposed_sites.iloc[_row(res.proposed_sites, "site_id", "YX-INC-01")]
    assert site["处理能力 (吨/日)"] == "700.00"
    assert site["负荷率 (%)"] == f"{100 * s['utilization']:.1f} %"
    assert site["类型"] == "焚烧厂" and site["新建"] == "否"
    facility = sections[("现有设施", name)]
    assert facility["所在区县"] == "红塔区" and facility["状态"] == "运行中"
    assert w.docks["identify"].isVisible()
    # a county: its attributes and its capacity gap
    yimen = _row(p.counties, "name_zh", "易门县")
    spot = Point(102.17, 24.60)
    assert p.counties.geometry.iloc[yimen].contains(spot)
    click(w.canvas, spot.x, spot.y)
    sections = w.identify_dock.sections()
    assert list(sections) == [("区县", "易门县"), ("处理缺口", "易门县")]
    gap = res.county_gaps.iloc[_row(res.county_gaps, "name_zh", "易门县")]
    assert sections["处理缺口", "易门县"]["产生量 (吨/日)"] == f"{gap['generation_tpd']:,.2f}"
    w.canvas.draw()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert w.grab().save(str(ARTIFACTS / "inspect_identify.png"))
    w.canvas.set_style("county_gaps", visible=False)  # a hidden layer is not under the click
    click(w.canvas, spot.x, spot.y)
    assert list(w.identify_dock.sections()) == [("区县", "易门县")]
    w.canvas.set_style("county_gaps", visible=True)
    i18n.set_language("en")
    try:
        english = w.identify_dock.sections()
        assert ("Counties", "Yimen County") in english
    finally:
        i18n.set_language("zh")


def test_result_table_selection_is_linked_both_ways(solved):
    w, c, p = solved, solved.canvas, solved.model.project
    rt = w.result_tables
    sites = rt.tables["proposed_sites"].frame
    assert len(sites) == rt.views["proposed_sites"].model().rowCount() > 3
    view = rt.views["proposed_sites"]
    cap = rt.tables["proposed_sites"].columns.index("capacity_tpd")
    view.sortByColumn(cap, Qt.SortOrder.DescendingOrder)  # sorted by the number, not the text
    top = rt.proxies["proposed_sites"].mapToSource(view.model().index(0, 0)).row()
    assert sites["capacity_tpd"].iloc[top] == sites["capacity_tpd"].max()
    # table -> map: select the first two rows of the sorted view
    sel = view.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in (0, 1):
        sel.select(view.model().index(r, 0), flags)
    rows = rt.selected_rows("proposed_sites")
    assert len(rows) == 2 and top in rows
    assert c.selection == ("proposed_sites", rows)
    # map -> table: the select tool on a proposed site, then on a county
    w.actions_by_key["tool.select"].trigger()
    inc = _row(sites, "site_id", "YX-INC-02")
    click(c, *_xy(sites, inc))
    assert c.selection == ("proposed_sites", [inc])
    assert rt.selected_rows("proposed_sites") == [inc]
    yimen = _row(p.counties, "name_zh", "易门县")
    click(c, 102.17, 24.60)
    assert c.selection == ("counties", [yimen])
    gaps = rt.tables["county_gaps"].frame
    assert rt.selected_rows("county_gaps") == [_row(gaps, "name_zh", "易门县")]
    assert rt.current_layer() == "county_gaps"
    # flows highlight on the map from the table
    rt.select("flows", [0, 1])
    rt.rows_selected.emit("flows", rt.selected_rows("flows"))
    assert c.selection == ("flows", [0, 1]) and c._sel_artists


def test_export_selection_writes_only_the_selected_rows(solved, tmp_path):
    rt = solved.result_tables
    flows = rt.tables["flows"].frame
    rt.tabs.setCurrentWidget(rt.views["flows"])
    assert not rt.export_button.isEnabled()
    rt.select("flows", [1, 3])
    assert rt.export_button.isEnabled() and "2" in rt.count.text()
    out = rt.export_selection(tmp_path / "two_flows.csv")
    df = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert len(df) == 2
    assert list(df["to_id"]) == list(flows["to_id"].iloc[[1, 3]])
    assert "已导出 2 行" in solved.statusBar().currentMessage()
    out = rt.export_selection(tmp_path / "two_flows.gpkg")
    assert out.exists()
    assert rt.export_selection(tmp_path / "two_flows.txt") is None  # a clear error, no file
    assert "cannot export rows" in solved.last_error
    assert not (tmp_path / "two_flows.txt").exists()


def test_summary_shows_names_units_and_per_cent(solved):
    panel = solved.results_panel
    t = panel.table
    rows = {t.item(i, 0).text(): t.item(i, 1).text() for i in range(t.rowCount())}
    res = solved.model.results["plan-2025"]
    s = res.summary()
    assert rows["焚烧占比"] == f"{100 * s['incineration_share']:.1f} %"
    assert rows["未处理量 (能力缺口)"].endswith("吨/日")
    assert rows["目标函数值"].endswith("元/日")
    p = solved.model.project
    binding = [i.strip() for i in s["binding_capacity"].split(",")]
    named = p.facilities.set_index("facility_id")["name_zh"]
    assert rows["满负荷设施"] == ", ".join(named[i] for i in binding)
    assert rows["约束性政策"] == "焚烧比例下限"
    text = " ".join(f"{k} {v}" for k, v in rows.items())
    for raw in ("None", "nan", "incineration_share", "binding", "YX-", "_tpd", "0.65 "):
        assert raw not in text, raw
    assert solved.docks["result_tables"].toggleViewAction() in solved.menus["menu.view"].actions()
    assert solved.docks["identify"].toggleViewAction() in solved.menus["menu.view"].actions()
    solved.docks["result_tables"].raise_()
    solved.canvas.draw()
    assert solved.grab().save(str(ARTIFACTS / "inspect_tables.png"))
