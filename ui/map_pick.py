"""Hit tests for the map tools: which feature is under the mouse.

Events come in map metres; points are compared in pixels through the canvas'
projected (cached) coordinates, polygons in lon/lat, converted by the canvas
(:meth:`~wufei_gis.ui.map_canvas.MapCanvas.to_lonlat` / ``to_map``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from shapely.geometry import Point

if TYPE_CHECKING:
    from .map_canvas import MapCanvas

__all__ = ["PICK_PX", "pick_any", "pick_point", "pick_polygon", "pick_vertex"]

PICK_PX = 10  # how near (pixels) a click must be to a point or vertex to hit it


def pick_point(
    canvas: MapCanvas, event, layers=("candidates", "facilities")
) -> tuple[str, int] | None:
    """Return ``(layer, row)`` of the visible point nearest ``event`` within :data:`PICK_PX`."""
    best = None
    for layer in layers:
        df = canvas.layer_frame(layer)
        if df is None or not len(df) or not canvas.styles[layer].visible:
            continue
        xy = canvas.map_points(layer)
        d = np.hypot(*(canvas.ax.transData.transform(xy) - (event.x, event.y)).T)
        i = int(np.argmin(d))
        if d[i] <= PICK_PX and (best is None or d[i] < best[2]):
            best = (layer, i, d[i])
    return None if best is None else (best[0], best[1])


def pick_polygon(canvas: MapCanvas, lon: float, lat: float, layer: str) -> int | None:
    """Return the row of the visible ``layer`` polygon containing ``(lon, lat)``."""
    df = canvas.layer_frame(layer)
    if df is None or not len(df) or not canvas.styles[layer].visible:
        return None
    hits = df.sindex.query(Point(lon, lat), predicate="within")
    return int(hits[0]) if len(hits) else None


def pick_any(canvas: MapCanvas, event) -> tuple[str, int] | None:
    """Return the feature under ``event``: points first, then zones, then counties."""
    hit = pick_point(canvas, event, ("proposed_sites", "candidates", "facilities"))
    if hit:
        return hit
    lon, lat = canvas.to_lonlat(event.xdata, event.ydata)
    for layer in ("exclusions", "counties"):
        row = pick_polygon(canvas, lon, lat, layer)
        if row is not None:
            return layer, row
    return None


def pick_vertex(canvas: MapCanvas, event, vertices: list[tuple[float, float]]) -> int | None:
    """Return the index of the vertex (lon, lat) within :data:`PICK_PX` of ``event``."""
    if not vertices:
        return None
    lon, lat = np.asarray(vertices, dtype=float).T
    xy = np.column_stack(canvas.to_map(lon, lat))
    d = np.hypot(*(canvas.ax.transData.transform(xy) - (event.x, event.y)).T)
    i = int(np.argmin(d))
    return i if d[i] <= PICK_PX else None
