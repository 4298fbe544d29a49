"""Export a solved scenario to GeoPackage, GeoJSON, Shapefile, CSV or Excel.

See ``docs/exports.md`` for what each format contains.  In short, every
export holds the four result layers (``proposed_sites``, ``flows``,
``county_gaps``, ``run_summary``) and the analysis tables of
:mod:`wufei_gis.analysis` (``county_analysis``, ``facility_analysis``,
``region_kpis``):

==========  ======  ==============================================================
format      out     contents
==========  ======  ==============================================================
``gpkg``    file    one layer per table (tables without geometry as attribute tables)
``geojson`` folder  one ``<layer>.geojson`` FeatureCollection per layer (tables: null
                    geometries), EPSG:4326
``shp``     folder  one Shapefile (``.shp .shx .dbf .prj .cpg``) per spatial layer, a
                    ``.dbf`` (+ ``.cpg``) per table, UTF-8, field names of at most 10
                    characters mapped by :data:`SHP_FIELD_NAMES` and listed in
                    ``fieldnames.csv``
``csv``     folder  one ``<layer>.csv`` per layer, UTF-8 **with BOM**; points as
                    ``lon, lat``, other geometries as ``wkt``
``xlsx``    file    one sheet per table, headers with units in English and Chinese
==========  ======  ==============================================================

Every file is written to a temporary name in the target folder and moved into
place with ``os.replace``, so a failed export never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
import pyogrio

from .analysis import (
    KPI_FIELDS,
    PERCENT_COLUMNS,
    column_label,
    county_analysis_frame,
    facility_analysis,
    region_kpis,
)
from .atomic import atomic_file, atomic_folder
from .errors import InputError
from .labels import label
from .results import ALL_RESULT_LAYERS, RunResult, read_results

if TYPE_CHECKING:  # pragma: no cover
    from .project import Project

__all__ = [
    "EXPORT_FORMATS",
    "SHP_FIELD_NAMES",
    "export_result",
    "export_tables",
    "shapefile_field_names",
    "project_from_results_file",
]

logger = logging.getLogger(__name__)

#: ``format -> (description, file suffix or "" for a folder)``; the description is
#: the English ``export.format.<fmt>`` label of :mod:`wufei_gis.labels`.
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    fmt: (label(f"export.format.{fmt}", "en"), suffix)
    for fmt, suffix in (
        ("gpkg", ".gpkg"),
        ("geojson", ""),
        ("shp", ""),
        ("csv", ""),
        ("xlsx", ".xlsx"),
    )
}

#: The fixed Shapefile (dBASE) field names of every column longer than 10
#: characters.  Other long names are cut to 10 characters; a clash then gets
#: ``_1``, ``_2``... on the first 8 characters (see :func:`shapefile_field_names`).
SHP_FIELD_NAMES: dict[str, str] = {
    "capacity_tpd": "cap_tpd",
    "throughput_tpd": "thru_tpd",
    "utilization": "util",
    "tonnes_per_day": "tonnes_pd",
    "distance_km": "dist_km",
    "generation_tpd": "gen_tpd",
    "unserved_tpd": "unserv_tpd",
    "served_share": "served_shr",
    "unserved_share": "unserv_shr",
    "incineration_tpd": "incin_tpd",
    "landfill_tpd": "landf_tpd",
    "incineration_share": "incin_shr",
    "landfill_share": "landf_shr",
    "via_transfer_tpd": "via_ts_tpd",
    "mean_haul_km": "mean_haul",
    "max_haul_km": "max_haul",
    "counties_served": "counties",
    "transport_cost": "transp_c",
    "cost_method": "cost_meth",
    "incineration_target": "incin_tgt",
    "binding_capacity": "bind_cap",
    "binding_policy": "bind_pol",
    "label_en": "label_en",
    "label_zh": "label_zh",
}

_DBF_MAX_BYTES = 254


# --- inputs -----------------------------------------------------------------
def project_from_results_file(path: str | PathLike[str]) -> Project | None:
    """Return the project stored in a results GeoPackage, or ``None``.

    Results can be written into the project's own GeoPackage; then the
    project (names, targets, data sources) is read from the same file.
    """
    from .project import Project

    path = Path(path)
    try:
        layers = {str(n) for n, _ in pyogrio.list_layers(path)}
    except Exception:  # not a GeoPackage we can read: no project
        return None
    if not {"counties", "facilities", "generation"} <= layers:
        return None
    try:
        return Project.read(path)
    except InputError as err:
        logger.warning("results file %s has project layers that cannot be read: %s", path, err)
        return None


def _resolve(
    result: RunResult | str | PathLike[str], scenario: str | None, project: Project | None
) -> tuple[RunResult, Project | None]:
    if isinstance(result, RunResult):
        if scenario is not None and scenario != result.scenario:
            raise InputError(
                f"the result is of scenario '{result.scenario}', not '{scenario}'",
                fix="leave out the scenario, or pass the matching result",
            )
        return result, project
    path = Path(result)
    res = read_results(path, scenario)
    if project is None:
        project = project_from_results_file(path)
    return res, project


# --- tables ---------------------------------------------------------------------
def export_tables(result: RunResult, *, project: Project | None = None) -> dict[str, pd.DataFrame]:
    """Return every table an export holds, by layer name (result + analysis).

    ``region_kpis`` has one row per KPI: ``kpi, label_en, label_zh, unit,
    value`` (shares as fractions).
    """
    tables: dict[str, pd.DataFrame] = dict(result.layers())
    ca = county_analysis_frame(result, project=project)
    ca.insert(0, "scenario", result.scenario)
    fa = facility_analysis(result, project=project)
    fa.insert(0, "scenario", result.scenario)
    k = region_kpis(result, project=project).to_dict()
    kp = pd.DataFrame(
        [
            {
                "scenario": result.scenario,
                "kpi": key,
                "label_en": en,
                "label_zh": zh,
                "unit": unit,
                "value": k[key],
            }
            for key, (en, zh, unit) in KPI_FIELDS.items()
        ]
    )
    kp["value"] = pd.to_numeric(kp["value"], errors="coerce")
    tables["county_analysis"] = ca
    tables["facility_analysis"] = fa
    tables["region_kpis"] = kp
    return tables


def _is_spatial(df: pd.DataFrame) -> bool:
    return isinstance(df, gpd.GeoDataFrame) and "geometry" in df.columns


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with bools/objects made writable by OGR drivers."""
    out = df.copy()
    for c in out.columns:
        if c == "geometry":
            continue
        s = out[c]
        if s.dtype == object:
            if s.map(lambda v: isinstance(v, (list, dict, tuple))).any():
                out[c] = s.map(
                    lambda v: (
                        ", ".join(map(str, v))
                        if isinstance(v, (list, tuple))
                        else (str(v) if isinstance(v, dict) else v)
                    )
                )
            non_null = s.dropna()
            if len(non_null) and non_null.map(lambda v: isinstance(v, bool)).all():
                out[c] = s.astype("boolean")
    return out


def _atomic_folder(target: Path) -> contextlib.AbstractContextManager[Path]:
    """:func:`wufei_gis.atomic.atomic_folder`, refusing a file where the folder should be."""
    if target.exists() and not target.is_dir():
        raise InputError(
            "this format writes a folder, but a file of that name exists",
            file=target,
            fix="choose a folder name (it is created if missing)",
        )
    return atomic_folder(target)


# --- writers --------------------------------------------------------------------------
def _write_gpkg(tables: dict[str, pd.DataFrame], out: Path) -> None:
    with atomic_file(out, suffix=".gpkg") as tmp:
        for name, df in tables.items():
            gtype = ALL_RESULT_LAYERS.get(name, (None,))[0]
            if _is_spatial(df):
                gtype = gtype or ("MultiPolygon" if name == "county_analysis" else None)
                pyogrio.write_dataframe(
                    _plain(df),
                    tmp,
                    layer=name,
                    driver="GPKG",
                    geometry_type=gtype,
                    promote_to_multi=gtype == "MultiPolygon",
                )
            else:
                pyogrio.write_dataframe(_plain(pd.DataFrame(df)), tmp, layer=name, driver="GPKG")


def _write_geojson(tables: dict[str, pd.DataFrame], out: Path) -> None:
    with _atomic_folder(out) as tmp:
        for name, df in tables.items():
            data = _plain(df) if _is_spatial(df) else _plain(pd.DataFrame(df))
            if _is_spatial(data):
                data = data.to_crs("EPSG:4326")
            pyogrio.write_dataframe(data, tmp / f"{name}.geojson", driver="GeoJSON", layer=name)


def shapefile_field_names(columns: list[str]) -> dict[str, str]:
    """Return the Shapefile field name (≤ 10 characters) of each column.

    Deterministic: names of at most 10 characters are kept; names in
    :data:`SHP_FIELD_NAMES` get their fixed short name; any other name is cut
    to 10 characters.  A name that would repeat an earlier one (in column
    order) becomes its first 8 characters + ``_1``, ``_2``...
    """
    out: dict[str, str] = {}
    used: set[str] = set()
    for col in columns:
        if col == "geometry":
            continue
        short = col if len(col) <= 10 else SHP_FIELD_NAMES.get(col, col[:10])
        if short.lower() in used:
            i = 1
            while f"{col[:8]}_{i}".lower() in used:
                i += 1
            short = f"{col[:8]}_{i}"
        used.add(short.lower())
        out[col] = short
    return out


def _cut_bytes(v: object) -> object:
    if not isinstance(v, str):
        return v
    b = v.encode("utf-8")
    if len(b) <= _DBF_MAX_BYTES:
        return v
    return b[:_DBF_MAX_BYTES].decode("utf-8", errors="ignore")


def _write_shp(tables: dict[str, pd.DataFrame], out: Path) -> None:
    rows = []
    with _atomic_folder(out) as tmp:
        for name, df in tables.items():
            spatial = _is_spatial(df)
            data = _plain(df) if spatial else _plain(pd.DataFrame(df))
            mapping = shapefile_field_names(list(data.columns))
            for col in data.columns:
                if col != "geometry" and data[col].dtype == object:
                    data[col] = data[col].map(_cut_bytes)
            data = data.rename(columns=mapping)
            suffix = ".shp" if spatial else ".dbf"
            gtype = ALL_RESULT_LAYERS.get(name, (None,))[0] if spatial else None
            if spatial and name == "county_analysis":
                gtype = "MultiPolygon"
            pyogrio.write_dataframe(
                data,
                tmp / f"{name}{suffix}",
                driver="ESRI Shapefile",
                encoding="UTF-8",
                geometry_type=gtype,
                promote_to_multi=gtype == "MultiPolygon",
            )
            rows += [
                {
                    "layer": name,
                    "file": f"{name}{suffix}",
                    "field": col,
                    "shp_field": short,
                    "label": column_label(col),
                }
                for col, short in mapping.items()
            ]
        pd.DataFrame(rows, columns=["layer", "file", "field", "shp_field", "label"]).to_csv(
            tmp / "fieldnames.csv", index=False, encoding="utf-8-sig"
        )


def _csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    if not _is_spatial(df):
        return _plain(pd.DataFrame(df))
    g = df.to_crs("EPSG:4326") if df.crs is not None else df
    plain = _plain(pd.DataFrame(g.drop(columns="geometry")))
    geom = g.geometry
    if len(geom) and (geom.geom_type == "Point").all():
        plain["lon"] = geom.x.round(7)
        plain["lat"] = geom.y.round(7)
    else:
        plain["wkt"] = geom.to_wkt(rounding_precision=7)
    return plain


def _write_csv(tables: dict[str, pd.DataFrame], out: Path) -> None:
    with _atomic_folder(out) as tmp:
        for name, df in tables.items():
            _csv_frame(df).to_csv(tmp / f"{name}.csv", index=False, encoding="utf-8-sig")


_SHEETS = [
    "region_kpis",
    "county_analysis",
    "facility_analysis",
    "proposed_sites",
    "flows",
    "county_gaps",
    "run_summary",
    "town_service",
]


def _write_xlsx(
    tables: dict[str, pd.DataFrame], out: Path, project: Project | None, scenario: str
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    sheets = {n: tables[n] for n in _SHEETS if n in tables}
    if project is not None and scenario in project.scenarios:
        params = project.scenarios[scenario].to_dict()
        sheets["parameters"] = pd.DataFrame(
            {
                "parameter": list(params),
                "value": [str(v) if isinstance(v, (list, dict)) else v for v in params.values()],
            }
        )
    for name, df in sheets.items():
        ws = wb.create_sheet(name[:31])
        data = _csv_frame(df)
        if name == "county_gaps" and "wkt" in data.columns:
            data = data.drop(columns="wkt")  # polygons: see the GeoPackage/Shapefile
        if name == "region_kpis":
            data = data[["kpi", "label_en", "label_zh", "unit", "value"]]
            headers = [
                column_label("kpi"),
                label("export.kpi_label_en", "en"),
                label("export.kpi_label_zh", "zh"),
                column_label("unit"),
                (
                    f"{label('export.kpi_value', 'en')}: {scenario} / "
                    f"{label('export.kpi_value', 'zh')}"
                ),
            ]
        else:
            headers = [column_label(c) for c in data.columns]
        ws.append(headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in data.itertuples(index=False):
            ws.append([_cell(v) for v in row])
        for j, col in enumerate(data.columns, start=1):
            letter = get_column_letter(j)
            width = max(10, min(50, max(len(str(headers[j - 1])) * 0.6, 12)))
            ws.column_dimensions[letter].width = width
            if col in PERCENT_COLUMNS:
                for cell in ws[letter][1:]:
                    cell.number_format = "0.0%"
            elif name == "region_kpis" and col == "value":
                for i, cell in enumerate(ws[letter][1:]):
                    cell.number_format = "0.0%" if data["unit"].iloc[i] == "%" else "#,##0.00"
        ws.freeze_panes = "A2"
    with atomic_file(out, suffix=".xlsx") as tmp:
        wb.save(tmp)


def _cell(v: object) -> object:
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "item"):  # numpy scalar
        return v.item()
    return v


_WRITERS: dict[str, Callable[..., None]] = {
    "gpkg": _write_gpkg,
    "geojson": _write_geojson,
    "shp": _write_shp,
    "csv": _write_csv,
}


def export_result(
    result: RunResult | str | PathLike[str],
    fmt: str,
    out: str | PathLike[str],
    *,
    scenario: str | None = None,
    project: Project | None = None,
) -> Path:
    """Export a solved scenario with its analysis tables.

    Parameters
    ----------
    result
        A :class:`RunResult`, or a results GeoPackage (then ``scenario`` picks
        the scenario; default the last one written).
    fmt
        ``{"gpkg", "geojson", "shp", "csv", "xlsx"}`` (see the module docstring).
    out
        A file for ``gpkg``/``xlsx``; a folder (created if missing) for
        ``geojson``/``shp``/``csv``.  Existing files of the same names are replaced.
    scenario
        Scenario to export from a results file.
    project
        Optional project for names, targets and the parameter sheet; read from
        the results file when that file is a project GeoPackage.

    Returns
    -------
    Path
        The file or folder written.
    """
    fmt = str(fmt).lower().lstrip(".")
    if fmt == "geopackage":
        fmt = "gpkg"
    if fmt not in EXPORT_FORMATS:
        raise InputError(
            f"unknown export format '{fmt}'", fix=f"use one of {', '.join(EXPORT_FORMATS)}"
        )
    res, project = _resolve(result, scenario, project)
    out = Path(out)
    tables = export_tables(res, project=project)
    if fmt == "xlsx":
        _write_xlsx(tables, out, project, res.scenario)
    else:
        _WRITERS[fmt](tables, out)
    logger.info("exported scenario %s as %s to %s", res.scenario, fmt, out)
    return out
