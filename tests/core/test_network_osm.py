"""Road graphs from OpenStreetMap files (.osm XML and .osm.pbf) written by the tests."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
from shapely.geometry import Point

from wufei_gis.errors import InputError
from wufei_gis.network import NetworkProvider, graph_from_file, graph_from_osm, validate_graph

# 0.01 deg of longitude at 30N is ~963 m; of latitude ~1109 m
NODES = {
    1: (105.00, 30.00),
    2: (105.01, 30.00),  # shape point of way 10 (a footway also touches it)
    3: (105.02, 30.00),
    4: (105.02, 30.01),
    5: (105.00, 30.01),
    6: (105.01, 29.99),
    7: (105.10, 30.10),  # island
    8: (105.11, 30.10),
    9: (105.12, 30.10),
}
WAYS = [
    (10, [1, 2, 3], {"highway": "primary", "maxspeed": "60"}),
    (11, [3, 4], {"highway": "residential", "oneway": "yes"}),
    (12, [4, 5, 1], {"highway": "tertiary", "maxspeed": "30 mph"}),
    (13, [2, 6], {"highway": "footway"}),
    (14, [7, 8], {"highway": "motorway"}),  # one-way by default
    (15, [8, 9], {"highway": "unclassified", "oneway": "-1"}),
    (16, [5, 6], {"highway": "track"}),
]


def write_osm_xml(path: Path) -> Path:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    for nid, (lon, lat) in NODES.items():
        lines.append(f'  <node id="{nid}" version="1" lat="{lat}" lon="{lon}"/>')
    for wid, refs, tags in WAYS:
        lines.append(f'  <way id="{wid}" version="1">')
        lines += [f'    <nd ref="{r}"/>' for r in refs]
        lines += [f'    <tag k="{k}" v="{v}"/>' for k, v in tags.items()]
        lines.append("  </way>")
    lines.append("</osm>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_osm_pbf(path: Path) -> Path:
    import osmium

    with osmium.SimpleWriter(str(path)) as writer:
        for nid, (lon, lat) in NODES.items():
            writer.add_node(
                osmium.osm.mutable.Node(id=nid, location=osmium.osm.Location(lon, lat), tags={})
            )
        for wid, refs, tags in WAYS:
            writer.add_way(osmium.osm.mutable.Way(id=wid, nodes=refs, tags=tags))
    return path


def check_graph(G: nx.MultiDiGraph) -> None:
    validate_graph(G)
    # footway and track are dropped; node 2 is only a shape point, node 6 unused
    assert set(G.nodes) == {1, 3, 4, 7, 8, 9}
    assert G.number_of_edges() == 2 + 1 + 2 + 1 + 1
    assert G.has_edge(3, 4) and not G.has_edge(4, 3)  # oneway=yes
    assert G.has_edge(7, 8) and not G.has_edge(8, 7)  # motorway
    assert G.has_edge(9, 8) and not G.has_edge(8, 9)  # oneway=-1
    e13 = G.edges[1, 3, 0]
    assert e13["speed_kmh"] == 60.0 and e13["highway"] == "primary"
    assert e13["length"] == pytest.approx(2 * 963.2, rel=0.01)
    assert e13["time_min"] == pytest.approx(e13["length"] / 1000 / 60 * 60)
    assert list(e13["geometry"].coords)[1] == pytest.approx(NODES[2])
    assert G.edges[4, 1, 0]["speed_kmh"] == pytest.approx(48.28032)  # 30 mph
    assert G.edges[7, 8, 0]["speed_kmh"] == 80.0  # class default


def test_osm_xml(tmp_path: Path) -> None:
    G = graph_from_file(write_osm_xml(tmp_path / "small.osm"), name="osm")
    assert G.graph["name"] == "osm"
    check_graph(G)


def test_osm_pbf(tmp_path: Path) -> None:
    check_graph(graph_from_osm(write_osm_pbf(tmp_path / "small.osm.pbf")))


def test_osm_routing_respects_oneway(tmp_path: Path) -> None:
    G = graph_from_osm(write_osm_xml(tmp_path / "small.osm"))
    pts = gpd.GeoDataFrame(
        {"id": ["n3", "n4"]}, geometry=[Point(NODES[3]), Point(NODES[4])], crs=4326
    )
    provider = NetworkProvider(G, name="osm")
    m = provider.matrix(pts, pts)
    l34 = G.edges[3, 4, 0]["length"] / 1000
    round_km = (G.edges[4, 1, 0]["length"] + G.edges[1, 3, 0]["length"]) / 1000
    np.testing.assert_allclose(m.distance_km, [[0, l34], [round_km, 0]], rtol=1e-9, atol=1e-9)
    # 4 -> 3 must go round through 1 (and through shape point 2)
    paths = provider.paths_for(m, [("n4", "n3")])
    coords = np.asarray(paths[("n4", "n3")].coords)
    for nid in (5, 1, 2):
        assert np.min(np.hypot(*(coords - NODES[nid]).T)) < 1e-9


def test_osm_more_classes_and_speeds(tmp_path: Path) -> None:
    path = write_osm_xml(tmp_path / "small.osm")
    G = graph_from_osm(path, highways={"primary", "footway"}, speeds={"footway": 6})
    assert {d["highway"] for _, _, d in G.edges(data=True)} == {"primary", "footway"}
    assert G.has_node(2)  # now an intersection
    assert G.edges[2, 6, 0]["speed_kmh"] == 6.0


def test_osm_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.osm.pbf"
    bad.write_bytes(b"this is not protobuf")
    with pytest.raises(InputError, match="cannot read the OpenStreetMap file") as info:
        graph_from_osm(bad)
    assert "bad.osm.pbf" in str(info.value)
    path = write_osm_xml(tmp_path / "small.osm")
    with pytest.raises(InputError, match="no drivable roads"):
        graph_from_osm(path, highways={"cycleway"})
