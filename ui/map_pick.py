"""Hit tests for the map tools: which feature is under the mouse."""

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
        xy = np.column_stack([df.geometry.x.to_numpy(), df.geometry.y.to_numpy()])
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
    for layer in ("exclusions", "counties"):
        row = pick_polygon(canvas, event.xdata, event.ydata, layer)
        if row is not None:
            return layer, row
    return None


def pick_vertex(canvas: MapCanvas, event, vertices: list[tuple[float, float]]) -> int | None:
    """Return the index of the vertex within :data:`PICK_PX` of ``event``, nearest first."""
    if not vertices:
        return None
    d = np.hypot(*(canvas.ax.transData.transform(np.asarray(vertices)) - (event.x, event.y)).T)
    i = int(np.argmin(d))
    return i if d[i] <= PICK_PX else None
