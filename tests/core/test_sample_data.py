"""Checks of the embedded sample data files themselves (data/)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

DATA = Path(__file__).parents[2] / "data"
SAMPLES = ("yuxi", "jincheng")
N_COUNTIES = {"yuxi": 9, "jincheng": 6}
BOUNDS = {"yuxi": (101.0, 23.2, 103.2, 25.0), "jincheng": (111.8, 35.1, 113.7, 36.1)}
UTM = {"yuxi": "EPSG:32648", "jincheng": "EPSG:32649"}
AREA_KM2 = {"yuxi": 15000.0, "jincheng": 9490.0}
#: documented 2020 city totals, t/d (Yuxi 47.12万 t treated, Jincheng 53.37万 t collected)
TOTAL_TPD = {"yuxi": 471200 / 365, "jincheng": 533700 / 365}
SEEDS = {"yuxi": "000_c16f0f7a82d733c2", "jincheng": "003_1dbbb06e4be99a0e"}

FAC_COLS = [
    "facility_id",
    "name_zh",
    "name_en",
    "type",
    "status",
    "capacity_tpd",
    "county_id",
    "location_precision",
    "lon",
    "lat",
    "source",
    "note",
]
CAND_COLS = [
    "candidate_id",
    "name_zh",
    "type",
    "capacity_tpd",
    "fixed_cost_yuan_yr",
    "size_class",
    "county_id",
    "lon",
    "lat",
    "note",
]
GEN_COLS = ["county_id", "year", "generation_tpd", "source", "note"]
TYPES = {"landfill", "incinerator", "transfer_station", "kitchen_waste", "sorting_centre", "other"}
STATUSES = {"operating", "under_construction", "planned", "closed"}
PRECISIONS = {"exact", "town", "county"}
SOURCE_RE = re.compile(r"^seed (\d{3}_[0-9a-f]{16}) @\d+(; (seed \d{3}_[0-9a-f]{16} )?@\d+)*$")
SCENARIO_KEYS = {
    "periods",
    "horizon_end_year",
    "discount_rate",
    "period_overrides",
    "closures",
    "name",
    "description",
    "target_year",
    "generation_growth_rate",
    "in_service_statuses",
    "facility_status",
    "facility_capacity",
    "candidate_ids",
    "required_candidates",
    "forbidden_candidates",
    "use_exclusions",
    "circuity_factor",
    "collection_cost_yuan_tkm",
    "transfer_cost_yuan_tkm",
    "gate_cost_yuan_t",
    "unserved_penalty_yuan_t",
    "network",
    "max_direct_haul_km",
    "demand_level",
    "max_collection_km",
    "max_collection_min",
    "collection_speed_kmh",
    "candidates_at_towns",
    "incineration_share_min",
    "landfill_cap_tpd",
    "max_new_sites",
    "exact_new_sites",
    "single_sourcing",
    "county_self_sufficiency",
    "solver",
    "time_limit_s",
    "mip_gap",
    "threads",
    "streams",
    "incineration_capacity_share_min",
    "stream_max_haul_km",
    "min_load_share",
    "min_load_shortfall_yuan_t",
    "raw_landfill_penalty_yuan_t",
    "fly_ash_landfill_max_tpd",
    "kitchen_coverage_min",
    "kpi_factors",
}


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(
        path, dtype={"county_id": str, "size_class": str}, keep_default_na=False, na_values=[""]
    )


@pytest.fixture(scope="module", params=SAMPLES)
def sample(request):
    key = request.param
    return {
        "key": key,
        "counties": gpd.read_file(DATA / "boundaries" / f"{key}_counties.geojson"),
        "facilities": _csv(DATA / "facilities" / f"{key}_facilities.csv"),
        "candidates": _csv(DATA / "facilities" / f"{key}_candidates.csv"),
        "generation": _csv(DATA / "generation" / f"{key}_generation.csv"),
        "scenarios": json.loads((DATA / "scenarios" / f"{key}_scenarios.json").read_text("utf-8")),
    }


def test_boundaries(sample):
    c, key = sample["counties"], sample["key"]
    assert len(c) == N_COUNTIES[key]
    assert c.crs.to_epsg() == 4326
    assert c.county_id.is_unique and c.county_id.str.fullmatch(r"\d{6}").all()
    assert {"county_id", "name_zh", "name_en", "source", "note"} <= set(c.columns)
    assert c.geometry.is_valid.all() and not c.geometry.is_empty.any()
    assert set(c.geom_type) <= {"Polygon", "MultiPolygon"}
    xmin, ymin, xmax, ymax = c.total_bounds
    bx = BOUNDS[key]
    assert bx[0] <= xmin and bx[1] <= ymin and xmax <= bx[2] and ymax <= bx[3]
    area = c.to_crs(UTM[key]).area.sum() / 1e6
    assert area == pytest.approx(AREA_KM2[key], rel=0.03)
    # coverage: neighbours should barely overlap after simplification
    u = c.to_crs(UTM[key])
    assert u.union_all().area / 1e6 == pytest.approx(area, rel=1e-3)


def test_boundary_names():
    y = gpd.read_file(DATA / "boundaries" / "yuxi_counties.geojson")
    assert set(y.name_zh) == {
        "红塔区",
        "江川区",
        "澄江市",
        "通海县",
        "华宁县",
        "易门县",
        "峨山彝族自治县",
        "新平彝族傣族自治县",
        "元江哈尼族彝族傣族自治县",
    }
    j = gpd.read_file(DATA / "boundaries" / "jincheng_counties.geojson")
    assert set(j.name_zh) == {"城区", "泽州县", "高平市", "阳城县", "沁水县", "陵川县"}


def test_facilities(sample):
    f, c, key = sample["facilities"], sample["counties"], sample["key"]
    airspace = ["remaining_airspace_m3", "compaction_t_m3"]  # optional (landfills, phasing)
    assert [c for c in f.columns if c not in airspace] == FAC_COLS
    if airspace[0] in f.columns:
        lf = f[f["type"] == "landfill"]
        assert (lf[airspace[0]] > 0).all() and (lf[airspace[1]] > 0).all()
        assert f.loc[f["type"] != "landfill", airspace[0]].isna().all()
    assert f.facility_id.is_unique
    assert set(f.type) <= TYPES and set(f.status) <= STATUSES
    assert set(f.location_precision) <= PRECISIONS
    assert (f.capacity_tpd >= 0).all() and f.capacity_tpd.notna().all()
    assert set(f.county_id) <= set(c.county_id)
    assert f.note.notna().all() and f.name_zh.notna().all()
    for s in f.source:
        m = SOURCE_RE.match(s)
        assert m and m.group(1) == SEEDS[key], s
    # every facility inside (or within 1 km of) its county polygon
    pts = gpd.GeoSeries(gpd.points_from_xy(f.lon, f.lat), crs=4326).to_crs(UTM[key])
    polys = c.set_index("county_id").to_crs(UTM[key]).geometry
    for fid, cid, p in zip(f.facility_id, f.county_id, pts, strict=True):
        assert polys[cid].distance(p) <= 1000, fid


def test_candidates(sample):
    cand, c, key = sample["candidates"], sample["counties"], sample["key"]
    assert list(cand.columns) == CAND_COLS
    assert cand.candidate_id.is_unique
    assert not set(cand.candidate_id) & set(sample["facilities"].facility_id)
    assert set(cand.type) <= {"landfill", "incinerator", "transfer_station"}
    assert (cand.capacity_tpd > 0).all() and (cand.fixed_cost_yuan_yr >= 0).all()
    assert set(cand.county_id) <= set(c.county_id)
    assert cand.note.str.contains("ILLUSTRATIVE").all()
    pts = gpd.GeoSeries(gpd.points_from_xy(cand.lon, cand.lat), crs=4326).to_crs(UTM[key])
    polys = c.set_index("county_id").to_crs(UTM[key]).geometry
    for cid, p in zip(cand.county_id, pts, strict=True):
        assert polys[cid].distance(p) <= 1000


def test_generation(sample):
    g, c, key = sample["generation"], sample["counties"], sample["key"]
    assert list(g.columns) == GEN_COLS
    assert set(g.county_id) == set(c.county_id)
    assert not g.duplicated(["county_id", "year"]).any()
    assert (g.generation_tpd > 0).all()
    for year, grp in g.groupby("year"):
        if year == 2020:
            assert abs(grp.generation_tpd.sum() - TOTAL_TPD[key]) <= 0.01
    assert g.note.str.startswith("estimate:").all()
    assert all(SOURCE_RE.match(s) for s in g.source)


def test_yuxi_documented_capacities():
    f = _csv(DATA / "facilities" / "yuxi_facilities.csv")
    lf = f[f.type == "landfill"]
    assert len(lf) == 6 and lf.capacity_tpd.sum() == pytest.approx(1032)
    assert (lf.status == "operating").all()
    inc = f[f.type == "incinerator"].set_index("facility_id")
    assert (
        inc.loc["YX-INC-01", "capacity_tpd"] == 700
        and inc.loc["YX-INC-01", "status"] == "operating"
    )
    assert sorted(inc.capacity_tpd) == [300, 300, 700, 700]
    ts = f[f.facility_id.str.startswith("YX-TS-") & f.name_zh.str.startswith("红塔区")]
    assert len(ts) == 4 and (ts.capacity_tpd == 200).all()


def test_jincheng_documented_counts():
    f = _csv(DATA / "facilities" / "jincheng_facilities.csv")
    assert (f.type == "landfill").sum() == 5
    # no capacity is given in seed 003: every row must say so
    assert f.note.str.contains("NOT in seed").all()


def test_scenarios(sample):
    sc, key = sample["scenarios"], sample["key"]
    assert isinstance(sc, list) and sc
    names = [s["name"] for s in sc]
    assert len(set(names)) == len(names) and "baseline-2020" in names and "plan-2025" in names
    fids = set(sample["facilities"].facility_id)
    cids = set(sample["candidates"].candidate_id)
    for s in sc:
        assert set(s) <= SCENARIO_KEYS, set(s) - SCENARIO_KEYS
        assert set(s.get("in_service_statuses", [])) <= STATUSES
        assert set(s.get("facility_status", {})) <= fids
        assert set(s.get("candidate_ids") or []) <= cids
    plan = next(s for s in sc if s["name"] == "plan-2025")
    assert plan["incineration_share_min"] == {"yuxi": 0.65, "jincheng": 0.75}[key]


def test_manifest():
    m = json.loads((DATA / "samples.json").read_text("utf-8"))
    assert set(SAMPLES) <= set(m)  # the seed-region samples: tests/core/test_regions.py
    for key in SAMPLES:
        v = m[key]
        assert v["seed"] == SEEDS[key]
        for k in ("title_zh", "title_en", "default_scenario", "description_en", "description_zh"):
            assert v[k]
        sc = json.loads((DATA / "scenarios" / f"{key}_scenarios.json").read_text("utf-8"))
        assert v["default_scenario"] in {s["name"] for s in sc}
