"""Benchmark the road-network OD matrix against scipy's floor and networkx.

Builds a synthetic planar road graph (a jittered ``side x side`` grid in UTM
48N, random lengths and speeds, a few edges removed), snaps ``origins`` and
``destinations`` to random nodes and times, each in a fresh spawned process
so memory peaks are separate:

(a) ``wufei_gis.network.network_costs`` (distance + time matrices), searching
    from the origins (same work as the floor), and (a') with the default
    ``search_from="auto"`` (searches from the 300 destinations over the
    reversed graph);
(b) raw ``scipy.sparse.csgraph.dijkstra`` on the same CSR matrices for the
    same unique sources, all rows at once (the floor), for both weights;
(c) ``networkx.single_source_dijkstra_path_length`` (length and time) on a
    sample of sources, scaled to all sources.

Run::

    python bench/od_matrix.py [--side 450] [--origins 2000] [--destinations 300]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

UTM = "EPSG:32648"
X0, Y0 = 400_000.0, 3_200_000.0
SPACING_M = 200.0


def grid_arrays(side: int, seed: int) -> dict[str, np.ndarray]:
    """Return node lon/lat and directed edge arrays of a jittered grid road graph."""
    from pyproj import Transformer

    rng = np.random.default_rng(seed)
    ii, jj = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
    x = X0 + jj.ravel() * SPACING_M + rng.uniform(-60, 60, side * side)
    y = Y0 + ii.ravel() * SPACING_M + rng.uniform(-60, 60, side * side)
    node = np.arange(side * side).reshape(side, side)
    a = np.concatenate([node[:, :-1].ravel(), node[:-1, :].ravel()])
    b = np.concatenate([node[:, 1:].ravel(), node[1:, :].ravel()])
    keep = rng.random(len(a)) > 0.03  # a few roads missing
    a, b = a[keep], b[keep]
    length = np.hypot(x[a] - x[b], y[a] - y[b]) * rng.uniform(1.0, 1.3, len(a))
    speed = rng.choice([20.0, 30.0, 40.0, 60.0, 80.0], len(a))
    oneway = rng.random(len(a)) < 0.05
    u = np.concatenate([a, b[~oneway]])
    v = np.concatenate([b, a[~oneway]])
    length = np.concatenate([length, length[~oneway]])
    speed = np.concatenate([speed, speed[~oneway]])
    lon, lat = Transformer.from_crs(UTM, "EPSG:4326", always_xy=True).transform(x, y)
    return {
        "lon": np.asarray(lon),
        "lat": np.asarray(lat),
        "u": u,
        "v": v,
        "length": length,
        "time": length / 1000.0 / speed * 60.0,
        "speed": speed,
    }


def build_graph(arr: dict[str, np.ndarray]) -> Any:
    """Return the networkx MultiDiGraph (road contract) of the grid arrays."""
    import networkx as nx

    G = nx.MultiDiGraph(crs="EPSG:4326", name="grid")
    G.add_nodes_from(
        (i, {"x": float(x), "y": float(y)})
        for i, (x, y) in enumerate(zip(arr["lon"], arr["lat"], strict=True))
    )
    G.add_edges_from(
        (
            int(u),
            int(v),
            {
                "length": float(le),
                "time_min": float(t),
                "speed_kmh": float(s),
                "highway": "unclassified",
                "oneway": False,
            },
        )
        for u, v, le, t, s in zip(
            arr["u"], arr["v"], arr["length"], arr["time"], arr["speed"], strict=True
        )
    )
    return G


def pick(n_nodes: int, n_orig: int, n_dest: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed + 1)
    return rng.integers(0, n_nodes, n_orig), rng.integers(0, n_nodes, n_dest)


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_project(side: int, n_orig: int, n_dest: int, seed: int, search_from: str) -> dict[str, Any]:
    from wufei_gis.network import RoutingGraph, network_costs

    arr = grid_arrays(side, seed)
    t0 = time.perf_counter()
    G = build_graph(arr)
    t_nx = time.perf_counter() - t0
    t0 = time.perf_counter()
    routing = RoutingGraph.from_graph(G)
    t_csr = time.perf_counter() - t0
    src, dst = pick(G.number_of_nodes(), n_orig, n_dest, seed)
    del G
    rss_before = _maxrss_mb()
    tracemalloc.start()
    t0 = time.perf_counter()
    dist, tmin = network_costs(routing, src, dst, search_from=search_from)
    wall = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "wall": wall,
        "peak_mb": peak / 2**20,
        "maxrss_mb": _maxrss_mb(),
        "rss_before": rss_before,
        "t_build_nx": t_nx,
        "t_csr": t_csr,
        "n_nodes": len(routing.nodes),
        "n_edges": routing.length.nnz,
        "unique_sources": len(np.unique(src)),
        "sample": (dist[:5, :5].copy(), tmin[:5, :5].copy()),
        "n_inf": int(np.isinf(dist).sum()),
    }


def run_floor(side: int, n_orig: int, n_dest: int, seed: int) -> dict[str, Any]:
    from scipy.sparse.csgraph import dijkstra

    from wufei_gis.network.matrix import _csr

    arr = grid_arrays(side, seed)
    n = len(arr["lon"])
    length, tcsr = (
        _csr(arr["u"], arr["v"], arr["length"], n),
        _csr(arr["u"], arr["v"], arr["time"], n),
    )
    src, dst = pick(n, n_orig, n_dest, seed)
    usrc = np.unique(src)
    tracemalloc.start()
    t0 = time.perf_counter()
    d1 = dijkstra(length, indices=usrc)[:, dst]
    t_one = time.perf_counter() - t0
    d2 = dijkstra(tcsr, indices=usrc)[:, dst]
    wall = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    pos = np.searchsorted(usrc, src[:5])
    return {
        "wall": wall,
        "wall_one": t_one,
        "peak_mb": peak / 2**20,
        "maxrss_mb": _maxrss_mb(),
        "sample": (d1[pos, :5] / 1000.0, d2[pos, :5]),
    }


def run_networkx(side: int, n_orig: int, n_dest: int, seed: int, sample: int) -> dict[str, Any]:
    import networkx as nx

    arr = grid_arrays(side, seed)
    G = build_graph(arr)
    src, dst = pick(G.number_of_nodes(), n_orig, n_dest, seed)
    usrc = np.unique(src)
    chosen = usrc[:: max(1, len(usrc) // sample)][:sample]
    t0 = time.perf_counter()
    for s in chosen:
        a = nx.single_source_dijkstra_path_length(G, int(s), weight="length")
        b = nx.single_source_dijkstra_path_length(G, int(s), weight="time_min")
        [a.get(int(t)) for t in dst], [b.get(int(t)) for t in dst]
    per_source = (time.perf_counter() - t0) / len(chosen)
    return {
        "per_source": per_source,
        "wall": per_source * len(usrc),
        "sampled": len(chosen),
        "maxrss_mb": _maxrss_mb(),
    }


def in_fresh_process(fn: Any, *args: Any) -> dict[str, Any]:
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as ex:
        return ex.submit(fn, *args).result()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--side", type=int, default=450, help="grid side (nodes = side^2)")
    p.add_argument("--origins", type=int, default=2000)
    p.add_argument("--destinations", type=int, default=300)
    p.add_argument("--nx-sample", type=int, default=20, help="networkx sources actually run")
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args(argv)
    common = (args.side, args.origins, args.destinations, args.seed)
    print(
        f"grid {args.side}x{args.side}, {args.origins} origins, {args.destinations} destinations",
        flush=True,
    )

    a = in_fresh_process(run_project, *common, "origins")
    print(
        f"graph: {a['n_nodes']:,} nodes, {a['n_edges']:,} directed edges; "
        f"{a['unique_sources']} unique source nodes; {a['n_inf']} unreachable pairs",
        flush=True,
    )
    print(
        f"  (one-off per graph: networkx build {a['t_build_nx']:.1f} s, "
        f"RoutingGraph.from_graph {a['t_csr']:.1f} s)"
    )
    print(
        f"(a)  wufei network_costs, from origins: {a['wall']:8.1f} s   peak Python alloc "
        f"{a['peak_mb']:7.0f} MB   process max RSS {a['maxrss_mb']:6.0f} MB "
        f"(of which {a['rss_before']:.0f} MB before the matrix: nx graph + CSR)",
        flush=True,
    )
    a2 = in_fresh_process(run_project, *common, "auto")
    print(
        f"(a') wufei network_costs, auto        : {a2['wall']:8.1f} s   peak Python alloc "
        f"{a2['peak_mb']:7.0f} MB   process max RSS {a2['maxrss_mb']:6.0f} MB",
        flush=True,
    )
    b = in_fresh_process(run_floor, *common)
    print(
        f"(b)  raw scipy dijkstra (floor)     : {b['wall']:8.1f} s   peak Python alloc "
        f"{b['peak_mb']:7.0f} MB   process max RSS {b['maxrss_mb']:6.0f} MB   "
        f"[2 runs: length + time; one run {b['wall_one']:.1f} s]",
        flush=True,
    )
    c = in_fresh_process(run_networkx, *common, args.nx_sample)
    print(
        f"(c)  networkx per source            : {c['wall']:8.1f} s   "
        f"SCALED from {c['sampled']} sources "
        f"x {c['per_source']:.2f} s (length + time)   process max RSS {c['maxrss_mb']:6.0f} MB",
        flush=True,
    )

    same = all(
        np.allclose(x, y, equal_nan=True) for x, y in zip(a["sample"], b["sample"], strict=True)
    )
    same2 = all(
        np.allclose(x, y, equal_nan=True) for x, y in zip(a2["sample"], b["sample"], strict=True)
    )
    print(f"results (a) == (b) and (a') == (b) on a 5x5 sample: {same}, {same2}")
    print(
        f"speed-up vs networkx : {c['wall'] / a['wall']:6.1f}x from origins, "
        f"{c['wall'] / a2['wall']:6.1f}x auto   (target >= 20x)"
    )
    print(
        f"ratio to floor       : {a['wall'] / b['wall']:6.2f}x from origins (same work), "
        f"{a2['wall'] / b['wall']:6.2f}x auto   (target <= 1.5x)"
    )
    print(
        f"peak memory of (a)   : {a['peak_mb'] / 1024:6.2f} GB Python alloc, "
        f"{a['maxrss_mb'] / 1024:.2f} GB max RSS incl. the networkx graph   (target < 2 GB); "
        f"floor (all rows at once) {b['peak_mb'] / 1024:.2f} GB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
