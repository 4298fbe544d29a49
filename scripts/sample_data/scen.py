import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pathlib import Path

from offsets import J, Y, off

D = Path(__file__).resolve().parents[2] / "data"
(D / "scenarios").mkdir(exist_ok=True)
o65 = off(Y, "焚烧处理能力占比达到65%", target="65")
o_tot = off(Y, "处理生活垃圾 47.12", target="47.12")
common = dict(
    solver="highs", time_limit_s=120, mip_gap=0.005, circuity_factor=1.4, use_exclusions=True
)
yuxi = [
    dict(
        name="baseline-2020",
        target_year=2020,
        generation_growth_rate=0.0,
        in_service_statuses=["operating"],
        candidate_ids=[],
        incineration_share_min=None,
        description=(
            f"2020 现状：仅运行中的设施（红塔区焚烧厂 700 吨/日 + 6 座填埋场合计 1032 吨/日，种子文件 000_c16f0f7a82d733c2 @13164、@13191），"
            f"产生量为 2020 年全市处理量 47.12 万吨（@{o_tot}）按代理指标分到各区县；不新建站点。 / "
            f"2020 baseline: operating facilities only (Hongta incinerator 700 t/d + 6 landfills totalling 1032 t/d, seed 000_c16f0f7a82d733c2 @13164, @13191); "
            f"demand = the 2020 city total of 47.12万 t treated (@{o_tot}) split across counties by a proxy; no new sites."
        ),
        **common,
    ),
    dict(
        name="plan-2025",
        target_year=2025,
        generation_growth_rate=0.0,
        in_service_statuses=["operating", "under_construction", "planned"],
        candidate_ids=None,
        incineration_share_min=0.65,
        description=(
            f"2025 规划：运行、在建与规划设施全部投入使用（通海 700、澄江 300、易门 300 吨/日焚烧厂，红塔区 4 座 200 吨/日转运站等），"
            f"焚烧处理能力占比不低于 65%（种子文件 000_c16f0f7a82d733c2 @{o65}；此处按处理量占比建模），可新建示意性候选站点；"
            f"种子文件未给出 2025 年产生量预测，故增长率取 0。 / "
            f"2025 plan: operating, under-construction and planned facilities in service (Tonghai 700, Chengjiang 300, Yimen 300 t/d incinerators, "
            f"Hongta 4 × 200 t/d transfer stations, ...); incineration share ≥ 65% (seed 000_c16f0f7a82d733c2 @{o65}, a capacity share in the plan, "
            f"modelled as a share of treated waste); illustrative candidates may open; the seed gives no 2025 generation forecast, so growth = 0."
        ),
        **common,
    ),
]
o75 = off(J, "焚烧处理能力占比达到 75%", target="75")
o5337 = off(J, "生活垃圾清运量★\t53.37", target="53.37")
o4756 = off(J, "53.37\t47.56", target="47.56")
g = round((47.56 / 53.37) ** (1 / 5) - 1, 5)
jin = [
    dict(
        name="baseline-2020",
        target_year=2020,
        generation_growth_rate=0.0,
        in_service_statuses=["operating"],
        candidate_ids=[],
        description=(
            f"基准年现状：5 座填埋场与泽州县焚烧厂（规模为示意值，种子文件未给出），产生量为清运量 53.37 万吨（种子文件 003_1dbbb06e4be99a0e @{o5337}）；不新建站点。 / "
            f"Baseline: the 5 landfills and the Zezhou incinerator (capacities ILLUSTRATIVE, not in the seed); demand = 53.37万 t/yr collected "
            f"(seed 003_1dbbb06e4be99a0e @{o5337}); no new sites."
        ),
        **common,
    ),
    dict(
        name="plan-2025",
        target_year=2025,
        generation_growth_rate=g,
        in_service_statuses=["operating", "under_construction", "planned"],
        candidate_ids=None,
        incineration_share_min=0.75,
        description=(
            f"2025 规划：阳城、沁水综合处理项目投入使用，焚烧处理能力占比达到 75%（@{o75}；此处按处理量占比建模）；"
            f"清运量由 53.37 万吨降至 47.56 万吨（@{o5337}、@{o4756}），折合年增长率 {g:.3%}。 / "
            f"2025 plan: Yangcheng and Qinshui integrated projects in service; incineration share ≥ 75% (seed 003_1dbbb06e4be99a0e @{o75}, "
            f"modelled as a share of treated waste); collected waste falls from 53.37 to 47.56万 t/yr (@{o5337}, @{o4756}), i.e. {g:.3%} per year."
        ),
        **common,
    ),
]
for k, v in (("yuxi", yuxi), ("jincheng", jin)):
    (D / "scenarios" / f"{k}_scenarios.json").write_text(
        json.dumps(v, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
samples = {
    "yuxi": dict(
        title_zh="玉溪市",
        title_en="Yuxi, Yunnan",
        seed="000_c16f0f7a82d733c2",
        default_scenario="plan-2025",
        boundaries="boundaries/yuxi_counties.geojson",
        facilities="facilities/yuxi_facilities.csv",
        candidates="facilities/yuxi_candidates.csv",
        generation="generation/yuxi_generation.csv",
        scenarios="scenarios/yuxi_scenarios.json",
        description_en=(
            "Yuxi (Yunnan), 9 county units, from the 2022–2025 zero-waste city plan: the operating 700 t/d Hongta incinerator and 6 landfills (1032 t/d), "
            "the planned Jiangchuan–Tonghai–Huaning 700 t/d, Chengjiang 300 t/d and Yimen 300 t/d incinerators. Facility sites and per-county demand are "
            "stand-ins/estimates (see data/*/README.md)."
        ),
        description_zh=(
            "玉溪市（云南省）9 个区县，依据“无废城市”建设实施方案（2022—2025）：运行中的红塔区 700 吨/日焚烧厂和 6 座填埋场（1032 吨/日），"
            "规划中的江川—通海—华宁 700 吨/日、澄江 300 吨/日、易门 300 吨/日焚烧厂。设施位置与各区县产生量为替代点位/估算值（见 data/*/README.md）。"
        ),
    ),
    "jincheng": dict(
        title_zh="晋城市",
        title_en="Jincheng, Shanxi",
        seed="003_1dbbb06e4be99a0e",
        default_scenario="plan-2025",
        boundaries="boundaries/jincheng_counties.geojson",
        facilities="facilities/jincheng_facilities.csv",
        candidates="facilities/jincheng_candidates.csv",
        generation="generation/jincheng_generation.csv",
        scenarios="scenarios/jincheng_scenarios.json",
        description_en=(
            "Jincheng (Shanxi), 6 county units, from the 14th FYP zero-waste city plan (2023–2025): 5 existing landfills, the Zezhou incinerator and the "
            "Yangcheng/Qinshui integrated treatment projects; target 75% incineration. The seed gives no capacities: all capacities here are ILLUSTRATIVE."
        ),
        description_zh=(
            "晋城市（山西省）6 个县级单位，依据“十四五”时期“无废城市”建设实施方案（2023—2025）：现有 5 座填埋场、泽州县焚烧发电项目、"
            "阳城县与沁水县城乡垃圾综合处理项目；焚烧处理能力占比目标 75%。原文未给出任何处理规模，本数据中的规模均为示意值。"
        ),
    ),
}
(D / "samples.json").write_text(
    json.dumps(samples, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
)
print(g)
