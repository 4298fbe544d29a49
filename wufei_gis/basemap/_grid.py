"""The output raster of a basemap: a pixel grid over the map bounds in the map CRS."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from pyproj import CRS, Transformer

__all__ = ["MapGrid", "make_grid"]

WGS84 = CRS.from_epsg(4326)


@dataclass(frozen=True)
class MapGrid:
    """A north-up pixel grid covering ``bounds`` (map CRS units), row 0 at the top."""

    crs: CRS
    bounds: tuple[float, float, float, float]
    nx: int
    ny: int

    @property
    def dx(self) -> float:
        """Pixel width in map units."""
        return (self.bounds[2] - self.bounds[0]) / self.nx

    @property
    def dy(self) -> float:
        """Pixel height in map units."""
        return (self.bounds[3] - self.bounds[1]) / self.ny

    def extent(self) -> tuple[float, float, float, float]:
        """Return ``(left, right, bottom, top)`` for ``imshow``/``AxesImage``."""
        x0, y0, x1, y1 = self.bounds
        return (x0, x1, y0, y1)

    def lonlat(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Return WGS84 longitude and latitude (degrees) of every pixel centre, shape (ny, nx)."""
        x0, y0, x1, y1 = self.bounds
        xs = x0 + (np.arange(self.nx) + 0.5) * self.dx
        ys = y1 - (np.arange(self.ny) + 0.5) * self.dy
        gx, gy = np.meshgrid(xs, ys)
        if self.crs.is_geographic:
            return gx, gy
        tr = Transformer.from_crs(self.crs, WGS84, always_xy=True)
        lon, lat = tr.transform(gx, gy)
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def make_grid(crs: CRS, bounds: tuple[float, float, float, float], *, max_pixels: int) -> MapGrid:
    """Return a grid of square-ish pixels, ``max_pixels`` along the longer side of ``bounds``."""
    x0, y0, x1, y1 = bounds
    w, h = x1 - x0, y1 - y0
    long_side = max(w, h)
    nx = max(2, round(max_pixels * w / long_side))
    ny = max(2, round(max_pixels * h / long_side))
    return MapGrid(crs=crs, bounds=(x0, y0, x1, y1), nx=nx, ny=ny)
