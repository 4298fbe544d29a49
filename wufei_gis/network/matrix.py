"""Origin-destination distance and time matrices on a road graph.

The graph is converted once to two CSR matrices (edge length in metres and
travel time in minutes; for parallel edges the smaller weight is kept) and
shortest paths are found with :func:`scipy.sparse.csgraph.dijkstra`, only
for the distinct network nodes the origins snapped to (or, when there are
fewer of them, from the distinct destination nodes over the reversed graph),
in chunks of rows, so memory stays at ``chunk_size x n_nodes`` floats.

Which path is measured
----------------------
``distance_km`` is the length of the *shortest-length* path and ``time_min``
is the time of the *fastest* path (two Dijkstra runs).  The two may follow
different roads; this is the usual choice in planning tools, since each cost
is then the best one possible.  Route geometries (:func:`route_paths`) follow
the shortest-length path unless ``weight="time"`` is asked for.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from shapely import LineString

from ..costs import TravelMatrix
from ..errors import InputError
from ..progress import CancelCallback, ProgressCallback, check_cancel, report
from .graph import validate_graph

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "RoutingGraph",
    "network_costs",
    "network_costs_dask",
    "route_paths",
    "route_path",
    "check_reachability",
]

log = logging.getLogger(__name__)

#: Dijkstra source rows computed at once (memory: chunk x nodes x 8 bytes).
DEFAULT_CHUNK_SIZE = 256

#: Weight given to zero-length edges so sparse storage keeps them as edges.
_EPS = 1e-9


@dataclass
class RoutingGraph:
    """A road graph as CSR matrices, ready for :func:`network_costs`.

    Attributes
    ----------
    nodes
        Node ids; row/column ``i`` of the matrices is ``nodes[i]``.
    length
        ``(n, n)`` CSR of edge lengths, metres (minimum over parallel edges).
    time
        ``(n, n)`` CSR of edge travel times, minutes.
    """

    nodes: list[int]
    length: csr_matrix
    time: csr_matrix
    _position: dict[int, int] = field(default_factory=dict, repr=False)
    _reversed: tuple[csr_matrix, csr_matrix] | None = field(default=None, repr=False)

    def reversed(self) -> tuple[csr_matrix, csr_matrix]:
        """Return ``(length, time)`` with every edge turned round (built once)."""
        if self._reversed is None:
            self._reversed = (self.length.T.tocsr(), self.time.T.tocsr())
        return self._reversed

    @classmethod
    def from_graph(cls, G: nx.MultiDiGraph, *, validate: bool = True) -> RoutingGraph:
        """Convert ``G`` (checked with :func:`validate_graph` first)."""
        if validate:
            validate_graph(G)
        nodes = list(G.nodes)
        pos = {n: i for i, n in enumerate(nodes)}
        m = G.number_of_edges()
        u = np.empty(m, np.int64)
        v = np.empty(m, np.int64)
        length = np.empty(m, float)
        time = np.empty(m, float)
        for i, (a, b, d) in enumerate(G.edges(data=True)):
            u[i], v[i], length[i], time[i] = pos[a], pos[b], d["length"], d["time_min"]
        n = len(nodes)
        return cls(nodes, _csr(u, v, length, n), _csr(u, v, time, n), pos)

    def position(self, node: int) -> int:
        """Return the matrix row of ``node``."""
        if not self._position:
            self._position = {n: i for i, n in enumerate(self.nodes)}
        return self._position[node]


def _csr(u: np.ndarray, v: np.ndarray, w: np.ndarray, n: int) -> csr_matrix:
    keep = u != v  # self-loops never shorten a path
    u, v, w = u[keep], v[keep], w[keep]
    order = np.lexsort((w, v, u))
    u, v, w = u[order], v[order], w[order]
    first = np.ones(len(u), bool)
    first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
    return csr_matrix((np.maximum(w[first], _EPS), (u[first], v[first])), shape=(n, n))


def network_costs(
    routing: RoutingGraph,
    sources: np.ndarray,
    targets: np.ndarray,
    *,
    max_km: float | None = None,
    search_from: Literal["auto", "origins", "destinations"] = "auto",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Return node-to-node network distances (km) and times (min).

    Parameters
    ----------
    routing
        The prepared graph.
    sources, targets
        Matrix positions (:attr:`RoutingGraph.nodes` order) of origins and
        destinations; repeated positions are computed once; ``-1`` marks a
        point that did not snap (its row/column is ``inf``).
    max_km
        Stop searching beyond this network distance (km); farther pairs are
        ``inf`` in both matrices.  Much faster for large networks.
    search_from
        ``"origins"``: one Dijkstra search per distinct origin node;
        ``"destinations"``: one search per distinct destination node on the
        reversed graph (same results); ``"auto"`` (default): whichever side
        has fewer distinct nodes -- e.g. 300 candidate sites instead of 2,000
        villages.
    chunk_size
        Source rows per Dijkstra call.
    progress, should_cancel
        Callbacks; progress is reported and cancel checked once per chunk.

    Returns
    -------
    distance_km, time_min
        ``(len(sources), len(targets))`` arrays; ``inf`` = unreachable.
        Distance of the shortest path, time of the fastest path.

    Raises
    ------
    CancelledError
        If ``should_cancel()`` returns ``True``.
    """
    plan = _search_plan(routing, sources, targets, search_from, chunk_size)
    limit = np.inf if max_km is None else max_km * 1000.0
    dist = np.full((len(plan.roots), len(plan.cols)), np.inf)
    time = np.full((len(plan.roots), len(plan.cols)), np.inf)
    what = "computing road distances"
    report(progress, 0.0, what)
    for c, rows in enumerate(plan.chunks):
        check_cancel(should_cancel, what)
        dist[rows], time[rows] = _chunk_costs(
            plan.length, plan.time, plan.roots[rows], plan.cols, limit
        )
        report(progress, (c + 1) / len(plan.chunks), what)
    return plan.assemble(dist, time)


@dataclass
class _SearchPlan:
    """Which side the Dijkstra searches start from, in which chunks (see :func:`network_costs`)."""

    length: csr_matrix
    time: csr_matrix
    roots: np.ndarray
    cols: np.ndarray
    backward: bool
    chunks: list[slice]
    src_ok: np.ndarray
    tgt_ok: np.ndarray
    src_inv: np.ndarray
    tgt_inv: np.ndarray

    def assemble(self, dist: np.ndarray, time: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Root × column results (metres, minutes) → source × target km and minutes."""
        if self.backward:
            dist, time = dist.T, time.T
        time[~np.isfinite(dist)] = np.inf
        shape = (len(self.src_ok), len(self.tgt_ok))
        out_d, out_t = np.full(shape, np.inf), np.full(shape, np.inf)
        rows_sel = np.flatnonzero(self.src_ok)[:, None]
        cols_sel = np.flatnonzero(self.tgt_ok)[None, :]
        out_d[rows_sel, cols_sel] = dist[self.src_inv][:, self.tgt_inv] / 1000.0
        out_t[rows_sel, cols_sel] = time[self.src_inv][:, self.tgt_inv]
        return out_d, out_t


def _search_plan(
    routing: RoutingGraph,
    sources: np.ndarray,
    targets: np.ndarray,
    search_from: str,
    chunk_size: int,
) -> _SearchPlan:
    if chunk_size < 1:
        msg = f"chunk_size must be >= 1 (got {chunk_size})"
        raise ValueError(msg)
    if search_from not in ("auto", "origins", "destinations"):
        msg = f"search_from must be 'auto', 'origins' or 'destinations' (got {search_from!r})"
        raise ValueError(msg)
    sources = np.asarray(sources, np.int64)
    targets = np.asarray(targets, np.int64)
    src_ok, tgt_ok = sources >= 0, targets >= 0
    usrc, src_inv = np.unique(sources[src_ok], return_inverse=True)
    utgt, tgt_inv = np.unique(targets[tgt_ok], return_inverse=True)
    backward = search_from == "destinations" or (search_from == "auto" and len(utgt) < len(usrc))
    if backward:
        length_csr, time_csr = routing.reversed()
        roots, cols = utgt, usrc
    else:
        length_csr, time_csr, roots, cols = routing.length, routing.time, usrc, utgt
    n_chunks = max(1, -(-len(roots) // chunk_size))
    chunks = [slice(c * chunk_size, (c + 1) * chunk_size) for c in range(n_chunks)]
    return _SearchPlan(
        length_csr, time_csr, roots, cols, backward, chunks, src_ok, tgt_ok, src_inv, tgt_inv
    )


def _chunk_costs(
    length: csr_matrix, time: csr_matrix, roots: np.ndarray, cols: np.ndarray, limit: float
) -> tuple[np.ndarray, np.ndarray]:
    """Shortest distances (m) and fastest times (min) from ``roots`` to ``cols`` (one task)."""
    if len(roots) == 0:
        return np.zeros((0, len(cols))), np.zeros((0, len(cols)))
    return (
        dijkstra(length, indices=roots, limit=limit)[:, cols],
        dijkstra(time, indices=roots)[:, cols],
    )


def network_costs_dask(
    routing: RoutingGraph,
    sources: np.ndarray,
    targets: np.ndarray,
    *,
    client: Any,
    max_km: float | None = None,
    search_from: Literal["auto", "origins", "destinations"] = "auto",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: ProgressCallback | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`network_costs` with every chunk of searches a task on a Dask cluster.

    The graph's CSR matrices are scattered to the workers once; each chunk of
    ``chunk_size`` search roots is one task; results are gathered as they
    finish (progress after each).  Same parameters and result as
    :func:`network_costs`; ``client`` is a ``distributed.Client``.
    """
    from distributed import as_completed

    plan = _search_plan(routing, sources, targets, search_from, chunk_size)
    limit = np.inf if max_km is None else max_km * 1000.0
    dist = np.full((len(plan.roots), len(plan.cols)), np.inf)
    time = np.full((len(plan.roots), len(plan.cols)), np.inf)
    length_f, time_f = client.scatter([plan.length, plan.time], broadcast=True)
    what = "computing road distances"
    report(progress, 0.0, what)
    futures = {
        client.submit(
            _chunk_costs, length_f, time_f, plan.roots[rows], plan.cols, limit, pure=False
        ): rows
        for rows in plan.chunks
    }
    for done, fut in enumerate(as_completed(list(futures)), start=1):
        rows = futures[fut]
        dist[rows], time[rows] = fut.result()
        report(progress, done / len(futures), what)
    return plan.assemble(dist, time)


def route_paths(
    G: nx.MultiDiGraph,
    pairs: Iterable[tuple[int, int]],
    *,
    weight: Literal["length", "time"] = "length",
    routing: RoutingGraph | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> dict[tuple[int, int], LineString | None]:
    """Return route geometries (EPSG:4326) between pairs of graph nodes.

    Parameters
    ----------
    G
        Road graph (edge ``geometry`` is followed where present).
    pairs
        ``(origin node, destination node)`` pairs.
    weight
        ``"length"`` for shortest paths, ``"time"`` for fastest paths.
    routing
        Prepared :class:`RoutingGraph` of ``G`` (built when omitted).
    chunk_size
        Source rows per Dijkstra call.

    Returns
    -------
    dict
        ``{pair: LineString}``; ``None`` where the destination is unreachable.
        A pair whose two nodes are the same gives a zero-length line.
    """
    if weight not in ("length", "time"):
        msg = f"weight must be 'length' or 'time' (got {weight!r})"
        raise ValueError(msg)
    routing = routing or RoutingGraph.from_graph(G)
    attr = "length" if weight == "length" else "time_min"
    csr = routing.length if weight == "length" else routing.time
    pairs = list(dict.fromkeys(pairs))
    by_source: dict[int, list[int]] = {}
    for o, d in pairs:
        by_source.setdefault(routing.position(o), []).append(routing.position(d))
    sources = np.fromiter(by_source, np.int64, len(by_source))
    out: dict[tuple[int, int], LineString | None] = {}
    for start in range(0, len(sources), chunk_size):
        idx = sources[start : start + chunk_size]
        _, pred = dijkstra(csr, indices=idx, return_predecessors=True)
        for row, s in enumerate(idx):
            for t in by_source[int(s)]:
                out[(routing.nodes[s], routing.nodes[t])] = _walk(
                    G, routing, pred[row], int(s), t, attr
                )
        del pred
    return out


def route_path(
    G: nx.MultiDiGraph,
    origin: int,
    destination: int,
    *,
    weight: Literal["length", "time"] = "length",
    routing: RoutingGraph | None = None,
) -> LineString | None:
    """Return the route geometry (EPSG:4326) from one node to another, or ``None``."""
    return route_paths(G, [(origin, destination)], weight=weight, routing=routing)[
        (origin, destination)
    ]


def _walk(
    G: nx.MultiDiGraph, routing: RoutingGraph, pred: np.ndarray, s: int, t: int, attr: str
) -> LineString | None:
    if s == t:
        n = G.nodes[routing.nodes[s]]
        return LineString([(n["x"], n["y"]), (n["x"], n["y"])])
    chain = [t]
    while chain[-1] != s:
        p = int(pred[chain[-1]])
        if p < 0:
            return None
        chain.append(p)
    chain.reverse()
    coords: list[tuple[float, float]] = []
    for a, b in zip(chain[:-1], chain[1:], strict=True):
        u, v = routing.nodes[a], routing.nodes[b]
        data = min(G[u][v].values(), key=lambda d: d[attr])
        geom = data.get("geometry")
        if geom is not None:
            seg = list(geom.coords)
        else:
            seg = [(G.nodes[u]["x"], G.nodes[u]["y"]), (G.nodes[v]["x"], G.nodes[v]["y"])]
        coords.extend(seg if not coords else seg[1:])
    return LineString(coords)


def check_reachability(matrix: TravelMatrix) -> None:
    """Raise if some origin cannot reach any destination.

    Raises
    ------
    InputError
        Listing the origin ids whose whole matrix row is ``inf``.
    """
    if matrix.distance_km.size == 0:
        return
    dead = ~np.isfinite(matrix.distance_km).any(axis=1)
    if dead.any():
        ids = [matrix.origin_ids[i] for i in np.flatnonzero(dead)]
        shown = ", ".join(ids[:20]) + (f" ... ({len(ids)} in all)" if len(ids) > 20 else "")
        msg = f"{len(ids)} origins cannot reach any destination over the {matrix.method}: {shown}"
        raise InputError(
            msg,
            fix="check one-way roads and gaps around these points, add the missing roads, "
            "or use straight-line distances",
        )
