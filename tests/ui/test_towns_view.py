"""Town-level results in the app: towns and catchments drawn, listed and tabulated."""

from __future__ import annotations


def test_town_scenario_draws_towns_and_catchments_and_lists_them(qtbot, window):
    from wufei_gis.ui.map_canvas import LAYERS

    assert {"towns", "station_catchments"} <= set(LAYERS)
    worker = window.solve("plan-2025-towns")
    qtbot.waitUntil(lambda: worker.isFinished(), timeout=120_000)
    qtbot.waitUntil(lambda: "plan-2025-towns" in window.model.results, timeout=10_000)
    c = window.canvas
    c.show_result("plan-2025-towns")
    assert c._artists["towns"] and c._artists["station_catchments"]
    n_towns = len(window.model.project.towns)
    assert c._artists["towns"][0].get_offsets().shape[0] == n_towns
    tables = window.result_tables
    tables.show_scenario("plan-2025-towns")
    i = list(tables.tables).index("town_service")
    assert tables.tabs.isTabVisible(i)
    assert tables.tables["town_service"].rowCount() == n_towns
    tables.show_scenario(None)
    assert not tables.tabs.isTabVisible(i)
    assert "towns" in window.table.models
