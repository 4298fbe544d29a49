"""Build road graphs from line layers (GeoPackage, Shapefile, GeoJSON...).

How a roads file is read (layer, field names, speeds, road classes, snapping)
is one :class:`RoadOptions` bundle, shared by :func:`graph_from_lines`,
:func:`~wufei_gis.network.graph_from_file` and
:func:`~wufei_gis.network.import_network`.  Line ends closer than
``snap_tolerance_m`` are merged into one node; with
``node_intersections=True`` lines are also split where they cross.
MultiLineStrings are exploded into their parts.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from ..errors import InputError
from ..progress import ProgressCallback, report
from ..projection import metric_crs_for
from ..schema import STORAGE_CRS
from .graph import (
    FALLBACK_SPEED_KMH,
    NON_DRIVABLE_HIGHWAYS,
    add_road,
    new_graph,
    parse_maxspeed,
    parse_oneway,
    speed_table,
)

__all__ = ["read_lines", "graph_from_lines", "RoadOptions", "DEFAULT_ROAD_CLASS"]

log = logging.getLogger(__name__)

#: Road class given to every line when the layer has no class field.
DEFAULT_ROAD_CLASS = "unclassified"


@dataclass(frozen=True)
class RoadOptions:
    """How a roads file becomes a road graph (the defaults suit OSM-like layers).

    OpenStreetMap files use only ``speeds`` and ``highways`` (their tags give
    the class, speed and one-way fields); line layers use all of them.

    Parameters
    ----------
    layer
        Layer name when the roads file has several layers.
    speed_field
        Field with speeds in km/h (numbers or ``"60 km/h"``/``"30 mph"``);
        empty or zero values fall back to the class speed.
    class_field
        Field with the road class (OSM ``highway`` names, e.g. ``primary``).
        Without it every line is ``default_class``.
    oneway_field
        Field saying the line is one-way: ``yes``/``1``/``true``/``FT`` =
        along the drawing direction, ``-1``/``TF`` = against it.
    speeds
        ``{road class: km/h}`` overriding :data:`DEFAULT_SPEEDS_KMH`.
    highways
        Road classes to keep.  For line layers (when ``class_field`` is given)
        by default every class except :data:`NON_DRIVABLE_HIGHWAYS`
        (``footway``, ``path``, ``track``...) is kept, so local class names
        (e.g. ``县道``) work; classes missing from the speed table get
        :data:`FALLBACK_SPEED_KMH` unless a speed field or ``speeds`` says
        otherwise.  For OSM files the default is :data:`DRIVABLE_HIGHWAYS`.
    default_class
        Road class when there is no class field (or its value is empty).
    snap_tolerance_m
        Line ends closer than this (metres) become one node.
    node_intersections
        Also split lines where they cross or touch in their interior (use for
        layers whose roads are not split at junctions).  Bridges then connect
        to the roads below them, so leave it off for well-noded data.
    """

    layer: str | None = None
    speed_field: str | None = None
    class_field: str | None = None
    oneway_field: str | None = None
    speeds: Mapping[str, float] | None = None
    highways: Collection[str] | None = None
    default_class: str = DEFAULT_ROAD_CLASS
    snap_tolerance_m: float = 1.0
    node_intersections: bool = False


def read_lines(path: str | PathLike[str], *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a line layer and check it can become a road network.

    Raises
    ------
    InputError
        If the file cannot be read, has no CRS or has no line geometries.
    """
    import pyogrio

    path = Path(path)
    try:
        gdf = pyogrio.read_dataframe(path, layer=layer)
    except Exception as err:  # pyogrio raises several DataSource/DataLayer errors
        msg = f"cannot read the roads file ({err})"
        raise InputError(
            msg,
            file=path,
            layer=layer,
            fix="check that the file exists and is a GeoPackage, Shapefile or GeoJSON line layer",
        ) from err
    if not isinstance(gdf, gpd.GeoDataFrame):
        msg = "the roads layer has no geometry column"
        raise InputError(msg, file=path, layer=layer, fix="use a layer of road lines")
    _check_lines(gdf, file=path, layer=layer)
    return gdf


def _check_lines(
    gdf: gpd.GeoDataFrame, *, file: str | PathLike[str] | None, layer: str | None
) -> None:
    if gdf.crs is None:
        msg = "the roads layer has no coordinate reference system (CRS)"
        raise InputError(
            msg,
            file=file,
            layer=layer,
            fix=(
                "set the layer's CRS in QGIS (Layer > Set CRS) "
                "or ship the .prj file with the Shapefile"
            ),
        )
    types = set(gdf.geometry.dropna().geom_type)
    if not types & {"LineString", "MultiLineString"}:
        found = ", ".join(sorted(types)) or "no geometries"
        msg = f"the roads layer has no line geometries (found: {found})"
        raise InputError(
            msg, file=file, layer=layer, fix="choose the layer that holds the road lines"
        )


def graph_from_lines(
    lines: gpd.GeoDataFrame | str | PathLike[str],
    *,
    name: str = "roads",
    road_options: RoadOptions | None = None,
    progress: ProgressCallback | None = None,
) -> nx.MultiDiGraph:
    """Build a road graph from a line layer.

    Parameters
    ----------
    lines
        A GeoDataFrame of (Multi)LineStrings in any CRS, or a path to read.
    name
        Network name stored in ``G.graph["name"]``.
    road_options
        Layer, field names, speeds, classes and snapping
        (:class:`RoadOptions`; default: its defaults).
    progress
        ``progress(fraction, message)`` callback.
    """
    opts = road_options if road_options is not None else RoadOptions()
    layer, speeds, highways = opts.layer, opts.speeds, opts.highways
    speed_field, class_field, oneway_field = opts.speed_field, opts.class_field, opts.oneway_field
    default_class = opts.default_class
    source: str | PathLike[str] | None = None
    if not isinstance(lines, gpd.GeoDataFrame):
        source = lines
        lines = read_lines(lines, layer=layer)
    else:
        _check_lines(lines, file=None, layer=layer)
    for fld in (speed_field, class_field, oneway_field):
        if fld is not None and fld not in lines.columns:
            msg = f"the roads layer has no field '{fld}'"
            raise InputError(
                msg,
                file=source,
                layer=layer,
                field=fld,
                fix="choose one of: "
                + ", ".join(map(str, lines.columns.drop("geometry", errors="ignore"))),
            )
    table = speed_table(speeds)
    report(progress, 0.0, "preparing road lines")

    gdf = lines[lines.geometry.notna() & ~lines.geometry.is_empty]
    gdf = gdf[gdf.geometry.geom_type.isin(["LineString", "MultiLineString"])]
    gdf = gdf.explode(index_parts=False, ignore_index=True)
    attrs = pd.DataFrame(index=gdf.index)
    attrs["highway"] = (
        gdf[class_field].fillna(default_class).astype(str).str.strip().replace("", default_class)
        if class_field
        else default_class
    )
    if class_field:
        if highways is not None:
            kept = attrs["highway"].isin(set(highways)).to_numpy()
        else:
            kept = ~attrs["highway"].isin(NON_DRIVABLE_HIGHWAYS - set(speeds or {})).to_numpy()
        gdf = gdf[kept]
        attrs = attrs.loc[gdf.index]
        unknown = sorted(set(attrs["highway"]) - set(table))
        if unknown:
            log.info(
                "road classes without a default speed (%g km/h used): %s",
                FALLBACK_SPEED_KMH,
                ", ".join(unknown[:20]),
            )
    class_speed = attrs["highway"].map(lambda c: table.get(c, FALLBACK_SPEED_KMH)).astype(float)
    if speed_field:
        own = gdf[speed_field].map(parse_maxspeed).astype(float)
        attrs["speed"] = own.where(own > 0, class_speed).to_numpy()
    else:
        attrs["speed"] = class_speed.to_numpy()
    attrs["direction"] = gdf[oneway_field].map(parse_oneway).to_numpy() if oneway_field else 0

    metric = metric_crs_for(gdf.geometry) if len(gdf) else None
    geoms = gdf.geometry.to_crs(metric).to_numpy() if len(gdf) else np.array([])
    keep_mask = shapely.length(geoms) > 0 if len(geoms) else np.zeros(0, bool)
    geoms, attrs = geoms[keep_mask], attrs[keep_mask]
    if len(geoms) == 0:
        msg = "no drivable road lines are left after filtering"
        raise InputError(
            msg,
            file=source,
            layer=layer,
            field=class_field,
            fix=(
                "check the road-class field and values, "
                "or list the classes to keep in RoadOptions(highways=...)"
            ),
        )
    if opts.node_intersections:
        report(progress, 0.2, "splitting lines at intersections")
        geoms, attrs = _node(geoms, attrs)

    report(progress, 0.5, "joining line ends")
    G = _lines_to_graph(geoms, attrs, metric=metric, name=name, tol=opts.snap_tolerance_m)
    log.info(
        "built road graph '%s': %d nodes, %d edges", name, G.number_of_nodes(), G.number_of_edges()
    )
    report(progress, 1.0, "building road graph")
    return G


def _node(geoms: np.ndarray, attrs: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Split lines at all intersections; each piece keeps its source line's attributes."""
    merged = shapely.unary_union(geoms)
    pieces = np.asarray(shapely.get_parts(merged))
    pieces = pieces[shapely.length(pieces) > 0]
    tree = shapely.STRtree(geoms)
    mids = shapely.line_interpolate_point(pieces, 0.5, normalized=True)
    _, src = tree.query_nearest(mids, return_distance=False, all_matches=False)
    piece_attrs = attrs.iloc[src].reset_index(drop=True)
    # keep the source line's drawing direction (it matters for one-way roads)
    src_geoms = geoms[src]
    a = shapely.line_locate_point(src_geoms, shapely.get_point(pieces, 0))
    b = shapely.line_locate_point(src_geoms, shapely.get_point(pieces, -1))
    flip = b < a
    pieces[flip] = shapely.reverse(pieces[flip])
    return pieces, piece_attrs


def _lines_to_graph(
    geoms: np.ndarray, attrs: pd.DataFrame, *, metric: object, name: str, tol: float
) -> nx.MultiDiGraph:
    n = len(geoms)
    starts = shapely.get_coordinates(shapely.get_point(geoms, 0))
    ends = shapely.get_coordinates(shapely.get_point(geoms, -1))
    pts = np.vstack([starts, ends])
    # cluster end points within the tolerance (transitively) into nodes
    pairs = (
        cKDTree(pts).query_pairs(r=tol, output_type="ndarray") if tol > 0 else np.zeros((0, 2), int)
    )
    adj = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(2 * n, 2 * n))
    _, labels = connected_components(adj, directed=False)
    # node position: the first end point of each cluster
    _, first = np.unique(labels, return_index=True)
    node_xy_m = pts[first]
    lon, lat = _to_lonlat(node_xy_m, metric)
    G = new_graph(name)
    for i in range(len(first)):
        G.add_node(i, x=float(lon[i]), y=float(lat[i]))
    u_lab, v_lab = labels[:n], labels[n:]
    lengths = shapely.length(geoms)
    # geometry in lon/lat with ends moved onto their nodes
    coords, offsets = shapely.get_coordinates(geoms), shapely.get_num_coordinates(geoms)
    clon, clat = _to_lonlat(coords, metric)
    cum = np.concatenate([[0], np.cumsum(offsets)])
    clon[cum[:-1]], clat[cum[:-1]] = lon[u_lab], lat[u_lab]
    clon[cum[1:] - 1], clat[cum[1:] - 1] = lon[v_lab], lat[v_lab]
    ll = np.column_stack([clon, clat])
    hw, speed, direction = (
        attrs["highway"].to_numpy(),
        attrs["speed"].to_numpy(),
        attrs["direction"].to_numpy(),
    )
    for i in range(n):
        u, v = int(u_lab[i]), int(v_lab[i])
        add_road(
            G,
            u,
            v,
            ll[cum[i] : cum[i + 1]],
            length_m=float(lengths[i]),
            speed_kmh=float(speed[i]),
            highway=str(hw[i]),
            direction=int(direction[i]),
        )
    return G


def _to_lonlat(xy: np.ndarray, metric: object) -> tuple[np.ndarray, np.ndarray]:
    from pyproj import Transformer

    tr = Transformer.from_crs(metric, STORAGE_CRS, always_xy=True)
    lon, lat = tr.transform(xy[:, 0], xy[:, 1])
    return np.asarray(lon, float), np.asarray(lat, float)
