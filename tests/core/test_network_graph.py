"""Road graphs from line layers: contract, one-way streets, islands, bad input."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
from shapely.geometry import LineString, MultiLineString, Point

from wufei_gis.errors import InputError
from wufei_gis.network import (
    NetworkProvider,
    RoadOptions,
    check_reachability,
    component_sizes,
    graph_from_file,
    graph_from_lines,
    largest_component,
    parse_maxspeed,
    validate_graph,
)
from wufei_gis.network.graph import parse_oneway

UTM = "EPSG:32648"
X0, Y0 = 500_000.0, 3_300_000.0  # near 105E 29.8N (inside UTM zone 48N)


def xy(x: float, y: float) -> tuple[float, float]:
    return (X0 + x, Y0 + y)


def square_roads() -> gpd.GeoDataFrame:
    """A 1 km square A-B-C-D with A->B one-way, plus an island E-F 5 km away.

    All roads 60 km/h, so 1 km takes 1 minute.
    """
    A, B, C, D = xy(0, 0), xy(1000, 0), xy(1000, 1000), xy(0, 1000)
    E, F = xy(5000, 5000), xy(6000, 5000)
    return gpd.GeoDataFrame(
        {
            "name": ["AB", "BC", "CD", "DA", "EF"],
            "kmh": [60, 60, 60, 60, 60],
            "cls": ["primary", "secondary", "residential", "tertiary", "residential"],
            "ow": ["yes", None, "no", "", None],
        },
        geometry=[
            LineString([A, B]),
            LineString([B, C]),
            LineString([C, D]),
            LineString([D, A]),
            LineString([E, F]),
        ],
        crs=UTM,
    )


def points(named: dict[str, tuple[float, float]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": list(named)}, geometry=[Point(xy(*p)) for p in named.values()], crs=UTM
    )


@pytest.fixture()
def square() -> nx.MultiDiGraph:
    return graph_from_lines(
        square_roads(),
        road_options=RoadOptions(speed_field="kmh", class_field="cls", oneway_field="ow"),
    )


def test_contract(square: nx.MultiDiGraph) -> None:
    validate_graph(square)
    assert square.graph["crs"] == "EPSG:4326"
    assert square.graph["name"] == "roads"
    assert square.number_of_nodes() == 6
    # AB one-way (1 edge) + 4 two-way roads (2 edges each)
    assert square.number_of_edges() == 9
    for _, d in square.nodes(data=True):
        assert 104 < d["x"] < 106 and 29 < d["y"] < 31
    for _, _, d in square.edges(data=True):
        assert d["length"] == pytest.approx(1000.0, rel=1e-6)
        assert d["time_min"] == pytest.approx(1.0, rel=1e-6)
        assert d["speed_kmh"] == 60.0
        assert isinstance(d["geometry"], LineString)


def test_one_way_goes_round(square: nx.MultiDiGraph) -> None:
    pts = points({"A": (0, 0), "B": (1000, 0)})
    m = NetworkProvider(square).matrix(pts, pts)
    assert m.method == "road network 'roads'"
    np.testing.assert_allclose(m.distance_km, [[0, 1], [3, 0]], atol=1e-6)
    np.testing.assert_allclose(m.time_min, [[0, 1], [3, 0]], atol=1e-6)


def test_island_is_inf_and_flagged(square: nx.MultiDiGraph) -> None:
    assert component_sizes(square) == [4, 2]
    assert component_sizes(square, strong=True)[0] == 4
    assert len(largest_component(square)) == 4
    provider = NetworkProvider(square)
    origins = points({"A": (0, 0), "E": (5000, 5000)})
    dest = points({"B": (1000, 0), "C": (1000, 1000)})
    m = provider.matrix(origins, dest)
    assert np.isfinite(m.distance_km[0]).all()
    assert np.isinf(m.distance_km[1]).all() and np.isinf(m.time_min[1]).all()
    assert provider.last_snap is not None
    assert provider.last_snap[0].island_ids == ["E"]
    assert provider.last_snap[1].island_ids == []
    with pytest.raises(InputError, match="E") as info:
        check_reachability(m)
    assert "A" not in info.value.problem.split(":")[-1]


def test_class_filter_and_defaults() -> None:
    roads = square_roads()
    roads.loc[1, "cls"] = "footway"  # BC is not drivable
    G = graph_from_lines(roads, road_options=RoadOptions(class_field="cls"))
    assert G.number_of_edges() == 8 - 2 + 2  # AB, CD, DA, EF two-way = 8 edges
    speeds = {d["highway"]: d["speed_kmh"] for _, _, d in G.edges(data=True)}
    assert speeds["primary"] == 50.0 and speeds["residential"] == 25.0
    G2 = graph_from_lines(
        roads,
        road_options=RoadOptions(
            class_field="cls", speeds={"primary": 70}, highways={"primary", "footway"}
        ),
    )
    assert {d["highway"] for _, _, d in G2.edges(data=True)} == {"primary", "footway"}
    assert {d["speed_kmh"] for _, _, d in G2.edges(data=True) if d["highway"] == "primary"} == {
        70.0
    }
    # local class names are kept at the fallback speed unless a speed is given
    roads["cls"] = ["县道", "县道", "乡道", "乡道", "footway"]
    G3 = graph_from_lines(roads, road_options=RoadOptions(class_field="cls", speeds={"乡道": 20}))
    assert component_sizes(G3) == [4]
    assert {d["highway"]: d["speed_kmh"] for _, _, d in G3.edges(data=True)} == {
        "县道": 30.0,
        "乡道": 20.0,
    }


def test_reverse_oneway_and_speed_strings() -> None:
    roads = square_roads()
    roads["ow"] = ["-1", None, None, None, None]
    roads["kmh"] = ["30 mph", "", None, "0", "45"]
    G = graph_from_lines(
        roads, road_options=RoadOptions(class_field="cls", speed_field="kmh", oneway_field="ow")
    )
    ab = [(u, v, d) for u, v, d in G.edges(data=True) if d["highway"] == "primary"]
    assert len(ab) == 1
    u, v, d = ab[0]
    assert G.nodes[u]["x"] > G.nodes[v]["x"]  # drawn A->B, driven B->A
    assert d["speed_kmh"] == pytest.approx(48.28032)
    hw_speed = {d["highway"]: d["speed_kmh"] for _, _, d in G.edges(data=True)}
    assert hw_speed["secondary"] == 40.0  # empty string -> class default


def test_snap_endpoints_within_tolerance() -> None:
    roads = gpd.GeoDataFrame(
        geometry=[LineString([xy(0, 0), xy(1000, 0)]), LineString([xy(1000.4, 0.3), xy(2000, 0)])],
        crs=UTM,
    )
    assert graph_from_lines(roads).number_of_nodes() == 3
    assert (
        graph_from_lines(roads, road_options=RoadOptions(snap_tolerance_m=0.1)).number_of_nodes()
        == 4
    )


def test_node_intersections_and_multilines() -> None:
    cross = gpd.GeoDataFrame(
        {"ow": ["yes", None]},
        geometry=[
            LineString([xy(0, 0), xy(2000, 0)]),
            MultiLineString([[xy(1000, -1000), xy(1000, 1000)], [xy(3000, 0), xy(4000, 0)]]),
        ],
        crs=UTM,
    )
    plain = graph_from_lines(cross)
    assert plain.number_of_nodes() == 6 and component_sizes(plain) == [2, 2, 2]
    noded = graph_from_lines(
        cross, road_options=RoadOptions(node_intersections=True, oneway_field="ow")
    )
    assert component_sizes(noded) == [5, 2]
    assert noded.number_of_edges() == 2 + 2 * 2 + 2  # one-way halves + two-way halves + far part
    # the one-way line keeps its direction after splitting
    west = min(noded.nodes, key=lambda n: noded.nodes[n]["x"])
    assert noded.out_degree(west) == 1 and noded.in_degree(west) == 0


def test_validate_rejects_broken_graphs(square: nx.MultiDiGraph) -> None:
    bad = square.copy()
    u, v, k = next(iter(bad.edges(keys=True)))
    bad.edges[u, v, k]["length"] = float("nan")
    with pytest.raises(InputError, match="length"):
        validate_graph(bad)
    bad = square.copy()
    bad.graph["crs"] = "EPSG:32648"
    with pytest.raises(InputError, match="CRS"):
        validate_graph(bad)
    with pytest.raises(InputError, match="no roads"):
        validate_graph(nx.MultiDiGraph(crs="EPSG:4326", name="x"))


@pytest.mark.parametrize(
    ("value", "kmh"),
    [
        ("60", 60.0),
        ("60 km/h", 60.0),
        ("30 mph", 48.28032),
        (50, 50.0),
        ("50;70", 50.0),
        ("none", None),
        ("walk", None),
        (None, None),
        ("", None),
    ],
)
def test_parse_maxspeed(value: object, kmh: float | None) -> None:
    got = parse_maxspeed(value)
    assert (got is None and kmh is None) or got == pytest.approx(kmh)


def test_parse_oneway() -> None:
    assert [parse_oneway(v) for v in ("yes", "1", "true", "-1", "no", None, "", "FT", "TF", 1)] == [
        1,
        1,
        1,
        -1,
        0,
        0,
        0,
        1,
        -1,
        1,
    ]


def test_no_crs_no_lines_unreadable_empty(tmp_path) -> None:
    lines = square_roads()
    no_crs = tmp_path / "nocrs.shp"
    lines.to_file(no_crs)
    no_crs.with_suffix(".prj").unlink()  # a Shapefile shipped without its .prj
    with pytest.raises(InputError, match="no coordinate reference system") as info:
        graph_from_file(no_crs)
    assert "nocrs.shp" in str(info.value) and info.value.fix
    pts = tmp_path / "points.gpkg"
    gpd.GeoDataFrame({"id": [1]}, geometry=[Point(xy(0, 0))], crs=UTM).to_file(pts, layer="pts")
    with pytest.raises(InputError, match="no line geometries"):
        graph_from_file(pts)
    junk = tmp_path / "junk.gpkg"
    junk.write_text("not a geopackage")
    with pytest.raises(InputError, match="cannot read"):
        graph_from_file(junk)
    with pytest.raises(InputError, match="does not exist"):
        graph_from_file(tmp_path / "missing.shp")
    paths_only = lines.assign(cls="footway")
    with pytest.raises(InputError, match="no drivable road lines"):
        graph_from_lines(paths_only, road_options=RoadOptions(class_field="cls"))
    with pytest.raises(InputError, match="no field 'speed'"):
        graph_from_lines(lines, road_options=RoadOptions(speed_field="speed"))
