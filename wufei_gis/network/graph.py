"""The road-graph data contract, its validation, and component reports.

Every road graph in wufei-gis is a :class:`networkx.MultiDiGraph` that follows
this contract (checked by :func:`validate_graph` before any routing):

Graph attributes
    ``G.graph["crs"]``  -- always ``"EPSG:4326"``;
    ``G.graph["name"]`` -- network name (e.g. ``"roads"``).
Nodes
    ``x``, ``y`` -- longitude / latitude in degrees (EPSG:4326).  Node ids are
    integers (OSM node ids for OpenStreetMap input, ``0..n-1`` for line layers).
Edges (directed; a two-way road is two edges ``u->v`` and ``v->u``)
    ``length``    -- metres, measured in a local metric CRS;
    ``time_min``  -- travel time in minutes (``length / speed_kmh``);
    ``speed_kmh`` -- km/h used for ``time_min``;
    ``highway``   -- road class (OSM ``highway`` value or the layer's class);
    ``oneway``    -- ``True`` when the road may only be driven one way;
    ``geometry``  -- optional :class:`shapely.LineString` in EPSG:4326 drawn in
    the direction of travel (``u`` first).  Without it the edge is a straight
    segment between its nodes.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd
from pyproj import CRS, Transformer
from shapely import LineString

from ..errors import InputError
from ..projection import local_metric_crs
from ..schema import STORAGE_CRS

__all__ = [
    "DEFAULT_SPEEDS_KMH",
    "DRIVABLE_HIGHWAYS",
    "NON_DRIVABLE_HIGHWAYS",
    "FALLBACK_SPEED_KMH",
    "new_graph",
    "validate_graph",
    "parse_maxspeed",
    "parse_oneway",
    "speed_table",
    "component_sizes",
    "largest_component",
    "graph_content_hash",
]

#: Default travel speeds (km/h) of a loaded refuse truck per road class.
#: Lower than car speeds: trucks are slow on grades and in towns.
DEFAULT_SPEEDS_KMH: dict[str, float] = {
    "motorway": 80.0,
    "trunk": 60.0,
    "primary": 50.0,
    "secondary": 40.0,
    "tertiary": 35.0,
    "unclassified": 30.0,
    "residential": 25.0,
    "living_street": 10.0,
    "service": 15.0,
    "motorway_link": 50.0,
    "trunk_link": 40.0,
    "primary_link": 35.0,
    "secondary_link": 30.0,
    "tertiary_link": 25.0,
    "road": 30.0,
    # not drivable by default; used only when asked for via ``highways=``
    "track": 15.0,
    "path": 10.0,
    "footway": 5.0,
    "cycleway": 10.0,
    "pedestrian": 5.0,
}

#: Road classes kept by default (``track``, ``path``, ``footway``... are dropped).
DRIVABLE_HIGHWAYS: frozenset[str] = frozenset(
    {
        "motorway",
        "trunk",
        "primary",
        "secondary",
        "tertiary",
        "unclassified",
        "residential",
        "living_street",
        "service",
        "road",
        "motorway_link",
        "trunk_link",
        "primary_link",
        "secondary_link",
        "tertiary_link",
    }
)

#: Road classes never driven by refuse trucks (dropped from line layers unless asked for).
NON_DRIVABLE_HIGHWAYS: frozenset[str] = frozenset(
    {
        "footway",
        "cycleway",
        "path",
        "track",
        "pedestrian",
        "steps",
        "bridleway",
        "corridor",
        "elevator",
        "platform",
        "proposed",
        "construction",
        "abandoned",
        "bus_guideway",
        "raceway",
        "escape",
    }
)

#: Speed (km/h) for a road class missing from the speed table.
FALLBACK_SPEED_KMH = 30.0

_MAXSPEED = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(km/h|kmh|kph|mph|knots)?\s*$", re.IGNORECASE)
_MPH_TO_KMH = 1.609344
_KNOT_TO_KMH = 1.852


def new_graph(name: str) -> nx.MultiDiGraph:
    """Return an empty road graph with the contract's graph attributes."""
    return nx.MultiDiGraph(crs=STORAGE_CRS, name=name)


def speed_table(speeds: Mapping[str, float] | None = None) -> dict[str, float]:
    """Return the default speed table (km/h) updated with ``speeds``.

    Parameters
    ----------
    speeds
        ``{highway class: km/h}`` overriding or extending
        :data:`DEFAULT_SPEEDS_KMH`.
    """
    table = dict(DEFAULT_SPEEDS_KMH)
    for key, value in (speeds or {}).items():
        value = float(value)
        if not (value > 0 and math.isfinite(value)):
            msg = f"speed for road class '{key}' must be a positive number of km/h (got {value})"
            raise ValueError(msg)
        table[str(key)] = value
    return table


def parse_maxspeed(value: object) -> float | None:
    """Return an OSM ``maxspeed``-like value in km/h, or ``None`` if unusable.

    Understands ``60``, ``"60"``, ``"60 km/h"``, ``"30 mph"``, ``"10 knots"``;
    for lists (``"50;70"``) the lowest value is used.  ``"none"``, ``"walk"``,
    ``"signals"`` and other words give ``None`` (the class default applies).
    """
    if value is None:
        return None
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        v = float(value)
        return v if v > 0 and math.isfinite(v) else None
    speeds = []
    for part in str(value).split(";"):
        m = _MAXSPEED.match(part)
        if m is None:
            continue
        v = float(m.group(1).replace(",", "."))
        unit = (m.group(2) or "").lower()
        if unit == "mph":
            v *= _MPH_TO_KMH
        elif unit == "knots":
            v *= _KNOT_TO_KMH
        if v > 0:
            speeds.append(v)
    return min(speeds) if speeds else None


def parse_oneway(value: object) -> int:
    """Return ``1`` (forward only), ``-1`` (reverse only) or ``0`` (both ways).

    ``yes``/``true``/``1``/``ft``/``f`` mean forward; ``-1``/``reverse``/``tf``
    mean against the drawing direction; anything else (``no``, empty,
    ``reversible``) means both ways.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0
    if isinstance(value, (bool, np.bool_)):
        return 1 if value else 0
    if isinstance(value, (int, np.integer)):
        return 1 if value == 1 else (-1 if value == -1 else 0)
    text = str(value).strip().lower()
    if text in {"yes", "true", "1", "1.0", "y", "t", "ft", "f"}:
        return 1
    if text in {"-1", "-1.0", "reverse", "tf"}:
        return -1
    return 0


def validate_graph(G: nx.MultiDiGraph, *, source: str | None = None) -> None:
    """Check that ``G`` follows the road-graph contract; raise if not.

    Parameters
    ----------
    G
        The graph to check.
    source
        File the graph came from, named in error messages.

    Raises
    ------
    InputError
        If the graph is empty, not a ``MultiDiGraph``, not in EPSG:4326, or a
        node/edge lacks a contract attribute or has an invalid value.
    """
    layer = G.graph.get("name") if isinstance(G, nx.Graph) else None
    if not isinstance(G, nx.MultiDiGraph):
        msg = f"a road network must be a networkx.MultiDiGraph (got {type(G).__name__})"
        raise InputError(msg, file=source, fix="build it with wufei_gis.network.graph_from_file")
    crs = G.graph.get("crs")
    if crs is None or CRS.from_user_input(crs) != CRS.from_user_input(STORAGE_CRS):
        msg = f"road network CRS must be {STORAGE_CRS} (got {crs!r})"
        raise InputError(msg, file=source, layer=layer, fix="rebuild the network from its file")
    if G.number_of_nodes() == 0 or G.number_of_edges() == 0:
        msg = "the road network has no roads"
        raise InputError(
            msg,
            file=source,
            layer=layer,
            fix="use a file that contains drivable roads inside the study area",
        )
    for node, data in G.nodes(data=True):
        x, y = data.get("x"), data.get("y")
        if not (_finite(x) and _finite(y) and -180.0 <= x <= 180.0 and -90.0 <= y <= 90.0):
            msg = f"node {node!r} has no valid lon/lat 'x'/'y' (got x={x!r}, y={y!r})"
            raise InputError(msg, file=source, layer=layer, fix="rebuild the network from its file")
    for u, v, k, data in G.edges(keys=True, data=True):
        length, tmin, speed = data.get("length"), data.get("time_min"), data.get("speed_kmh")
        if not (_finite(length) and length >= 0):
            msg = f"edge {u}->{v} (key {k}) has no valid 'length' in metres (got {length!r})"
            raise InputError(msg, file=source, layer=layer, fix="rebuild the network from its file")
        if not (_finite(tmin) and tmin >= 0):
            msg = f"edge {u}->{v} (key {k}) has no valid 'time_min' (got {tmin!r})"
            raise InputError(msg, file=source, layer=layer, fix="rebuild the network from its file")
        if not (_finite(speed) and speed > 0):
            msg = f"edge {u}->{v} (key {k}) has no valid 'speed_kmh' (got {speed!r})"
            raise InputError(msg, file=source, layer=layer, fix="rebuild the network from its file")
        if not isinstance(data.get("highway"), str):
            msg = f"edge {u}->{v} (key {k}) has no 'highway' road class"
            raise InputError(msg, file=source, layer=layer, fix="rebuild the network from its file")


def _finite(value: object) -> bool:
    return (
        isinstance(value, (int, float, np.number))
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def component_sizes(G: nx.MultiDiGraph, *, strong: bool = False) -> list[int]:
    """Return the node counts of the connected components, largest first.

    Parameters
    ----------
    G
        Road graph.
    strong
        ``True`` for strongly connected components (every node reachable
        from every other following one-way rules), ``False`` for weakly
        connected ones (ignoring direction).
    """
    comps = nx.strongly_connected_components(G) if strong else nx.weakly_connected_components(G)
    return sorted((len(c) for c in comps), reverse=True)


def largest_component(G: nx.MultiDiGraph, *, strong: bool = False) -> set[int]:
    """Return the node ids of the largest strongly/weakly connected component."""
    if G.number_of_nodes() == 0:
        return set()
    comps: Iterable[set[int]] = (
        nx.strongly_connected_components(G) if strong else nx.weakly_connected_components(G)
    )
    biggest: set[int] = max(comps, key=len)
    return set(biggest)


def metric_crs_for_lonlat(lon: np.ndarray, lat: np.ndarray) -> CRS:
    """Return the local UTM CRS at the centre of the lon/lat bounding box."""
    return local_metric_crs(
        (float(np.min(lon)) + float(np.max(lon))) / 2.0,
        (float(np.min(lat)) + float(np.max(lat))) / 2.0,
    )


def to_metric(lon: np.ndarray, lat: np.ndarray, crs: CRS) -> tuple[np.ndarray, np.ndarray]:
    """Return metric ``(x, y)`` arrays (metres) for lon/lat arrays in ``crs``."""
    tr = Transformer.from_crs(STORAGE_CRS, crs, always_xy=True)
    x, y = tr.transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.asarray(x, float), np.asarray(y, float)


def graph_content_hash(G: nx.MultiDiGraph) -> str:
    """Return a sha256 hex digest of the graph's routing content.

    Covers node ids and coordinates and every edge's ends, key, length and
    time (independent of insertion order), so two graphs with the same hash
    give the same matrices.
    """
    nodes = pd.DataFrame(
        [(str(n), round(d["x"], 9), round(d["y"], 9)) for n, d in G.nodes(data=True)],
        columns=["n", "x", "y"],
    ).sort_values("n", kind="stable")
    edges = pd.DataFrame(
        [
            (str(u), str(v), str(k), round(float(d["length"]), 4), round(float(d["time_min"]), 6))
            for u, v, k, d in G.edges(keys=True, data=True)
        ],
        columns=["u", "v", "k", "length", "time"],
    ).sort_values(["u", "v", "k"], kind="stable")
    h = hashlib.sha256()
    h.update(pd.util.hash_pandas_object(nodes, index=False).to_numpy().tobytes())
    h.update(pd.util.hash_pandas_object(edges, index=False).to_numpy().tobytes())
    return h.hexdigest()


def edge_lengths_m(lines_lonlat: Iterable[np.ndarray], crs: CRS) -> np.ndarray:
    """Return metre lengths of lon/lat coordinate arrays measured in ``crs``."""
    arrays = list(lines_lonlat)
    if not arrays:
        return np.zeros(0)
    sizes = np.array([len(a) for a in arrays])
    allc = np.concatenate(arrays)
    x, y = to_metric(allc[:, 0], allc[:, 1], crs)
    seg = np.hypot(np.diff(x), np.diff(y))
    # drop the segments that join one line to the next
    ends = np.cumsum(sizes)[:-1] - 1
    seg[ends] = 0.0
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    csum = np.concatenate([[0.0], np.cumsum(seg)])
    lengths: np.ndarray = csum[starts + sizes - 1] - csum[starts]
    return lengths


def add_road(
    G: nx.MultiDiGraph,
    u: int,
    v: int,
    coords: np.ndarray,
    *,
    length_m: float,
    speed_kmh: float,
    highway: str,
    direction: int,
    **extra: object,
) -> None:
    """Add one road piece as one or two directed edges.

    Parameters
    ----------
    G
        Graph to add to; ``u`` and ``v`` must already be nodes.
    u, v
        Node ids at the first and last coordinate.
    coords
        ``(n, 2)`` lon/lat array from ``u`` to ``v``.
    length_m
        Length in metres.
    speed_kmh
        Travel speed in km/h.
    highway
        Road class.
    direction
        ``0`` both ways, ``1`` only ``u->v``, ``-1`` only ``v->u``.
    **extra
        Further edge attributes (e.g. ``osmid``, ``name``).
    """
    time_min = length_m / 1000.0 / speed_kmh * 60.0
    attrs = dict(
        length=float(length_m),
        time_min=float(time_min),
        speed_kmh=float(speed_kmh),
        highway=highway,
        oneway=direction != 0,
        **extra,
    )
    if direction >= 0:
        G.add_edge(u, v, geometry=LineString(coords), **attrs)
    if direction <= 0:
        G.add_edge(v, u, geometry=LineString(coords[::-1]), **attrs)
