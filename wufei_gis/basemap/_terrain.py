"""Offline terrain: a hillshade from the global altitude grid that ships inside pvlib.

The DEM is ``pvlib/data/Altitude.h5`` (pvlib, BSD-3-Clause): one ``uint8`` band of 2160 x 4320
cells, 5 arc-minutes (about 9 km) per cell, cell centres at ``90 - (i + 0.5) / 12`` N and
``-180 + (j + 0.5) / 12`` E, altitude = ``value * 28 - 450`` m, 255 = no data (sea).  pvlib
documents it as a low-resolution map aggregated by Mapzen from open sources (SRTM, GMTED2010,
ETOPO1 and national DEMs); it is read here with h5py, only the window the map needs.  The
elevations are interpolated (cubic spline) at the map's own pixel centres, so the hillshade is
computed directly in the map CRS with metric pixel sizes: no separate reprojection step.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
from matplotlib.colors import LightSource, LinearSegmentedColormap, Normalize
from numpy.typing import NDArray
from scipy import ndimage

from ._grid import MapGrid

__all__ = [
    "dem_path",
    "sample_dem",
    "terrain_rgba",
    "resize_rgba",
    "TERRAIN_ATTRIBUTION",
    "TERRAIN_MAX_PIXELS",
]

#: cells per degree, rows and columns of the grid
_CELLS = 12
_ROWS, _COLS = 180 * _CELLS, 360 * _CELLS
_STEP_M, _OFFSET_M, _NODATA = 28.0, -450.0, 255

#: longest side of the relief image (pixels): the ~9 km cells show no more detail than this
TERRAIN_MAX_PIXELS = 600

#: label key of the credit line (pvlib altitude grid; Mapzen: SRTM, GMTED2010, ETOPO1)
TERRAIN_ATTRIBUTION = "basemap.attr.terrain"

# muted hypsometric tints: low green-grey to high light brown, kept pale so data stays readable
_TINTS = LinearSegmentedColormap.from_list(
    "wufei_terrain",
    ["#c9d9c0", "#dfe5c4", "#ece4c8", "#e3d3b5", "#d6c2a8", "#f2efe9"],
)
_SEA = np.array([0.80, 0.87, 0.93])


def dem_path() -> Path | None:
    """Return the path of pvlib's ``Altitude.h5``, or None if pvlib is not installed."""
    spec = importlib.util.find_spec("pvlib")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "data" / "Altitude.h5"
    return path if path.is_file() else None


def sample_dem(
    path: Path, lon: NDArray[np.float64], lat: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Return the elevation (m) at each ``lon``/``lat``; NaN over the sea or outside the grid.

    Only the window of the file that covers the points (plus a margin for the spline) is read.
    """
    import h5py

    rows = (90.0 - lat) * _CELLS - 0.5
    cols = (lon + 180.0) * _CELLS - 0.5
    r0 = int(np.clip(np.floor(np.nanmin(rows)) - 3, 0, _ROWS - 1))
    r1 = int(np.clip(np.ceil(np.nanmax(rows)) + 4, r0 + 1, _ROWS))
    c0 = int(np.clip(np.floor(np.nanmin(cols)) - 3, 0, _COLS - 1))
    c1 = int(np.clip(np.ceil(np.nanmax(cols)) + 4, c0 + 1, _COLS))
    with h5py.File(path, "r") as f:
        raw = np.asarray(f["Altitude"][r0:r1, c0:c1])
    sea = raw == _NODATA
    elev = raw.astype(float) * _STEP_M + _OFFSET_M
    elev[sea] = 0.0
    coords = np.stack([rows - r0, cols - c0])
    out = ndimage.map_coordinates(elev, coords, order=3, mode="nearest")
    wet = ndimage.map_coordinates(sea.astype(float), coords, order=1, mode="nearest")
    inside = (rows > -0.5) & (rows < _ROWS - 0.5) & (cols > -0.5) & (cols < _COLS - 0.5)
    return np.where((wet < 0.5) & inside, out, np.nan)


def terrain_rgba(
    elev: NDArray[np.float64], grid: MapGrid, *, vert_exag: float, fade: float
) -> NDArray[np.float64]:
    """Return a pale shaded-relief RGBA image (ny, nx, 4) of ``elev`` on ``grid``.

    Hillshade by :class:`matplotlib.colors.LightSource` (light from the north-west, 45 degrees
    up) multiplied into hypsometric tints, then blended toward white by ``fade`` (0 = full
    strength).
    """
    land = np.isfinite(elev)
    filled = np.where(land, elev, 0.0)
    lo, hi = (float(np.min(filled[land])), float(np.max(filled[land]))) if land.any() else (0, 1)
    norm = Normalize(vmin=min(lo, hi - 1.0), vmax=max(hi, lo + 1.0))
    shade = LightSource(azdeg=315, altdeg=45).hillshade(
        filled, vert_exag=vert_exag, dx=grid.dx, dy=grid.dy
    )
    tint = _TINTS(norm(filled))[..., :3]
    # multiply: flat ground (shade ~0.7) keeps its tint, lit slopes brighten, shaded ones darken
    rgb = tint * (0.35 + 0.9 * shade[..., None])
    rgb[~land] = _SEA
    rgb = rgb * (1.0 - fade) + fade
    alpha = np.ones(land.shape + (1,))
    return np.concatenate([np.clip(rgb, 0.0, 1.0), alpha], axis=-1)


def resize_rgba(rgba: NDArray[np.float64], shape: tuple[int, ...]) -> NDArray[np.float64]:
    """Return ``rgba`` resampled (bilinear, pixel centres aligned) to ``shape`` = (ny, nx)."""
    ny, nx = shape[0], shape[1]
    if rgba.shape[:2] == (ny, nx):
        return rgba
    rows = (np.arange(ny) + 0.5) * rgba.shape[0] / ny - 0.5
    cols = (np.arange(nx) + 0.5) * rgba.shape[1] / nx - 0.5
    rr, cc = np.meshgrid(rows, cols, indexing="ij")
    bands = [
        ndimage.map_coordinates(rgba[..., b], [rr, cc], order=1, mode="nearest") for b in range(4)
    ]
    return np.stack(bands, axis=-1)
