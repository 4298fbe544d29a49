"""Read layers from GeoPackage, GeoJSON, Shapefile, CSV or Excel into contracts.

The engine is chosen in one place: pyogrio for vector files, pandas for CSV and
Excel.  Readers return data in EPSG:4326, with the contract columns of
:mod:`wufei_gis.schema`, or raise an :class:`~wufei_gis.errors.InputError`.
"""

from __future__ import annotations

import logging
from os import PathLike
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from .errors import InputError
from .schema import CANDIDATES, COUNTIES, EXCLUSIONS, FACILITIES, GENERATION, LayerSpec, STORAGE_CRS
from .validation import conform

__all__ = [
    "VECTOR_SUFFIXES",
    "TABLE_SUFFIXES",
    "list_layers",
    "read_raw",
    "read_layer",
    "read_counties",
    "read_facilities",
    "read_generation",
    "read_candidates",
    "read_exclusions",
]

logger = logging.getLogger(__name__)

VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".zip", ".fgb")
TABLE_SUFFIXES = (".csv", ".xlsx", ".xls")
LON_NAMES = ("lon", "lng", "longitude", "x", "经度")
LAT_NAMES = ("lat", "latitude", "y", "纬度")


def list_layers(path: str | PathLike[str]) -> list[str]:
    """Return the layer names of a vector file (one name for single-layer formats)."""
    path = _existing(path)
    try:
        return [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # noqa: BLE001 - GDAL raises many types
        raise InputError(f"cannot read the file ({exc})", file=path,
                         fix="check that it is a GeoPackage, GeoJSON or Shapefile") from None


def _existing(path: str | PathLike[str]) -> Path:
    p = Path(path)
    if not p.exists():
        raise InputError("file not found", file=p, fix="check the path")
    return p


def read_raw(
    path: str | PathLike[str],
    *,
    layer: str | None = None,
    lon: str | None = None,
    lat: str | None = None,
    crs: str | None = None,
) -> pd.DataFrame:
    """Read a file as it is (no contract applied).

    Parameters
    ----------
    path
        GeoPackage, GeoJSON, Shapefile, FlatGeobuf, CSV or Excel file.
    layer
        Layer (GeoPackage) or sheet (Excel); default the only/first one.
    lon, lat
        Coordinate columns of a CSV/Excel point table; detected from common
        names (``lon``/``lng``/``longitude``/``x``, ``lat``/``latitude``/``y``)
        when not given.  Without them a table is returned without geometry.
    crs
        CRS of the lon/lat columns (default EPSG:4326).

    Returns
    -------
    DataFrame or GeoDataFrame
    """
    path = _existing(path)
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return _read_table(path, sheet=layer, lon=lon, lat=lat, crs=crs)
    if suffix not in VECTOR_SUFFIXES:
        raise InputError(f"unsupported file type '{suffix}'", file=path,
                         fix="use .gpkg, .geojson, .shp, .csv or .xlsx")
    layers = list_layers(path)
    if layer is not None and layer not in layers:
        raise InputError(f"layer '{layer}' not found (layers: {', '.join(layers)})",
                         file=path, layer=layer, fix="choose one of the layers listed")
    try:
        df = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"cannot read the layer ({exc})", file=path, layer=layer,
                         fix="open it in QGIS to check it, or export it again") from None
    if isinstance(df, gpd.GeoDataFrame) and df.geometry.name in df.columns:
        if df.crs is None:
            if crs is None:
                raise InputError("the layer has no coordinate reference system (CRS)",
                                 file=path, layer=layer,
                                 fix="assign a CRS in QGIS (Layer Properties > Source) or "
                                     "add a .prj file next to the Shapefile")
            df = df.set_crs(crs)
        df = df.to_crs(STORAGE_CRS)
    return df


def _read_table(path: Path, *, sheet, lon, lat, crs) -> pd.DataFrame:
    try:
        if path.suffix.lower() == ".csv":
            df = pd.read_csv(path, encoding="utf-8-sig", dtype=object)
        else:
            df = pd.read_excel(path, sheet_name=sheet or 0, dtype=object)
    except UnicodeDecodeError:
        try:
            df = pd.read_csv(path, encoding="gb18030", dtype=object)
        except Exception as exc:  # noqa: BLE001
            raise InputError(f"cannot read the table ({exc})", file=path,
                             fix="save it as UTF-8 CSV") from None
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"cannot read the table ({exc})", file=path, layer=sheet,
                         fix="check that it is a CSV or Excel file") from None
    df.columns = [str(c).strip() for c in df.columns]
    lon = lon or _find(df.columns, LON_NAMES)
    lat = lat or _find(df.columns, LAT_NAMES)
    if lon is None or lat is None:
        return df
    for col in (lon, lat):
        if col not in df.columns:
            raise InputError(f"coordinate column '{col}' not found", file=path, field=col,
                             fix="name the longitude/latitude columns")
        vals = pd.to_numeric(df[col], errors="coerce")
        if vals.isna().any():
            row = int(vals.isna().to_numpy().nonzero()[0][0]) + 1
            raise InputError(f"'{df[col].iloc[row - 1]}' is not a coordinate", file=path,
                             row=row, field=col, fix="write coordinates as decimal degrees")
        df[col] = vals
    gdf = gpd.GeoDataFrame(
        df.drop(columns=[lon, lat]),
        geometry=gpd.points_from_xy(df[lon], df[lat]),
        crs=crs or STORAGE_CRS,
    )
    return gdf.to_crs(STORAGE_CRS)


def _find(columns, names) -> str | None:
    lower = {str(c).lower(): c for c in columns}
    for n in names:
        if n in lower:
            return lower[n]
    return None


def read_layer(
    path: str | PathLike[str],
    spec: LayerSpec,
    *,
    layer: str | None = None,
    column_map: dict[str, str] | None = None,
    **kwargs,
) -> pd.DataFrame:
    """Read a file and conform it to ``spec`` (see :func:`read_raw` for options)."""
    if layer is None and Path(path).suffix.lower() == ".gpkg":
        names = list_layers(path)
        layer = spec.name if spec.name in names else (names[0] if len(names) == 1 else None)
        if layer is None:
            raise InputError(f"no layer '{spec.name}' (layers: {', '.join(names)})", file=path,
                             fix=f"name the layer to read, e.g. --layer {names[0]}")
    df = read_raw(path, layer=layer, **kwargs)
    if spec.geometry is not None and not isinstance(df, gpd.GeoDataFrame):
        raise InputError(f"no geometry; {spec.name} need {spec.geometry} geometries", file=path,
                         layer=layer, fix="use a spatial layer, or a CSV with lon and lat columns")
    if spec.geometry is None and isinstance(df, gpd.GeoDataFrame):
        df = pd.DataFrame(df.drop(columns=df.geometry.name))
    return conform(df, spec, file=path, layer=layer or spec.name, column_map=column_map)


def read_counties(path, **kwargs) -> gpd.GeoDataFrame:
    """Read county polygons (``county_id``, ``name_zh``, ``name_en``, geometry)."""
    return read_layer(path, COUNTIES, **kwargs)


def read_facilities(path, **kwargs) -> gpd.GeoDataFrame:
    """Read facility points (see :data:`wufei_gis.schema.FACILITIES`)."""
    return read_layer(path, FACILITIES, **kwargs)


def read_generation(path, **kwargs) -> pd.DataFrame:
    """Read a generation table (``county_id``, ``year``, ``generation_tpd`` in t/d)."""
    return read_layer(path, GENERATION, **kwargs)


def read_candidates(path, **kwargs) -> gpd.GeoDataFrame:
    """Read candidate sites (see :data:`wufei_gis.schema.CANDIDATES`)."""
    return read_layer(path, CANDIDATES, **kwargs)


def read_exclusions(path, **kwargs) -> gpd.GeoDataFrame:
    """Read exclusion polygons (no candidate may open inside)."""
    return read_layer(path, EXCLUSIONS, **kwargs)
