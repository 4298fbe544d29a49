"""A :class:`~wufei_gis.costs.CostProvider` that routes over a road graph."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from typing import Literal

import geopandas as gpd
import networkx as nx
import numpy as np
from shapely import LineString

from ..costs import TravelMatrix
from ..progress import CancelCallback, ProgressCallback, report
from ..projection import lonlat_points
from ..schema import STORAGE_CRS
from .graph import graph_content_hash, validate_graph
from .matrix import DEFAULT_CHUNK_SIZE, RoutingGraph, network_costs, route_paths
from .snapping import DEFAULT_SNAP_MAX_KM, NodeIndex, SnapResult, snap_points

__all__ = ["DEFAULT_CONNECTOR_SPEED_KMH", "NetworkProvider"]

log = logging.getLogger(__name__)

#: Speed (km/h) on the straight connector from a point to its road node.
DEFAULT_CONNECTOR_SPEED_KMH = 15.0


class NetworkProvider:
    """Travel distances and times along a road graph.

    Each point is joined to its nearest graph node by a straight *connector*
    driven at ``connector_speed_kmh``; the connector is added at both ends of
    every trip.  See :mod:`wufei_gis.network.matrix` for which path each
    matrix measures.

    Parameters
    ----------
    G
        Road graph following the contract of :mod:`wufei_gis.network.graph`.
    name
        Network name used in :attr:`label`.
    snap_max_km
        Points farther than this (km) from every road node are an error
        (``on_far="raise"``) or get ``inf`` rows/columns (``"report"``).
    connector_speed_kmh
        Speed (km/h) on the point-to-node connectors.
    on_far
        What to do with far points, see :func:`snap_points`.
    max_km
        Optional search limit (km); pairs farther apart are ``inf``.
    chunk_size
        Dijkstra source rows at once (memory ``chunk_size x nodes x 8`` bytes).

    Attributes
    ----------
    last_snap
        ``(origins, destinations)`` :class:`SnapResult` of the last
        :meth:`matrix` call -- far and island points are listed there.
    """

    def __init__(
        self,
        G: nx.MultiDiGraph,
        *,
        name: str = "roads",
        snap_max_km: float = DEFAULT_SNAP_MAX_KM,
        connector_speed_kmh: float = DEFAULT_CONNECTOR_SPEED_KMH,
        on_far: Literal["raise", "report"] = "raise",
        max_km: float | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> None:
        if not connector_speed_kmh > 0:
            msg = f"connector_speed_kmh must be > 0 (got {connector_speed_kmh})"
            raise ValueError(msg)
        if not snap_max_km > 0:
            msg = f"snap_max_km must be > 0 (got {snap_max_km})"
            raise ValueError(msg)
        validate_graph(G)
        self.G = G
        self.name = name
        self.snap_max_km = float(snap_max_km)
        self.connector_speed_kmh = float(connector_speed_kmh)
        self.on_far = on_far
        self.max_km = max_km
        self.chunk_size = chunk_size
        self.last_snap: tuple[SnapResult, SnapResult] | None = None
        self._routing: RoutingGraph | None = None
        self._index: NodeIndex | None = None
        self._hash: str | None = None

    @property
    def label(self) -> str:
        """Label written into results, e.g. ``"road network 'roads'"``."""
        return f"road network '{self.name}'"

    @property
    def routing(self) -> RoutingGraph:
        """The CSR form of the graph (built on first use)."""
        if self._routing is None:
            self._routing = RoutingGraph.from_graph(self.G, validate=False)
        return self._routing

    @property
    def index(self) -> NodeIndex:
        """The spatial index of graph nodes (built on first use)."""
        if self._index is None:
            self._index = NodeIndex.from_graph(self.G)
        return self._index

    @property
    def cache_token(self) -> str:
        """Hash of the graph content and every option that changes results."""
        if self._hash is None:
            self._hash = graph_content_hash(self.G)
        params = {
            "network": self._hash,
            "snap_max_km": self.snap_max_km,
            "connector_speed_kmh": self.connector_speed_kmh,
            "on_far": self.on_far,
            "max_km": self.max_km,
            "label": self.label,
        }
        return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()

    def snap(
        self, points: gpd.GeoDataFrame, *, id_field: str = "id", what: str = "points"
    ) -> SnapResult:
        """Snap ``points`` to graph nodes with this provider's settings."""
        return snap_points(
            self.index,
            points,
            id_field=id_field,
            max_km=self.snap_max_km,
            on_far=self.on_far,
            what=what,
        )

    def matrix(
        self,
        origins: gpd.GeoDataFrame,
        destinations: gpd.GeoDataFrame,
        *,
        origin_id: str = "id",
        destination_id: str = "id",
        progress: ProgressCallback | None = None,
        should_cancel: CancelCallback | None = None,
    ) -> TravelMatrix:
        """Return road distances (km) and times (min) between every origin and destination.

        Raises
        ------
        InputError
            If a point is farther than ``snap_max_km`` from the network
            (with ``on_far="raise"``) or a layer lacks its CRS/id field.
        CancelledError
            If ``should_cancel()`` returns ``True``.
        """
        report(progress, None, "snapping points to the road network")
        so = self.snap(origins, id_field=origin_id, what="origins")
        sd = self.snap(destinations, id_field=destination_id, what="destinations")
        self.last_snap = (so, sd)
        for snap, what in ((so, "origins"), (sd, "destinations")):
            if snap.island_ids:
                log.warning(
                    "%d %s snap to a small island of the road network '%s': %s",
                    len(snap.island_ids),
                    what,
                    self.name,
                    ", ".join(snap.island_ids[:20]),
                )
        dist, time = network_costs(
            self.routing,
            so.positions,
            sd.positions,
            max_km=self.max_km,
            chunk_size=self.chunk_size,
            progress=progress,
            should_cancel=should_cancel,
        )
        co, cd = so.connector_m, sd.connector_m
        dist = dist + (co[:, None] + cd[None, :]) / 1000.0
        time = time + (co[:, None] + cd[None, :]) / 1000.0 / self.connector_speed_kmh * 60.0
        return TravelMatrix(
            origin_ids=so.ids,
            destination_ids=sd.ids,
            distance_km=dist,
            time_min=time,
            method=self.label,
            origin_points=lonlat_points(origins),
            destination_points=lonlat_points(destinations),
        )

    def paths_for(
        self, matrix: TravelMatrix, pairs: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], LineString]:
        """Add route geometries (EPSG:4326) for ``pairs`` to ``matrix.paths``.

        Each route runs origin point -> its node -> shortest-length path ->
        destination node -> destination point.  Unreachable pairs are left
        out (``matrix.path`` then falls back to a straight segment).

        Returns
        -------
        dict
            ``{(origin_id, destination_id): LineString}`` of the new paths.
        """
        pairs = list(dict.fromkeys(pairs))
        oi = {o: i for i, o in enumerate(matrix.origin_ids)}
        di = {d: j for j, d in enumerate(matrix.destination_ids)}
        for o, d in pairs:
            if o not in oi or d not in di:
                msg = f"pair ({o!r}, {d!r}) is not in the matrix"
                raise KeyError(msg)
        o_pts = [matrix.origin_points[oi[o]] for o, _ in pairs]
        d_pts = [matrix.destination_points[di[d]] for _, d in pairs]
        o_nodes = self._nearest(o_pts)
        d_nodes = self._nearest(d_pts)
        lines = route_paths(
            self.G,
            zip(o_nodes, d_nodes, strict=True),
            routing=self.routing,
            chunk_size=self.chunk_size,
        )
        out: dict[tuple[str, str], LineString] = {}
        for k, pair in enumerate(pairs):
            line = lines.get((o_nodes[k], d_nodes[k]))
            if line is None or not np.isfinite(matrix.distance_km[oi[pair[0]], di[pair[1]]]):
                continue
            out[pair] = LineString([o_pts[k], *line.coords, d_pts[k]])
        matrix.paths.update(out)
        return out

    def _nearest(self, lonlat: list[tuple[float, float]]) -> list[int]:
        """Return the nearest graph node of each lon/lat point, however far."""
        pts = gpd.GeoDataFrame(
            {"id": [str(i) for i in range(len(lonlat))]},
            geometry=gpd.points_from_xy([p[0] for p in lonlat], [p[1] for p in lonlat]),
            crs=STORAGE_CRS,
        )
        snap = snap_points(self.index, pts, max_km=np.inf, on_far="report")
        # with no distance limit no point is "far", so every point has a node
        return [n for n in snap.nodes if n is not None]
