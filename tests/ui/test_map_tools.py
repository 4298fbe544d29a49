"""The map tool table: activation and cancel, identify, geodesic measure, clean tool switches."""

from __future__ import annotations

import pytest
from conftest import ARTIFACTS
from pyproj import Geod
from shapely.geometry import Point
from uihelpers import click, key, mouse, view_lonlat

from wufei_gis.ui import i18n
from wufei_gis.ui.map_tools import MAP_TOOLS, MapTool

# (lon, lat) inside the map, away from every Yuxi facility and candidate
EMPTY_SPOT = (102.05, 24.05)


def _children(canvas) -> int:
    return len(canvas.ax.get_children())


def _xy(frame, row: int) -> tuple[float, float]:
    g = frame.geometry.iloc[row]
    return float(g.x), float(g.y)


def test_every_tool_activates_from_its_action_and_cancels(window):
    c = window.canvas
    c.draw()
    baseline = _children(c)
    assert tuple(MAP_TOOLS)[:5] == ("pan", "zoom_box", "select", "identify", "measure")
    for name, cls in MAP_TOOLS.items():
        assert issubclass(cls, MapTool) and cls.name == name
        for lang in i18n.LANGUAGES:  # a label in both languages, not the bare key
            i18n.set_language(lang)
            assert i18n.tr(f"tool.{name}") != f"tool.{name}"
        act = window.actions_by_key[f"tool.{name}"]
        act.trigger()
        assert isinstance(c.tool, cls) and act.isChecked()
        assert act in window.tool_toolbar.actions()
        # start something (a drag, a vertex, a point), then Esc: nothing left on the map
        mouse(c, "button_press_event", *EMPTY_SPOT)
        mouse(c, "motion_notify_event", EMPTY_SPOT[0] + 0.05, EMPTY_SPOT[1] + 0.05)
        key(c, "escape")
        mouse(c, "button_release_event", EMPTY_SPOT[0] + 0.05, EMPTY_SPOT[1] + 0.05)
        c.tool.cancel()
        assert c.tool.overlays() == [], name
        while window.model.history.can_undo:  # add_candidate really added one
            window.model.undo()
        c.set_selection("", [])
        assert _children(c) == baseline, name
    with pytest.raises(ValueError, match="unknown tool"):
        c.set_tool("lasso")


def test_identify_emits_layer_and_row(window, qtbot):
    c, p = window.canvas, window.model.project
    window.actions_by_key["tool.identify"].trigger()
    hits: list[tuple[str, int]] = []
    c.feature_identified.connect(lambda layer, row: hits.append((layer, row)))
    row = int((p.facilities["facility_id"] == "YX-LF-04").to_numpy().argmax())
    click(c, *_xy(p.facilities, row))
    assert hits == [("facilities", row)]
    view = window.table.views["facilities"]  # the attribute table shows that row
    assert window.table.currentWidget() is view
    assert [i.row() for i in view.selectionModel().selectedRows()] == [row]
    assert p.facilities["name_zh"].iloc[row] in window.statusBar().currentMessage()
    # a spot in Yimen county with no point near it: the county polygon is identified
    yimen = p.counties.index[p.counties["name_zh"] == "易门县"][0]
    spot = Point(102.17, 24.60)  # ~0.09° from every point feature and from the border
    assert p.counties.geometry.iloc[yimen].contains(spot)
    with qtbot.waitSignal(c.feature_identified) as sig:
        click(c, spot.x, spot.y)
    assert sig.args == ["counties", yimen]
    # nothing selected or edited by identifying
    assert c.selection == ("", []) and not window.model.dirty


def test_measure_gives_geodesic_km(window, qtbot):
    c, p = window.canvas, window.model.project
    c.set_tool("measure")
    a = _xy(p.facilities, 0)  # Hongta incinerator
    b = _xy(p.facilities, 6)  # Yuanjiang landfill, ~90 km south-west
    z = (102.9, 24.7)
    geod = Geod(ellps="WGS84")
    ab = geod.inv(a[0], a[1], b[0], b[1])[2] / 1000
    bz = geod.inv(b[0], b[1], z[0], z[1])[2] / 1000
    assert ab > 50
    click(c, *a)
    with qtbot.waitSignal(c.distance_measured) as sig:
        click(c, *b)
    assert sig.args[0] == pytest.approx(ab, rel=1e-3)
    assert c.tool.km == pytest.approx(ab, rel=1e-3)
    mouse(c, "motion_notify_event", *z)  # live segment to the cursor
    label = next(a for a in c.tool.overlays() if hasattr(a, "get_text"))
    shown_km = float(label.get_text().split()[0].replace(",", ""))  # "123.45 公里"
    assert shown_km == pytest.approx(ab + bz, rel=1e-3)
    click(c, *z)
    assert c.tool.km == pytest.approx(ab + bz, rel=1e-3)
    mouse(c, "button_press_event", *z, dblclick=True)  # a double-click adds no point
    assert len(c.tool.points) == 3
    assert "公里" in window.statusBar().currentMessage()
    c.draw()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(ARTIFACTS / "map_measure_tool.png"))
    key(c, "escape")
    assert c.tool.points == [] and c.tool.km == 0.0 and c.tool.overlays() == []


def test_switching_tools_mid_polygon_cancels_it(window):
    c, model = window.canvas, window.model
    c.draw()
    baseline = _children(c)
    n = len(model.project.exclusions)
    window.actions_by_key["tool.draw_exclusion"].trigger()
    for lon, lat in [(102.0, 24.0), (102.2, 24.0), (102.2, 24.2)]:
        click(c, lon, lat)
    mouse(c, "motion_notify_event", 102.0, 24.2)
    assert _children(c) > baseline
    window.actions_by_key["tool.measure"].trigger()
    assert _children(c) == baseline
    assert len(model.project.exclusions) == n and not window.model.history.can_undo
    key(c, "enter")  # Enter no longer finishes anything
    assert len(model.project.exclusions) == n
    # drawing again starts from an empty polygon
    c.set_tool("draw_exclusion")
    assert c.tool.vertices == []
    for lon, lat in [(101.5, 23.8), (101.7, 23.8), (101.6, 23.9)]:
        click(c, lon, lat)
    key(c, "enter")
    assert len(model.project.exclusions) == n + 1


def test_right_button_pans_with_an_edit_tool(window):
    c, model = window.canvas, window.model
    c.set_tool("add_candidate")
    n = len(model.project.candidates)
    lon0 = view_lonlat(c)[0]
    mouse(c, "button_press_event", 102.0, 24.0, button=3)
    mouse(c, "motion_notify_event", 102.1, 24.0, button=3)
    mouse(c, "button_release_event", 102.1, 24.0, button=3)
    assert view_lonlat(c)[0] == pytest.approx(lon0 - 0.1, abs=0.01)
    assert len(model.project.candidates) == n  # the edit tool saw nothing
