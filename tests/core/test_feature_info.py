"""Feature and run-summary rows for people: names not ids, units in labels, per cent, no None."""

from __future__ import annotations

import pandas as pd
import pyogrio
import pytest

from wufei_gis.errors import InputError
from wufei_gis.export import export_rows
from wufei_gis.feature_info import (
    display_columns,
    feature_rows,
    feature_title,
    identify_stack,
    linked_rows,
    names_of,
    summary_rows,
)
from wufei_gis.optimization.planning import solve_scenario
from wufei_gis.results import RunResult


@pytest.fixture
def solved(tiny_project):
    """The tiny project and its 'plan' scenario, really solved (HiGHS)."""
    return tiny_project, solve_scenario(tiny_project, "plan")


def test_facility_rows_name_the_county_and_label_codes(tiny_project):
    f = tiny_project.facilities
    rows = dict(feature_rows("facilities", f.iloc[1], lang="zh", project=tiny_project))
    assert rows["所在区县"] == "乙县"  # county_id 100002 as its name
    assert rows["类型"] == "焚烧厂" and rows["状态"] == "规划"
    assert rows["处理能力 (吨/日)"] == "300.00"
    assert rows["设施编号"] == "F2"  # its own id stays
    assert rows["备注"] == "–"  # empty text
    en = dict(feature_rows("facilities", f.iloc[0], lang="en", project=tiny_project))
    assert en["County"] == "Jia County" and en["Type"] == "Landfill"
    assert en["Location precision"] == "county"
    assert feature_title("facilities", f.iloc[1], lang="zh") == ("现有设施", "乙焚烧厂")


def test_result_rows_use_names_units_and_per_cent(solved):
    project, result = solved
    sites = result.proposed_sites
    row = sites.iloc[int((sites["site_id"] == "F1").to_numpy().argmax())]
    rows = dict(feature_rows("proposed_sites", row, lang="zh", project=project))
    util = row["utilization"]
    assert 0 < util < 1
    assert rows["负荷率 (%)"] == f"{100 * util:.1f} %"
    assert rows["新建"] == "否" and rows["环节"] == "处理"
    assert rows["处理能力 (吨/日)"] == "100.00"
    flow = result.flows.iloc[0]
    rows = dict(feature_rows("flows", flow, lang="en", project=project))
    assert rows["From"] in {"Jia County", "Yi County"}  # a county id as its name
    assert rows["To"] in {"Jia landfill", "Yi incinerator"}
    assert rows["Tonnes (t/d)"] == f"{flow['tonnes_per_day']:,.2f}"
    assert " → " in feature_title("flows", flow, lang="zh", names=names_of(project))[1]
    text = " ".join(v for _, v in rows.items())
    assert "100001" not in text and "F1" not in text and "nan" not in text


def test_summary_rows_read_in_the_users_language(solved):
    project, result = solved
    summary = result.run_summary.copy()
    summary["binding_capacity"] = "F1, F2"
    summary["binding_policy"] = "incineration_share, new_sites"
    summary["incineration_target"] = float("nan")
    result = RunResult("plan", result.proposed_sites, result.flows, result.county_gaps, summary)
    rows = dict(summary_rows(result, lang="zh", project=project))
    assert rows["满负荷设施"] == "甲填埋场, 乙焚烧厂"
    assert rows["约束性政策"] == "焚烧比例下限, 新建站点数上限"
    share = summary["incineration_share"].iloc[0]
    assert rows["焚烧占比"] == f"{100 * share:.1f} %"
    assert rows["焚烧占比目标"] == "–"
    assert rows["求解状态"] == "最优"
    text = " ".join(f"{k} {v}" for k, v in rows.items())
    for raw in ("None", "nan", "incineration_share", "binding", "F1", "_tpd", f"{share:.2f}"):
        assert raw not in text, raw
    en = dict(summary_rows(result, lang="en", project=project))
    assert en["Binding capacities"] == "Jia landfill, Yi incinerator"
    assert en["Unserved (capacity gap)"].endswith("t/d")


def test_identify_stack_and_linked_rows(solved):
    project, result = solved
    frames = {
        "county_gaps": result.county_gaps,
        "counties": project.counties,
        "facilities": project.facilities,
        "candidates": project.candidates,
        "proposed_sites": result.proposed_sites,
        "flows": None,
    }
    f2 = int((result.proposed_sites["site_id"] == "F2").to_numpy().argmax())
    assert identify_stack("facilities", 1, frames) == [("facilities", 1), ("proposed_sites", f2)]
    gap = int((result.county_gaps["county_id"] == "100002").to_numpy().argmax())
    assert identify_stack("counties", 1, frames) == [("counties", 1), ("county_gaps", gap)]
    assert identify_stack("candidates", 0, frames) == [("candidates", 0)]  # not built
    assert (
        linked_rows(
            "counties", project.counties, [0, 1], "proposed_sites", frames["proposed_sites"]
        )
        == []
    )
    assert display_columns("flows", result.flows.columns)[:2] == ["from_id", "to_id"]
    assert "scenario" not in display_columns("flows", result.flows.columns)


@pytest.mark.parametrize("suffix", [".gpkg", ".csv", ".xlsx"])
def test_export_rows_writes_only_the_selected_rows(solved, tmp_path, suffix):
    project, result = solved
    out = export_rows(result, "county_gaps", [1], tmp_path / f"sel{suffix}", project=project)
    if suffix == ".gpkg":
        df = pyogrio.read_dataframe(out, layer="county_gaps")
    elif suffix == ".csv":
        df = pd.read_csv(out, encoding="utf-8-sig", dtype={"county_id": str})
    else:
        df = pd.read_excel(out, sheet_name="county_gaps", dtype=str)
        df.columns = ["county_id", *df.columns[1:]]
    assert len(df) == 1
    assert str(df["county_id"].iloc[0]) == result.county_gaps["county_id"].iloc[1]


def test_export_rows_rejects_bad_input(solved, tmp_path):
    _, result = solved
    with pytest.raises(InputError, match="cannot export rows"):
        export_rows(result, "flows", [0], tmp_path / "x.shp")
    with pytest.raises(InputError, match="no rows selected"):
        export_rows(result, "flows", [], tmp_path / "x.csv")
    with pytest.raises(InputError, match="not in 'flows'"):
        export_rows(result, "flows", [99], tmp_path / "x.csv")
    with pytest.raises(InputError, match="not a result layer"):
        export_rows(result, "run_summary", [0], tmp_path / "x.csv")
    assert not list(tmp_path.iterdir())
