"""Tests of wufei_gis.export and the export/analyze/compare commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest

from wufei_gis.analysis import column_label, county_analysis, region_kpis
from wufei_gis.errors import InputError
from wufei_gis.export import (
    SHP_FIELD_NAMES,
    export_result,
    shapefile_field_names,
)
from wufei_gis.results import read_results, write_results

sys.path.insert(0, str(Path(__file__).parent))
from test_analysis import make_result


@pytest.fixture
def result():
    return make_result("方案A", unserved_c=10.0)


@pytest.fixture
def results_file(tmp_path):
    path = tmp_path / "results.gpkg"
    write_results(make_result("A", unserved_c=10.0), path)
    write_results(make_result("B", unserved_c=2.0), path)
    return path


def test_gpkg_roundtrip(result, tmp_path):
    out = export_result(result, "gpkg", tmp_path / "out.gpkg")
    back = read_results(out)
    assert back.scenario == "方案A"
    pd.testing.assert_series_equal(
        back.proposed_sites["throughput_tpd"], result.proposed_sites["throughput_tpd"]
    )
    ca = gpd.read_file(out, layer="county_analysis")
    np.testing.assert_allclose(ca["mean_haul_km"], county_analysis(result)["mean_haul_km"])
    assert list(ca["name_zh"]) == ["甲县", "乙县", "丙县"]
    kp = pyogrio.read_dataframe(out, layer="region_kpis").set_index("kpi")
    assert kp.loc["unserved_tpd", "value"] == pytest.approx(10.0)
    assert not list(tmp_path.glob(".*tmp*"))  # no temporary file left


def test_geojson_one_file_per_layer(result, tmp_path):
    out = export_result(result, "geojson", tmp_path / "gj")
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        f"{n}.geojson"
        for n in (
            "proposed_sites",
            "flows",
            "county_gaps",
            "run_summary",
            "county_analysis",
            "facility_analysis",
            "region_kpis",
        )
    )
    gaps = gpd.read_file(out / "county_gaps.geojson")
    np.testing.assert_allclose(gaps["unserved_tpd"], [0.0, 0.0, 10.0])
    data = json.loads((out / "flows.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 5


def test_shapefile_field_names_mapped_and_documented(result, tmp_path):
    out = export_result(result, "shp", tmp_path / "shp")
    table = pd.read_csv(out / "fieldnames.csv", encoding="utf-8-sig")
    assert (table["shp_field"].str.len() <= 10).all()
    row = table[(table["layer"] == "proposed_sites") & (table["field"] == "throughput_tpd")]
    assert row["shp_field"].item() == "thru_tpd"
    sites = gpd.read_file(out / "proposed_sites.shp")
    assert "thru_tpd" in sites.columns and "cap_tpd" in sites.columns
    np.testing.assert_allclose(sites["thru_tpd"], result.proposed_sites["throughput_tpd"])
    assert list(sites["name_zh"]) == ["焚烧厂", "填埋场", "转运站"]
    assert (out / "proposed_sites.cpg").read_text().strip().upper() in ("UTF-8", "UTF8")
    ca = gpd.read_file(out / "county_analysis.shp")
    assert {"unserv_tpd", "incin_shr", "mean_haul"} <= set(ca.columns)
    summary = pyogrio.read_dataframe(out / "run_summary.dbf")
    assert summary["unserv_tpd"].item() == pytest.approx(10.0)
    # every mapped name is in the documentation
    doc = (Path(__file__).parents[2] / "docs" / "exports.md").read_text(encoding="utf-8")
    for long, short in SHP_FIELD_NAMES.items():
        assert f"`{long}`" in doc and f"`{short}`" in doc


def test_shapefile_names_deterministic():
    m = shapefile_field_names(["abcdefghijk_1", "abcdefghijk_2", "throughput_tpd", "x"])
    assert m == {
        "abcdefghijk_1": "abcdefghij",
        "abcdefghijk_2": "abcdefgh_1",
        "throughput_tpd": "thru_tpd",
        "x": "x",
    }
    assert m == shapefile_field_names(["abcdefghijk_1", "abcdefghijk_2", "throughput_tpd", "x"])


def test_csv_has_bom_and_chinese(result, tmp_path):
    out = export_result(result, "csv", tmp_path / "csv")
    raw = (out / "county_gaps.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    gaps = pd.read_csv(out / "county_gaps.csv", encoding="utf-8-sig")
    assert list(gaps["name_zh"]) == ["甲县", "乙县", "丙县"]
    # polygons: centroid and geodesic area instead of WKT (0.1° x 0.1° at 24° N)
    assert "wkt" not in gaps.columns
    np.testing.assert_allclose(gaps["centroid_lon"], [102.05, 102.15, 102.25], atol=1e-6)
    np.testing.assert_allclose(gaps["centroid_lat"], 24.05, atol=1e-4)
    d_lat = 11.07 * 0.1 * 10  # km per 0.1° of latitude near 24° N
    d_lon = 111.32 * 0.1 * np.cos(np.radians(24.05))
    np.testing.assert_allclose(gaps["area_km2"], d_lat / 10 * d_lon * 10, rtol=0.01)
    sites = pd.read_csv(out / "proposed_sites.csv", encoding="utf-8-sig")
    assert {"lon", "lat"} <= set(sites.columns) and "wkt" not in sites.columns
    assert sites["lon"].iloc[0] == pytest.approx(102.05)
    flows = pd.read_csv(out / "flows.csv", encoding="utf-8-sig")
    assert "wkt" not in flows.columns
    first = flows.iloc[0]  # C1 (102.04, 24.04) -> INC (102.05, 24.05)
    assert (first["from_lon"], first["from_lat"]) == (102.04, 24.04)
    assert (first["to_lon"], first["to_lat"]) == (102.05, 24.05)
    for f in out.glob("*.csv"):
        text = f.read_text(encoding="utf-8-sig")
        assert "POINT" not in text and "POLYGON" not in text and "LINESTRING" not in text
    fa = pd.read_csv(out / "facility_analysis.csv", encoding="utf-8-sig")
    assert fa.set_index("site_id").loc["INC", "counties_served"] == "甲县、乙县"


def test_xlsx_units_and_numbers(result, tmp_path):
    from openpyxl import load_workbook

    out = export_result(result, "xlsx", tmp_path / "out.xlsx")
    wb = load_workbook(out)
    assert {
        "region_kpis",
        "county_analysis",
        "facility_analysis",
        "proposed_sites",
        "flows",
        "county_gaps",
        "run_summary",
    } <= set(wb.sheetnames)
    ws = wb["proposed_sites"]
    headers = [c.value for c in ws[1]]
    assert "throughput (t/d) / 处理量 (吨/日)" in headers
    col = headers.index("throughput (t/d) / 处理量 (吨/日)")
    values = [r[col] for r in ws.iter_rows(min_row=2, values_only=True)]
    np.testing.assert_allclose(values, result.proposed_sites["throughput_tpd"])
    kp = {r[0]: r[4] for r in wb["region_kpis"].iter_rows(min_row=2, values_only=True)}
    k = region_kpis(result)
    assert kp["unserved_tpd"] == pytest.approx(k.unserved_tpd)
    assert kp["incineration_share"] == pytest.approx(k.incineration_share)
    ca = wb["county_analysis"]
    names = [r[2] for r in ca.iter_rows(min_row=2, values_only=True)]
    assert names == ["甲县", "乙县", "丙县"]


def _column(ws, header):
    headers = [c.value for c in ws[1]]
    return ws[get_column_letter(headers.index(header) + 1)]


def get_column_letter(i):
    from openpyxl.utils import get_column_letter as letter

    return letter(i)


def test_xlsx_is_what_an_engineer_reads(result, tmp_path):
    from openpyxl import load_workbook

    out = export_result(result, "xlsx", tmp_path / "out.xlsx")
    wb = load_workbook(out)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title  # the header row stays in view
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (
                    isinstance(v, str) and any(k in v for k in ("POINT", "POLYGON", "LINESTRING"))
                ), (ws.title, v)
    # shares are numbers (fractions) shown as per cent
    ws = wb["county_analysis"]
    share = _column(ws, "unserved share (%) / 缺口比例 (%)")
    assert share[0].font.bold
    cells = share[1:]
    assert all(c.number_format == "0.0%" for c in cells)
    assert [c.value for c in cells] == pytest.approx([0.0, 0.0, 10.0 / 30.0])
    util = _column(wb["proposed_sites"], column_label("utilization"))[1:]
    assert util[0].value == pytest.approx(0.9) and util[0].number_format == "0.0%"
    tpd = _column(wb["proposed_sites"], "throughput (t/d) / 处理量 (吨/日)")[1:]
    assert tpd[0].number_format == "#,##0.00"
    # points as lon/lat, lines from/to, polygons centroid + area
    lon = _column(wb["proposed_sites"], "longitude (°) / 经度 (°)")[1:]
    assert lon[0].value == pytest.approx(102.05) and lon[0].number_format == "0.000000"
    flows = [c.value for c in wb["flows"][1]]
    assert "origin longitude (°) / 起点经度 (°)" in flows
    assert "destination latitude (°) / 终点纬度 (°)" in flows
    gaps = [c.value for c in wb["county_gaps"][1]]
    assert "area (km²) / 面积 (平方公里)" in gaps
    assert "centroid longitude (°) / 中心点经度 (°)" in gaps
    # KPI values: per cent for shares, numbers otherwise
    kp = wb["region_kpis"]
    fmt = {r[0].value: r[4].number_format for r in kp.iter_rows(min_row=2)}
    assert fmt["incineration_share"] == "0.0%" and fmt["unserved_tpd"] == "#,##0.00"


def test_xlsx_widths_fit_the_content(tmp_path):
    from openpyxl import load_workbook

    res = make_result("A")
    long_name = "很长很长的名字的一个县城行政区划"  # 16 CJK characters: 32 units
    res.county_gaps.loc[0, "name_zh"] = long_name
    out = export_result(res, "xlsx", tmp_path / "w.xlsx")
    ws = load_workbook(out)["county_gaps"]
    headers = [c.value for c in ws[1]]
    widths = {
        h: ws.column_dimensions[get_column_letter(j + 1)].width for j, h in enumerate(headers)
    }
    name_width = widths[column_label("name_zh")]
    assert 32 <= name_width <= 36  # CJK characters count double
    assert widths[column_label("county_id")] < name_width
    # a long header is not squeezed to a sliver, a short column is not 50 wide
    assert widths["unserved (capacity gap) (t/d) / 未处理量 (能力缺口) (吨/日)"] >= 20
    assert widths[column_label("county_id")] <= 16


def test_export_from_file_picks_scenario(results_file, tmp_path):
    out = export_result(results_file, "csv", tmp_path / "c", scenario="A")
    s = pd.read_csv(out / "run_summary.csv", encoding="utf-8-sig")
    assert s["scenario"].item() == "A" and s["unserved_tpd"].item() == pytest.approx(10.0)
    with pytest.raises(InputError, match="no results for scenario 'Z'"):
        export_result(results_file, "csv", tmp_path / "c", scenario="Z")
    with pytest.raises(InputError, match="unknown export format"):
        export_result(results_file, "docx", tmp_path / "x")


def test_cli_export_and_analyze(results_file, tmp_path, capsys):
    from wufei_gis.cli import main

    out = tmp_path / "kpi.xlsx"
    assert (
        main(
            ["export", str(results_file), "--scenario", "B", "--format", "xlsx", "--out", str(out)]
        )
        == 0
    )
    assert out.exists()
    capsys.readouterr()
    assert main(["analyze", str(results_file), "--scenario", "A", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["region"]["unserved_tpd"] == pytest.approx(10.0)
    assert data["counties"][2]["name_zh"] == "丙县"
    assert main(["analyze", str(results_file)]) == 0
    text = capsys.readouterr().out
    assert "丙县" in text and "2.00" in text
    assert (
        main(
            [
                "export",
                str(tmp_path / "missing.gpkg"),
                "--format",
                "csv",
                "--out",
                str(tmp_path / "x"),
            ]
        )
        == 2
    )


def test_parse_result_spec(results_file, tmp_path):
    from wufei_gis.cli.results import parse_result_spec

    assert parse_result_spec(f"{results_file}:A") == (results_file, "A")
    assert parse_result_spec(str(results_file)) == (results_file, None)
    # a colon inside a name that is not an existing file is part of the path
    assert parse_result_spec("C:\\data\\r.gpkg") == (Path("C:\\data\\r.gpkg"), None)
    odd = tmp_path / "a:b.gpkg"  # a colon in the file name itself
    write_results(make_result("A"), odd)
    assert parse_result_spec(str(odd)) == (odd, None)
    assert parse_result_spec(f"{odd}:A") == (odd, "A")
