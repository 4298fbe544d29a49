"""Build the SYNTHETIC demonstration road layer of the Yuxi sample.

No real road data can be shipped or fetched here, so this script makes an
honest stand-in that exercises the road-network code end to end:

* a jittered grid of local roads (about 6 km spacing, 40 km/h) clipped to the
  county polygons, so routes must stay inside the region; and
* "trunk" roads (80 km/h) between every county's representative point and
  its nearest neighbours, and to each facility and candidate site.

It is NOT the real road network: routes and distances are illustrative only.
Every feature carries ``source = "synthetic demo network (scripts/build_demo_roads.py)"``.
For real planning, import an OpenStreetMap extract or your roads layer with
``wufei network import``.

Run:  python scripts/build_demo_roads.py   (writes data/networks/yuxi_demo_roads.geojson)
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "synthetic demo network (scripts/build_demo_roads.py)"


def main(sample: str = "yuxi", spacing_deg: float = 0.055, seed: int = 7) -> Path:
    rng = np.random.default_rng(seed)
    counties = gpd.read_file(ROOT / "data" / "boundaries" / f"{sample}_counties.geojson")
    region = shapely.union_all(counties.geometry.values).buffer(0.01)
    minx, miny, maxx, maxy = region.bounds
    xs = np.arange(minx, maxx + spacing_deg, spacing_deg)
    ys = np.arange(miny, maxy + spacing_deg, spacing_deg)
    gx, gy = np.meshgrid(xs, ys)
    gx = gx + rng.uniform(-0.2, 0.2, gx.shape) * spacing_deg
    gy = gy + rng.uniform(-0.2, 0.2, gy.shape) * spacing_deg
    lines, kinds = [], []
    for i in range(len(ys)):
        for j in range(len(xs)):
            for di, dj in ((0, 1), (1, 0)):
                a, b = i + di, j + dj
                if a < len(ys) and b < len(xs):
                    seg = LineString([(gx[i, j], gy[i, j]), (gx[a, b], gy[a, b])])
                    if region.contains(seg):
                        lines.append(seg)
                        kinds.append("unclassified")
    # trunk roads: county points to their 3 nearest neighbours, and to every site
    pts = counties.geometry.representative_point()
    xy = np.c_[pts.x, pts.y]
    for i in range(len(xy)):
        d = np.hypot(*(xy - xy[i]).T)
        for j in np.argsort(d)[1:4]:
            if i < j or i not in np.argsort(np.hypot(*(xy - xy[j]).T))[1:4]:
                lines.append(LineString([xy[i], xy[j]]))
                kinds.append("trunk")
    for name in (f"{sample}_facilities.csv", f"{sample}_candidates.csv"):
        sites = gpd.pd.read_csv(ROOT / "data" / "facilities" / name)
        for lon, lat in zip(sites["lon"], sites["lat"], strict=True):
            d = np.hypot(xy[:, 0] - lon, xy[:, 1] - lat)
            k = int(np.argmin(d))
            if d[k] > 1e-6:
                lines.append(LineString([xy[k], (lon, lat)]))
                kinds.append("secondary")
    gdf = gpd.GeoDataFrame(
        {"highway": kinds, "source": SOURCE},
        geometry=shapely.set_precision(np.array(lines, dtype=object), 1e-6),
        crs="EPSG:4326",
    )
    out = ROOT / "data" / "networks" / f"{sample}_demo_roads.geojson"
    out.parent.mkdir(parents=True, exist_ok=True)
    gdf.to_file(out, driver="GeoJSON")
    print(f"wrote {out}: {len(gdf)} lines ({(gdf.highway == 'trunk').sum()} trunk)")
    return out


if __name__ == "__main__":
    main()
