"""Build road graphs from OpenStreetMap files (``.osm.pbf``, ``.osm``) with pyosmium.

Ways are split into edges at their ends and wherever they share a node with
another way (or with themselves), so graph nodes are intersections and dead
ends; the shape between them is kept as the edge ``geometry``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Collection, Mapping
from os import PathLike
from pathlib import Path

import networkx as nx
import numpy as np

from ..errors import InputError
from ..progress import ProgressCallback, report
from .graph import (
    DRIVABLE_HIGHWAYS,
    FALLBACK_SPEED_KMH,
    add_road,
    edge_lengths_m,
    metric_crs_for_lonlat,
    new_graph,
    parse_maxspeed,
    parse_oneway,
    speed_table,
)

__all__ = ["OSM_SUFFIXES", "graph_from_osm", "is_osm_file"]

log = logging.getLogger(__name__)

#: File name endings read as OpenStreetMap data.
OSM_SUFFIXES = (".osm.pbf", ".pbf", ".osm", ".osm.bz2", ".osm.gz", ".o5m")

#: Road classes that are one-way unless tagged ``oneway=no``.
_IMPLIED_ONEWAY = frozenset({"motorway"})
_NO_ACCESS = frozenset({"no", "private"})


def is_osm_file(path: str | PathLike[str]) -> bool:
    """Return whether ``path`` has an OpenStreetMap file ending."""
    name = Path(path).name.lower()
    return any(name.endswith(s) for s in OSM_SUFFIXES)


def graph_from_osm(
    path: str | PathLike[str],
    *,
    name: str = "roads",
    speeds: Mapping[str, float] | None = None,
    highways: Collection[str] | None = None,
    progress: ProgressCallback | None = None,
) -> nx.MultiDiGraph:
    """Read the drivable roads of an OpenStreetMap file into a road graph.

    Parameters
    ----------
    path
        ``.osm.pbf`` or ``.osm`` (XML) file.
    name
        Network name stored in ``G.graph["name"]``.
    speeds
        ``{highway class: km/h}`` overriding :data:`DEFAULT_SPEEDS_KMH`; a
        way's own ``maxspeed`` tag wins over both.
    highways
        Road classes to keep; default :data:`DRIVABLE_HIGHWAYS` (``track``,
        ``path``, ``footway``, ``cycleway`` are left out unless listed here).
    progress
        ``progress(fraction, message)`` callback.

    Returns
    -------
    networkx.MultiDiGraph
        A graph following the contract in :mod:`wufei_gis.network.graph`.
        ``oneway=yes/1/true`` ways get one edge, ``oneway=-1`` ways one
        reversed edge, motorways and roundabouts are one-way by default.
    """
    import osmium

    path = Path(path)
    keep = frozenset(highways) if highways is not None else DRIVABLE_HIGHWAYS
    table = speed_table(speeds)
    report(progress, None, "reading OpenStreetMap ways")
    ways: list[tuple[int, list[int], np.ndarray, dict[str, str]]] = []
    try:
        fp = (
            osmium.FileProcessor(str(path))
            .with_locations()
            .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
            .with_filter(osmium.filter.KeyFilter("highway"))
        )
        for way in fp:
            if not isinstance(way, osmium.osm.Way):
                continue  # never taken (the entity filter passes ways only); narrows the type
            tags = {t.k: t.v for t in way.tags}
            hw = tags.get("highway", "")
            if hw not in keep or tags.get("area") == "yes":
                continue
            if tags.get("access") in _NO_ACCESS or tags.get("motor_vehicle") in _NO_ACCESS:
                continue
            refs, coords = [], []
            for n in way.nodes:
                if not n.location.valid():
                    continue  # node outside the extract
                refs.append(int(n.ref))
                coords.append((n.location.lon, n.location.lat))
            if len(refs) >= 2:
                ways.append((int(way.id), refs, np.asarray(coords, float), tags))
    except (RuntimeError, OSError, ValueError) as err:
        msg = f"cannot read the OpenStreetMap file ({err})"
        raise InputError(
            msg,
            file=path,
            fix="check that the file exists and is a valid .osm or .osm.pbf extract",
        ) from err
    if not ways:
        msg = "the OpenStreetMap file has no drivable roads (highway=motorway ... service)"
        raise InputError(
            msg,
            file=path,
            fix=(
                "export an extract that covers the study area's roads, "
                "or pass highways= (RoadOptions.highways) to keep more classes"
            ),
        )
    report(progress, 0.5, "building road graph")
    G = _ways_to_graph(ways, name=name, table=table)
    log.info(
        "read %d ways from %s: %d nodes, %d edges",
        len(ways),
        path,
        G.number_of_nodes(),
        G.number_of_edges(),
    )
    report(progress, 1.0, "building road graph")
    return G


def _ways_to_graph(
    ways: list[tuple[int, list[int], np.ndarray, dict[str, str]]],
    *,
    name: str,
    table: Mapping[str, float],
) -> nx.MultiDiGraph:
    # a node is a graph node when it ends a way or is used more than once
    uses: Counter[int] = Counter()
    for _, refs, _, _ in ways:
        uses.update(refs)
        uses[refs[0]] += 1
        uses[refs[-1]] += 1
    pieces: list[tuple[int, int, np.ndarray, int]] = []  # (u, v, coords, way index)
    for w, (_, refs, coords, _) in enumerate(ways):
        start = 0
        for i in range(1, len(refs)):
            if uses[refs[i]] > 1 or i == len(refs) - 1:
                pieces.append((refs[start], refs[i], coords[start : i + 1], w))
                start = i
    all_coords = np.concatenate([c for _, _, c, _ in pieces])
    crs = metric_crs_for_lonlat(all_coords[:, 0], all_coords[:, 1])
    lengths = edge_lengths_m((c for _, _, c, _ in pieces), crs)
    G = new_graph(name)
    for u, v, coords, _ in pieces:
        G.add_node(u, x=float(coords[0, 0]), y=float(coords[0, 1]))
        G.add_node(v, x=float(coords[-1, 0]), y=float(coords[-1, 1]))
    for (u, v, coords, w), length in zip(pieces, lengths, strict=True):
        osmid, _, _, tags = ways[w]
        hw = tags["highway"]
        speed = parse_maxspeed(tags.get("maxspeed")) or table.get(hw, FALLBACK_SPEED_KMH)
        direction = parse_oneway(tags.get("oneway"))
        if "oneway" not in tags and (hw in _IMPLIED_ONEWAY or tags.get("junction") == "roundabout"):
            direction = 1
        extra: dict[str, object] = {"osmid": osmid}
        if "name" in tags:
            extra["name"] = tags["name"]
        add_road(
            G,
            u,
            v,
            coords,
            length_m=float(length),
            speed_kmh=speed,
            highway=hw,
            direction=direction,
            **extra,
        )
    return G
