"""Snap points to their nearest road-graph node with a k-d tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import networkx as nx
import numpy as np
from pyproj import CRS
from scipy.spatial import cKDTree

from ..errors import InputError
from ..schema import STORAGE_CRS
from .graph import largest_component, metric_crs_for_lonlat, to_metric

__all__ = ["DEFAULT_SNAP_MAX_KM", "NodeIndex", "SnapResult", "snap_points"]

#: Points farther than this from every road node are reported (km).
DEFAULT_SNAP_MAX_KM = 5.0


@dataclass
class NodeIndex:
    """A spatial index of a graph's nodes in a local metric CRS.

    Build once per graph with :meth:`from_graph` and reuse it for every
    snapping call.

    Attributes
    ----------
    nodes
        Node ids in index order.
    lon, lat
        Node coordinates (degrees).
    crs
        Local metric CRS (metres) the tree is built in.
    tree
        :class:`scipy.spatial.cKDTree` over metric node coordinates.
    main
        Boolean mask (index order): node is in the largest weakly connected
        component.
    """

    nodes: list[int]
    lon: np.ndarray
    lat: np.ndarray
    crs: CRS
    tree: cKDTree
    main: np.ndarray

    @classmethod
    def from_graph(cls, G: nx.MultiDiGraph) -> NodeIndex:
        """Index the nodes of ``G`` (a graph following the road contract)."""
        nodes = list(G.nodes)
        lon = np.fromiter((G.nodes[n]["x"] for n in nodes), float, len(nodes))
        lat = np.fromiter((G.nodes[n]["y"] for n in nodes), float, len(nodes))
        crs = metric_crs_for_lonlat(lon, lat)
        x, y = to_metric(lon, lat, crs)
        main_nodes = largest_component(G)
        main = np.fromiter((n in main_nodes for n in nodes), bool, len(nodes))
        return cls(nodes, lon, lat, crs, cKDTree(np.column_stack([x, y])), main)


@dataclass
class SnapResult:
    """Where each point joins the road network.

    Attributes
    ----------
    ids
        Point ids (as strings) in input order.
    nodes
        Graph node id of each point (``None`` for far points when reported).
    positions
        Position of the node in :attr:`NodeIndex.nodes` (``-1`` for far points).
    connector_m
        Straight distance from point to node, metres.
    far_ids
        Ids of points farther than the snap threshold from every node.
    island_ids
        Ids of points whose node is not in the largest weakly connected
        component (they can only reach a small island of roads).
    """

    ids: list[str]
    nodes: list[int | None]
    positions: np.ndarray
    connector_m: np.ndarray
    far_ids: list[str] = field(default_factory=list)
    island_ids: list[str] = field(default_factory=list)


def snap_points(
    G: nx.MultiDiGraph | NodeIndex,
    points: gpd.GeoDataFrame,
    *,
    id_field: str = "id",
    max_km: float = DEFAULT_SNAP_MAX_KM,
    on_far: Literal["raise", "report"] = "raise",
    what: str = "points",
) -> SnapResult:
    """Snap points to their nearest network node.

    Parameters
    ----------
    G
        Road graph, or a prebuilt :class:`NodeIndex` of it (faster when
        snapping several point sets).
    points
        Point layer in any CRS, with an id column.
    id_field
        Name of the id column.
    max_km
        Points farther than this (km) from every node are *far*.
    on_far
        ``"raise"``: raise :class:`InputError` listing far ids;
        ``"report"``: return them in :attr:`SnapResult.far_ids` (with node
        ``None`` and position ``-1``).
    what
        Name of the point set used in messages (e.g. ``"sources"``).

    Raises
    ------
    InputError
        If the layer has no CRS or no ``id_field``, a geometry is not a point,
        or (``on_far="raise"``) a point is beyond ``max_km``.
    """
    if on_far not in ("raise", "report"):
        msg = f"on_far must be 'raise' or 'report' (got {on_far!r})"
        raise ValueError(msg)
    index = G if isinstance(G, NodeIndex) else NodeIndex.from_graph(G)
    if id_field not in points.columns:
        msg = f"the {what} layer has no id field '{id_field}'"
        raise InputError(msg, field=id_field, fix="choose the field holding unique ids")
    if points.crs is None:
        msg = f"the {what} layer has no coordinate reference system (CRS)"
        raise InputError(msg, fix="set the layer's CRS before computing road distances")
    ids = [str(v) for v in points[id_field]]
    geom = points.geometry.to_crs(STORAGE_CRS)
    bad = np.flatnonzero((geom.geom_type != "Point").to_numpy() | geom.is_empty.to_numpy())
    if len(bad):
        msg = f"{what} '{ids[bad[0]]}' is not a point"
        raise InputError(msg, row=int(bad[0]) + 1, fix="use a point layer (or polygon centroids)")
    x, y = to_metric(geom.x.to_numpy(), geom.y.to_numpy(), index.crs)
    dist, pos = index.tree.query(np.column_stack([x, y]), k=1)
    pos = np.asarray(pos, np.int64)
    dist = np.asarray(dist, float)
    far = dist > max_km * 1000.0
    far_ids = [ids[i] for i in np.flatnonzero(far)]
    if far_ids and on_far == "raise":
        shown = ", ".join(far_ids[:20]) + (
            f" ... ({len(far_ids)} in all)" if len(far_ids) > 20 else ""
        )
        msg = (
            f"{len(far_ids)} {what} are more than {max_km:g} km "
            f"from any road of the network: {shown}"
        )
        raise InputError(
            msg,
            fix=(
                "use a road network that covers these points, move the points, "
                "or raise the snap distance"
            ),
        )
    pos[far] = -1
    nodes = [None if p < 0 else index.nodes[p] for p in pos]
    island = (pos >= 0) & ~index.main[np.maximum(pos, 0)]
    return SnapResult(
        ids=ids,
        nodes=nodes,
        positions=pos,
        connector_m=dist,
        far_ids=far_ids,
        island_ids=[ids[i] for i in np.flatnonzero(island)],
    )
