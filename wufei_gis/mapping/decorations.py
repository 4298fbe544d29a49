"""Map furniture: scale bar (true metres), north arrow, and a degree graticule on a projected map.

All three draw into matplotlib axes whose data units are metres of a
projected CRS (:mod:`wufei_gis.mapping.crs`), after the axes limits are final.

- :func:`add_scale_bar`: a bar of a round number of kilometres; given the
  map's CRS, its length is corrected by the projection's scale factor at the
  map centre, so the bar measures ground distance (on a Gauss–Krüger zone the
  correction is below 0.05 %; on UTM it is the 0.9996 of the zone centre).
- :func:`add_north_arrow`: points to grid north (up); within a 3-degree zone
  true north differs from it by under two degrees.
- :func:`add_graticule`: meridians and parallels, computed in degrees and
  transformed to the map CRS (curved where the projection bends them), labelled
  in degrees at the frame (the axes' ticks), so coordinates stay readable in
  lon/lat on a metric map.

No Qt: the desktop map canvas and the print layouts both use these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from pyproj import CRS, Transformer

from ..projection import STORAGE_CRS

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.lines import Line2D

__all__ = [
    "GraticuleOptions",
    "add_graticule",
    "add_north_arrow",
    "add_scale_bar",
    "font_family",
    "graticule_step",
    "nice_scale_km",
    "scale_factor",
]

_LATIN = "DejaVu Sans"
#: Graticule spacings tried, in degrees (the first giving at most ``max_lines`` lines wins).
_STEPS = (0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)
#: Round scale bar lengths, km.
_NICE_KM = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


def font_family(font: str | None) -> list[str]:
    """Return the matplotlib font family list: the CJK font first (if any), then DejaVu Sans."""
    return [font, _LATIN] if font else [_LATIN]


def nice_scale_km(width_m: float, fraction: float = 0.25) -> float:
    """Return the round bar length (km) not longer than ``fraction`` of a map ``width_m`` wide.

    >>> nice_scale_km(120_000)
    25
    """
    target = abs(width_m) / 1000.0 * fraction
    return max([n for n in _NICE_KM if n <= target] or [_NICE_KM[0]])


def scale_factor(crs: Any, x: float, y: float) -> float:
    """Return the projection's scale factor (map metres per ground metre) at map point ``x, y``."""
    from pyproj import Proj

    c = CRS.from_user_input(crs)
    lon, lat = Transformer.from_crs(c, STORAGE_CRS, always_xy=True).transform(x, y)
    try:
        k = float(Proj(c).get_factors(lon, lat).meridional_scale)
    except Exception:  # a CRS pyproj cannot differentiate: draw map units
        return 1.0
    return k if np.isfinite(k) and k > 0 else 1.0


def add_scale_bar(
    ax: Axes,
    *,
    font: str | None = None,
    fraction: float = 0.25,
    crs: Any = None,
    target: Axes | None = None,
    loc: str = "lower left",
) -> float:
    """Draw a scale bar (km) of ``ax``'s map; return its length in km.

    Parameters
    ----------
    ax
        The map axes (data units: metres).
    font
        CJK font family of the label (``None``: DejaVu Sans).
    fraction
        The bar is the longest round length up to this share of the map width.
    crs
        The map's CRS: the bar is corrected by its scale factor at the map
        centre (ground distance); ``None`` = map metres.
    target
        Axes to draw the bar in (e.g. a layout's side panel); its length still
        follows ``ax``'s scale.  Default: ``ax`` itself.
    loc
        Where in ``target`` (a matplotlib legend location).
    """
    # mpl_toolkits ships in matplotlib's wheel but without a py.typed marker
    from mpl_toolkits.axes_grid1.anchored_artists import (  # type: ignore[import-untyped]
        AnchoredSizeBar,
    )

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    km = nice_scale_km(x1 - x0, fraction)
    k = scale_factor(crs, (x0 + x1) / 2, (y0 + y1) / 2) if crs is not None else 1.0
    bar = AnchoredSizeBar(
        ax.transData,
        km * 1000.0 * k,
        f"{km:g} km",
        loc,
        pad=0.4,
        borderpad=0.6,
        sep=3,
        frameon=target is None,
        size_vertical=abs(x1 - x0) / 250,
        fontproperties={"size": 7, "family": font_family(font)},
    )
    bar.patch.set_alpha(0.75)
    (target or ax).add_artist(bar)
    return float(km)


def add_north_arrow(
    ax: Axes,
    *,
    label: str = "N",
    font: str | None = None,
    xy: tuple[float, float] = (0.94, 0.95),
    length: float = 0.12,
) -> None:
    """Draw a north arrow (grid north of the map's projection) at axes fraction ``xy`` (its tip)."""
    ax.annotate(
        label,
        xy=xy,
        xytext=(xy[0], xy[1] - length),
        xycoords="axes fraction",
        textcoords="axes fraction",
        ha="center",
        va="center",
        fontsize=9,
        fontweight="normal" if font else "bold",  # the CJK font has no bold face
        fontfamily=font_family(font),
        arrowprops={
            "facecolor": "black",
            "edgecolor": "black",
            "width": 3,
            "headwidth": 9,
            "headlength": 8,
        },
    )


# --- graticule ------------------------------------------------------------------------------
@dataclass(frozen=True)
class GraticuleOptions:
    """How :func:`add_graticule` draws.

    Parameters
    ----------
    step
        Spacing in degrees; ``None`` = the first of 0.05, 0.1, 0.2, 0.25, 0.5,
        1, 2 … giving at most ``max_lines`` lines across the map.
    max_lines
        Most lines in each direction when ``step`` is ``None``.
    color, linewidth, zorder
        Line style (thin and light: the graticule sits under the data).
    fontsize
        Size of the degree labels at the frame.
    """

    step: float | None = None
    max_lines: int = 6
    color: str = "#9a9a9a"
    linewidth: float = 0.4
    zorder: float = 0.5
    fontsize: float = 7.0


def graticule_step(span_deg: float, max_lines: int = 6) -> float:
    """Return the graticule spacing (degrees) giving at most ``max_lines`` lines over ``span_deg``.

    >>> graticule_step(2.3)
    0.5
    """
    for s in _STEPS:
        if span_deg / s <= max_lines:
            return s
    return _STEPS[-1]


def _frame_lonlat(ax: Axes, to_geo: Transformer) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat of points along the frame of ``ax`` (the projected window's outline)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    t = np.linspace(0.0, 1.0, 25)
    xs = np.concatenate([x0 + (x1 - x0) * t, np.full(25, x1), x0 + (x1 - x0) * t, np.full(25, x0)])
    ys = np.concatenate([np.full(25, y0), y0 + (y1 - y0) * t, np.full(25, y1), y0 + (y1 - y0) * t])
    lon, lat = to_geo.transform(xs, ys)
    return np.asarray(lon), np.asarray(lat)


def _crossings(u: np.ndarray, v: np.ndarray, at: float) -> float | None:
    """Where a polyline ``(u, v)`` first crosses ``v == at`` (interpolated), else ``None``."""
    d = v - at
    hits = np.flatnonzero(np.sign(d[:-1]) * np.sign(d[1:]) <= 0)
    if not len(hits):
        return None
    i = int(hits[0])
    if d[i] == d[i + 1]:
        return float(u[i])
    return float(u[i] + (u[i + 1] - u[i]) * (d[i] / (d[i] - d[i + 1])))


def _deg_label(value: float, pos: str, neg: str) -> str:
    text = f"{abs(value):.2f}".rstrip("0").rstrip(".")
    return f"{text}°{pos if value >= 0 else neg}"


def add_graticule(ax: Axes, crs: Any, *, options: GraticuleOptions | None = None) -> list[Line2D]:
    """Draw meridians and parallels on a projected map and label them in degrees at the frame.

    Call after the axes limits are final.  The labels are the axes' ticks
    (bottom: longitudes where meridians cross the lower frame; left: latitudes
    where parallels cross the left frame), so they sit outside the map.

    Returns
    -------
    list of Line2D
        The drawn lines (meridians first).
    """
    o = options or GraticuleOptions()
    c = CRS.from_user_input(crs)
    to_geo = Transformer.from_crs(c, STORAGE_CRS, always_xy=True)
    to_map = Transformer.from_crs(STORAGE_CRS, c, always_xy=True)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    flon, flat = _frame_lonlat(ax, to_geo)
    lo_lon, hi_lon, lo_lat, hi_lat = flon.min(), flon.max(), flat.min(), flat.max()
    step_lon = o.step or graticule_step(hi_lon - lo_lon, o.max_lines)
    step_lat = o.step or graticule_step(hi_lat - lo_lat, o.max_lines)
    lons = np.arange(np.ceil(lo_lon / step_lon) * step_lon, hi_lon, step_lon)
    lats = np.arange(np.ceil(lo_lat / step_lat) * step_lat, hi_lat, step_lat)
    style: dict[str, Any] = {"color": o.color, "lw": o.linewidth, "zorder": o.zorder}
    lines: list[Line2D] = []
    xticks: list[tuple[float, str]] = []
    yticks: list[tuple[float, str]] = []
    t = np.linspace(0.0, 1.0, 60)
    for lon in lons:
        mx, my = to_map.transform(np.full(60, lon), lo_lat + (hi_lat - lo_lat) * t)
        lines += ax.plot(mx, my, **style)
        x = _crossings(np.asarray(mx), np.asarray(my), y0)
        if x is not None and x0 <= x <= x1:
            xticks.append((x, _deg_label(float(lon), "E", "W")))
    for lat in lats:
        mx, my = to_map.transform(lo_lon + (hi_lon - lo_lon) * t, np.full(60, lat))
        lines += ax.plot(mx, my, **style)
        y = _crossings(np.asarray(my), np.asarray(mx), x0)
        if y is not None and y0 <= y <= y1:
            yticks.append((y, _deg_label(float(lat), "N", "S")))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xticks([p for p, _ in xticks], [s for _, s in xticks], fontsize=o.fontsize)
    ax.set_yticks([p for p, _ in yticks], [s for _, s in yticks], fontsize=o.fontsize)
    ax.tick_params(direction="in", length=3, pad=2)
    return lines
