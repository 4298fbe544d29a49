"""Read layers from GeoPackage, GeoJSON, Shapefile, CSV or Excel into contracts.

The engine is chosen in one place: pyogrio for vector files, pandas for CSV and
Excel.  Readers return data in EPSG:4326, with the contract columns of
:mod:`wufei_gis.schema`, or raise an :class:`~wufei_gis.errors.InputError`.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from typing import TypedDict, Unpack

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyogrio
from pyproj import CRS

from .errors import InputError, describe_os_error
from .schema import (
    COUNTIES,
    FACILITIES,
    GENERATION,
    STORAGE_CRS,
    LayerSpec,
)
from .validation import check_lonlat, conform, parse_number

__all__ = [
    "TABLE_SUFFIXES",
    "VECTOR_SUFFIXES",
    "LayerOptions",
    "RawOptions",
    "list_layers",
    "read_counties",
    "read_facilities",
    "read_generation",
    "read_layer",
    "read_raw",
]

logger = logging.getLogger(__name__)


class RawOptions(TypedDict, total=False):
    """How :func:`read_raw` reads a point table: its lon/lat columns and their CRS."""

    lon: str | None
    lat: str | None
    crs: str | None


class LayerOptions(RawOptions, total=False):
    """Options of :func:`read_layer`: the layer or sheet, a column map and :class:`RawOptions`."""

    layer: str | None
    column_map: dict[str, str] | None


VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".zip", ".fgb")
TABLE_SUFFIXES = (".csv", ".xlsx", ".xls")
LON_NAMES = ("lon", "lng", "longitude", "x", "经度")
LAT_NAMES = ("lat", "latitude", "y", "纬度")
#: Encodings tried for CSV files, in order (Chinese Excel saves GBK, a subset of GB18030).
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
#: Delimiters recognized in CSV files.
CSV_DELIMITERS = (",", ";", "\t", "|")


#: Tables a GeoPackage may hold that are not data layers (QGIS/OGC styles).
NOT_DATA_LAYERS = frozenset({"layer_styles"})


def list_layers(path: str | PathLike[str]) -> list[str]:
    """Return the data layer names of a vector file (one name for single-layer formats).

    Style tables (:data:`NOT_DATA_LAYERS`, e.g. the ``layer_styles`` QGIS reads)
    are not listed: they are no layer a planner imports.
    """
    path = _existing(path)
    try:
        names = [str(name) for name, _ in pyogrio.list_layers(path)]
        return [n for n in names if n not in NOT_DATA_LAYERS]
    except Exception as exc:
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: Exception, layer: str | None = None) -> InputError:
    """Say why GDAL could not open a file: locked, unreadable, or not a GIS file."""
    text = str(exc)
    if "locked" in text.lower() or "busy" in text.lower():
        return InputError(
            "the file is locked by another program",
            file=path,
            layer=layer,
            fix="close it in QGIS, Excel or the other wufei window and try again",
        )
    if not path.is_dir():
        try:
            with open(path, "rb") as fh:
                head = fh.read(16)
        except OSError as err:
            return InputError(describe_os_error(err), file=None, layer=layer)
        if head.startswith(b"SQLite format 3"):
            return InputError(
                f"cannot open the GeoPackage ({text})",
                file=path,
                layer=layer,
                fix="check that another program is not writing it, or open it in QGIS to repair it",
            )
    return InputError(
        f"cannot read the file ({text})",
        file=path,
        layer=layer,
        fix="check that it is a GeoPackage, GeoJSON or Shapefile",
    )


def _existing(path: str | PathLike[str]) -> Path:
    p = Path(path)
    if not p.exists():
        raise InputError("file not found", file=p, fix="check the path")
    if p.is_dir() and p.suffix.lower() not in (".gdb",):
        raise InputError(
            "is a folder, not a file",
            file=p,
            fix="give the file inside it, e.g. a .gpkg, .shp or .csv",
        )
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
        raise InputError(
            f"unsupported file type '{suffix}'",
            file=path,
            fix="use .gpkg, .geojson, .shp, .csv or .xlsx",
        )
    layers = list_layers(path)
    if layer is not None and layer not in layers:
        raise InputError(
            f"layer '{layer}' not found (layers: {', '.join(layers)})",
            file=path,
            layer=layer,
            fix="choose one of the layers listed",
        )
    try:
        df = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:
        if "locked" in str(exc).lower():
            raise _unreadable(path, exc, layer) from None
        raise InputError(
            f"cannot read the layer ({exc})",
            file=path,
            layer=layer,
            fix="open it in QGIS to check it, or export it again",
        ) from None
    if isinstance(df, gpd.GeoDataFrame) and df.geometry.name in df.columns:
        if df.crs is None:
            if crs is None:
                raise InputError(
                    "the layer has no coordinate reference system (CRS)",
                    file=path,
                    layer=layer,
                    fix="assign a CRS in QGIS (Layer Properties > Source) or "
                    "add a .prj file next to the Shapefile",
                )
            df = df.set_crs(crs)
        df = df.to_crs(STORAGE_CRS)
    return df


def _read_table(
    path: Path, *, sheet: str | None, lon: str | None, lat: str | None, crs: str | None
) -> pd.DataFrame:
    if path.suffix.lower() == ".csv":
        df = _read_csv(path)
    else:
        try:
            df = pd.read_excel(path, sheet_name=sheet or 0, dtype=object)
        except OSError:
            raise
        except Exception as exc:
            raise InputError(
                f"cannot read the table ({exc})",
                file=path,
                layer=sheet,
                fix="check that it is an Excel workbook (.xlsx) and the sheet name",
            ) from None
    df.columns = [str(c).strip() for c in df.columns]
    lon = lon or _find(df.columns, LON_NAMES)
    lat = lat or _find(df.columns, LAT_NAMES)
    if lon is None or lat is None:
        return df
    coords = {}
    for col in (lon, lat):
        if col not in df.columns:
            raise InputError(
                f"coordinate column '{col}' not found",
                file=path,
                field=col,
                fix="name the longitude/latitude columns",
            )
        coords[col] = _coordinates(df[col], file=path, layer=sheet, field=col)
    if crs is None or CRS.from_user_input(crs) == CRS.from_user_input(STORAGE_CRS):
        check_lonlat(coords[lon], coords[lat], file=path, layer=sheet, field=lat)
    gdf = gpd.GeoDataFrame(
        df.drop(columns=[lon, lat]),
        geometry=gpd.points_from_xy(coords[lon], coords[lat]),
        crs=crs or STORAGE_CRS,
    )
    return gdf.to_crs(STORAGE_CRS)


def _coordinates(
    col: pd.Series, *, file: Path, layer: str | None, field: str
) -> npt.NDArray[np.float64]:
    """Parse a coordinate column with :func:`~wufei_gis.validation.parse_number`."""
    out = np.empty(len(col), dtype=np.float64)
    for i, v in enumerate(col.to_numpy(dtype=object)):
        try:
            num = parse_number(v)
        except ValueError:
            num = None
        if num is None:
            shown = "" if v is None or (isinstance(v, float) and np.isnan(v)) else v
            raise InputError(
                f"'{shown}' is not a coordinate",
                file=file,
                layer=layer,
                row=i + 1,
                field=field,
                fix="write coordinates as decimal degrees, e.g. 102.5477",
            )
        out[i] = num
    return out


def _read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV, sniffing its encoding (UTF-8, UTF-8 with BOM, GBK/GB18030) and delimiter."""
    raw = path.read_bytes()
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(
            "cannot decode the CSV as UTF-8 or GBK/GB18030",
            file=path,
            fix="save it as 'CSV UTF-8' in Excel (File > Save As)",
        )
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise InputError(
            "the CSV file is empty (no header row)",
            file=path,
            fix="check that you chose the right file",
        )
    delimiter = _sniff_delimiter(lines[:50])
    try:
        import io as _io

        return pd.read_csv(_io.StringIO(text), sep=delimiter, dtype=object, skip_blank_lines=True)
    except Exception as exc:
        name = {"\t": "tab"}.get(delimiter, f"'{delimiter}'")
        raise InputError(
            f"cannot read the table with delimiter {name} ({exc})",
            file=path,
            fix="save it as a comma-separated CSV with one header row",
        ) from None


def _sniff_delimiter(lines: list[str]) -> str:
    """Return the delimiter that splits the header into the most columns consistently."""
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters="".join(CSV_DELIMITERS)).delimiter
    except csv.Error:
        pass
    header = lines[0]
    counts = {d: header.count(d) for d in CSV_DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _find(columns: Iterable[object], names: Iterable[str]) -> str | None:
    lower = {str(c).lower(): str(c) for c in columns}
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
    **kwargs: Unpack[RawOptions],
) -> pd.DataFrame:
    """Read a file and conform it to ``spec`` (see :func:`read_raw` for options)."""
    if layer is None and Path(path).suffix.lower() == ".gpkg":
        names = list_layers(path)
        layer = spec.name if spec.name in names else (names[0] if len(names) == 1 else None)
        if layer is None:
            raise InputError(
                f"no layer '{spec.name}' (layers: {', '.join(names)})",
                file=path,
                fix=f"name the layer to read, e.g. --layer {names[0]}",
            )
    df = read_raw(path, layer=layer, **kwargs)
    if len(df) == 0 and any(c not in df.columns for c in spec.required):
        raise InputError(
            f"layer '{layer or Path(path).stem}' in {Path(path).name} has no features",
            file=path,
            layer=layer,
            fix="check that you chose the right file and layer",
        )
    if spec.geometry is not None and not isinstance(df, gpd.GeoDataFrame):
        raise InputError(
            f"no geometry; {spec.name} need {spec.geometry} geometries "
            f"(columns found: {', '.join(map(str, df.columns))})",
            file=path,
            layer=layer,
            fix="use a spatial layer, or a CSV with lon and lat "
            "columns (a ';' or tab delimiter is detected)",
        )
    if spec.geometry is None and isinstance(df, gpd.GeoDataFrame):
        df = pd.DataFrame(df.drop(columns=df.geometry.name))
    return conform(df, spec, file=path, layer=layer or spec.name, column_map=column_map)


def read_counties(path: str | PathLike[str], **kwargs: Unpack[LayerOptions]) -> gpd.GeoDataFrame:
    """Read county polygons (``county_id``, ``name_zh``, ``name_en``, geometry)."""
    return read_layer(path, COUNTIES, **kwargs)


def read_facilities(path: str | PathLike[str], **kwargs: Unpack[LayerOptions]) -> gpd.GeoDataFrame:
    """Read facility points (see :data:`wufei_gis.schema.FACILITIES`)."""
    return read_layer(path, FACILITIES, **kwargs)


def read_generation(path: str | PathLike[str], **kwargs: Unpack[LayerOptions]) -> pd.DataFrame:
    """Read a generation table (``county_id``, ``year``, ``generation_tpd`` in t/d)."""
    return read_layer(path, GENERATION, **kwargs)
