"""Loading and validation of layers: good and bad inputs, every error located."""

from __future__ import annotations

import warnings

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, Polygon

from wufei_gis.errors import InputError
from wufei_gis.io import read_counties, read_facilities, read_generation, read_raw
from wufei_gis.schema import FACILITIES
from wufei_gis.validation import conform


def test_counties_from_projected_gpkg_are_stored_in_wgs84(tmp_path, tiny_frames):
    counties = tiny_frames[0].to_crs("EPSG:32648")
    path = tmp_path / "c.gpkg"
    counties.to_file(path, layer="counties", driver="GPKG")
    got = read_counties(path)
    assert got.crs.to_epsg() == 4326
    assert got["county_id"].tolist() == ["100001", "100002"]
    assert got.geometry.iloc[0].bounds == pytest.approx((102.0, 24.0, 102.2, 24.2), abs=1e-6)


@pytest.mark.parametrize("suffix,driver", [(".geojson", "GeoJSON"), (".shp", "ESRI Shapefile")])
def test_facilities_from_other_formats(tmp_path, tiny_frames, suffix, driver):
    path = tmp_path / f"f{suffix}"
    with warnings.catch_warnings():  # Shapefile truncates capacity_tpd to capacity_t
        warnings.simplefilter("ignore", UserWarning)
        tiny_frames[1].to_file(path, driver=driver)
    got = read_facilities(path)
    assert got["capacity_tpd"].tolist() == [100.0, 300.0]
    assert got["name_zh"].tolist() == ["甲填埋场", "乙焚烧厂"]


def test_facilities_from_csv_with_lon_lat(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(
        "facility_id,name_zh,type,status,capacity_tpd,county_id,经度,纬度\n"
        "F1,填埋场,landfill,operating,100,530402,102.5,24.3\n",
        encoding="utf-8-sig",
    )
    got = read_facilities(path)
    assert got.geometry.iloc[0].coords[0] == (102.5, 24.3)
    assert got["location_precision"].iloc[0] == "county"  # default filled in
    assert got["county_id"].iloc[0] == "530402"


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(InputError, match="file not found") as err:
        read_counties(tmp_path / "nope.gpkg")
    assert "nope.gpkg" in str(err.value)


def test_missing_column_names_it_and_the_fix(tmp_path, tiny_frames):
    path = tmp_path / "f.gpkg"
    tiny_frames[1].drop(columns=["capacity_tpd"]).to_file(path, layer="facilities")
    with pytest.raises(InputError) as err:
        read_facilities(path)
    e = err.value
    assert e.field == "capacity_tpd" and e.layer == "facilities" and "Fix:" in str(e)


def test_negative_generation_names_row_and_field(tmp_path):
    path = tmp_path / "g.csv"
    pd.DataFrame(
        {"county_id": ["1", "2"], "year": [2020, 2020], "generation_tpd": [10, -5]}
    ).to_csv(path, index=False)
    with pytest.raises(InputError) as err:
        read_generation(path)
    assert err.value.row == 2 and err.value.field == "generation_tpd"
    assert "below the minimum" in str(err.value)


def test_non_numeric_capacity_is_reported(tiny_frames):
    f = tiny_frames[1].copy()
    f["capacity_tpd"] = ["100", "lots"]
    with pytest.raises(InputError, match="'lots' is not a number") as err:
        conform(f, FACILITIES, file="x.gpkg")
    assert err.value.row == 2


def test_unknown_type_lists_allowed_values(tiny_frames):
    f = tiny_frames[1].copy()
    f.loc[1, "type"] = "volcano"
    with pytest.raises(InputError, match="landfill, incinerator"):
        conform(f, FACILITIES)


def test_duplicate_ids_rejected(tiny_frames):
    c = pd.concat([tiny_frames[0], tiny_frames[0].iloc[:1]], ignore_index=True)
    with pytest.raises(InputError, match="duplicate county_id '100001'") as err:
        conform(c, __import__("wufei_gis.schema").schema.COUNTIES)
    assert err.value.row == 3


def test_no_crs_is_an_error(tmp_path, tiny_frames):
    path = tmp_path / "c.shp"
    with warnings.catch_warnings():  # geopandas warns that the file will have no CRS
        warnings.simplefilter("ignore", UserWarning)
        tiny_frames[0].set_crs(None, allow_override=True).to_file(path)
    with pytest.raises(InputError, match="no coordinate reference system"):
        read_counties(path)


def test_invalid_polygon_is_repaired(tmp_path, tiny_frames):
    bow = Polygon([(102, 24), (102.2, 24.2), (102.2, 24), (102, 24.2), (102, 24)])
    c = tiny_frames[0].copy()
    c.loc[0, "geometry"] = bow
    path = tmp_path / "c.gpkg"
    c.to_file(path, layer="counties")
    got = read_counties(path)
    assert got.geometry.is_valid.all()
    assert got.geometry.iloc[0].area == pytest.approx(0.02, rel=1e-6)


def test_wrong_geometry_type_is_an_error(tiny_frames):
    f = tiny_frames[1].copy()
    f.loc[0, "geometry"] = LineString([(0, 0), (1, 1)])
    with pytest.raises(InputError, match="expected Point") as err:
        conform(f, FACILITIES)
    assert err.value.row == 1


def test_unknown_layer_lists_layers(tmp_path, tiny_frames):
    path = tmp_path / "p.gpkg"
    tiny_frames[0].to_file(path, layer="counties")
    with pytest.raises(InputError, match="layer 'roads' not found"):
        read_raw(path, layer="roads")


def test_points_layer_for_counties_rejected(tmp_path):
    gdf = gpd.GeoDataFrame({"county_id": ["1"], "name_zh": ["x"]}, geometry=[Point(0, 0)], crs=4326)
    path = tmp_path / "c.geojson"
    gdf.to_file(path)
    with pytest.raises(InputError, match="expected Polygon"):
        read_counties(path)
