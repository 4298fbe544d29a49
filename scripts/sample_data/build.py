"""Builds data/facilities, data/generation, data/scenarios, data/samples.json (helper, not shipped)."""

import math
import os
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from offsets import J, Y, off

ROOT = Path(__file__).resolve().parents[2]
D = ROOT / "data"
SY = "seed 000_c16f0f7a82d733c2"
SJ = "seed 003_1dbbb06e4be99a0e"


def src(seed, *offs):
    return f"{seed} @{offs[0]}" + "".join(f"; @{o}" for o in offs[1:])


UTM = {"yuxi": "EPSG:32648", "jincheng": "EPSG:32649"}
bnd = {k: gpd.read_file(D / "boundaries" / f"{k}_counties.geojson") for k in UTM}
rep = {}
for k, g in bnd.items():
    gu = g.to_crs(UTM[k])
    rep[k] = {
        cid: geom.representative_point() for cid, geom in zip(g.county_id, gu.geometry, strict=True)
    }
    rep[k]["_poly"] = dict(zip(g.county_id, gu.geometry, strict=True))


def place(k, rows):
    """county representative point; several facilities in a county -> circle r=3 km."""
    by = {}
    for r in rows:
        by.setdefault(r["county_id"], []).append(r)
    for cid, rs in by.items():
        p0 = rep[k][cid]
        n = len(rs)
        groups = []  # co-located facilities share a point
        for r in rs:
            co = r.pop("_coloc", None)
            if co:
                continue
            groups.append(r)
        for i, r in enumerate(groups):
            if n == 1 or len(groups) == 1:
                x, y = p0.x, p0.y
                r["_off"] = None
            else:
                a = math.radians(90 - 360.0 * i / len(groups))
                x, y = p0.x + 3000 * math.cos(a), p0.y + 3000 * math.sin(a)
                r["_off"] = (i, len(groups))
            assert rep[k]["_poly"][cid].buffer(0).contains(Point(x, y)), r["facility_id"]
            r["_xy"] = (x, y)
    for r in rows:
        if "_xy" not in r:  # co-located
            host = next(h for h in rows if h["facility_id"] == r["_host"])
            r["_xy"] = host["_xy"]
            r["_off"] = host["_off"]
    xy = np.array([r["_xy"] for r in rows])
    ll = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=UTM[k]).to_crs(4326)
    for r, p in zip(rows, ll, strict=True):
        r["lon"] = round(p.x, 6)
        r["lat"] = round(p.y, 6)
        name = bnd[k].set_index("county_id").name_zh[r["county_id"]]
        if r.get("_host"):
            loc = f"location: county stand-in, same point as {r['_host']} (co-located per seed)"
        elif r["_off"] is None:
            loc = f"location: NOT in seed; placed at the representative point of {name} (county stand-in)"
        else:
            i, n = r["_off"]
            loc = (
                f"location: NOT in seed; county stand-in = representative point of {name} offset 3 km "
                f"at bearing {360.0 * i / n:.0f}° (slot {i + 1} of {n}) so facilities sharing the county do not overlap"
            )
        r["note"] = (r["note"] + "; " if r["note"] else "") + loc
        r["location_precision"] = "county"
    cols = "facility_id,name_zh,name_en,type,status,capacity_tpd,county_id,location_precision,lon,lat,source,note".split(
        ","
    )
    return pd.DataFrame(rows)[cols]


# ---------------------------------------------------------------- Yuxi facilities
HT, JCq, CJ, TH, HN, YM, ES, XP, YJ = (
    "530402",
    "530403",
    "530481",
    "530423",
    "530424",
    "530425",
    "530426",
    "530427",
    "530428",
)
yname = dict(zip(bnd["yuxi"].county_id, bnd["yuxi"].name_zh, strict=True))
yen = dict(zip(bnd["yuxi"].county_id, bnd["yuxi"].name_en, strict=True))
o_1032 = off(Y, "设计处理规模为 1032", target="1032")
o_6 = off(Y, "6 座为卫生填埋工艺")
o_ht = off(Y, "目前除红塔区采用焚烧工艺")
# landfill counties: the 8 non-Hongta units minus the two whose representative point is nearest Hongta's
d = {c: rep["yuxi"][c].distance(rep["yuxi"][HT]) for c in [JCq, CJ, TH, HN, YM, ES, XP, YJ]}
near = sorted(d, key=d.get)[:2]
print("nearest to Hongta:", [(yname[c], round(d[c] / 1000, 1)) for c in sorted(d, key=d.get)])
lf_counties = [c for c in [JCq, CJ, TH, HN, YM, ES, XP, YJ] if c not in near]
Yrows = []
o = off(Y, "设计处理规模为 700 吨/天", target="700")
Yrows.append(
    dict(
        facility_id="YX-INC-01",
        name_zh="红塔区生活垃圾焚烧发电厂（名称未载明）",
        name_en="Hongta MSW incineration power plant (name not given in seed)",
        type="incinerator",
        status="operating",
        capacity_tpd=700,
        county_id=HT,
        source=src(SY, o, o_ht),
        note=f'capacity 700 t/d design (seed @{o}); county inferred from "目前除红塔区采用焚烧工艺" (@{o_ht}); plant name and site not given; whether it takes waste from other counties is not stated',
    )
)
for i, c in enumerate(lf_counties, 1):
    Yrows.append(
        dict(
            facility_id=f"YX-LF-{i:02d}",
            name_zh=f"{yname[c]}生活垃圾卫生填埋场（假定）",
            name_en=f"{yen[c]} sanitary landfill (assumed)",
            type="landfill",
            status="operating",
            capacity_tpd=172,
            county_id=c,
            source=src(SY, o_1032, o_6),
            note=(
                f"ASSUMPTION: the seed states 6 sanitary landfills with a combined design capacity of 1032 t/d (@{o_1032}) but not their names, counties or sizes; "
                f"capacity = even split 1032/6 = 172 t/d (assumption); county = assumption: 6 of the 8 non-Hongta units, "
                f"omitting the two nearest Hongta ({yname[near[0]]}, {yname[near[1]]}), assumed to haul to a neighbour (see data/facilities/README.md)"
            ),
        )
    )
o = off(Y, "处理规模 700 吨/天，预计", target="700")
o2 = off(Y, "漂草凹")
o3 = off(Y, "39,949.00")
Yrows.append(
    dict(
        facility_id="YX-INC-02",
        name_zh="江川—通海—华宁垃圾焚烧发电工程",
        name_en="Jiangchuan–Tonghai–Huaning MSW incineration power plant",
        type="incinerator",
        status="planned",
        capacity_tpd=700,
        county_id=TH,
        source=src(SY, o, o2),
        note=f'joint plant for 江川区, 通海县, 华宁县; site "通海县杨广镇漂草凹附近" (@{o2}) — town 杨广镇 named but no coordinates, so county stand-in used; investment 39,949万元 (@{o3}); text: construction expected to start 2022, annex completion 2023',
    )
)
o = off(Y, "澄江市生活垃圾焚烧发电项目，处理规模为 300", target="300")
o2 = off(Y, "项目完成投资约 6000", target="6000")
o3 = off(Y, "17,424.00")
Yrows.append(
    dict(
        facility_id="YX-INC-03",
        name_zh="澄江市生活垃圾焚烧发电项目",
        name_en="Chengjiang MSW incineration power plant",
        type="incinerator",
        status="under_construction",
        capacity_tpd=300,
        county_id=CJ,
        source=src(SY, o, o2),
        note=f"status under_construction is an inference: about 6000万元 already invested (@{o2}) of 17,424万元 total (annex @{o3})",
    )
)
i18 = off(Y, "18\t易门县生活垃圾焚烧处理建设项")
o = Y.find("300", i18)
o3 = Y.find("13,788.00", i18)
Yrows.append(
    dict(
        facility_id="YX-INC-04",
        name_zh="易门县生活垃圾焚烧处理建设项目",
        name_en="Yimen MSW incineration plant",
        type="incinerator",
        status="planned",
        capacity_tpd=300,
        county_id=YM,
        source=src(SY, o),
        note=f"annex project table #18: 1×300 t/d mechanical grate furnace, site 40 mu, investment 13,788万元 (@{o3}), 2022—2025",
    )
)
o = off(Y, "每座转运能力200", target="200")
o2 = off(Y, "在北城、大营街、高仓、春和")
for i, (t, en) in enumerate(
    [("北城", "Beicheng"), ("大营街", "Dayingjie"), ("高仓", "Gaocang"), ("春和", "Chunhe")], 1
):
    Yrows.append(
        dict(
            facility_id=f"YX-TS-{i:02d}",
            name_zh=f"红塔区{t}生活垃圾转运站（新建）",
            name_en=f"Hongta {en} transfer station (new)",
            type="transfer_station",
            status="planned",
            capacity_tpd=200,
            county_id=HT,
            source=src(SY, o),
            note=f'one of 4 new stations "每座转运能力200吨/天" in 红塔区生活垃圾收集转运系统建设项目 (annex #9, 2022.3—2025); subdistrict {t}街道 named (@{o2}) but no coordinates',
        )
    )
o = off(Y, "140t/d", target="140")
Yrows.append(
    dict(
        facility_id="YX-TS-05",
        name_zh="江川区分类转运站（140t/d）",
        name_en="Jiangchuan sorted-waste transfer station",
        type="transfer_station",
        status="planned",
        capacity_tpd=140,
        county_id=JCq,
        source=src(SY, o),
        note='annex project #11 (江川区城镇生活垃圾分类治理项目, 2022.9—2025): "新建分类转运规模为140t/d的垃圾中转站一座"; a station for sorted waste',
    )
)
o = off(Y, "处理能力从 50 吨/天逐步提升至 200", target="200")
o2 = off(Y, "红塔区餐厨垃圾处理项目已于 2021 年 5 月底开工建设")
Yrows.append(
    dict(
        facility_id="YX-KW-01",
        name_zh="红塔区餐厨垃圾处理项目",
        name_en="Hongta kitchen-waste treatment plant",
        type="kitchen_waste",
        status="under_construction",
        capacity_tpd=200,
        county_id=HT,
        source=src(SY, o, o2),
        note=f"capacity rises from 50 to 200 t/d over the 16-year concession (@{o}); construction began end of May 2021 (@{o2}); kitchen waste — kept, not modelled",
    )
)
o = off(Y, "处理规模为 50 吨/天，项", target="50")
Yrows.append(
    dict(
        facility_id="YX-KW-02",
        name_zh="澄江市50吨餐厨垃圾资源化综合利用项目",
        name_en="Chengjiang kitchen-waste plant",
        type="kitchen_waste",
        status="planned",
        capacity_tpd=50,
        county_id=CJ,
        source=src(SY, o),
        _host="YX-INC-03",
        _coloc=True,
        note='co-built with the Chengjiang incinerator ("协同建设"), residue to the furnace; kitchen waste — kept, not modelled',
    )
)
o = off(Y, "形成 50 吨/天餐厨废弃物无害化处理规模", target="50")
Yrows.append(
    dict(
        facility_id="YX-KW-03",
        name_zh="通海县厨废弃物无害化处理项目",
        name_en="Tonghai kitchen-waste treatment plant",
        type="kitchen_waste",
        status="planned",
        capacity_tpd=50,
        county_id=TH,
        source=src(SY, o),
        note="annex project #21, anaerobic digestion, 2023—2025; kitchen waste — kept, not modelled",
    )
)
o = off(Y, "日处理量为 10 吨的餐厨垃圾", target="10")
Yrows.append(
    dict(
        facility_id="YX-KW-04",
        name_zh="易门县餐厨垃圾处理建设项目",
        name_en="Yimen kitchen-waste treatment plant",
        type="kitchen_waste",
        status="planned",
        capacity_tpd=10,
        county_id=YM,
        source=src(SY, o),
        note="annex project #23, 2022—2025; kitchen waste — kept, not modelled",
    )
)
o = off(Y, "大件处理站处理规模50", target="50")
o2 = off(Y, "可回收物二次分拣中心与高仓垃圾转运站同步建设")
Yrows.append(
    dict(
        facility_id="YX-SC-01",
        name_zh="红塔区大件垃圾处理站和可回收物二次分拣中心",
        name_en="Hongta bulky-waste station and recyclables secondary sorting centre",
        type="sorting_centre",
        status="planned",
        capacity_tpd=50,
        county_id=HT,
        source=src(SY, o, o2),
        _host="YX-TS-03",
        _coloc=True,
        note=f"capacity = bulky-waste station 50 t/d (@{o}); built together with the 高仓 transfer station (@{o2}); not modelled",
    )
)
yf = place("yuxi", Yrows)
assert yf[yf.type == "landfill"].capacity_tpd.sum() == 1032

# ---------------------------------------------------------------- Jincheng facilities
jname = dict(zip(bnd["jincheng"].county_id, bnd["jincheng"].name_zh, strict=True))
jen = dict(zip(bnd["jincheng"].county_id, bnd["jincheng"].name_en, strict=True))
CQ, QS, YC, LC, ZZ, GP = "140502", "140521", "140522", "140524", "140525", "140581"
o5 = off(J, "现有 5 座生活垃圾填埋场", target="5")
o_tot = off(J, "生活垃圾清运量★\t53.37", target="53.37")
T_J = 533700 / 365
lfcap = round(T_J / 5, 2)
Jrows = []
for i, c in enumerate([ZZ, GP, YC, QS, LC], 1):
    Jrows.append(
        dict(
            facility_id=f"JC-LF-{i:02d}",
            name_zh=f"{jname[c]}生活垃圾填埋场（假定）",
            name_en=f"{jen[c]} household-waste landfill (assumed)",
            type="landfill",
            status="operating",
            capacity_tpd=lfcap,
            county_id=c,
            source=src(SJ, o5, o_tot),
            note=(
                f"the seed states 5 existing household-waste landfills (@{o5}) with no names, sites or capacities; "
                f"county = ASSUMPTION: one per county unit except 城区 (the 149 km² urban district enclosed by 泽州县); "
                f"capacity NOT in seed: ILLUSTRATIVE = 2020 collected amount 53.37万 t/yr (@{o_tot}) / 365 / 5 = {lfcap} t/d"
            ),
        )
    )
o = off(J, "泽州县生活垃圾焚烧发电项目规范化运行")
o4756 = off(J, "53.37\t47.56", target="47.56")
Jrows.append(
    dict(
        facility_id="JC-INC-01",
        name_zh="泽州县生活垃圾焚烧发电项目",
        name_en="Zezhou MSW incineration power plant",
        type="incinerator",
        status="operating",
        capacity_tpd=600,
        county_id=ZZ,
        source=src(SJ, o),
        note=(
            'status operating is an inference from "加快推进…规范化运行" (bring into standardized operation) — uncertain; '
            "capacity NOT in seed: ILLUSTRATIVE 600 t/d, chosen so that with JC-INC-02/03 the incineration capacity (1000 t/d) covers the 75% target "
            f"(@{off(J, '焚烧处理能力占比达到 75%', target='75')}) of the 2025 collected amount 47.56万 t/yr (@{o4756}) × 0.75 / 365 = 977 t/d"
        ),
    )
)
o = off(J, "加快阳城县、沁水县城城乡垃圾综合处", target="阳城县")
o2 = off(J, "加快阳城县、沁水县城城乡垃圾综合处", target="沁水县")
o3 = off(J, "确保沁水县城城乡生活垃圾无害化处理项目正常运行")
Jrows.append(
    dict(
        facility_id="JC-INC-02",
        name_zh="阳城县城乡垃圾综合处理项目",
        name_en="Yangcheng urban-rural integrated waste treatment project",
        type="incinerator",
        status="planned",
        capacity_tpd=200,
        county_id=YC,
        source=src(SJ, o),
        note='listed under incineration planning ("统筹规划生活垃圾焚烧处理设施"), technology not stated — type incinerator is an assumption; capacity NOT in seed: ILLUSTRATIVE 200 t/d (see JC-INC-01 note)',
    )
)
Jrows.append(
    dict(
        facility_id="JC-INC-03",
        name_zh="沁水县城城乡垃圾综合处理项目",
        name_en="Qinshui urban-rural integrated waste treatment project",
        type="incinerator",
        status="planned",
        capacity_tpd=200,
        county_id=QS,
        source=src(SJ, o2, o3),
        note=(
            f"listed under incineration planning, technology not stated — type incinerator is an assumption; "
            f'"确保…正常运行" (@{o3}) may mean it already runs (status uncertain); capacity NOT in seed: ILLUSTRATIVE 200 t/d (see JC-INC-01 note)'
        ),
    )
)
jf = place("jincheng", Jrows)

(D / "facilities").mkdir(exist_ok=True)
yf.to_csv(D / "facilities" / "yuxi_facilities.csv", index=False)
jf.to_csv(D / "facilities" / "jincheng_facilities.csv", index=False)

# ---------------------------------------------------------------- candidates
CRF = 0.08 * 1.08**20 / (1.08**20 - 1)
per_tpd = 39949e4 / 700  # yuan per t/d, Tonghai plant
inc_fixed = round(300 * per_tpd * CRF, -3)
TS_FIXED = 2_800_000.0
print("CRF", CRF, "per t/d", per_tpd, "inc fixed", inc_fixed)


def ts_candidates(k, prefix, big_km2=1500):
    g = bnd[k]
    gu = g.to_crs(UTM[k])
    rows = []
    area = dict(zip(g.county_id, gu.area / 1e6, strict=True))
    for cid, poly in zip(g.county_id, gu.geometry, strict=True):
        p0 = rep[k][cid]
        n = 2 if area[cid] > big_km2 else 1
        found = []
        fallback = False
        for dist in (10000, 12000, 8000, 14000, 15000):
            for step in range(8):
                ang = 45 + 360.0 / n * len(found) + step * 45  # start NE, then rotate
                a = math.radians(90 - ang)
                p = Point(p0.x + dist * math.cos(a), p0.y + dist * math.sin(a))
                if poly.buffer(-1000).contains(p) and all(p.distance(q) > 8000 for q, *_ in found):
                    found.append((p, dist, ang % 360))
                    break
            if len(found) == n:
                break
        if not found:  # small district: fall back to 4 km
            fallback = True
            for step in range(8):
                a = math.radians(90 - step * 45)
                p = Point(p0.x + 4000 * math.cos(a), p0.y + 4000 * math.sin(a))
                if poly.buffer(-500).contains(p):
                    found.append((p, 4000, step * 45 % 360))
                    break
        for p, dist, ang in found:
            rows.append((cid, p, dist, ang, fallback))
    out = []
    ll = gpd.GeoSeries([r[1] for r in rows], crs=UTM[k]).to_crs(4326)
    names = dict(zip(g.county_id, g.name_zh, strict=True))
    cnt = {}
    for (cid, _p, dist, ang, fb), q in zip(rows, ll, strict=True):
        cnt[cid] = cnt.get(cid, 0) + 1
        out.append(
            dict(
                candidate_id=f"{prefix}-CTS-{len(out) + 1:02d}",
                name_zh=f"{names[cid]}候选转运站{cnt[cid]}（示意）",
                type="transfer_station",
                capacity_tpd=450.0,
                fixed_cost_yuan_yr=TS_FIXED,
                size_class="",
                county_id=cid,
                lon=round(q.x, 6),
                lat=round(q.y, 6),
                note=(
                    f"ILLUSTRATIVE candidate, not in the seed: township-scale stand-in point {dist / 1000:.0f} km at bearing {ang:.0f}° from the representative point of {names[cid]}"
                    + (" (fallback: district too small for 8–15 km)" if fb else "")
                    + "; capacity 450 t/d = CJJ/T 47 medium-class upper bound, size_class empty so the model chooses the class; fixed cost = repo default medium class 2.8M yuan/yr"
                ),
            )
        )
    return out


def inc_candidate(k, cid_id, cid, name, basis, o_ref, seed):
    p = rep[k][cid]
    a = math.radians(90 - 180)
    p = Point(p.x + 5000 * math.cos(a), p.y + 5000 * math.sin(a))
    assert rep[k]["_poly"][cid].contains(p)
    q = gpd.GeoSeries([p], crs=UTM[k]).to_crs(4326)[0]
    return dict(
        candidate_id=cid_id,
        name_zh=name,
        type="incinerator",
        capacity_tpd=300.0,
        fixed_cost_yuan_yr=inc_fixed,
        size_class="",
        county_id=cid,
        lon=round(q.x, 6),
        lat=round(q.y, 6),
        note=(
            f"ILLUSTRATIVE candidate, not in the seed as a 300 t/d module: {basis}; stand-in point 5 km south of the county representative point; "
            f"fixed cost = 300 t/d × 39,949万元/700 t/d (seed 000_c16f0f7a82d733c2 @{o3y}) annualized at 8% over 20 years (CRF {CRF:.4f}) = {inc_fixed:,.0f} yuan/yr"
        ),
    )


o3y = off(Y, "39,949.00")
o_xp = off(Y, "推进新平县和易门县生活垃圾焚烧项目", target="新平县")
yc = ts_candidates("yuxi", "YX")
yc.append(
    inc_candidate(
        "yuxi",
        "YX-CINC-01",
        HT,
        "红塔区焚烧厂扩建模块（示意，300吨/日）",
        "an expansion line next to the existing Hongta plant (YX-INC-01)",
        o3y,
        SY,
    )
)
yc.append(
    inc_candidate(
        "yuxi",
        "YX-CINC-02",
        XP,
        "新平县生活垃圾焚烧项目（示意，300吨/日）",
        f'the seed asks to "推进新平县…生活垃圾焚烧项目" (seed 000_c16f0f7a82d733c2 @{o_xp}) without capacity or site',
        o3y,
        SY,
    )
)
jc = ts_candidates("jincheng", "JC")
jc.append(
    inc_candidate(
        "jincheng",
        "JC-CINC-01",
        ZZ,
        "泽州县焚烧厂扩建模块（示意，300吨/日）",
        "an expansion line for the Zezhou plant (JC-INC-01); the cost basis is the Yuxi seed (no investment figure in seed 003)",
        o3y,
        SY,
    )
)
jc.append(
    inc_candidate(
        "jincheng",
        "JC-CINC-02",
        GP,
        "高平市生活垃圾焚烧厂（示意，300吨/日）",
        "a new plant in 高平市 (no treatment plant is named there in seed 003); the cost basis is the Yuxi seed",
        o3y,
        SY,
    )
)
ccols = "candidate_id,name_zh,type,capacity_tpd,fixed_cost_yuan_yr,size_class,county_id,lon,lat,note".split(
    ","
)
pd.DataFrame(yc)[ccols].to_csv(D / "facilities" / "yuxi_candidates.csv", index=False)
pd.DataFrame(jc)[ccols].to_csv(D / "facilities" / "jincheng_candidates.csv", index=False)


# ---------------------------------------------------------------- generation
def split(k, total_tpd, urban_share, core, seed, offs, share_note):
    g = bnd[k]
    area = dict(zip(g.county_id, g.to_crs(UTM[k]).area / 1e6, strict=True))
    A = sum(area.values())
    ids = list(g.county_id)
    others = [c for c in ids if c != core]
    U = urban_share * total_tpd
    R = total_tpd - U
    val = {c: R * area[c] / A + (0.5 * U if c == core else 0.5 * U / len(others)) for c in ids}
    r = {c: round(v, 2) for c, v in val.items()}
    target = round(total_tpd, 2)
    diff = round(target - sum(r.values()), 2)
    big = max(r, key=r.get)
    r[big] = round(r[big] + diff, 2)
    rows = []
    for c in ids:
        rows.append(
            dict(
                county_id=c,
                year=2020,
                generation_tpd=r[c],
                source=src(seed, *offs),
                note=(
                    f"estimate: city total {total_tpd:.4f} t/d split by an urban/rural proxy — urban part {urban_share:.2%} of the total ({share_note}): "
                    f"half to the urban core {dict(zip(g.county_id, g.name_zh, strict=True))[core]}, half evenly over the other {len(others)} county units; "
                    f"rural part {1 - urban_share:.2%} by county land area ({area[c]:.0f} of {A:.0f} km², from data/boundaries)"
                    + (f"; includes rounding residual {diff:+.2f} t/d" if c == big and diff else "")
                ),
            )
        )
    df = pd.DataFrame(rows)
    assert abs(df.generation_tpd.sum() - total_tpd) < 0.01, df.generation_tpd.sum()
    return df


(D / "generation").mkdir(exist_ok=True)
o_u = off(Y, "占总人口的 54.81%", target="54.81")
gy = split(
    "yuxi",
    471200 / 365,
    0.5481,
    HT,
    SY,
    [off(Y, "处理生活垃圾 47.12", target="47.12"), o_u],
    f"urbanisation rate 54.81%, seed @{o_u}",
)
gj = split(
    "jincheng",
    533700 / 365,
    0.5,
    CQ,
    SJ,
    [o_tot],
    "ASSUMED 50%: seed 003 gives no urbanisation rate",
)
gy.to_csv(D / "generation" / "yuxi_generation.csv", index=False)
gj.to_csv(D / "generation" / "jincheng_generation.csv", index=False)
print(gy[["county_id", "generation_tpd"]].to_string())
print(gj[["county_id", "generation_tpd"]].to_string())
print(yf[["facility_id", "county_id", "capacity_tpd", "lon", "lat"]].to_string())
print(jf[["facility_id", "county_id", "capacity_tpd", "lon", "lat"]].to_string())
print(pd.DataFrame(yc)[["candidate_id", "county_id", "lon", "lat"]].to_string())
print(pd.DataFrame(jc)[["candidate_id", "county_id", "lon", "lat"]].to_string())
