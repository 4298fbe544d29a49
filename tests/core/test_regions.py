"""The seed-region samples: qijiang, pingdingshan, yunnan-medical, chengkou-hw.

Each loads and validates, every ``source`` offset resolves in its seed (the logic of
``scripts/sample_data/offsets.py``), the main plan scenario solves from the CLI with no
``--scenario``, and the answers the data READMEs describe hold.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from wufei_gis.cli import main
from wufei_gis.optimization.planning import solve_scenario
from wufei_gis.project import Project
from wufei_gis.samples import list_samples, load_sample, sample_info

ROOT = Path(__file__).parents[2]
REGIONS = {
    "qijiang": {"seed": "002_4b044c72b9a04a96", "units": 1, "plan": "plan-2025"},
    "pingdingshan": {"seed": "004_b7511bcfed849000", "units": 10, "plan": "plan-2027"},
    "yunnan-medical": {"seed": "001_be30656ae999ecbc", "units": 16, "plan": "plan-2025"},
    "chengkou-hw": {"seed": "002_4b044c72b9a04a96", "units": 3, "plan": "plan-2025"},
}
ALL_SAMPLES = {"yuxi", "jincheng", *REGIONS}


@cache
def _offsets() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "sample_offsets", ROOT / "scripts" / "sample_data" / "offsets.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _need_seeds() -> ModuleType:
    mod = _offsets()
    if not mod.seeds_available():
        pytest.skip(f"seed documents not found in {mod.SEED_DIR}")
    return mod


@cache
def _project(key: str) -> Project:
    return load_sample(key)


@cache
def _solved(key: str, scenario: str) -> dict[str, pd.DataFrame]:
    r = solve_scenario(_project(key), scenario)
    return {"gaps": r.county_gaps, "sites": r.proposed_sites, "flows": r.flows}


def _gap(key: str, scenario: str) -> pd.Series:
    g = _solved(key, scenario)["gaps"]
    return g.set_index("county_id")["unserved_tpd"]


def test_manifest_lists_all_six_with_seed_and_main_scenario(capsys):
    assert set(list_samples()) == ALL_SAMPLES
    for key, exp in REGIONS.items():
        info = sample_info(key)
        assert info["seed"] == exp["seed"] and info["default_scenario"] == exp["plan"]
        assert exp["plan"] in _project(key).scenarios
        assert info["description_en"] and info["description_zh"]
    assert main(["samples"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6
    for key, exp in REGIONS.items():
        line = next(ln for ln in lines if ln.startswith(key + "\t"))
        assert f"seed {exp['seed']}" in line and exp["plan"] in line


@pytest.mark.parametrize("key", REGIONS)
def test_sample_loads_validates_and_marks_assumptions(key):
    p = _project(key)
    p.validate()
    assert len(p.counties) == REGIONS[key]["units"]
    assert p.counties["county_id"].str.fullmatch(r"\d{6}").all()
    f, c = p.facilities, p.candidates
    assert len(f) and len(c)
    assert set(f["type"]) <= {"landfill", "incinerator", "transfer_station"}
    assert (f["location_precision"] == "county").all()
    assert f["note"].str.contains("location: NOT in seed").all()
    assert c["note"].str.startswith("ILLUSTRATIVE candidate").all()
    assert set(p.generation["county_id"]) == set(p.counties["county_id"])
    assert p.generation["note"].str.len().gt(20).all()


#: unit id -> (area km² the data README reports, metric CRS)
AREAS = {
    "qijiang": ({"500110": 2750}, "EPSG:32648"),  # incl. Wansheng; seed: 2,182.14 without
    "pingdingshan": ({"410422": 1387, "410423": 2410}, "EPSG:32649"),  # city 7,904 (seed 7,910)
    "chengkou-hw": ({"500229": 3295}, "EPSG:32649"),  # seed: 3,289.08
    "yunnan-medical": (
        {"530100": 21019, "532800": 19066},
        "+proj=aea +lat_1=25 +lat_2=47 +lon_0=105",
    ),
}


@pytest.mark.parametrize("key", REGIONS)
def test_boundaries_are_the_documented_units(key):
    c = _project(key).counties
    assert c.crs.to_epsg() == 4326 and c.geometry.is_valid.all()
    areas, crs = AREAS[key]
    km2 = c.set_index("county_id").to_crs(crs).area / 1e6
    for cid, expected in areas.items():
        assert km2[cid] == pytest.approx(expected, rel=0.002)
    if key == "pingdingshan":
        assert km2.sum() == pytest.approx(7910, rel=0.003)


@pytest.mark.parametrize("key", REGIONS)
def test_every_source_offset_resolves_in_its_seed(key):
    off = _need_seeds()
    p = _project(key)
    cited: set[str] = set()
    for layer in (p.facilities, p.generation):
        for s in layer["source"]:
            parts = off.resolve(s)  # raises on a missing seed or a bad offset
            cited |= {seed for seed, _, _ in parts}
    assert REGIONS[key]["seed"] in cited


def _first_excerpt(source: str) -> str:
    return str(_offsets().resolve(source)[0][2])


def test_cited_numbers_are_the_seed_numbers():
    _need_seeds()
    qf = _project("qijiang").facilities.set_index("facility_id")
    assert _first_excerpt(qf.loc["QJ-LF-01", "source"]).startswith("190")
    assert _first_excerpt(qf.loc["QJ-INC-01", "source"]).startswith("1000")
    assert _first_excerpt(qf.loc["QJ-TS-01", "source"]).startswith("500")
    qg = _project("qijiang").generation.set_index("year")
    assert _first_excerpt(qg.loc[2021, "source"]).startswith("148402.82")
    assert qg.loc[2021, "generation_tpd"] == pytest.approx(148402.82 / 365, abs=0.005)
    ck = _project("chengkou-hw").generation
    for year, tonnes in ((2018, "14.70"), (2019, "23.96"), (2020, "14.64")):
        row = ck[(ck["county_id"] == "500229") & (ck["year"] == year)].iloc[0]
        assert _first_excerpt(row["source"]).startswith(tonnes)
        assert row["generation_tpd"] == pytest.approx(float(tonnes) / 365, abs=5e-5)
    yf = _project("yunnan-medical").facilities
    assert all(_first_excerpt(s).startswith("175.8") for s in yf["source"])
    pf = _project("pingdingshan").facilities
    assert all(_first_excerpt(s).startswith("依托全市生活垃圾焚烧设施") for s in pf["source"])


@pytest.mark.parametrize("key", REGIONS)
def test_main_plan_solves_from_the_cli_without_scenario(key, tmp_path, capsys):
    out = tmp_path / f"{key}.gpkg"
    assert main(["solve", "--sample", key, "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["scenario"] == REGIONS[key]["plan"]
    assert summary["status"] in {"optimal", "feasible"}
    assert summary["unserved_tpd"] == pytest.approx(0.0, abs=1e-6)
    assert out.is_file()


def test_qijiang_landfill_overload_is_a_gap_that_the_plan_clears():
    demand = 148402.82 / 365
    base = _gap("qijiang", "baseline-2021")
    assert base["500110"] == pytest.approx(demand - 190, abs=0.01)  # the 190 t/d landfill is full
    assert _gap("qijiang", "plan-2025")["500110"] == pytest.approx(0.0, abs=1e-6)
    sites = _solved("qijiang", "plan-2025")["sites"].set_index("site_id")
    assert sites.loc["QJ-INC-01", "throughput_tpd"] == pytest.approx(demand, abs=0.01)
    assert sites.loc["QJ-LF-01", "throughput_tpd"] == pytest.approx(0.0, abs=1e-6)  # zero landfill


def test_yunnan_medical_has_one_unit_and_one_open_plant_per_prefecture():
    p = _project("yunnan-medical")
    ids = set(p.counties["county_id"])
    assert len(ids) == 16 and all(i.endswith("00") and i.startswith("53") for i in ids)
    assert p.facilities.groupby("county_id").size().reindex(sorted(ids)).eq(1).all()
    pop = p.counties.set_index("county_id")["population"]
    assert pop.sum() == 47_209_277  # 2020 census, carried in the boundary layer
    gen = p.generation.set_index("county_id")["generation_tpd"]
    assert (
        (gen / pop * 1e6).reindex(pop.index).between(2.95, 3.01).all()
    )  # 80 % of 175.8 t/d, g/person/day
    sol = _solved("yunnan-medical", "plan-2025")
    sites = sol["sites"]
    where = dict(zip(p.facilities["facility_id"], p.facilities["county_id"], strict=True))
    where |= dict(zip(p.candidates["candidate_id"], p.candidates["county_id"], strict=True))
    open_in = {where[s] for s in sites.loc[sites["throughput_tpd"] > 0, "site_id"]}
    assert open_in == ids
    assert (sol["gaps"]["unserved_tpd"] < 1e-6).all()
    # the plan's 2025 demand exceeds the existing 175.8 t/d, so expansion modules open
    assert sites["is_new"].any()


def test_pingdingshan_sharing_clears_the_self_sufficiency_gaps():
    base = _gap("pingdingshan", "baseline-2024")
    with_plant = {"410402", "410482", "410422"}  # the three illustrative incinerators
    assert (base[list(with_plant)] < 1e-6).all()
    assert (base.drop(list(with_plant)) > 1).all()
    assert (_gap("pingdingshan", "plan-2027") < 1e-6).all()
    total = _project("pingdingshan").generation["generation_tpd"].sum()
    assert total == pytest.approx(4_987_137 * 148402.82 / 775700 / 365, abs=0.01)


def test_chengkou_plan_routes_through_the_county_hub():
    base = _solved("chengkou-hw", "baseline-2020")["flows"]
    assert set(base["from_id"]) == {"500229"} and base["to_id"].str.startswith("CK-HW").all()
    plan = _solved("chengkou-hw", "plan-2025")["flows"]
    assert set(zip(plan["from_id"], plan["to_id"], strict=True)) >= {("500229", "CK-CTS-01")}
    assert plan.loc[plan["from_id"] == "CK-CTS-01", "to_id"].str.startswith("CK-HW").all()


def test_offset_check_rejects_bad_citations():
    off = _need_seeds()
    with pytest.raises(ValueError, match="does not point"):
        off.resolve("seed 002_4b044c72b9a04a96 @99999999")
    with pytest.raises(ValueError, match="cites no seed"):
        off.resolve("the seed says so")
    assert off.resolve("seed 002_4b044c72b9a04a96 @46448")[0][2].startswith("190")


def test_yunnan_medical_plan_carries_the_one_per_prefecture_rule_as_a_constraint():
    p = _project("yunnan-medical")
    sc = p.scenario("plan-2025")
    assert sc.min_facilities_per_region == {"incinerator": 1}
    result = solve_scenario(p, sc)
    cov = result.region_coverage
    assert cov is not None and len(cov) == 16
    assert set(cov["region_id"]) == set(p.counties["county_id"])
    assert (cov["open_count"] >= cov["required"]).all() and (cov["required"] == 1).all()
