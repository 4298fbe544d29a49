"""Pick the right reader for a roads file (OpenStreetMap or line layer)."""

from __future__ import annotations

from os import PathLike
from pathlib import Path

import networkx as nx

from ..errors import InputError
from ..progress import ProgressCallback
from .lines import RoadOptions, graph_from_lines
from .osm import graph_from_osm, is_osm_file

__all__ = ["graph_from_file"]


def graph_from_file(
    path: str | PathLike[str],
    *,
    name: str = "roads",
    road_options: RoadOptions | None = None,
    progress: ProgressCallback | None = None,
) -> nx.MultiDiGraph:
    """Build a road graph from an OSM file or a line layer, by file ending.

    ``.osm.pbf``/``.osm`` files go to :func:`graph_from_osm` (only ``speeds``
    and ``highways`` of ``road_options`` apply there: OSM tags give the rest);
    anything else to :func:`graph_from_lines`.  See those functions and
    :class:`RoadOptions` for the parameters.
    """
    path = Path(path)
    if not path.exists():
        msg = "the roads file does not exist"
        raise InputError(msg, file=path, fix="check the path and file name")
    opts = road_options if road_options is not None else RoadOptions()
    if is_osm_file(path):
        return graph_from_osm(
            path, name=name, speeds=opts.speeds, highways=opts.highways, progress=progress
        )
    return graph_from_lines(path, name=name, road_options=opts, progress=progress)
