"""Pick the right reader for a roads file (OpenStreetMap or line layer)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from os import PathLike
from pathlib import Path

import networkx as nx

from ..errors import InputError
from ..progress import ProgressCallback
from .lines import graph_from_lines
from .osm import graph_from_osm, is_osm_file

__all__ = ["graph_from_file"]


def graph_from_file(
    path: str | PathLike[str],
    *,
    name: str = "roads",
    layer: str | None = None,
    speed_field: str | None = None,
    class_field: str | None = None,
    oneway_field: str | None = None,
    speeds: Mapping[str, float] | None = None,
    highways: Collection[str] | None = None,
    node_intersections: bool = False,
    progress: ProgressCallback | None = None,
) -> nx.MultiDiGraph:
    """Build a road graph from an OSM file or a line layer, by file ending.

    ``.osm.pbf``/``.osm`` files go to :func:`graph_from_osm` (the field
    arguments are ignored there: OSM tags are used); anything else to
    :func:`graph_from_lines`.  See those functions for the parameters.
    """
    path = Path(path)
    if not path.exists():
        msg = "the roads file does not exist"
        raise InputError(msg, file=path, fix="check the path and file name")
    if is_osm_file(path):
        return graph_from_osm(path, name=name, speeds=speeds, highways=highways, progress=progress)
    return graph_from_lines(
        path,
        layer=layer,
        name=name,
        speed_field=speed_field,
        class_field=class_field,
        oneway_field=oneway_field,
        speeds=speeds,
        highways=highways,
        node_intersections=node_intersections,
        progress=progress,
    )
