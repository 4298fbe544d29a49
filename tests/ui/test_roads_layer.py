"""A road network stored in the project is drawn as a layer under the flows."""

from __future__ import annotations

from pathlib import Path

from uihelpers import make_window

from wufei_gis.editing import SetCellValue
from wufei_gis.network import RoadOptions, import_network
from wufei_gis.project import Project
from wufei_gis.samples import load_sample

DEMO = Path(__file__).resolve().parents[2] / "data" / "networks" / "yuxi_demo_roads.geojson"


def test_roads_layer_drawn_and_toggled(qtbot, tmp_path):
    path = load_sample("yuxi").write(tmp_path / "yx.gpkg")
    roads = RoadOptions(class_field="highway", node_intersections=True)
    import_network(DEMO, path, name="roads", road_options=roads)
    w = make_window(qtbot, Project.read(path))
    canvas = w.canvas
    edges = w.model.road_edges()
    assert edges is not None and len(edges) > 500
    arts = canvas._artists["roads"]
    assert len(arts) == 1 and len(arts[0].get_segments()) == len(edges)
    assert canvas.order.index("roads") < canvas.order.index("flows")
    canvas.set_style("roads", visible=False)
    assert not canvas._artists["roads"][0].get_visible()


def test_no_network_no_roads_layer(qtbot):
    w = make_window(qtbot, load_sample("yuxi"))
    assert w.model.road_edges() is None
    assert w.canvas._artists["roads"] == []


def test_import_network_from_the_menu_runs_in_background(qtbot, tmp_path):
    path = load_sample("yuxi").write(tmp_path / "yx.gpkg")
    w = make_window(qtbot, Project.read(path))
    assert w.model.road_edges() is None
    worker = w.import_network(
        DEMO,
        options={
            "name": "roads",
            "class_field": "highway",
            "speed_field": None,
            "oneway_field": None,
            "node_intersections": True,
        },
    )
    assert worker is not None
    qtbot.waitUntil(lambda: w.model.road_edges() is not None, timeout=60_000)
    assert len(w.canvas._artists["roads"]) == 1
    from wufei_gis.network import list_networks

    assert list_networks(path) == ["roads"]


def test_import_network_bad_file_shows_error(qtbot, tmp_path):
    path = load_sample("yuxi").write(tmp_path / "yx.gpkg")
    w = make_window(qtbot, Project.read(path))
    errors = []
    w.show_error = errors.append
    bad = tmp_path / "roads.geojson"
    bad.write_text("not json", encoding="utf-8")
    assert w.import_network(bad) is None
    assert errors and "roads.geojson" in errors[0]


def test_import_network_never_saves_without_asking(qtbot, tmp_path):
    """An unsaved project is saved for the import only after the user agrees."""
    path = load_sample("yuxi").write(tmp_path / "yx.gpkg")
    w = make_window(qtbot, Project.read(path))
    w.model.execute(SetCellValue(w.model, "counties", 0, "note", "edited"))
    before = path.stat().st_mtime_ns
    asked = []
    opts = {"name": "roads", "class_field": "highway", "speed_field": None}
    refuse = lambda win: asked.append(win) or False  # noqa: E731
    assert w.import_network(DEMO, options=opts, ask_save=refuse) is None
    assert asked == [w]  # the user was asked ...
    assert w.model.dirty and path.stat().st_mtime_ns == before  # ... said no: nothing saved
    worker = w.import_network(DEMO, options=opts, ask_save=lambda win: True)
    assert worker is not None and not w.model.dirty  # saved because the user said yes
    qtbot.waitUntil(lambda: w.model.road_edges() is not None, timeout=60_000)
