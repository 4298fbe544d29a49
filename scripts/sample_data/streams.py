"""Builds the Yuxi waste-stream sample (helper, not shipped): kitchen and medical generation,
the medical-waste plant, the fly-ash licence and the scenario plan-2025-streams.

Writes data/generation/yuxi_stream_generation.csv, data/facilities/yuxi_stream_facilities.csv,
data/streams/yuxi_stream_acceptance.csv and the plan-2025-streams entry of
data/scenarios/yuxi_scenarios.json.  Every number cites seed 000 and an offset; proxies and
assumptions say so in their note.
"""

import json
import math
import os
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from offsets import Y, off

D = Path(__file__).resolve().parents[2] / "data"
SY = "seed 000_c16f0f7a82d733c2"
HT = "530402"

gen = pd.read_csv(D / "generation" / "yuxi_generation.csv", dtype={"county_id": str})
g2020 = gen[gen.year == 2020].set_index("county_id")["generation_tpd"]
o_tot = off(Y, "处理生活垃圾 47.12", target="47.12")
o_kw = off(Y, "建设 50 吨处理生产线", target="50")
o_med = off(Y, "产生医疗废物2248.11吨", target="2248.11")
o_cap = off(Y, "处理能力4730吨/年", target="4730")
o_48 = off(Y, "48 小时内规范处置")
o_box = off(Y, "小箱进大箱")
o_share = off(Y, "生活垃圾焚烧处理能力占比 ★")
o_zero = off(Y, "原生生活垃圾“零填埋”")
o_res = off(Y, "残渣入炉焚烧")

# --- generation: kitchen and medical, 2020, per county by proxy --------------------------
kw_ratio = 50 / g2020[HT]
med_tpd = 2248.11 / 365
rows = []
for cid, tpd in g2020.items():
    rows.append(
        dict(
            county_id=cid,
            year=2020,
            generation_tpd=round(tpd * kw_ratio, 2),
            source=f"{SY} @{o_kw}; @{o_tot}",
            note=(
                f"estimate (PROXY): separately collected kitchen waste = the county's residual "
                f"generation x {kw_ratio:.4f}, the ratio of Hongta's first kitchen line (50 t/d, @{o_kw}) "
                f"to Hongta's residual estimate ({g2020[HT]} t/d); assumed outside the 2020 treated "
                "total (no kitchen plant ran in 2020)"
            ),
            stream="kitchen",
        )
    )
    rows.append(
        dict(
            county_id=cid,
            year=2020,
            generation_tpd=round(med_tpd * tpd / g2020.sum(), 4),
            source=f"{SY} @{o_med}",
            note=(
                f"estimate (PROXY): 2,248.11 t medical waste in 2020 (@{o_med}) = {med_tpd:.3f} t/d, "
                "split over counties by their share of residual generation"
            ),
            stream="medical",
        )
    )
pd.DataFrame(rows).to_csv(D / "generation" / "yuxi_stream_generation.csv", index=False)

# --- the medical-waste plant: two licensed enterprises aggregated, site not in the seed ---
b = gpd.read_file(D / "boundaries" / "yuxi_counties.geojson").set_index("county_id")
rep = b.to_crs("EPSG:32648").geometry[HT].representative_point()
a = math.radians(90 - 30)
pt = gpd.GeoSeries(
    gpd.points_from_xy([rep.x + 3000 * math.cos(a)], [rep.y + 3000 * math.sin(a)]), crs=32648
).to_crs(4326)[0]
fac = pd.DataFrame(
    [
        dict(
            facility_id="YX-MW-01",
            name_zh="玉溪市医疗废物集中处置设施（2 家企业合计，名称未载明）",
            name_en="Yuxi medical-waste treatment (two licensed enterprises combined; names not given)",
            type="medical_waste",
            status="operating",
            capacity_tpd=round(4730 / 365, 2),
            county_id=HT,
            location_precision="county",
            lon=round(pt.x, 6),
            lat=round(pt.y, 6),
            source=f"{SY} @{o_cap}; @{o_med}",
            note=(
                f"capacity 4,730 t/yr (@{o_cap}) = 12.96 t/d: one 3 t/d steam line and two 5 t/d "
                "incineration lines of 2 enterprises, combined here; location: NOT in seed; county "
                "stand-in = representative point of 红塔区 offset 3 km at bearing 30° (ASSUMPTION: "
                "the central city)"
            ),
        )
    ]
)
fac.to_csv(D / "facilities" / "yuxi_stream_facilities.csv", index=False)

# --- the fly-ash licence: ILLUSTRATIVE separate cell at the Tonghai landfill ------------
pd.DataFrame(
    [
        dict(
            facility_type="landfill",
            facility_id="YX-LF-02",
            stream_id="fly_ash",
            capacity_tpd=60,
            source="ILLUSTRATIVE",
            note=(
                "ILLUSTRATIVE, not in the seed: the seed names no fly-ash destination (it asks to "
                "explore fly-ash reuse); a licensed separate cell for stabilized fly ash at the Tonghai "
                "landfill (GB 16889-2008 §6.3), 60 t/d"
            ),
        )
    ]
).to_csv(D / "streams" / "yuxi_stream_acceptance.csv", index=False)

# --- the scenario -----------------------------------------------------------------------
path = D / "scenarios" / "yuxi_scenarios.json"
scen = [s for s in json.loads(path.read_text("utf-8")) if s["name"] != "plan-2025-streams"]
scen.append(
    dict(
        name="plan-2025-streams",
        target_year=2025,
        generation_growth_rate=0.0,
        in_service_statuses=["operating", "under_construction", "planned"],
        candidate_ids=None,
        streams=["residual", "kitchen", "kitchen_residue", "bottom_ash", "fly_ash", "medical"],
        incineration_share_min=None,
        incineration_capacity_share_min=0.65,
        min_load_share={"incinerator": 0.7},
        raw_landfill_penalty_yuan_t=200.0,
        stream_max_haul_km={"medical": 150.0},
        kitchen_coverage_min=1.0,
        gate_cost_yuan_t={
            "landfill": 60.0,
            "incinerator": 110.0,
            "transfer_station": 25.0,
            "kitchen_waste": 150.0,
            "medical_waste": 2500.0,
        },
        description=(
            f"plan-2025 with waste streams: household residual, kitchen waste (PROXY generation, "
            f"@{o_kw}), kitchen residue to the incinerators (@{o_res}), bottom ash and fly ash by yields, "
            f"medical waste (2,248.11 t/yr, @{o_med}) to the licensed plant (4,730 t/yr, @{o_cap}) "
            f"within 150 km per leg (48 h rule, @{o_48}; distance ASSUMPTION). Targets: the seed's own "
            f"incineration CAPACITY share >= 65 % (indicator 39, @{o_share}); incinerators at >= 70 % "
            f"of design load (take-or-pay; ASSUMPTION, not in the seed); raw waste to landfill penalised "
            f"200 yuan/t where incineration suffices (原生垃圾零填埋, @{o_zero}); kitchen coverage "
            f"target 100 %. Gate costs of kitchen (150) and medical plants (2,500 yuan/t) are "
            f"ASSUMPTIONS. Fly ash: an ILLUSTRATIVE licensed cell at the Tonghai landfill."
        ),
        solver="highs",
        time_limit_s=120,
        mip_gap=0.005,
        circuity_factor=1.4,
        use_exclusions=True,
    )
)
path.write_text(json.dumps(scen, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
print("kitchen ratio", kw_ratio, "medical t/d", med_tpd)
