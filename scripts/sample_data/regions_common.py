"""Helpers shared by the build scripts of the seed-region samples (build_regions.py).

Stand-in locations: the seeds give no coordinates, so facilities sit at the
representative point of their county polygon (computed in a metric CRS), several in one
county on a 3 km circle around it; candidates are placed by fixed, documented rules.
"""

import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

ROOT = Path(__file__).resolve().parents[2]
D = ROOT / "data"
CRF = 0.08 * 1.08**20 / (1.08**20 - 1)  # capital recovery, 8 % over 20 years
FAC_COLS = "facility_id,name_zh,name_en,type,status,capacity_tpd,county_id,location_precision,lon,lat,source,note".split(
    ","
)
CAND_COLS = "candidate_id,name_zh,type,capacity_tpd,fixed_cost_yuan_yr,size_class,county_id,lon,lat,note".split(
    ","
)
GEN_COLS = ["county_id", "year", "generation_tpd", "source", "note"]


def src(seed, *offs):
    """``seed <id> @a; @b`` (an item ``(seed2, n)`` starts a second seed)."""
    parts = []
    for o in offs:
        if isinstance(o, tuple):
            parts.append(f"seed {o[0]} @{o[1]}")
        else:
            parts.append(f"@{o}")
    return f"seed {seed} " + "; ".join(parts)


class Region:
    """Boundaries of one sample region with metric geometry and representative points."""

    def __init__(self, key, crs):
        self.key = key
        self.crs = crs
        self.bnd = gpd.read_file(D / "boundaries" / f"{key}_counties.geojson")
        gu = self.bnd.to_crs(crs)
        self.poly = dict(zip(self.bnd.county_id, gu.geometry, strict=True))
        self.rep = {c: g.representative_point() for c, g in self.poly.items()}
        self.area = {c: g.area / 1e6 for c, g in self.poly.items()}
        self.name = dict(zip(self.bnd.county_id, self.bnd.name_zh, strict=True))
        self.name_en = dict(zip(self.bnd.county_id, self.bnd.name_en, strict=True))

    def to_lonlat(self, pts):
        xy = np.array([(p.x, p.y) for p in pts])
        ll = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=self.crs).to_crs(4326)
        return [(round(p.x, 6), round(p.y, 6)) for p in ll]

    def place(self, rows):
        """Facility rows -> DataFrame with county stand-in lon/lat and a location note."""
        by = {}
        for r in rows:
            by.setdefault(r["county_id"], []).append(r)
        pts = []
        for cid, rs in by.items():
            p0 = self.rep[cid]
            for i, r in enumerate(rs):
                if len(rs) == 1:
                    p, loc = (
                        p0,
                        f"placed at the representative point of {self.name[cid]} (county stand-in)",
                    )
                else:
                    a = math.radians(90 - 360.0 * i / len(rs))
                    p = Point(p0.x + 3000 * math.cos(a), p0.y + 3000 * math.sin(a))
                    loc = (
                        f"county stand-in = representative point of {self.name[cid]} offset 3 km at bearing "
                        f"{360.0 * i / len(rs):.0f}° (slot {i + 1} of {len(rs)}) so facilities sharing the unit do not overlap"
                    )
                assert self.poly[cid].contains(p), r["facility_id"]
                r["note"] = r["note"] + "; location: NOT in seed; " + loc
                r["location_precision"] = "county"
                pts.append((r, p))
        for (r, _), (lon, lat) in zip(pts, self.to_lonlat([p for _, p in pts]), strict=True):
            r["lon"], r["lat"] = lon, lat
        return pd.DataFrame([r for r, _ in pts])[FAC_COLS]

    def station_points(self, cid, n, dists=(10000, 12000, 8000, 14000, 15000)):
        """Up to ``n`` points ≥ 1 km inside the county, ``dist`` from its representative point."""
        p0, poly = self.rep[cid], self.poly[cid]
        found = []
        for dist in (*dists, 6000, 4000, 2000):
            inner = 1000 if dist >= 6000 else 300
            for step in range(8):
                ang = 45 + 360.0 / n * len(found) + step * 45
                a = math.radians(90 - ang)
                p = Point(p0.x + dist * math.cos(a), p0.y + dist * math.sin(a))
                if poly.buffer(-inner).contains(p) and all(p.distance(q) > 8000 for q, *_ in found):
                    found.append((p, dist, ang % 360))
                    break
            if len(found) == n:
                break
        return found

    def south_point(self, cid, km=5.0):
        p0 = self.rep[cid]
        p = Point(p0.x, p0.y - km * 1000)
        assert self.poly[cid].contains(p), cid
        return p


def ts_candidates(
    region,
    prefix,
    counties,
    *,
    capacity=450.0,
    fixed=2_800_000.0,
    size_class="",
    basis,
    big_km2=1500,
):
    """Transfer-station candidates: 2 in counties larger than ``big_km2``, else 1."""
    rows, pts = [], []
    for cid in counties:
        n = 2 if region.area[cid] > big_km2 else 1
        for k, (p, dist, ang) in enumerate(region.station_points(cid, n), 1):
            rows.append(
                dict(
                    candidate_id=f"{prefix}-CTS-{len(rows) + 1:02d}",
                    name_zh=f"{region.name[cid]}候选转运站{k}（示意）",
                    type="transfer_station",
                    capacity_tpd=capacity,
                    fixed_cost_yuan_yr=fixed,
                    size_class=size_class,
                    county_id=cid,
                    note=(
                        f"ILLUSTRATIVE candidate, not in the seed: stand-in point {dist / 1000:.0f} km at bearing {ang:.0f}° "
                        f"from the representative point of {region.name[cid]}; {basis}"
                    ),
                )
            )
            pts.append(p)
    for r, (lon, lat) in zip(rows, region.to_lonlat(pts), strict=True):
        r["lon"], r["lat"] = lon, lat
    return rows


def write_tables(key, facilities, candidates, generation, scenarios):
    facilities.to_csv(D / "facilities" / f"{key}_facilities.csv", index=False)
    pd.DataFrame(candidates)[CAND_COLS].to_csv(
        D / "facilities" / f"{key}_candidates.csv", index=False
    )
    g = pd.DataFrame(generation)[GEN_COLS]
    g.to_csv(D / "generation" / f"{key}_generation.csv", index=False)
    (D / "scenarios" / f"{key}_scenarios.json").write_text(
        json.dumps(scenarios, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def update_manifest(entries):
    """Add or replace the given entries in data/samples.json, leaving the others as they are."""
    path = D / "samples.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    m.update(entries)
    path.write_text(json.dumps(m, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def split_residual(values, total):
    """Round to 0.01 and add the rounding residual to the largest value; return (dict, key, diff)."""
    r = {k: round(v, 2) for k, v in values.items()}
    diff = round(round(total, 2) - sum(r.values()), 2)
    big = max(r, key=r.get)
    r[big] = round(r[big] + diff, 2)
    return r, big, diff
