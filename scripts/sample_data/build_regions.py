"""Builds the samples qijiang, pingdingshan, chengkou-hw and yunnan-medical (helper, not shipped).

Writes data/facilities/<key>_{facilities,candidates}.csv, data/generation/<key>_generation.csv,
data/scenarios/<key>_scenarios.json and the four entries of data/samples.json, from the
boundaries that scripts/build_boundaries.py wrote.  Every seed number is found with
``off`` (unique snippet) so the offsets in ``source`` are reproducible.
Run from anywhere:  python scripts/sample_data/build_regions.py
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from offsets import off, seed_text
from regions_common import (
    CRF,
    Region,
    split_residual,
    src,
    ts_candidates,
    update_manifest,
    write_tables,
)

S1, S2, S4 = seed_text("001"), seed_text("002"), seed_text("004")
ID1, ID2, ID4 = "001_be30656ae999ecbc", "002_4b044c72b9a04a96", "004_b7511bcfed849000"
COMMON = dict(
    solver="highs", time_limit_s=60, mip_gap=0.005, circuity_factor=1.4, use_exclusions=True
)
TS_BASIS = (
    "capacity 450 t/d = CJJ/T 47 medium-class upper bound, size_class empty so the model chooses the class; "
    "fixed cost = repo default medium class 2.8M yuan/yr"
)

# ============================================================ Qijiang (seed 002, part B)
QJ = "500110"
o190 = off(S2, "设计日处理规模190吨", target="190")
o_lf_site = off(S2, "位于綦江区新盛镇德胜村", target="新盛镇")
o_landfilled = off(S2, "分别为13.22万吨、14.28万吨和14.84万吨", target="13.22")
o1000 = off(S2, "设计日处理垃圾能力为1000吨，服务范围包括綦江、万盛", target="1000")
o_wansheng = off(S2, "设计日处理垃圾能力为1000吨，服务范围包括綦江、万盛", target="万盛")
o_fuhuan = off(S2, "位于綦江区扶欢镇东升村", target="扶欢镇")
o_trial = off(S2, "2021年11月区焚烧垃圾厂进入试运行", target="2021")
o_zero = S2.find("原生生活垃圾“零填埋”")
o_500 = off(S2, "庆江新建一座日处理量约500吨", target="500")
o_7ts = off(S2, "在21个街镇建设生活垃圾二次分拣站，新建7座生活垃圾转运站", target="7座")
o_gen21 = off(S2, "2021年生活垃圾产生量为148402.82吨", target="148402.82")
o_cy19 = off(S2, "2019年全区生活垃圾清运13.22万吨", target="13.22")
o_cy20 = off(S2, "2020年全区生活垃圾清运14.28万吨", target="14.28")
o_pop = off(S2, "常住人口77.57万人", target="77.57")
o_area = off(S2, "幅员面积2182.14平方公里", target="2182.14")
RATE_QJ = 148402.82 / 775700 / 365 * 1000  # kg per person per day, Qijiang 2021

qj = Region("qijiang", "EPSG:32648")
qj_fac = qj.place(
    [
        dict(
            facility_id="QJ-LF-01",
            name_zh="綦江区生活垃圾填埋场（新盛镇德胜村）",
            name_en="Qijiang MSW landfill (Desheng village, Xinsheng town)",
            type="landfill",
            status="operating",
            capacity_tpd=190,
            county_id=QJ,
            source=src(ID2, o190, o_lf_site, o_landfilled),
            note=(
                f"design 190 t/d (@{o190}); the only MSW landfill, at 新盛镇德胜村 (@{o_lf_site}); it actually took "
                f"13.22/14.28/14.84万 t in 2019–2021 (@{o_landfilled}) = 362–407 t/d, about twice its design: the model does not "
                "allow a facility above its capacity, so this overload shows as unserved waste (the capacity gap) in baseline-2021; "
                "kept as emergency back-up after the incinerator (seed: 填埋处理为应急保障)"
            ),
        ),
        dict(
            facility_id="QJ-INC-01",
            name_zh="綦江生活垃圾焚烧发电项目（扶欢镇东升村）",
            name_en="Qijiang MSW incineration power plant (Dongsheng village, Fuhuan town)",
            type="incinerator",
            status="operating",
            capacity_tpd=1000,
            county_id=QJ,
            source=src(ID2, o1000, o_fuhuan, o_trial),
            note=(
                f"design 1000 t/d (@{o1000}), at 扶欢镇东升村 (@{o_fuhuan}); construction began 2020, trial operation since "
                f"November 2021 (@{o_trial}), hence status operating (baseline-2021 sets it back to under_construction); "
                f"it serves Qijiang, Wansheng and other districts (@{o_wansheng}): Wansheng's tonnage is not in the seed, "
                "so ASSUMPTION: the whole 1000 t/d is available to Qijiang"
            ),
        ),
        dict(
            facility_id="QJ-TS-01",
            name_zh="庆江垃圾处理站（约500吨/日）",
            name_en="'Qingjiang' waste handling station (about 500 t/d)",
            type="transfer_station",
            status="planned",
            capacity_tpd=500,
            county_id=QJ,
            source=src(ID2, o_500),
            note=(
                f'project table: "庆江新建一座日处理量约500吨的垃圾处理站" (@{o_500}), due 2025; the place name 庆江 is unclear '
                "and the technology is not stated: type transfer_station is an ASSUMPTION"
            ),
        ),
    ]
)
qj_cand = ts_candidates(
    qj,
    "QJ",
    [QJ],
    basis=(
        f"stands for the 7 new transfer stations of the project table (seed {ID2} @{o_7ts}), whose sites and sizes are not given; "
        + TS_BASIS
    ),
)
qj_gen = [
    dict(
        county_id=QJ,
        year=2019,
        generation_tpd=round(132200 / 365, 2),
        source=src(ID2, o_cy19),
        note=f"estimate: 2019 collected (清运量) 13.22万 t (@{o_cy19}) / 365, used as generation; the whole district is one unit",
    ),
    dict(
        county_id=QJ,
        year=2020,
        generation_tpd=round(142800 / 365, 2),
        source=src(ID2, o_cy20),
        note=f"estimate: 2020 collected (清运量) 14.28万 t (@{o_cy20}) / 365, used as generation; the whole district is one unit",
    ),
    dict(
        county_id=QJ,
        year=2021,
        generation_tpd=round(148402.82 / 365, 2),
        source=src(ID2, o_gen21, o_pop),
        note=(
            f"seed figure: 2021 MSW generated 148,402.82 t (@{o_gen21}) / 365; with 77.57万 residents (@{o_pop}) "
            f"that is {RATE_QJ:.3f} kg per person per day; the whole district is one unit (no town boundaries offline)"
        ),
    ),
]
qj_sc = [
    dict(
        name="baseline-2021",
        target_year=2021,
        in_service_statuses=["operating"],
        facility_status={"QJ-INC-01": "under_construction"},
        candidate_ids=[],
        description=(
            f"2021 现状（焚烧厂试运行前）：仅新盛镇 190 吨/日填埋场（种子文件 {ID2} @{o190}），产生量 148,402.82 吨/年（@{o_gen21}）= 406.58 吨/日；"
            f"实际填埋约 362–407 吨/日（@{o_landfilled}），超出设计规模的部分在模型中显示为处理能力缺口。 / "
            f"2021 before the incinerator's trial operation: only the 190 t/d Xinsheng landfill (seed {ID2} @{o190}); generation "
            f"148,402.82 t/yr (@{o_gen21}) = 406.58 t/d; the landfill really took about 362–407 t/d (@{o_landfilled}); the model "
            "keeps it at its design capacity, so the overload shows as the capacity gap."
        ),
        **COMMON,
    ),
    dict(
        name="plan-2025",
        target_year=2025,
        in_service_statuses=["operating", "under_construction", "planned"],
        candidate_ids=None,
        landfill_cap_tpd=0.0,
        description=(
            f"2025 规划：扶欢镇 1000 吨/日焚烧厂（@{o1000}）运行，原生生活垃圾“零填埋”（@{o_zero}），庆江约 500 吨/日处理站与示意性转运站候选；"
            "种子文件未给出 2025 年产生量预测，沿用 2021 年数值。 / "
            f"2025 plan: the 1000 t/d Fuhuan incinerator (@{o1000}) in service, zero landfill of raw MSW (@{o_zero}, landfill_cap_tpd = 0), "
            "the ~500 t/d 'Qingjiang' station and illustrative transfer-station candidates; the seed gives no 2025 forecast, so the 2021 value is used."
        ),
        **COMMON,
    ),
]
write_tables("qijiang", qj_fac, qj_cand, qj_gen, qj_sc)

# ============================================================ Pingdingshan (seed 004)
PDS = Region("pingdingshan", "EPSG:32649")
XH, WD, SL, ZH, BF, YE, LS, JX, WG, RZ = (
    "410402",
    "410403",
    "410404",
    "410411",
    "410421",
    "410422",
    "410423",
    "410425",
    "410481",
    "410482",
)
o_scope = off(S4, "包括新华区、卫东区", target="新华区")
o_base = off(S4, "方案编制基准年为2024年", target="2024")
o_util = off(S4, "提升生活垃圾焚烧产能利用率")
o_inc = off(S4, "依托全市生活垃圾焚烧设施")
o_share = off(S4, "区域调配和设施共享")
o_comp = off(S4, "建立健全乡镇生活垃圾压缩", target="乡镇")
CITY_POP, YE_POP, U_2020 = 4_987_137, 702_345, 0.5342
CENSUS = "2020 census (第七次全国人口普查), table 1 of the 叶县第七次全国人口普查公报 (叶县统计局, 2021-06-18): 全市 4,987,137, 叶县 702,345"
U_NOTE = "urbanisation 53.42% at end-2020 = 54.45% at end-2021 less the 1.03 points it rose in 2021 (2021年平顶山市国民经济和社会发展统计公报)"
CORE, OTHERS = [XH, WD, SL, ZH], [BF, LS, JX, WG, RZ]
rest = CITY_POP - YE_POP
a9 = sum(PDS.area[c] for c in CORE + OTHERS)
a_core = sum(PDS.area[c] for c in CORE)
pop = {YE: float(YE_POP)}
for c in CORE + OTHERS:
    urban = 0.5 * U_2020 * rest * (PDS.area[c] / a_core if c in CORE else 1 / len(OTHERS))
    pop[c] = urban + (1 - U_2020) * rest * PDS.area[c] / a9
assert abs(sum(pop.values()) - CITY_POP) < 1e-6
pds_total = CITY_POP * RATE_QJ / 1000
pds_t, big, diff = split_residual({c: p * RATE_QJ / 1000 for c, p in pop.items()}, pds_total)
pds_gen = []
for c in PDS.bnd.county_id:
    how = (
        "census value"
        if c == YE
        else (
            f"ESTIMATE: the other 9 units share 4,284,792 residents by an urban/rural proxy ({U_NOTE}): half of the urban part to the "
            f"4 districts by area, half evenly over the 5 counties/cities; the rural part by land area ({PDS.area[c]:.0f} of {a9:.0f} km²)"
        )
    )
    pds_gen.append(
        dict(
            county_id=c,
            year=2024,
            generation_tpd=pds_t[c],
            source=src(ID4, o_scope, o_base, (ID2, o_gen21), o_pop),
            note=(
                f"estimate: the seed gives no tonnage: population × rate. Population {pop[c]:,.0f} ({how}; {CENSUS}), assumed unchanged "
                f"to the base year 2024 (@{o_base}); rate {RATE_QJ:.4f} kg/person/day = Qijiang's 2021 figure from seed {ID2} "
                f"(148,402.82 t @{o_gen21} / 77.57万 residents @{o_pop} / 365), an ASSUMPTION borrowed from another seed"
                + (f"; includes rounding residual {diff:+.2f} t/d" if c == big and diff else "")
            ),
        )
    )
pds_fac_rows = []
for i, (cid, cap, zh, en) in enumerate(
    [
        (
            XH,
            1500,
            "平顶山市中心城区生活垃圾焚烧发电厂（示意）",
            "Pingdingshan central-city MSW incinerator (illustrative)",
        ),
        (RZ, 1000, "汝州市生活垃圾焚烧发电厂（示意）", "Ruzhou MSW incinerator (illustrative)"),
        (YE, 800, "叶县生活垃圾焚烧发电厂（示意）", "Ye County MSW incinerator (illustrative)"),
    ],
    1,
):
    pds_fac_rows.append(
        dict(
            facility_id=f"PDS-INC-{i:02d}",
            name_zh=zh,
            name_en=en,
            type="incinerator",
            status="operating",
            capacity_tpd=cap,
            county_id=cid,
            source=src(ID4, o_inc, o_util),
            note=(
                f'the seed builds on "全市生活垃圾焚烧设施" (the city\'s incineration plants, @{o_inc}) and asks to raise their '
                f"utilisation (@{o_util}) but names no plant, site or size: plant, county and capacity are NOT in seed, ILLUSTRATIVE: "
                "three plants (central city, west, east) totalling 3300 t/d, about 1.26 × the estimated demand, i.e. spare capacity "
                "as the wish to raise utilisation implies"
            ),
        )
    )
pds_fac = PDS.place(pds_fac_rows)
pds_cand = ts_candidates(
    PDS,
    "PDS",
    list(PDS.bnd.county_id),
    basis=f"stands for the township compaction stations the seed asks for (seed {ID4} @{o_comp}), none named; "
    + TS_BASIS,
)
pds_sc = [
    dict(
        name="baseline-2024",
        target_year=2024,
        in_service_statuses=["operating"],
        candidate_ids=[],
        county_self_sufficiency=True,
        description=(
            "2024 基准：各县（市、区）只处理本地垃圾（county_self_sufficiency），不新建站点；焚烧厂位置与规模为示意值。 / "
            f"2024 base year (seed {ID4} @{o_base}): each county unit treats only its own waste (county_self_sufficiency), no new "
            "sites; the three incinerators are ILLUSTRATIVE. Shows what is missing without regional sharing."
        ),
        **COMMON,
    ),
    dict(
        name="plan-2027",
        target_year=2027,
        in_service_statuses=["operating", "under_construction", "planned"],
        candidate_ids=None,
        county_self_sufficiency=False,
        description=(
            f"2027 规划：全市生活垃圾区域调配和设施共享（@{o_share}），可新建示意性乡镇压缩转运站（@{o_comp}）；产生量沿用 2024 年估算。 / "
            f"2027 plan: city-wide regional allocation and facility sharing (seed {ID4} @{o_share}); illustrative township "
            f"compaction/transfer stations may open (@{o_comp}); demand kept at the 2024 estimate (no forecast in the seed)."
        ),
        **COMMON,
    ),
]
write_tables("pingdingshan", pds_fac, pds_cand, pds_gen, pds_sc)

# ============================================================ Chengkou hazardous waste (seed 002, part A)
CK, KZ, WZ = "500229", "500154", "500101"
o_hw = off(S2, "分别产生工业危险废物14.70吨、23.96吨、14.64吨", target="14.70")
o_hw19 = o_hw + len("14.70吨、")
o_hw20 = o_hw19 + len("23.96吨、")
o_53 = off(S2, "累计53.3吨", target="53.3")
o_none = off(S2, "城口县行政区域内无危险废物经营单位")
o_ruilin = off(S2, "重庆睿林环保工程有限公司")
o_xjy = off(S2, "重庆市万州区新聚源再生资源回收有限责任公司")
o_pilot = S2.find("督促城口县重庆欣欣环保工程有限公司加快危险废物收集贮存试点项目") + len(
    "督促城口县"
)
o_pilot2 = S2.find("督促城口县重庆欣欣环保工程有限公司加快危险废物收集贮存试点项目", o_pilot) + len(
    "督促城口县"
)
assert S2[o_hw19 : o_hw19 + 5] == "23.96" and S2[o_hw20 : o_hw20 + 5] == "14.64"
ck = Region("chengkou-hw", "EPSG:32649")
HW_SINK = (
    "a licensed HW collection/storage firm in 万州区 that passes Chengkou's HW on to terminal disposal; the model has no "
    "hazardous-waste type yet, so it is an APPROXIMATION: an incinerator-type end point carrying only Chengkou's HW tonnage; "
    "capacity NOT in seed, ILLUSTRATIVE 5 t/d (far above Chengkou's 0.04 t/d)"
)
ck_fac = ck.place(
    [
        dict(
            facility_id="CK-HW-01",
            name_zh="重庆睿林环保工程有限公司（万州区）",
            name_en="Chongqing Ruilin Environmental Engineering Co. (Wanzhou)",
            type="incinerator",
            status="operating",
            capacity_tpd=5,
            county_id=WZ,
            source=src(ID2, o_ruilin, o_none),
            note=f"named in the seed (@{o_ruilin}): Chengkou has no HW operator of its own (@{o_none}); {HW_SINK}",
        ),
        dict(
            facility_id="CK-HW-02",
            name_zh="重庆市万州区新聚源再生资源回收有限责任公司",
            name_en="Wanzhou Xinjuyuan Renewable Resources Recycling Co.",
            type="incinerator",
            status="operating",
            capacity_tpd=5,
            county_id=WZ,
            source=src(ID2, o_xjy, o_none),
            note=f"named in the seed (@{o_xjy}); {HW_SINK}",
        ),
    ]
)
HUB_FIXED = 200_000.0
ck_cand = ts_candidates(
    ck,
    "CK",
    [CK],
    capacity=1.0,
    fixed=HUB_FIXED,
    size_class="hw-hub",
    basis=(
        "a county hazardous-waste collection/storage hub (transfer_station type: it gathers the scattered small loads and "
        "ships them on in bulk); own size class hw-hub: capacity 1 t/d and fixed cost 200,000 yuan/yr are ILLUSTRATIVE "
        "(the seed gives neither)"
    ),
)
ck_cand[0]["name_zh"] = "城口县危险废物收集贮存试点（重庆欣欣环保，示意点位）"
ck_cand[0]["note"] += (
    f"; stands for the seed's pilot: 重庆欣欣环保工程有限公司's HW collection and storage pilot (seed {ID2} @{o_pilot}, @{o_pilot2}), "
    "site not given"
)
ck_cand[1]["name_zh"] = "城口县危险废物收集贮存备选点（示意）"
ck_gen = [
    dict(
        county_id=CK,
        year=y,
        generation_tpd=round(t / 365, 4),
        source=src(ID2, o, o_53),
        note=(
            f"seed figure: {y} industrial hazardous waste generated in Chengkou {t} t/yr (@{o}; 53.3 t over 2018–2020 @{o_53}) / 365; "
            "hazardous waste, not household waste (the model's waste stream is one undifferentiated tonnage)"
        ),
    )
    for y, t, o in ((2018, 14.70, o_hw), (2019, 23.96, o_hw19), (2020, 14.64, o_hw20))
]
for c in (KZ, WZ):
    ck_gen.append(
        dict(
            county_id=c,
            year=2020,
            generation_tpd=0.0,
            source=src(ID2, o_none),
            note=(
                f"not modelled: {ck.name[c]} is in the layer only as the route to / host of the Wanzhou HW firms (@{o_none}); "
                "the seed covers Chengkou's waste only, so its generation is set to 0"
            ),
        )
    )
ck_sc = [
    dict(
        name="baseline-2020",
        target_year=2020,
        in_service_statuses=["operating"],
        candidate_ids=[],
        max_direct_haul_km=None,
        description=(
            f"2020 现状：城口县无危险废物经营单位（种子文件 {ID2} @{o_none}），14.64 吨/年（@{o_hw20}）由万州区两家收集贮存单位长途直运。 / "
            f"2020: Chengkou has no HW operator (seed {ID2} @{o_none}); its 14.64 t/yr (@{o_hw20}) is hauled directly to two "
            "collection/storage firms in Wanzhou (no direct-haul limit). The HW firms are modelled as incinerator-type end points."
        ),
        **COMMON,
    ),
    dict(
        name="plan-2025",
        target_year=2025,
        in_service_statuses=["operating", "under_construction", "planned"],
        candidate_ids=None,
        required_candidates=["CK-CTS-01"],
        max_new_sites=1,
        max_direct_haul_km=50.0,
        description=(
            f"2025 规划：建设县级危险废物收集贮存试点（重庆欣欣环保，@{o_pilot}），超过 50 公里的运输须经县内收集点集中转运（假定）；"
            "产生量沿用 2020 年数值。 / "
            f"2025 plan: the county HW collection/storage pilot (重庆欣欣环保, seed {ID2} @{o_pilot}) opens; ASSUMPTION: hauls "
            "longer than 50 km must pass the county hub (the pilot's purpose: gather scattered small loads); demand kept at 2020."
        ),
        **COMMON,
    ),
]
write_tables("chengkou-hw", ck_fac, ck_cand, ck_gen, ck_sc)

# ============================================================ Yunnan medical waste (seed 001)
YN = Region(
    "yunnan-medical", "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84 +units=m"
)
o_21 = off(S1, "全省有 21 家医疗", target="21")
o_64167 = off(S1, "64167 吨/年", target="64167")
o_1758 = off(S1, "175.8 吨/天", target="175.8")
o_524 = off(S1, "较“十二五”末增长 52.4%", target="52.4")
o_each = off(S1, "至少建有 1 个符合运行要求", target="1")
o_pop_rule = off(S1, "服务人口")
o_expand = off(S1, "加快推进昆明市、红河州、文山州", target="昆明市")
o_kuoneng = off(S1, "扩能提质")
o_emerg = off(S1, "至少明确一座协同应急处置设施")
#: 2020 census (第七次全国人口普查), 云南省第七次全国人口普查主要数据公报 (2021-05-14) and the prefecture bulletins
YN_POP = {
    "530100": 8_460_088,
    "530300": 5_765_775,
    "530400": 2_249_502,
    "530500": 2_431_211,
    "530600": 5_092_611,
    "530700": 1_253_878,
    "530800": 2_404_954,
    "530900": 2_257_991,
    "532300": 2_416_747,
    "532500": 4_478_422,
    "532600": 3_503_218,
    "532800": 1_301_407,
    "532900": 3_337_559,
    "533100": 1_315_709,
    "533300": 552_694,
    "533400": 387_511,
}
assert sum(YN_POP.values()) == 47_209_277
assert (
    dict(zip(YN.bnd.county_id, YN.bnd.population.astype(int), strict=True)) == YN_POP
)  # as in the boundaries
YN_CENSUS = "2020 census (第七次全国人口普查) resident population, 云南省第七次全国人口普查主要数据公报 (2021-05-14; total 47,209,277)"
LOAD = 0.8
P = sum(YN_POP.values())
cap, big_c, diff_c = split_residual({c: 175.8 * p / P for c, p in YN_POP.items()}, 175.8)
gen, big_g, diff_g = split_residual(
    {c: LOAD * 175.8 * p / P for c, p in YN_POP.items()}, LOAD * 175.8
)
yn_rows = []
for c in YN.bnd.county_id:
    short = YN.name[c]
    yn_rows.append(
        dict(
            facility_id=f"YN-MW-{c[:4]}",
            name_zh=f"{short}医疗废物集中处置设施（合并表示）",
            name_en=f"{YN.name_en[c]} central medical-waste disposal (aggregated)",
            type="incinerator",
            status="operating",
            capacity_tpd=cap[c],
            county_id=c,
            source=src(ID1, o_1758, o_21, o_each),
            note=(
                f"the seed gives 21 central medical-waste disposal units, 26 lines, 64,167 t/yr = 175.8 t/d province-wide (@{o_21}, @{o_64167}, @{o_1758}) "
                f"and at least 1 compliant unit in every prefecture (@{o_each}); which prefectures have more than one is not stated, so this row stands "
                f"for all central units of {short}; capacity NOT in seed per prefecture: ESTIMATE = 175.8 t/d split by 2020 census population "
                f"({YN_POP[c]:,}; {YN_CENSUS}) — the seed's siting criteria include the population served (@{o_pop_rule})"
                + (
                    f"; includes rounding residual {diff_c:+.2f} t/d"
                    if c == big_c and diff_c
                    else ""
                )
                + "; medical-waste plants are not a model type yet: APPROXIMATION as an incinerator-type treatment site carrying only medical waste"
            ),
        )
    )
yn_fac = YN.place(yn_rows)
NAMED = {"530100", "532500", "532600"}  # 昆明市, 红河州, 文山州
MOD_INVEST = {10: 8_000_000.0, 5: 4_000_000.0}
yn_cand, pts = [], []
for c in YN.bnd.county_id:
    size = 10 if c in NAMED else 5
    fixed = round(MOD_INVEST[size] * CRF, -3)
    named = (
        f"the seed names {YN.name[c]} for new/rebuilt/expanded medical-waste facilities (seed {ID1} @{o_expand})"
        if c in NAMED
        else f'the seed asks to expand existing disposal facilities ("扩能提质", seed {ID1} @{o_kuoneng}); {YN.name[c]} is not named'
    )
    yn_cand.append(
        dict(
            candidate_id=f"YN-CMW-{c[:4]}",
            name_zh=f"{YN.name[c]}医疗废物处置扩能模块（示意，{size}吨/日）",
            type="incinerator",
            capacity_tpd=float(size),
            fixed_cost_yuan_yr=fixed,
            size_class="",
            county_id=c,
            note=(
                f"ILLUSTRATIVE candidate, not in the seed as a module: {named}; capacity {size} t/d and investment {MOD_INVEST[size] / 1e4:,.0f}万元 are "
                f"ILLUSTRATIVE (no figure in the seed), annualized at 8% over 20 years (CRF {CRF:.4f}) = {fixed:,.0f} yuan/yr; "
                "stand-in point 5 km south of the prefecture's representative point; medical waste only (incinerator type = approximation)"
            ),
        )
    )
    pts.append(YN.south_point(c))
for r, (lon, lat) in zip(yn_cand, YN.to_lonlat(pts), strict=True):
    r["lon"], r["lat"] = lon, lat
yn_gen = [
    dict(
        county_id=c,
        year=2020,
        generation_tpd=gen[c],
        source=src(ID1, o_1758, o_pop_rule),
        note=(
            f"estimate: the seed gives no medical-waste generation; ASSUMPTION: 2020 generation = {LOAD:.0%} of the 175.8 t/d central disposal "
            f"capacity (@{o_1758}) = {LOAD * 175.8:.2f} t/d province-wide, split by 2020 census population ({YN_POP[c]:,} of {P:,}; {YN_CENSUS})"
            + (f"; includes rounding residual {diff_g:+.2f} t/d" if c == big_g and diff_g else "")
        ),
    )
    for c in YN.bnd.county_id
]
G_YN = round(1.524 ** (1 / 5) - 1, 5)
yn_sc = [
    dict(
        name="baseline-2020",
        target_year=2020,
        in_service_statuses=["operating"],
        candidate_ids=[],
        max_direct_haul_km=None,
        description=(
            f"2020 现状：16 个州（市）各有医疗废物集中处置设施（合计 175.8 吨/日，种子文件 {ID1} @{o_1758}；按人口分配，估算），"
            f"产生量按处置能力的 {LOAD:.0%} 估算（假定）；医疗废物专车可跨州市运输（不设直运距离上限）。 / "
            f"2020: every prefecture has central medical-waste disposal (175.8 t/d in all, seed {ID1} @{o_1758}; split by population, "
            f"an estimate); generation ASSUMED at {LOAD:.0%} of that capacity; dedicated vehicles may cross prefecture borders (no direct-haul limit)."
        ),
        **COMMON,
    ),
    dict(
        name="plan-2025",
        target_year=2025,
        generation_growth_rate=G_YN,
        in_service_statuses=["operating", "under_construction", "planned"],
        candidate_ids=None,
        max_direct_haul_km=None,
        description=(
            f"2025 规划：产生量按 2015—2020 年处置能力增速（增长 52.4%，@{o_524}）外推，年增 {G_YN:.2%}（假定）；"
            f"可在各州（市）新增示意性扩能模块（昆明、红河、文山为原文点名，@{o_expand}）。 / "
            f"2025 plan: generation ASSUMED to grow as disposal capacity grew in 2015–2020 (+52.4%, seed {ID1} @{o_524}), i.e. "
            f"{G_YN:.2%} per year; illustrative expansion modules may open in every prefecture (Kunming, Honghe and Wenshan are named "
            f"in the seed, @{o_expand}). The rule 'at least one central facility per prefecture' (@{o_each}) is a model "
            "constraint here (min_facilities_per_region: one disposal site per prefecture unit); it holds: "
            "every prefecture keeps its existing unit."
        ),
        min_facilities_per_region={"incinerator": 1},
        **COMMON,
    ),
]
write_tables("yunnan-medical", yn_fac, yn_cand, yn_gen, yn_sc)

# ============================================================ manifest (new entries only)
update_manifest(
    {
        "qijiang": dict(
            title_zh="綦江区",
            title_en="Qijiang, Chongqing",
            seed=ID2,
            default_scenario="plan-2025",
            boundaries="boundaries/qijiang_counties.geojson",
            facilities="facilities/qijiang_facilities.csv",
            candidates="facilities/qijiang_candidates.csv",
            generation="generation/qijiang_generation.csv",
            scenarios="scenarios/qijiang_scenarios.json",
            description_en=(
                "Qijiang District (Chongqing), one county unit, from its 14th FYP zero-waste city work plan (seed part B): the 190 t/d "
                "Xinsheng landfill that carried ~360–400 t/d, the 1,000 t/d Fuhuan incinerator shared with Wansheng (trial operation "
                "Nov 2021), MSW 148,403 t in 2021. The baseline shows the landfill overload as a capacity gap; the plan clears it. "
                "Sites are county stand-ins (see data/*/README.md)."
            ),
            description_zh=(
                "綦江区（重庆市）1 个区县单元，依据“十四五”时期“无废城市”建设工作方案（种子文件第二部分）：设计 190 吨/日、实际约 360—400 吨/日的新盛镇填埋场，"
                "与万盛共享的扶欢镇 1000 吨/日焚烧厂（2021 年 11 月试运行），2021 年生活垃圾产生量 148,403 吨。基准情景把填埋场超负荷显示为处理能力缺口，规划情景消除缺口。"
                "设施位置为区县替代点位（见 data/*/README.md）。"
            ),
        ),
        "pingdingshan": dict(
            title_zh="平顶山市",
            title_en="Pingdingshan, Henan",
            seed=ID4,
            default_scenario="plan-2027",
            boundaries="boundaries/pingdingshan_counties.geojson",
            facilities="facilities/pingdingshan_facilities.csv",
            candidates="facilities/pingdingshan_candidates.csv",
            generation="generation/pingdingshan_generation.csv",
            scenarios="scenarios/pingdingshan_scenarios.json",
            description_en=(
                "Pingdingshan (Henan), 10 county units, from the 2025–2027 zero-waste city plan (draft): city-wide sharing of "
                "incineration capacity and township compaction stations. The seed gives no tonnages or plants: generation is "
                "census population × a per-capita rate borrowed from seed 002, and the three incinerators are ILLUSTRATIVE."
            ),
            description_zh=(
                "平顶山市（河南省）10 个县级单位，依据“无废城市”建设实施方案（2025—2027，征求意见稿）：全市焚烧能力区域调配、设施共享，乡镇压缩转运设施。"
                "原文未给出任何吨位和设施：产生量为七普人口 × 借自种子文件 002 的人均产生量，三座焚烧厂均为示意。"
            ),
        ),
        "yunnan-medical": dict(
            title_zh="云南省医疗废物",
            title_en="Yunnan medical waste",
            seed=ID1,
            default_scenario="plan-2025",
            boundaries="boundaries/yunnan-medical_counties.geojson",
            facilities="facilities/yunnan-medical_facilities.csv",
            candidates="facilities/yunnan-medical_candidates.csv",
            generation="generation/yunnan-medical_generation.csv",
            scenarios="scenarios/yunnan-medical_scenarios.json",
            description_en=(
                "Yunnan province medical waste, 16 prefecture units (the demand unit is a prefecture), from the 14th FYP solid-waste "
                "plan: 21 central disposal units, 175.8 t/d, at least one per prefecture. Medical-waste plants are APPROXIMATED as "
                "incinerator-type sites carrying only medical waste; per-prefecture capacity and generation are population-based estimates."
            ),
            description_zh=(
                "云南省医疗废物，16 个州（市）单元（需求单元为州市），依据“十四五”固体废物污染防治规划：21 家集中处置单位，175.8 吨/日，每个州（市）至少一个。"
                "医疗废物处置设施近似为只承担医疗废物的焚烧类处理设施；各州市能力与产生量按人口估算。"
            ),
        ),
        "chengkou-hw": dict(
            title_zh="城口县危险废物",
            title_en="Chengkou hazardous waste, Chongqing",
            seed=ID2,
            default_scenario="plan-2025",
            boundaries="boundaries/chengkou-hw_counties.geojson",
            facilities="facilities/chengkou-hw_facilities.csv",
            candidates="facilities/chengkou-hw_candidates.csv",
            generation="generation/chengkou-hw_generation.csv",
            scenarios="scenarios/chengkou-hw_scenarios.json",
            description_en=(
                "Chengkou County (Chongqing) hazardous waste, from its 14th FYP industrial solid-waste plan (seed part A): 53.3 t in "
                "2018–2020 from scattered sources, hauled to two collection/storage firms in Wanzhou; the planned county collection "
                "hub. The Wanzhou firms are APPROXIMATED as incinerator-type end points carrying only hazardous waste."
            ),
            description_zh=(
                "城口县（重庆市）危险废物，依据“十四五”工业固体废物污染防治规划（种子文件第一部分）：2018—2020 年共 53.3 吨，来源分散，运往万州区两家收集贮存单位；"
                "规划建设县级收集贮存试点。万州单位近似为只承担危险废物的焚烧类终端。"
            ),
        ),
    }
)
print(qj_fac[["facility_id", "capacity_tpd", "lon", "lat"]].to_string())
print(pds_fac[["facility_id", "capacity_tpd", "county_id"]].to_string())
print({c: round(p) for c, p in pop.items()}, pds_t, round(pds_total, 2))
print(ck_fac[["facility_id", "lon", "lat"]].to_string(), [c["candidate_id"] for c in ck_cand])
print(cap, gen, G_YN)
print("candidates:", len(qj_cand), len(pds_cand), len(ck_cand), len(yn_cand))
