"""Store road networks and cached matrices in a project GeoPackage.

Layout inside the project file
------------------------------
``network_<name>`` (line layer, EPSG:4326)
    One row per directed edge: ``u``, ``v``, ``key`` (node ids / edge key),
    ``length_m`` (m), ``time_min`` (min), ``speed_kmh`` (km/h), ``highway``,
    ``oneway`` (0/1), geometry drawn from ``u`` to ``v``.  Node positions are
    the geometry end points.
``matrix_cache`` (attribute table)
    ``key`` (sha256 of network content, points and parameters; unique),
    ``created`` (ISO time, UTC), ``origin_ids`` / ``destination_ids`` (JSON
    lists), ``method``, ``dtype`` (numpy dtype of the blobs, ``<f8`` or
    ``<f4``), ``n_rows`` / ``n_cols`` (the shape), ``distance_km`` /
    ``time_min`` (BLOBs: raw C-order bytes).  Caches of older versions (base64
    text, no ``dtype`` column) are read as a miss and replaced on the next write.

Every write is one SQLite transaction on the project (:mod:`wufei_gis.storage`):
a network replaces its layer, a matrix adds one row; the file is never copied.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import sqlite3
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

from .. import storage
from ..costs import CostProvider, TravelMatrix
from ..errors import InputError
from ..progress import CancelCallback, ProgressCallback, report
from ..projection import lonlat, lonlat_points
from ..schema import STORAGE_CRS
from .build import graph_from_file
from .graph import new_graph, validate_graph
from .lines import RoadOptions

__all__ = [
    "NETWORK_LAYER_PREFIX",
    "MATRIX_CACHE_TABLE",
    "network_layer",
    "graph_to_edges",
    "graph_from_edges",
    "import_network",
    "save_network",
    "load_network",
    "list_networks",
    "matrix_cache_key",
    "cached_matrix",
    "encode_matrix",
    "decode_matrix",
]

log = logging.getLogger(__name__)

NETWORK_LAYER_PREFIX = "network_"
MATRIX_CACHE_TABLE = "matrix_cache"
_EDGE_COLUMNS = ["u", "v", "key", "length_m", "time_min", "speed_kmh", "highway", "oneway"]


def network_layer(name: str) -> str:
    """Return the project layer name of network ``name``."""
    if not name or not name.replace("_", "").replace("-", "").isalnum():
        msg = f"network name must be letters, digits, '_' or '-' (got {name!r})"
        raise InputError(msg, fix="choose a name like 'roads' or 'osm_2024'")
    return NETWORK_LAYER_PREFIX + name


def graph_to_edges(G: nx.MultiDiGraph) -> gpd.GeoDataFrame:
    """Return the edges of ``G`` as a line GeoDataFrame (EPSG:4326).

    Columns are those of the ``network_<name>`` layer (see module docs);
    edges without ``geometry`` get a straight line between their nodes.
    """
    rows, geoms = [], []
    for u, v, k, d in G.edges(keys=True, data=True):
        rows.append(
            (
                u,
                v,
                k,
                d["length"],
                d["time_min"],
                d["speed_kmh"],
                d["highway"],
                int(bool(d.get("oneway", False))),
            )
        )
        g = d.get("geometry")
        if g is None:
            a, b = G.nodes[u], G.nodes[v]
            g = shapely.LineString([(a["x"], a["y"]), (b["x"], b["y"])])
        geoms.append(g)
    df = pd.DataFrame(rows, columns=_EDGE_COLUMNS)
    for col in ("u", "v", "key", "oneway"):
        df[col] = df[col].astype("int64")
    return gpd.GeoDataFrame(df, geometry=geoms, crs=STORAGE_CRS)


def graph_from_edges(edges: gpd.GeoDataFrame, *, name: str = "roads") -> nx.MultiDiGraph:
    """Rebuild a road graph from an edge layer written by :func:`graph_to_edges`."""
    edges = edges.to_crs(STORAGE_CRS) if edges.crs is not None else edges
    G = new_graph(name)
    geoms = edges.geometry.to_numpy()
    first = shapely.get_coordinates(shapely.get_point(geoms, 0))
    last = shapely.get_coordinates(shapely.get_point(geoms, -1))
    u = edges["u"].to_numpy().tolist()
    v = edges["v"].to_numpy().tolist()
    for i in range(len(edges)):
        if u[i] not in G:
            G.add_node(u[i], x=float(first[i, 0]), y=float(first[i, 1]))
        if v[i] not in G:
            G.add_node(v[i], x=float(last[i, 0]), y=float(last[i, 1]))
    cols = [edges[c].to_numpy().tolist() for c in _EDGE_COLUMNS[2:]]
    for i, (k, length, tmin, speed, hw, ow) in enumerate(zip(*cols, strict=True)):
        G.add_edge(
            u[i],
            v[i],
            key=int(k),
            length=float(length),
            time_min=float(tmin),
            speed_kmh=float(speed),
            highway=str(hw),
            oneway=bool(ow),
            geometry=geoms[i],
        )
    return G


def save_network(
    G: nx.MultiDiGraph, project_path: str | PathLike[str], *, name: str | None = None
) -> str:
    """Write ``G`` as the ``network_<name>`` layer of the project (one transaction).

    Returns
    -------
    str
        The layer name written.
    """
    validate_graph(G)
    name = name or G.graph.get("name", "roads")
    layer = network_layer(name)
    edges = graph_to_edges(G)
    storage.write_layers(Path(project_path), {layer: (edges, None)})
    return layer


def import_network(
    source_path: str | PathLike[str],
    project_path: str | PathLike[str],
    *,
    name: str = "roads",
    road_options: RoadOptions | None = None,
    progress: ProgressCallback | None = None,
) -> nx.MultiDiGraph:
    """Build a road graph from a roads file and store it in the project.

    Parameters
    ----------
    source_path
        OpenStreetMap file (``.osm.pbf``/``.osm``) or a line layer file.
    project_path
        Project GeoPackage (created when missing).
    name
        Network name; the layer is ``network_<name>`` (replaced if present).
    road_options
        Layer, field names, speeds, classes and snapping (:class:`RoadOptions`);
        see :func:`graph_from_lines` / :func:`graph_from_osm`.
    progress
        ``progress(fraction, message)`` callback.

    Returns
    -------
    networkx.MultiDiGraph
        The graph that was stored.
    """
    network_layer(name)  # check the name before the slow work
    phase = _Scaled(progress, 0.0, 0.8)
    G = graph_from_file(source_path, name=name, road_options=road_options, progress=phase)
    report(progress, 0.8, "writing network to project")
    save_network(G, project_path, name=name)
    report(progress, 1.0, "writing network to project")
    return G


class _Scaled:
    """Map a sub-task's 0..1 progress onto ``lo..hi`` of the caller's progress."""

    def __init__(self, progress: ProgressCallback | None, lo: float, hi: float) -> None:
        self.progress, self.lo, self.hi = progress, lo, hi

    def __call__(self, fraction: float | None, message: str) -> None:
        f = None if fraction is None else self.lo + (self.hi - self.lo) * fraction
        report(self.progress, f, message)


def list_networks(project_path: str | PathLike[str]) -> list[str]:
    """Return the names of the networks stored in the project (may be empty)."""
    import pyogrio

    project_path = Path(project_path)
    if not project_path.exists():
        return []
    storage.recover(project_path)
    return sorted(
        str(lyr)[len(NETWORK_LAYER_PREFIX) :]
        for lyr, _ in _list_layers(project_path, pyogrio)
        if str(lyr).startswith(NETWORK_LAYER_PREFIX)
    )


def _list_layers(project_path: Path, pyogrio: ModuleType) -> list[tuple[str, object]]:
    try:
        return [(str(name), geom) for name, geom in pyogrio.list_layers(project_path)]
    except Exception as err:  # pyogrio's DataSourceError and friends
        msg = f"cannot read the project file ({err})"
        raise InputError(
            msg, file=project_path, fix="check that it is a wufei-gis project GeoPackage"
        ) from err


def load_network(project_path: str | PathLike[str], name: str = "roads") -> nx.MultiDiGraph:
    """Rebuild the road graph stored as ``network_<name>`` in the project.

    Raises
    ------
    InputError
        If the project or the network layer does not exist.
    """
    import pyogrio

    project_path = Path(project_path)
    layer = network_layer(name)
    names = list_networks(project_path) if project_path.exists() else []
    if name not in names:
        have = ", ".join(names) or "none"
        msg = f"the project has no road network '{name}' (stored networks: {have})"
        raise InputError(
            msg,
            file=project_path,
            layer=layer,
            fix="import one with 'wufei network import ROADS --project P.gpkg'",
        )
    edges = pyogrio.read_dataframe(project_path, layer=layer)
    G = graph_from_edges(edges, name=name)
    validate_graph(G, source=str(project_path))
    return G


# --------------------------------------------------------------------- matrix cache


def _points_token(gdf: gpd.GeoDataFrame, id_field: str) -> list[object]:
    lon, lat = lonlat(gdf)
    return [
        [str(i), round(float(x), 9), round(float(y), 9)]
        for i, x, y in zip(gdf[id_field], lon, lat, strict=True)
    ]


def matrix_cache_key(
    provider: CostProvider,
    origins: gpd.GeoDataFrame,
    destinations: gpd.GeoDataFrame,
    *,
    origin_id: str = "id",
    destination_id: str = "id",
) -> str:
    """Return the sha256 cache key of a matrix request.

    Covers the provider's ``cache_token`` (network content hash and options;
    falls back to its label and ``repr``), origin and destination ids and
    coordinates.
    """
    token = getattr(provider, "cache_token", None) or f"{provider.label}|{provider!r}"
    payload = {
        "provider": token,
        "origins": _points_token(origins, origin_id),
        "destinations": _points_token(destinations, destination_id),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


_CACHE_DDL = (
    f'CREATE TABLE "{MATRIX_CACHE_TABLE}" ("fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
    '"key" TEXT NOT NULL UNIQUE, "created" TEXT, "origin_ids" TEXT, "destination_ids" TEXT, '
    '"method" TEXT, "dtype" TEXT NOT NULL, "n_rows" INTEGER NOT NULL, "n_cols" INTEGER NOT NULL, '
    '"distance_km" BLOB, "time_min" BLOB)'
)
_BLOB_DTYPES = ("<f8", "<f4")


def encode_matrix(a: np.ndarray) -> tuple[bytes, str]:
    """Return the raw C-order bytes of a float matrix and their dtype (``<f4`` or ``<f8``)."""
    a = np.asarray(a)
    dtype = "<f4" if a.dtype == np.float32 else "<f8"
    return np.ascontiguousarray(a, dtype=dtype).tobytes(), dtype


def decode_matrix(blob: bytes, dtype: str, shape: tuple[int, int]) -> np.ndarray:
    """Inverse of :func:`encode_matrix`; ``ValueError`` if the bytes do not fit."""
    if dtype not in _BLOB_DTYPES:
        msg = f"unknown matrix dtype {dtype!r}"
        raise ValueError(msg)
    a = np.frombuffer(blob, dtype=dtype)
    return a.reshape(shape).copy()


def _read_cached(project_path: Path, key: str) -> TravelMatrix | None:
    if not project_path.exists():
        return None
    storage.recover(project_path)
    uri = project_path.resolve().as_uri() + "?mode=ro"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as con:
            if "dtype" not in storage.table_columns(con, MATRIX_CACHE_TABLE):
                return None  # no cache yet, or the text cache of an older version
            row = con.execute(
                f"SELECT origin_ids, destination_ids, dtype, n_rows, n_cols, distance_km, "
                f"time_min, method FROM {MATRIX_CACHE_TABLE} WHERE key = ?",
                (key,),
            ).fetchone()
    except sqlite3.DatabaseError:  # not a GeoPackage
        return None
    if row is None:
        return None
    try:
        oids, dids = json.loads(row[0]), json.loads(row[1])
        shape = (int(row[3]), int(row[4]))
        dist, tmin = decode_matrix(row[5], row[2], shape), decode_matrix(row[6], row[2], shape)
        return TravelMatrix(oids, dids, dist, tmin, row[7])
    except (ValueError, TypeError) as err:
        log.warning(
            "unreadable matrix cache row %s in %s (%s); recomputing", key[:12], project_path, err
        )
        return None


def _write_cached(project_path: Path, key: str, m: TravelMatrix) -> None:
    if not project_path.exists():  # a new file: any GeoPackage will do, the table is made below
        stub = pd.DataFrame({"key": pd.Series([], dtype=object)})
        storage.write_layers(project_path, {MATRIX_CACHE_TABLE: (stub, None)})
    dist, dtype = encode_matrix(m.distance_km)
    tmin, _ = encode_matrix(np.asarray(m.time_min, dtype=dtype))
    with storage.transaction(project_path) as con:
        cols = storage.table_columns(con, MATRIX_CACHE_TABLE)
        if cols and "dtype" not in cols:  # older text cache (or stub): replaced
            storage.drop_layer(con, MATRIX_CACHE_TABLE)
            cols = {}
        if not cols:
            con.execute(_CACHE_DDL)
            con.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
                "VALUES (?, 'attributes', ?, 'travel-matrix cache (wufei-gis)')",
                (MATRIX_CACHE_TABLE, MATRIX_CACHE_TABLE),
            )
        con.execute(f"DELETE FROM {MATRIX_CACHE_TABLE} WHERE key = ?", (key,))
        con.execute(
            f"INSERT INTO {MATRIX_CACHE_TABLE} (key, created, origin_ids, destination_ids, method, "
            "dtype, n_rows, n_cols, distance_km, time_min) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                datetime.now(UTC).isoformat(timespec="seconds"),
                json.dumps(m.origin_ids),
                json.dumps(m.destination_ids),
                m.method,
                dtype,
                len(m.origin_ids),
                len(m.destination_ids),
                sqlite3.Binary(dist),
                sqlite3.Binary(tmin),
            ),
        )
        con.execute(
            "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
            "WHERE table_name = ?",
            (MATRIX_CACHE_TABLE,),
        )


def cached_matrix(
    project_path: str | PathLike[str],
    provider: CostProvider,
    origins: gpd.GeoDataFrame,
    destinations: gpd.GeoDataFrame,
    *,
    origin_id: str = "id",
    destination_id: str = "id",
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> TravelMatrix:
    """Return the matrix from the project's cache, or compute and cache it.

    The cache key is :func:`matrix_cache_key`; on a hit the provider is not
    called.  Point coordinates are restored from ``origins``/``destinations``
    (paths are never cached).

    Parameters
    ----------
    project_path
        Project GeoPackage (created when missing).
    provider
        Any cost provider; a :class:`NetworkProvider` keys on its network's
        content hash.
    origins, destinations, origin_id, destination_id, progress, should_cancel
        As for :meth:`CostProvider.matrix`.
    """
    project_path = Path(project_path)
    key = matrix_cache_key(
        provider, origins, destinations, origin_id=origin_id, destination_id=destination_id
    )
    hit = _read_cached(project_path, key)
    if hit is not None:
        log.info("matrix cache hit %s in %s", key[:12], project_path)
        report(progress, 1.0, "read travel matrix from cache")
        hit.origin_points = lonlat_points(origins)
        hit.destination_points = lonlat_points(destinations)
        return hit
    m = provider.matrix(
        origins,
        destinations,
        origin_id=origin_id,
        destination_id=destination_id,
        progress=progress,
        should_cancel=should_cancel,
    )
    _write_cached(project_path, key, m)
    return m
