"""Towns: import checks, the county -> town split, generated candidates."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from wufei_gis.catchments import CandidateOptions, generate_candidates, station_catchments
from wufei_gis.cli import main
from wufei_gis.errors import InputError
from wufei_gis.project import Project
from wufei_gis.samples import load_sample
from wufei_gis.towns import TownImport, prepare_towns, read_towns, split_demand


@pytest.fixture(scope="module")
def yuxi() -> Project:
    return load_sample("yuxi")


def _towns(rows: list[dict[str, object]], crs: str | None = "EPSG:4326") -> gpd.GeoDataFrame:
    df = pd.DataFrame(rows)
    geom = [Point(r["lon"], r["lat"]) for r in rows]
    return gpd.GeoDataFrame(df.drop(columns=["lon", "lat"]), geometry=geom, crs=crs)


def _two(yuxi: Project) -> list[dict[str, object]]:
    """Two real towns of the sample (Hongta, 530402)."""
    t = yuxi.towns[yuxi.towns["county_id"] == "530402"].iloc[:2]
    return [
        {"town_id": r.town_id, "name_zh": r.name_zh, "lon": r.geometry.x, "lat": r.geometry.y}
        for r in t.itertuples()
    ]


def test_sample_towns_have_source_and_precision(yuxi):
    t = yuxi.towns
    assert len(t) == 51 and t["town_id"].is_unique
    assert t["source"].str.contains("GeoNames cities500").all()
    assert (t["location_precision"] == "town").all()
    assert set(t["county_id"]) <= set(yuxi.counties["county_id"])
    jc = load_sample("jincheng")
    assert "140581" not in set(jc.towns["county_id"])  # 高平市: no GeoNames town


def test_split_preserves_county_totals_and_states_basis(yuxi):
    dem = yuxi.demand(yuxi.scenario("plan-2025")).set_index("county_id")["generation_tpd"]
    pts = split_demand(dem, yuxi.towns, yuxi.counties)
    for cid, total in dem.items():
        parts = pts.loc[pts["county_id"] == cid, "demand_tpd"].tolist()
        assert math.fsum(parts) == total  # exactly: the last part is the remainder
    hongta = pts[pts["county_id"] == "530402"]
    assert set(hongta["basis"]) == {"equal"}  # GeoNames gives one population of nine
    assert len(pts) == 51


def test_population_and_weight_shares_and_county_point():
    jc = load_sample("jincheng")
    towns = jc.towns.copy()
    towns["population"] = [300.0, 100.0, 1, 1, 1, 1, 1][: len(towns)]
    cid = towns["county_id"].iloc[0]
    same = towns["county_id"] == cid
    dem = pd.Series(100.0, index=jc.counties["county_id"].astype(str))
    pts = split_demand(dem, towns, jc.counties)
    c = pts[pts["county_id"] == cid]
    assert list(c["basis"].unique()) == ["population"] and c["demand_tpd"].tolist() == [75.0, 25.0]
    towns.loc[same, "weight"] = [1.0, 3.0]
    c = split_demand(dem, towns, jc.counties)
    assert c.loc[c["county_id"] == cid, "demand_tpd"].tolist() == [25.0, 75.0]
    gaoping = pts[pts["county_id"] == "140581"]
    assert gaoping["basis"].tolist() == ["county_point"] and "no towns" in gaoping["note"].iloc[0]
    assert gaoping.geometry.iloc[0].within(
        jc.counties.loc[jc.counties["county_id"] == "140581"].geometry.iloc[0]
    )


def test_all_zero_weights_and_partial_weights_are_refused():
    jc = load_sample("jincheng")
    towns = jc.towns.copy()
    cid = towns["county_id"].iloc[0]
    same = towns["county_id"] == cid
    dem = pd.Series(100.0, index=jc.counties["county_id"].astype(str))
    towns.loc[same, "weight"] = 0.0
    with pytest.raises(InputError, match=r"all 2 of its towns have weight 0") as e:
        split_demand(dem, towns, jc.counties)
    assert e.value.field == "weight" and e.value.row == 1
    towns.loc[towns.index[0], "weight"] = float("nan")
    towns.loc[towns.index[1], "weight"] = 2.0
    with pytest.raises(InputError, match="the others none"):
        split_demand(dem, towns, jc.counties)


def test_spatial_join_polygons_and_bad_rows(yuxi, tmp_path):
    rows = _two(yuxi)
    raw = _towns(rows)
    raw.loc[0, "geometry"] = raw.geometry.iloc[0].buffer(0.01)  # a polygon town
    towns, warnings = prepare_towns(raw, yuxi.counties)
    assert (towns.geom_type == "Point").all() and list(towns["county_id"]) == ["530402"] * 2
    assert warnings == []
    with pytest.raises(InputError, match="duplicate town_id"):
        prepare_towns(_towns([rows[0], rows[0]]), yuxi.counties)
    for pop, msg in ((0, "population 0"), (-5, "below the minimum")):
        with pytest.raises(InputError, match=msg) as e:
            prepare_towns(_towns([{**rows[0], "population": pop}]), yuxi.counties)
        assert e.value.field == "population" and e.value.row == 1
    with pytest.raises(InputError, match="no coordinate reference system"):
        prepare_towns(_towns(rows, crs=None), yuxi.counties)
    shp = tmp_path / "nocrs.shp"
    with pytest.warns(UserWarning, match="crs"):
        pyogrio.write_dataframe(_towns(rows, crs=None), shp)
    with pytest.raises(InputError, match="no coordinate reference system"):
        read_towns(shp, yuxi.counties)


def test_town_outside_and_other_region(yuxi):
    rows = [*_two(yuxi), {"town_id": "X", "name_zh": "海上", "lon": 110.0, "lat": 20.0}]
    with pytest.raises(InputError, match="'X'.*outside every county") as e:
        prepare_towns(_towns(rows), yuxi.counties, TownImport(file="t.csv"))
    assert e.value.row == 3 and e.value.field == "geometry"
    towns, warnings = prepare_towns(_towns(rows), yuxi.counties, TownImport(drop_outside=True))
    assert len(towns) == 2 and "dropped" in warnings[0]
    jc = load_sample("jincheng")
    with pytest.raises(InputError, match="another region"):
        prepare_towns(jc.towns, yuxi.counties, TownImport(drop_outside=True))


def test_cli_towns_import_and_candidates(tmp_path, capsys):
    proj = tmp_path / "y.gpkg"
    assert main(["init", str(proj), "--sample", "yuxi"]) == 0
    src = tmp_path / "towns.csv"
    p = Project.read(proj)
    t = p.towns.iloc[:3]
    pd.DataFrame(
        {"编号": t["town_id"], "名称": t["name_zh"], "lon": t.geometry.x, "lat": t.geometry.y}
    ).to_csv(src, index=False)
    argv = ["towns", "import", str(src), "--project", str(proj), "--map", "编号=town_id"]
    assert main([*argv, "名称=name_zh"]) == 0
    p = Project.read(proj)
    assert len(p.towns) == 3 and (p.towns["county_id"] == "530402").all()
    assert "counties without towns" in capsys.readouterr().out
    assert main(["candidates", "generate", str(proj), "--at", "towns"]) == 0
    assert main(["candidates", "generate", str(proj), "--at", "towns"]) == 0  # replaces
    p = Project.read(proj)
    gen = p.candidates[p.candidates["candidate_id"].isin([f"GEN-T-{i}" for i in t["town_id"]])]
    assert len(gen) == 3 and (gen["size_class"] == "").all()


def test_generate_grid_avoids_exclusions(yuxi):
    cid = "530427"
    grid = generate_candidates(
        yuxi.counties, yuxi.towns, yuxi.exclusions, CandidateOptions(at="grid", county=cid)
    )
    poly = yuxi.counties.loc[yuxi.counties["county_id"] == cid].geometry.iloc[0]
    assert len(grid) > 10 and grid.within(poly).all() and (grid["county_id"] == cid).all()
    zone = gpd.GeoDataFrame(
        {"zone_id": ["Z"]}, geometry=[grid.geometry.iloc[0].buffer(0.05)], crs="EPSG:4326"
    )
    fewer = generate_candidates(
        yuxi.counties, yuxi.towns, zone, CandidateOptions(at="grid", county=cid)
    )
    assert len(fewer) < len(grid) and not fewer.intersects(zone.geometry.iloc[0]).any()
    with pytest.raises(InputError, match="unknown county"):
        generate_candidates(yuxi.counties, yuxi.towns, zone, CandidateOptions(county="999"))


def test_catchments_cover_served_towns_inside_their_counties(yuxi):
    t = yuxi.towns.copy()
    t["demand_tpd"] = 1.0
    t["first_facility"] = ["A" if c == "530402" else "B" for c in t["county_id"]]
    t.loc[t.index[-1], "first_facility"] = ""
    c = station_catchments(t, yuxi.counties, {"A": "transfer_station", "B": "landfill"})
    assert list(c["site_id"]) == ["A", "B"]
    assert c["n_towns"].tolist() == [9, 41]
    hongta = yuxi.counties.loc[yuxi.counties["county_id"] == "530402"].geometry.iloc[0]
    a = c.geometry.iloc[0]
    assert a.difference(hongta.buffer(1e-6)).area < 1e-9  # clipped to its county
    assert a.area == pytest.approx(hongta.area, rel=1e-6)  # and all of it: every town served
