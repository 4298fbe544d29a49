"""The map drawn true and legible: metric CRS, placed labels, furniture outside the data."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import ARTIFACTS
from matplotlib.path import Path as MplPath
from pyproj import CRS, Geod
from uihelpers import make_window, pixel

from wufei_gis.errors import InputError
from wufei_gis.label_placement import overlapping_pairs
from wufei_gis.ui.map_projection import degree_label, map_crs_choice


@pytest.fixture(scope="module")
def plan_2025(yuxi_sample):
    from wufei_gis.optimization.planning import solve_scenario

    return solve_scenario(yuxi_sample, "plan-2025")


@pytest.fixture
def solved(qtbot, yuxi, plan_2025):
    """The zh main window on Yuxi with plan-2025 solved, facilities labelled by name."""
    w = make_window(qtbot, yuxi)
    w.model.set_result(plan_2025)
    w.results_panel.selector.setCurrentText("plan-2025")
    w.canvas.set_style("facilities", label_field="name_zh")
    qtbot.waitUntil(lambda: not w.canvas.labels_pending)
    w.canvas.draw()
    return w


def _boxes(artists, renderer) -> np.ndarray:
    return np.array(
        [[b.x0, b.y0, b.x1, b.y1] for b in (a.get_window_extent(renderer) for a in artists)]
    ).reshape(-1, 4)


def _marker_boxes(canvas) -> np.ndarray:
    """Pixel boxes of every drawn facility, candidate and proposed-site marker."""
    out = []
    for layer in ("facilities", "candidates", "proposed_sites"):
        for coll in canvas._artists[layer]:
            xy = canvas.ax.transData.transform(coll.get_offsets())
            sizes = np.broadcast_to(coll.get_sizes(), (len(xy),))
            half = np.sqrt(sizes) / 2 * canvas.figure.dpi / 72  # pt² area -> half side in px
            out.append(np.column_stack([xy - half[:, None], xy + half[:, None]]))
    return np.vstack(out)


def test_labels_never_overlap_each_other_or_a_marker(solved):
    c = solved.canvas
    renderer = c.get_renderer()
    labels = c.label_artists()
    facility_labels = c.label_artists("facilities")
    county_labels = c.label_artists("counties")
    assert len(facility_labels) >= 5 and len(county_labels) >= 5
    assert all(a.get_visible() for a in labels)
    boxes = _boxes(labels, renderer)
    assert overlapping_pairs(boxes) == []
    markers = _marker_boxes(c)
    assert len(markers) >= 20 + len(solved.model.results["plan-2025"].proposed_sites)
    hits = [
        (a.get_text(), j)
        for a, b in zip(labels, boxes, strict=True)
        for j, m in enumerate(markers)
        if b[0] < m[2] and m[0] < b[2] and b[1] < m[3] and m[1] < b[3]
    ]
    assert hits == []
    # markers are drawn above the labels; labels stay inside the map
    z_label = max(a.get_zorder() for a in labels)
    assert all(
        coll.get_zorder() > z_label
        for layer in ("facilities", "candidates", "proposed_sites")
        for coll in c._artists[layer]
    )
    ax_box = c.ax.get_window_extent(renderer)
    assert (boxes[:, 0] >= ax_box.x0 - 1).all() and (boxes[:, 2] <= ax_box.x1 + 1).all()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert solved.grab().save(str(ARTIFACTS / "map_canvas_zh_plan2025.png"))


def test_legend_and_colour_bar_sit_outside_the_map(solved):
    c = solved.canvas
    renderer = c.get_renderer()
    ax_box = c.ax.get_window_extent(renderer)
    legend_box = c.deco.legend.get_window_extent(renderer)
    cbar_box = c.deco.cax.get_window_extent(renderer)
    assert c.deco.cax.get_visible()
    assert legend_box.x0 >= ax_box.x1 and cbar_box.x0 >= ax_box.x1
    assert legend_box.y0 >= cbar_box.y1  # the colour bar below the legend, not on it
    assert c.deco.legend.get_draggable()


def _drawn_area_km2(canvas, row: int) -> float:
    coll = canvas._artists["counties"][0]
    geom = canvas.model.project.counties.geometry.iloc[row]
    parts = len(getattr(geom, "geoms", [geom]))
    start = sum(len(getattr(g, "geoms", [g])) for g in canvas.model.project.counties.geometry[:row])
    total = 0.0
    for path in coll.get_paths()[start : start + parts]:
        x, y = path.vertices[:, 0], path.vertices[:, 1]
        total += abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2
    return total / 1e6


@pytest.mark.parametrize("kind", ["gk", "utm"])
def test_axes_are_metres_and_areas_are_true(window, kind):
    c = window.canvas
    if kind != c.map_crs_kind:
        window.actions_by_key[f"act.map_crs_{kind}"].trigger()
    assert c.map_crs.axis_info[0].unit_name == "metre"
    x0, x1 = c.ax.get_xlim()
    assert 100_000 < x1 - x0 < 600_000  # Yuxi is ~190 km wide: metres, not degrees
    geod = Geod(ellps="GRS80")
    for row in range(len(window.model.project.counties)):
        geom = window.model.project.counties.geometry.iloc[row]
        true_km2 = abs(geod.geometry_area_perimeter(geom)[0]) / 1e6
        assert _drawn_area_km2(c, row) == pytest.approx(true_km2, rel=0.01)
    # the one conversion point round-trips
    lon, lat = c.to_lonlat(*c.to_map(102.5, 24.3))
    assert (lon, lat) == pytest.approx((102.5, 24.3), abs=1e-9)


def test_switching_projection_redraws_and_keeps_the_view(window, qtbot):
    c = window.canvas
    assert "102E" in c.map_crs.name  # Yuxi's nearest 3-degree GK meridian
    act = window.actions_by_key["act.map_crs_utm"]
    assert act in window.menus["menu.map_projection"].actions()
    before = c._artists["counties"][0].get_paths()[0].vertices.copy()
    x_facility = c.map_points("facilities")[0].copy()
    with qtbot.waitSignal(c.map_crs_changed):
        act.trigger()
    assert "UTM zone 48N" in c.map_crs.name
    after = c._artists["counties"][0].get_paths()[0].vertices
    assert not np.allclose(before[:5], after[:5], atol=1000)
    assert not np.allclose(c.map_points("facilities")[0], x_facility, atol=1000)
    # the facility is still under its own pixel after the switch
    f = window.model.project.facilities.geometry.iloc[0]
    px = c.ax.transData.transform(c.map_points("facilities")[:1])[0]
    assert px == pytest.approx(pixel(c, f.x, f.y), abs=0.5)
    qtbot.waitUntil(lambda: not c.labels_pending)
    assert c.label_artists("counties")


def test_graticule_is_in_degrees_and_scale_bar_true(window, qtbot):
    c = window.canvas
    qtbot.waitUntil(lambda: not c.labels_pending)
    xt = [t.get_text() for t in c.ax.get_xticklabels()]
    yt = [t.get_text() for t in c.ax.get_yticklabels()]
    assert xt and all(t.endswith("°E") for t in xt)
    assert yt and all(t.endswith("°N") for t in yt)
    assert len(c.deco.grid.get_segments()) >= len(xt) + len(yt)  # a line behind every tick
    # the scale bar's drawn length, measured on the ground, matches its text
    (fx0, y), (fx1, _) = c.deco.scale_line.get_xydata()
    trans = c.ax.transAxes + c.ax.transData.inverted()
    (mx0, my), (mx1, _) = trans.transform([(fx0, y), (fx1, y)])
    (lon0, lon1), (lat0, lat1) = c.to_lonlat([mx0, mx1], [my, my])
    km = Geod(ellps="WGS84").inv(lon0, lat0, lon1, lat1)[2] / 1000
    stated = float(c.deco.scale_text.get_text().split()[0])
    assert km == pytest.approx(stated, rel=0.005)


def test_underlay_hook_draws_under_everything(window, qtbot):
    c = window.canvas
    calls = []

    def fake_basemap(ax, crs, bounds):
        calls.append((crs, bounds))
        x0, y0, x1, y1 = bounds
        ax.imshow(np.random.default_rng(0).random((4, 4)), extent=(x0, x1, y0, y1), zorder=0)
        return "© test tiles"

    c.set_underlay(fake_basemap)
    qtbot.waitUntil(lambda: not c.labels_pending)
    assert calls and calls[-1][0] == c.map_crs
    xlim = c.ax.get_xlim()
    assert calls[-1][1][0] == pytest.approx(xlim[0])
    images = c.ax.get_images()
    assert len(images) == 1 and images[0].get_zorder() == 0
    assert c.deco.attribution.get_text() == "© test tiles"
    c.ax.set_xlim(xlim[0] + 1000, xlim[1] + 1000)  # a pan: redrawn once it ends
    assert not any(a.get_visible() for a in c.label_artists())  # hidden while it lasts
    qtbot.waitUntil(lambda: len(calls) >= 2 and not c.labels_pending)
    assert len(c.ax.get_images()) == 1  # the old raster was replaced, not stacked
    c.set_underlay(None)
    qtbot.waitUntil(lambda: not c.labels_pending)
    assert c.ax.get_images() == [] and c.deco.attribution.get_text() == ""


def test_view_basemap_menu_draws_offline_terrain_and_notes_an_unreachable_layer(window, qtbot):
    c = window.canvas
    act = window.actions_by_key["basemap.choice.terrain"]
    assert act in window.menus["menu.basemap"].actions()
    act.trigger()
    qtbot.waitUntil(lambda: not c.labels_pending, timeout=20_000)
    assert len(c.ax.get_images()) == 1 and "pvlib" in c.deco.attribution.get_text()
    window.set_basemap("http://127.0.0.1:9/{z}/{x}/{y}.png")  # nothing listens there
    qtbot.waitUntil(lambda: not c.labels_pending, timeout=20_000)
    assert c.ax.get_images() == [] and window.statusBar().currentMessage()
    window.actions_by_key["basemap.choice.none"].trigger()
    qtbot.waitUntil(lambda: not c.labels_pending)
    assert c.deco.attribution.get_text() == ""


def test_map_crs_choice():
    assert map_crs_choice("gk", 102.6, 24.3).to_epsg() == 4543  # CGCS2000 GK CM 102E
    assert map_crs_choice("gk", 113.0, 23.0).to_epsg() == 4547  # CM 114E
    assert map_crs_choice("utm", 102.6, 24.3).to_epsg() == 32648
    assert map_crs_choice("EPSG:3857", 0, 0) == CRS.from_epsg(3857)
    far = map_crs_choice("gk", 10.0, 50.0)
    assert far.is_projected and "+lon_0=9 " in far.srs
    with pytest.raises(InputError, match="not in metres"):
        map_crs_choice("EPSG:4326", 102, 24)
    with pytest.raises(InputError, match="unknown map projection"):
        map_crs_choice("mercator-ish", 102, 24)
    assert degree_label(102.5, "lon", 0.5) == "102.5°E"
    assert degree_label(24.25, "lat", 0.25) == "24.25°N"
    assert degree_label(103.0, "lon", 1.0) == "103°E"


def test_a_clicked_point_lands_where_clicked(window):
    """Tools convert map metres to lon/lat at one place: an added candidate is under the cursor."""
    from uihelpers import click

    c, model = window.canvas, window.model
    p = model.project.counties.geometry.iloc[2].representative_point()
    c.set_tool("add_candidate")
    click(c, p.x, p.y)
    g = model.project.candidates.geometry.iloc[-1]
    assert (g.x, g.y) == pytest.approx((p.x, p.y), abs=1e-4)
    path = MplPath(c.ax.transData.transform(c.map_points("candidates")[-1:]))
    assert path.vertices[0] == pytest.approx(pixel(c, p.x, p.y), abs=0.5)
