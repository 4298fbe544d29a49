"""Tests of wufei_gis.qgis_styles: QGIS styles in the GeoPackage's layer_styles table."""

from __future__ import annotations

import sqlite3
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import Point

from wufei_gis.export import export_result
from wufei_gis.qgis_styles import (
    GAP_COLORS,
    LABEL_FONT,
    TYPE_COLORS,
    LayerStyle,
    gap_breaks,
    read_layer_styles,
    write_layer_styles,
)
from wufei_gis.results import read_results, write_results

sys.path.insert(0, str(Path(__file__).parent))
from test_analysis import make_result

SPATIAL = {"proposed_sites", "flows", "county_gaps"}


def _rgb(hex_color: str) -> str:
    h = hex_color.lstrip("#")
    return ",".join(str(int(h[i : i + 2], 16)) for i in (0, 2, 4))


def _qml(path: Path, layer: str) -> ET.Element:
    styles = read_layer_styles(path)
    rows = styles[(styles["f_table_name"] == layer) & (styles["useAsDefault"] == 1)]
    assert len(rows) == 1, f"{layer}: {len(rows)} default styles"
    qml = rows["styleQML"].item()
    assert qml.startswith("<!DOCTYPE qgis")
    return ET.fromstring(qml.split("\n", 1)[1])


def _symbol_colour(root: ET.Element, category_value: str) -> str:
    renderer = root.find("renderer-v2")
    cat = next(c for c in renderer.iter("category") if c.get("value") == category_value)
    sym = next(s for s in renderer.iter("symbol") if s.get("name") == cat.get("symbol"))
    opts = {o.get("name"): o.get("value") for o in sym.find("layer").find("Option")}
    return opts.get("color") or opts["line_color"]


def _expressions(root: ET.Element) -> dict[str, str]:
    out = {}
    for props in root.iter("Option"):
        if props.get("name") == "properties":
            for p in props:
                expr = {o.get("name"): o.get("value") for o in p}
                out[p.get("name")] = expr["expression"]
    return out


@pytest.fixture
def results_file(tmp_path):
    path = tmp_path / "results.gpkg"
    write_results(make_result("A", unserved_c=10.0), path)
    return path


def test_results_file_has_one_default_style_per_result_layer(results_file):
    con = sqlite3.connect(results_file)
    try:
        kind = con.execute(
            "SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'"
        ).fetchone()
        cols = [r[1] for r in con.execute("PRAGMA table_info(layer_styles)")]
    finally:
        con.close()
    assert kind == ("attributes",)
    assert cols == [
        "id",
        "f_table_catalog",
        "f_table_schema",
        "f_table_name",
        "f_geometry_column",
        "styleName",
        "styleQML",
        "styleSLD",
        "useAsDefault",
        "description",
        "owner",
        "ui",
        "update_time",
    ]
    styles = read_layer_styles(results_file)
    assert set(styles["f_table_name"]) == SPATIAL  # no style for the run_summary table
    assert (styles["f_geometry_column"] == "geom").all()
    # a second scenario rewrites the styles: still one default per layer
    write_results(make_result("B", unserved_c=2.0), results_file)
    styles = read_layer_styles(results_file)
    assert sorted(styles["f_table_name"]) == sorted(SPATIAL)
    for layer in SPATIAL:
        _qml(results_file, layer)


def test_gdal_lists_the_table_and_still_reads_every_layer(results_file):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layers = {str(n): g for n, g in pyogrio.list_layers(results_file)}
        assert layers["layer_styles"] is None
        for name in layers:
            pyogrio.read_dataframe(results_file, layer=name)
    info = pyogrio.read_info(results_file, layer="layer_styles")
    assert info["fid_column"] == "id" and info["features"] == 3
    assert dict(zip(info["fields"], info["ogr_subtypes"], strict=True))["useAsDefault"] == (
        "OFSTBoolean"
    )
    res = read_results(results_file)
    assert res.scenario == "A" and len(res.county_gaps) == 3


def test_gap_choropleth_is_graduated_orrd_on_the_unserved_share(results_file):
    root = _qml(results_file, "county_gaps")
    assert root.tag == "qgis" and root.get("labelsEnabled") == "1"
    r = root.find("renderer-v2")
    assert r.get("type") == "graduatedSymbol" and r.get("graduatedMethod") == "GraduatedColor"
    assert '"unserved_tpd" / "generation_tpd"' in r.get("attr")
    ranges = r.find("ranges").findall("range")
    assert len(ranges) == 5
    # C3 has 10 of 30 t/d unserved: breaks 0, 7, 14, 21, 28 %, the last class up to 100 %
    assert [float(x.get("lower")) for x in ranges] == pytest.approx([0, 0.07, 0.14, 0.21, 0.28])
    assert float(ranges[-1].get("upper")) == 1.0
    fills = [s.find("layer").get("class") for s in r.find("symbols")]
    assert fills == ["SimpleFill"] * 5
    colours = [
        {o.get("name"): o.get("value") for o in s.find("layer").find("Option")}["color"]
        for s in r.find("symbols")
    ]
    assert [c.rsplit(",", 1)[0] for c in colours] == [_rgb(c) for c in GAP_COLORS]
    text = root.find("labeling/settings/text-style")
    assert text.get("fieldName") == "name_zh" and text.get("isExpression") == "0"
    assert text.get("fontFamily") == LABEL_FONT == "Noto Sans CJK SC"


def test_flows_width_scales_with_tonnage(results_file):
    root = _qml(results_file, "flows")
    r = root.find("renderer-v2")
    assert r.get("type") == "categorizedSymbol" and r.get("attr") == "stage"
    assert {c.get("value") for c in r.iter("category")} == {"collection", "transfer", ""}
    width = _expressions(root)["outlineWidth"]
    assert '"tonnes_per_day"' in width and "/ 60" in width  # the largest flow: 60 t/d
    assert [s.find("layer").get("class") for s in r.find("symbols")] == ["SimpleLine"] * 3


def test_sites_by_type_colour_and_new_shape(results_file):
    root = _qml(results_file, "proposed_sites")
    r = root.find("renderer-v2")
    assert r.get("type") == "categorizedSymbol" and r.get("attr") == "type"
    assert _symbol_colour(root, "incinerator").startswith(_rgb(TYPE_COLORS["incinerator"]))
    assert _symbol_colour(root, "landfill").startswith(_rgb(TYPE_COLORS["landfill"]))
    expr = _expressions(root)
    assert "'star'" in expr["name"] and '"is_new"' in expr["name"]
    assert '"capacity_tpd"' in expr["size"] and "/ 100" in expr["size"]
    labels = {c.get("value"): c.get("label") for c in r.iter("category")}
    assert labels["incinerator"] == "焚烧厂 / Incinerator"
    assert root.find("labeling/settings/text-style").get("fieldName") == "name_zh"


def test_project_facilities_are_styled_by_type_and_status(tmp_path):
    project = tmp_path / "project.gpkg"
    facilities = gpd.GeoDataFrame(
        {
            "facility_id": ["F1", "F2"],
            "name_zh": ["甲厂", "乙站"],
            "type": ["incinerator", "transfer_station"],
            "status": ["operating", "planned"],
        },
        geometry=[Point(102.05, 24.05), Point(102.15, 24.05)],
        crs="EPSG:4326",
    )
    pyogrio.write_dataframe(facilities, project, layer="facilities", driver="GPKG")
    write_results(make_result("A"), project)
    root = _qml(project, "facilities")
    shape = _expressions(root)["name"]
    assert shape.startswith("CASE WHEN ")  # QGIS knows no simple CASE
    assert "\"status\" = 'under_construction' THEN 'diamond'" in shape
    assert "size" not in _expressions(root)  # facilities have no capacity scaling
    assert len(pyogrio.read_dataframe(project, layer="facilities")) == 2


def test_a_users_own_style_is_kept_but_no_longer_default(results_file):
    con = sqlite3.connect(results_file)
    with con:
        con.execute("UPDATE layer_styles SET styleName = 'mine' WHERE f_table_name = 'flows'")
    con.close()
    write_results(make_result("A"), results_file)
    styles = read_layer_styles(results_file)
    flows = styles[styles["f_table_name"] == "flows"].set_index("styleName")
    assert flows.loc["mine", "useAsDefault"] == 0 and flows.loc["wufei-gis", "useAsDefault"] == 1


def test_styles_of_missing_layers_are_skipped(results_file):
    write_layer_styles(results_file, [LayerStyle("no_such_layer", "<qgis/>")])
    assert "no_such_layer" not in set(read_layer_styles(results_file)["f_table_name"])


def test_gpkg_export_carries_styles_for_the_analysis_layer_too(tmp_path):
    out = export_result(make_result("A", unserved_c=10.0), "gpkg", tmp_path / "out.gpkg")
    styles = read_layer_styles(out)
    assert set(styles["f_table_name"]) == SPATIAL | {"county_analysis"}
    r = _qml(out, "county_analysis").find("renderer-v2")
    assert r.get("type") == "graduatedSymbol" and r.get("attr") == "unserved_share"
    assert not list(tmp_path.glob("*.lock")) and not list(tmp_path.glob(".*"))


def test_gap_breaks():
    assert gap_breaks([0.0, 0.12, 0.33]) == pytest.approx([0, 0.07, 0.14, 0.21, 0.28, 0.35])
    assert gap_breaks([0.0, 0.0]) == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    assert gap_breaks([]) == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    assert gap_breaks([float("nan"), 0.05]) == pytest.approx([0, 0.01, 0.02, 0.03, 0.04, 0.05])
    assert gap_breaks([1.0])[-1] == 1.0
