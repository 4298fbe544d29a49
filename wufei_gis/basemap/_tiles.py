"""Online XYZ tiles: provider lookup, Web-Mercator tile maths, a disk cache, warping.

Tiles are fetched with :mod:`urllib` in daemon threads under one deadline, so an offline
machine, a black-holed host or a slow DNS answer costs at most ``timeout`` seconds and never
raises.  Every fetched tile is written to the cache (``<cache>/<provider>/<z>/<x>/<y>.png``)
and read from there afterwards without the network.  The mosaic is warped to the map grid pixel
by pixel: map CRS -> WGS84 (pyproj) -> GCJ-02 for AMap/Gaode tiles -> tile pixel (bilinear).
"""

from __future__ import annotations

import hashlib
import io
import math
import queue
import re
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image
from scipy import ndimage

from ._gcj02 import wgs84_to_gcj02
from ._grid import MapGrid

__all__ = [
    "TileSource",
    "TileFetchError",
    "resolve_source",
    "choose_zoom",
    "plan_zoom",
    "tile_lonlat",
    "FetchPlan",
    "tile_range",
    "fetch_tiles",
    "warp_mosaic",
]

TILE = 256
_USER_AGENT = "wufei-gis basemap (desktop planning tool)"
_MAX_TILES = 64
_TIANDITU = {
    "Tianditu.Vector": "vec",
    "Tianditu.VectorLabels": "cva",
    "Tianditu.Image": "img",
    "Tianditu.ImageLabels": "cia",
    "Tianditu.Terrain": "ter",
    "Tianditu.TerrainLabels": "cta",
}
_TIANDITU_URL = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={{key}}"
)


@dataclass(frozen=True)
class TileSource:
    """One XYZ tile layer: URL template with ``{x}``, ``{y}``, ``{z}`` (and ``{s}``, ``{key}``)."""

    name: str
    url: str
    attribution: str
    max_zoom: int = 18
    gcj02: bool = False
    needs_key: bool = False
    subdomains: str = "abc"

    def tile_url(self, z: int, x: int, y: int, *, key: str | None = None) -> str:
        """Return the URL of tile ``z/x/y``."""
        s = self.subdomains[(x + y) % len(self.subdomains)] if self.subdomains else ""
        fields = {"x": x, "y": y, "z": z, "s": s, "key": key or "", "r": ""}
        return re.sub(r"\{(\w+)\}", lambda m: str(fields.get(m.group(1), m.group(0))), self.url)

    def cache_name(self) -> str:
        """Return a folder name for this source's cached tiles."""
        if "://" not in self.name:
            return re.sub(r"[^A-Za-z0-9_.-]", "_", self.name)
        return "url-" + hashlib.sha1(self.url.encode()).hexdigest()[:16]


class TileFetchError(Exception):
    """The tiles could not all be had from the cache or the network (``reason``: a label key)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


def _is_gcj02(name: str, url: str) -> bool:
    low = (name + " " + url).lower()
    return any(s in low for s in ("gaode", "amap", "autonavi"))


def resolve_source(source: str) -> TileSource | None:
    """Return the tile source named ``source``, or None if it is neither known nor a template.

    ``source`` is an xyzservices provider name (``"OpenStreetMap.Mapnik"``, ``"Gaode.Normal"``;
    case and dots do not matter), a ``"Tianditu.*"`` layer (needs a key), or an XYZ URL template
    containing ``{x}``, ``{y}`` and ``{z}``.
    """
    if "://" in source:
        if not all(f"{{{k}}}" in source for k in "xyz"):
            return None
        return TileSource(source, source, "", gcj02=_is_gcj02("", source))
    tdt = {k.lower(): (k, v) for k, v in _TIANDITU.items()}.get(source.lower())
    if tdt is not None:
        url = _TIANDITU_URL.format(layer=tdt[1], s="{s}")
        return TileSource(tdt[0], url, "Tianditu", 18, needs_key=True, subdomains="01234567")
    import xyzservices

    try:
        p = xyzservices.providers.query_name(source)
    except ValueError:
        return None
    if "{x}" not in p.get("url", ""):
        return None
    sub = p.get("subdomains", "abc")
    needs_key = bool(p.requires_token())
    return TileSource(
        name=p.name,
        url=p.url if needs_key else p.build_url(fill_subdomain=False, scale_factor=""),
        attribution=str(p.get("attribution", "")),
        max_zoom=int(p.get("max_zoom", 18)),
        gcj02=_is_gcj02(p.name, p.url),
        needs_key=needs_key,
        subdomains=sub if isinstance(sub, str) else "".join(sub),
    )


def tile_lonlat(
    src: TileSource, lon: NDArray[np.float64], lat: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return WGS84 ``lon``/``lat`` in ``src``'s datum (shifted to GCJ-02 for AMap/Gaode)."""
    return wgs84_to_gcj02(lon, lat) if src.gcj02 else (lon, lat)


def plan_zoom(
    src: TileSource, lon: NDArray[np.float64], lat: NDArray[np.float64], z: int
) -> tuple[int, tuple[int, int, int, int]]:
    """Return ``z`` (lowered while more than 64 tiles would be needed) and its tile range.

    ``lon``/``lat`` are the grid's pixel centres (ny, nx); only its border pixels are used.
    """
    if lon.ndim == 2:
        lon = np.concatenate([lon[0], lon[-1], lon[:, 0], lon[:, -1]])
        lat = np.concatenate([lat[0], lat[-1], lat[:, 0], lat[:, -1]])
    while True:
        xy = tile_range(lon, lat, z)
        if z == 0 or (xy[2] - xy[0] + 1) * (xy[3] - xy[1] + 1) <= _MAX_TILES:
            return z, xy
        z -= 1


def _mercator_px(
    lon: NDArray[np.float64], lat: NDArray[np.float64], z: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return global Web-Mercator pixel coordinates of lon/lat at zoom ``z``."""
    n = TILE * 2.0**z
    lat_r = np.radians(np.clip(lat, -85.05112878, 85.05112878))
    x = (lon + 180.0) / 360.0 * n
    y = (1.0 - np.log(np.tan(lat_r) + 1.0 / np.cos(lat_r)) / np.pi) / 2.0 * n
    return x, y


def choose_zoom(grid: MapGrid, lat: float, *, max_zoom: int) -> int:
    """Return the zoom whose tile pixels are about the size of the grid's pixels (metres)."""
    res = max(grid.dx, grid.dy)
    if grid.crs.is_geographic:
        res *= 111_320.0 * math.cos(math.radians(lat))
    m_per_px0 = 156_543.03392 * math.cos(math.radians(lat))
    z = math.ceil(math.log2(m_per_px0 / max(res, 1e-6)))
    return max(0, min(z, max_zoom))


def tile_range(
    lon: NDArray[np.float64], lat: NDArray[np.float64], z: int
) -> tuple[int, int, int, int]:
    """Return ``(x0, y0, x1, y1)``, the inclusive tile indices covering the points at zoom ``z``."""
    px, py = _mercator_px(lon, lat, z)
    last = 2**z - 1
    x0, x1 = (
        int(np.clip(np.nanmin(px) // TILE, 0, last)),
        int(np.clip(np.nanmax(px) // TILE, 0, last)),
    )
    y0, y1 = (
        int(np.clip(np.nanmin(py) // TILE, 0, last)),
        int(np.clip(np.nanmax(py) // TILE, 0, last)),
    )
    return x0, y0, x1, y1


def _tile_path(cache: Path, src: TileSource, z: int, x: int, y: int) -> Path:
    return cache / src.cache_name() / str(z) / str(x) / f"{y}.png"


def _read_tile(path: Path) -> NDArray[np.uint8] | None:
    try:
        with Image.open(path) as im:
            return np.asarray(im.convert("RGBA").resize((TILE, TILE)))
    except (OSError, ValueError):
        return None


def _download(url: str, timeout: float) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        data: bytes = resp.read()
    Image.open(io.BytesIO(data)).verify()  # an HTML error page is not a tile
    return data


def _worker(jobs: queue.Queue[tuple[str, Path]], errors: list[str], deadline: float) -> None:
    while not errors:
        try:
            url, path = jobs.get_nowait()
        except queue.Empty:
            return
        try:
            data = _download(url, max(0.1, deadline - time.monotonic()))
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".part")
            tmp.write_bytes(data)
            tmp.replace(path)
        except urllib.error.HTTPError as exc:
            errors.append(f"HTTP {exc.code}")
        except Exception as exc:  # offline, refused, timeout, not an image: all skip the layer
            errors.append(type(exc).__name__)


def _download_missing(missing: list[tuple[str, Path]], timeout: float) -> None:
    """Download ``(url, path)`` pairs within ``timeout`` seconds or raise TileFetchError."""
    jobs: queue.Queue[tuple[str, Path]] = queue.Queue()
    for job in missing:
        jobs.put(job)
    errors: list[str] = []
    deadline = time.monotonic() + timeout
    threads = [
        threading.Thread(target=_worker, args=(jobs, errors, deadline), daemon=True)
        for _ in range(min(4, len(missing)))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    if errors:
        http = next((e for e in errors if e.startswith("HTTP")), None)
        raise TileFetchError("basemap.note.http" if http else "basemap.note.offline", http or "")
    if any(t.is_alive() for t in threads):
        raise TileFetchError("basemap.note.offline")


@dataclass(frozen=True)
class FetchPlan:
    """Which tiles to fetch: source, zoom, inclusive tile range, cache folder and key."""

    src: TileSource
    z: int
    xy: tuple[int, int, int, int]
    cache: Path
    key: str | None = None
    timeout: float = 3.0
    offline: bool = False


def fetch_tiles(plan: FetchPlan) -> NDArray[np.uint8]:
    """Return the RGBA mosaic of the plan's tiles, from the cache or else the network.

    Raises
    ------
    TileFetchError
        When a tile is neither cached nor downloadable within ``plan.timeout`` seconds.
    """
    x0, y0, x1, y1 = plan.xy
    paths = {
        (x, y): _tile_path(plan.cache, plan.src, plan.z, x, y)
        for x in range(x0, x1 + 1)
        for y in range(y0, y1 + 1)
    }
    missing = [
        (plan.src.tile_url(plan.z, x, y, key=plan.key), p)
        for (x, y), p in paths.items()
        if not p.is_file()
    ]
    if missing and plan.offline:
        raise TileFetchError("basemap.note.offline")
    if missing:
        _download_missing(missing, plan.timeout)
    mosaic = np.zeros(((y1 - y0 + 1) * TILE, (x1 - x0 + 1) * TILE, 4), dtype=np.uint8)
    for (x, y), p in paths.items():
        tile = _read_tile(p)
        if tile is None:
            raise TileFetchError("basemap.note.offline")
        r, c = (y - y0) * TILE, (x - x0) * TILE
        mosaic[r : r + TILE, c : c + TILE] = tile
    return mosaic


def warp_mosaic(
    mosaic: NDArray[np.uint8],
    plan: FetchPlan,
    lon: NDArray[np.float64],
    lat: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Resample ``mosaic`` at the grid's pixel centres; return RGBA floats (ny, nx, 4).

    ``lon``/``lat`` are in the tiles' own datum: WGS84, or GCJ-02 for AMap/Gaode
    (:func:`tile_lonlat`).
    """
    px, py = _mercator_px(lon, lat, plan.z)
    cols = px - plan.xy[0] * TILE - 0.5
    rows = py - plan.xy[1] * TILE - 0.5
    out = np.empty(lon.shape + (4,))
    for band in range(4):
        out[..., band] = ndimage.map_coordinates(
            mosaic[..., band].astype(float), [rows, cols], order=1, mode="constant", cval=0.0
        )
    return np.clip(out / 255.0, 0.0, 1.0)
