"""Matrices vs networkx, snapping connectors, far points, paths, cancel."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
from pyproj import Transformer
from shapely.geometry import LineString, Point

from wufei_gis.costs import CostProvider
from wufei_gis.errors import CancelledError, InputError
from wufei_gis.network import (
    NetworkProvider,
    RoadOptions,
    RoutingGraph,
    graph_from_lines,
    network_costs,
    route_path,
    snap_points,
)

UTM = "EPSG:32648"
X0, Y0 = 500_000.0, 3_300_000.0
TO_LONLAT = Transformer.from_crs(UTM, "EPSG:4326", always_xy=True)


def random_graph(seed: int, n: int = 300, m: int = 600) -> nx.MultiDiGraph:
    """A random directed road graph with parallel edges and one-way links."""
    rng = np.random.default_rng(seed)
    G = nx.MultiDiGraph(crs="EPSG:4326", name="random")
    lon, lat = TO_LONLAT.transform(X0 + rng.uniform(0, 20_000, n), Y0 + rng.uniform(0, 20_000, n))
    for i in range(n):
        G.add_node(int(i), x=float(lon[i]), y=float(lat[i]))
    for _ in range(m):
        u, v = (int(a) for a in rng.integers(0, n, 2))
        length = float(rng.uniform(50, 3000))
        speed = float(rng.choice([15, 30, 50, 80]))
        G.add_edge(
            u,
            v,
            length=length,
            speed_kmh=speed,
            time_min=length / 1000 / speed * 60,
            highway="unclassified",
            oneway=True,
        )
    return G


@pytest.mark.parametrize("search_from", ["auto", "origins", "destinations"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_networkx(seed: int, search_from: str) -> None:
    G = random_graph(seed)
    routing = RoutingGraph.from_graph(G)
    rng = np.random.default_rng(seed + 100)
    src = rng.choice(routing.nodes, 40)  # with repeats
    dst = rng.choice(routing.nodes, 25)
    pos = {n: i for i, n in enumerate(routing.nodes)}
    dist, time = network_costs(
        routing,
        np.array([pos[s] for s in src]),
        np.array([pos[t] for t in dst]),
        chunk_size=7,
        search_from=search_from,
    )
    for i, s in enumerate(src):
        by_len = nx.single_source_dijkstra_path_length(G, int(s), weight="length")
        by_time = nx.single_source_dijkstra_path_length(G, int(s), weight="time_min")
        for j, t in enumerate(dst):
            want_d = by_len.get(int(t), np.inf) / 1000.0
            want_t = by_time.get(int(t), np.inf)
            assert dist[i, j] == pytest.approx(want_d, rel=1e-12, abs=1e-9)
            assert time[i, j] == pytest.approx(want_t, rel=1e-12, abs=1e-9)
    assert np.isinf(dist).any() and np.isfinite(dist).any()  # some pairs unreachable


@pytest.mark.parametrize("search_from", ["origins", "destinations"])
def test_max_km_limit(search_from: str) -> None:
    G = random_graph(5)
    routing = RoutingGraph.from_graph(G)
    idx = np.arange(len(routing.nodes))
    full, _ = network_costs(routing, idx[:30], idx)
    lim, lim_t = network_costs(routing, idx[:30], idx, max_km=5.0, search_from=search_from)
    near = full <= 5.0
    np.testing.assert_allclose(lim[near], full[near], rtol=1e-12)  # sums may run in another order
    assert np.isinf(lim[~near]).all() and np.isinf(lim_t[~near]).all()


@pytest.mark.parametrize("search_from", ["origins", "destinations"])
def test_dask_chunks_give_the_same_matrix(search_from: str) -> None:
    distributed = pytest.importorskip("distributed")
    from wufei_gis.network import network_costs_dask

    G = random_graph(7)
    routing = RoutingGraph.from_graph(G)
    idx = np.arange(len(routing.nodes))
    want_d, want_t = network_costs(routing, idx[:50], idx[::3], max_km=8.0, search_from=search_from)
    seen: list[float] = []
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        got_d, got_t = network_costs_dask(
            routing,
            idx[:50],
            idx[::3],
            client=client,
            max_km=8.0,
            search_from=search_from,
            chunk_size=6,
            progress=lambda f, _m: seen.append(f),
        )
    np.testing.assert_array_equal(got_d, want_d)
    np.testing.assert_array_equal(got_t, want_t)
    assert seen[-1] == 1.0 and len(seen) > 3  # one report per finished chunk


def road_line() -> nx.MultiDiGraph:
    """A 10 km east-west road with a node every 5 km, 60 km/h."""
    roads = gpd.GeoDataFrame(
        {"kmh": [60, 60]},
        geometry=[
            LineString([(X0, Y0), (X0 + 5000, Y0)]),
            LineString([(X0 + 5000, Y0), (X0 + 10000, Y0)]),
        ],
        crs=UTM,
    )
    return graph_from_lines(roads, road_options=RoadOptions(speed_field="kmh"))


def pts(ids: list[str], xy: list[tuple[float, float]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": ids}, geometry=[Point(X0 + x, Y0 + y) for x, y in xy], crs=UTM)


def test_snapping_connector() -> None:
    G = road_line()
    snap = snap_points(G, pts(["p"], [(5000, 1000)]))
    assert snap.connector_m[0] == pytest.approx(1000.0, abs=0.5)
    assert G.nodes[snap.nodes[0]]["x"] == pytest.approx(TO_LONLAT.transform(X0 + 5000, Y0)[0])
    assert snap.far_ids == [] and snap.island_ids == []


def test_connectors_added_at_both_ends() -> None:
    provider = NetworkProvider(road_line(), connector_speed_kmh=15.0)
    assert isinstance(provider, CostProvider)
    origins = pts(["o"], [(0, 1000)])  # 1 km north of the west end
    dests = pts(["d"], [(10000, -500)])  # 0.5 km south of the east end
    m = provider.matrix(origins, dests)
    assert m.distance_km[0, 0] == pytest.approx(10 + 1.5, abs=1e-3)
    assert m.time_min[0, 0] == pytest.approx(10 + 1.5 / 15 * 60, abs=1e-2)
    assert m.origin_points[0][0] == pytest.approx(TO_LONLAT.transform(X0, Y0 + 1000)[0])


def test_far_points_raise_or_report() -> None:
    G = road_line()
    far = pts(["near", "far1", "far2"], [(0, 100), (0, 8000), (3000, -6000)])
    with pytest.raises(InputError, match="far1, far2") as info:
        snap_points(G, far, what="sources")
    assert "5 km" in info.value.problem and info.value.fix
    snap = snap_points(G, far, on_far="report", max_km=7)
    assert snap.far_ids == ["far1"]
    assert snap.nodes[1] is None and snap.positions[1] == -1
    provider = NetworkProvider(G, on_far="report")
    m = provider.matrix(far, pts(["d"], [(10000, 0)]))
    assert np.isfinite(m.distance_km[0, 0]) and np.isinf(m.distance_km[1:, 0]).all()
    assert provider.last_snap is not None and provider.last_snap[0].far_ids == ["far1", "far2"]
    with pytest.raises(InputError, match="id field 'code'"):
        snap_points(G, far, id_field="code")


def test_paths_follow_network() -> None:
    G = road_line()
    provider = NetworkProvider(G)
    origins, dests = pts(["o"], [(0, 100)]), pts(["d", "e"], [(10000, 100), (0, -50)])
    m = provider.matrix(origins, dests)
    got = provider.paths_for(m, [("o", "d"), ("o", "e")])
    line = got[("o", "d")]
    assert m.paths[("o", "d")] is line and m.path("o", "d") is line
    mid = Point(TO_LONLAT.transform(X0 + 5000, Y0))
    assert line.distance(mid) < 1e-9  # passes through the middle node
    assert line.coords[0] == pytest.approx(TO_LONLAT.transform(X0, Y0 + 100))
    assert line.coords[-1] == pytest.approx(TO_LONLAT.transform(X0 + 10000, Y0 + 100))
    assert len(got[("o", "e")].coords) >= 2  # both snap to the same node
    with pytest.raises(KeyError):
        provider.paths_for(m, [("o", "nope")])


def test_route_path_on_random_graph_matches_networkx() -> None:
    G = random_graph(3)
    routing = RoutingGraph.from_graph(G)
    lengths, node_paths = nx.single_source_dijkstra(G, 0, weight="length")
    reached = [t for t in node_paths if t != 0][:10]
    for t in reached:
        line = route_path(G, 0, t, routing=routing)
        want = [(G.nodes[n]["x"], G.nodes[n]["y"]) for n in node_paths[t]]
        assert line is not None
        assert np.allclose(np.asarray(line.coords), want)
    unreachable = next(n for n in G.nodes if n not in lengths)
    assert route_path(G, 0, unreachable, routing=routing) is None


def test_progress_and_cancel() -> None:
    G = random_graph(4)
    routing = RoutingGraph.from_graph(G)
    seen: list[float | None] = []
    idx = np.arange(len(routing.nodes))
    network_costs(
        routing,
        idx,
        idx[:5],
        chunk_size=100,
        search_from="origins",
        progress=lambda f, _m: seen.append(f),
    )
    assert seen == [0.0, 1 / 3, 2 / 3, 1.0]
    with pytest.raises(CancelledError):
        network_costs(routing, idx, idx[:5], chunk_size=100, should_cancel=lambda: True)
    with pytest.raises(ValueError, match="search_from"):
        network_costs(routing, idx, idx, search_from="both")  # type: ignore[arg-type]
