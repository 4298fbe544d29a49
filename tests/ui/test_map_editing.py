"""Map tools: layers drawn, add/move/delete candidates with undo/redo, exclusion polygons."""

from __future__ import annotations

import pytest
from uihelpers import click, key, mouse, scroll, view_lonlat

from wufei_gis.editing import polygon_vertices


def test_sample_layers_on_map(window):
    c = window.canvas
    p = window.model.project
    assert len(p.counties) == 9
    for layer in ("counties", "facilities", "candidates"):
        assert c._artists[layer], layer
    counties = c._artists["counties"][0]
    assert len(counties.get_paths()) >= 9
    assert len(c._artists["facilities"][0].get_offsets()) == len(p.facilities)
    assert len(c._artists["candidates"][0].get_offsets()) == len(p.candidates)
    assert not c._artists["flows"]  # no results yet
    lon0, lat0, lon1, lat1 = view_lonlat(c)
    b = p.counties.total_bounds
    assert lon0 <= b[0] and lon1 >= b[2] and lat0 <= b[1] and lat1 >= b[3]
    assert "公里" in c.deco.scale_text.get_text() or "km" in c.deco.scale_text.get_text()
    assert window.crs_label.text().endswith("EPSG:4326")


def test_add_move_delete_candidate_with_undo(window):
    c, model, stack = window.canvas, window.model, window.model.history
    n = len(model.project.candidates)
    window.actions_by_key["tool.add_candidate"].trigger()
    assert c.tool.name == "add_candidate"
    click(c, 120.0, 10.0)  # in the sea, outside every county: refused, nothing added
    assert len(model.project.candidates) == n and not stack.can_undo
    inside = model.project.counties.set_index("county_id").geometry.loc["530402"]
    p = inside.representative_point()
    click(c, p.x, p.y)
    assert len(model.project.candidates) == n + 1
    assert model.project.candidates["county_id"].iloc[-1] == "530402"
    new_id = model.project.candidates["candidate_id"].iloc[-1]
    assert len(c._artists["candidates"][0].get_offsets()) == n + 1
    assert window.isWindowModified()

    c.draw()
    window.actions_by_key["tool.move"].trigger()
    q = model.project.counties.set_index("county_id").geometry.loc["530403"].representative_point()
    mouse(c, "button_press_event", p.x, p.y)
    mouse(c, "motion_notify_event", (p.x + q.x) / 2, (p.y + q.y) / 2)
    mouse(c, "button_release_event", q.x, q.y)
    g = model.project.candidates.geometry.iloc[-1]
    assert (g.x, g.y) == pytest.approx((q.x, q.y), abs=0.005)
    assert model.project.candidates["county_id"].iloc[-1] == "530403"

    stack.undo()  # move
    g = model.project.candidates.geometry.iloc[-1]
    assert (g.x, g.y) == pytest.approx((p.x, p.y), abs=0.005)
    stack.redo()
    assert model.project.candidates.geometry.iloc[-1].x == pytest.approx(q.x, abs=0.005)

    c.draw()
    window.actions_by_key["tool.delete"].trigger()
    click(c, q.x, q.y)
    assert new_id not in set(model.project.candidates["candidate_id"])
    stack.undo()
    assert new_id in set(model.project.candidates["candidate_id"])
    stack.undo()
    stack.undo()
    assert len(model.project.candidates) == n
    stack.redo()
    assert len(model.project.candidates) == n + 1


def test_select_syncs_table(window):
    c = window.canvas
    c.set_tool("select")
    cand = window.model.project.candidates
    click(c, cand.geometry.iloc[3].x, cand.geometry.iloc[3].y)
    assert c.selection == ("candidates", [3])
    view = window.table.views["candidates"]
    assert [i.row() for i in view.selectionModel().selectedRows()] == [3]
    assert window.table.currentWidget() is view
    view.selectRow(5)
    assert c.selection == ("candidates", [5])
    assert c._sel_artists


def test_draw_exclusion_polygon(window):
    c, model = window.canvas, window.model
    window.actions_by_key["tool.draw_exclusion"].trigger()
    for lon, lat in [(102.0, 24.0), (102.2, 24.0), (102.2, 24.2)]:
        click(c, lon, lat)
    assert len(c.tool.vertices) == 3
    click(c, 102.0, 24.2)
    mouse(c, "button_press_event", 102.0, 24.2, dblclick=True)  # double-click finishes
    assert len(model.project.exclusions) == 1
    assert len(polygon_vertices(model.project.exclusions.geometry.iloc[0])) == 4
    assert c._artists["exclusions"]
    # Esc cancels a polygon in progress; Enter finishes one
    click(c, 101.5, 23.8)
    key(c, "escape")
    assert c.tool.vertices == [] and len(model.project.exclusions) == 1
    for lon, lat in [(101.5, 23.8), (101.7, 23.8), (101.6, 23.9)]:
        click(c, lon, lat)
    key(c, "enter")
    assert len(model.project.exclusions) == 2
    window.model.undo()
    assert len(model.project.exclusions) == 1


def test_edit_polygon_vertices(window):
    c, model = window.canvas, window.model
    c.set_tool("draw_exclusion")
    for lon, lat in [(102.0, 24.0), (102.2, 24.0), (102.2, 24.2), (102.0, 24.2)]:
        click(c, lon, lat)
    key(c, "enter")
    c.draw()
    c.set_tool("edit_vertices")
    click(c, 102.1, 24.1)  # pick the zone: handles shown
    assert len(c.tool.handles().get_xdata()) == 5  # 4 vertices, closed
    mouse(c, "button_press_event", 102.2, 24.2)
    mouse(c, "motion_notify_event", 102.25, 24.25)
    mouse(c, "button_release_event", 102.3, 24.3)
    v = polygon_vertices(model.project.exclusions.geometry.iloc[0])
    assert v[2] == pytest.approx((102.3, 24.3), abs=0.005)
    window.model.undo()
    v = polygon_vertices(model.project.exclusions.geometry.iloc[0])
    assert v[2] == pytest.approx((102.2, 24.2), abs=0.005)


def test_pan_and_zoom(window):
    c = window.canvas
    x0, x1 = c.ax.get_xlim()
    lon0 = view_lonlat(c)[0]
    c.set_tool("pan")
    mouse(c, "button_press_event", 102.0, 24.0)
    mouse(c, "motion_notify_event", 102.1, 24.0)
    mouse(c, "button_release_event", 102.1, 24.0)
    assert view_lonlat(c)[0] == pytest.approx(lon0 - 0.1, abs=0.01)
    scroll(c, 102.5, 24.3)
    assert c.ax.get_xlim()[1] - c.ax.get_xlim()[0] < x1 - x0
    c.set_tool("zoom_box")
    c.draw()
    mouse(c, "button_press_event", 102.0, 24.0)
    mouse(c, "motion_notify_event", 102.2, 24.2)
    mouse(c, "button_release_event", 102.4, 24.4)
    a, _, b, _ = view_lonlat(c)
    assert a <= 102.0 + 0.01 and b >= 102.4 - 0.01 and b - a < 1.0
    window.actions_by_key["act.zoom_all"].trigger()
    a, _, b, _ = view_lonlat(c)
    assert b - a > 1.5


def test_layer_panel_style(window, qtbot):
    panel, c = window.layer_panel, window.canvas
    item = next(
        panel.list.item(i)
        for i in range(panel.list.count())
        if panel._layer(panel.list.item(i)) == "candidates"
    )
    from PyQt6.QtCore import Qt

    item.setCheckState(Qt.CheckState.Unchecked)
    assert not c.styles["candidates"].visible
    assert not c._artists["candidates"][0].get_visible()
    panel.list.setCurrentItem(item)
    panel.size_box.setValue(120)
    assert c.styles["candidates"].size == 120
    before = c.order.index("candidates")
    panel.up.click()
    assert c.order.index("candidates") == before + 1
    panel.label.setCurrentIndex(panel.label.findData("candidate_id"))
    assert c.styles["candidates"].label_field == "candidate_id"
    qtbot.waitUntil(lambda: not c.labels_pending)  # placed once the map settles
    assert c.label_artists("candidates") == []  # the layer is hidden
    c.set_style("candidates", visible=True)
    qtbot.waitUntil(lambda: not c.labels_pending)
    ids = set(window.model.project.candidates["candidate_id"])
    texts = [a.get_text() for a in c.label_artists("candidates")]
    assert texts and set(texts) <= ids
