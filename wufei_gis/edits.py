"""The project edits: one undoable :class:`~wufei_gis.commands.Command` per kind of user edit.

Adding or moving a candidate site, deleting a feature, drawing or reshaping an
exclusion zone, setting a table cell (validated by :func:`validate_cell`),
changing, adding or removing a scenario and importing a layer.  Each command
checks its input on construction (raising
:class:`~wufei_gis.errors.InputError`), changes the model's frames in
``do()``/``undo()``, announces the rows it touched with a
:class:`~wufei_gis.commands.ChangeEvent`, and describes itself for the Edit
menu by a label key (``undo.*``) and its parameters.  Run them through
:meth:`wufei_gis.editing.ProjectModel.execute` so they land on the one history.

Size: this module is over 500 lines (about 620) because one small command class
per kind of user edit (add, move, delete, edit a cell, draw and edit zones,
import a layer, scenario parameters) plus the cell validation they share;
splitting it would separate commands that use the same row helpers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from .commands import ChangeEvent, Command
from .errors import InputError
from .labels import LABELS, LANGUAGES, VALUE_KINDS, label, unit_label, value_label
from .schema import CANDIDATES, LAYER_SPECS, Field, LayerSpec
from .validation import parse_number

if TYPE_CHECKING:
    from .editing import ProjectModel
    from .project import Project
    from .scenario import Scenario

__all__ = [
    "POINT_LAYERS",
    "AddCandidate",
    "AddExclusion",
    "AddScenario",
    "DeleteExclusion",
    "DeleteFeature",
    "EditExclusion",
    "MoveFeature",
    "RemoveScenario",
    "ReplaceLayer",
    "SetCellValue",
    "SetScenarioParameter",
    "polygon_vertices",
    "validate_cell",
]

POINT_LAYERS = ("facilities", "candidates")


def _layer_name(layer: str, lang: str) -> str:
    """The layer's name in an edit description (from the label catalogue)."""
    name = label(f"layer.{layer}", lang)
    return layer if name == f"layer.{layer}" else (name.lower() if lang == "en" else name)


def _layer_names(layer: str) -> tuple[str, str]:
    """``(中文, English)`` name of a layer for an edit description."""
    return _layer_name(layer, "zh"), _layer_name(layer, "en")


def _param_names(parameter: str) -> tuple[str, str]:
    """``(中文, English)`` name of a scenario parameter (its code when it has no label)."""
    key = f"param.{parameter}"
    if key not in LABELS:
        return parameter, parameter
    return label(key, "zh"), label(key, "en")


def _insert_row(df: pd.DataFrame, pos: int, row: dict[str, Any]) -> pd.DataFrame:
    """Return ``df`` with ``row`` inserted at ``pos`` (dtypes kept, index reset)."""
    gcol: str | None = df.geometry.name if isinstance(df, gpd.GeoDataFrame) else None
    attrs = {
        c: list(df[c].iloc[:pos]) + [row.get(c, np.nan)] + list(df[c].iloc[pos:])
        for c in df.columns
        if c != gcol
    }
    if gcol is not None:
        geoms = list(df.geometry.iloc[:pos]) + [row[gcol]] + list(df.geometry.iloc[pos:])
        out = gpd.GeoDataFrame(attrs, geometry=gpd.GeoSeries(geoms, crs=df.crs), crs=df.crs)
        if gcol != "geometry":
            out = out.rename_geometry(gcol)
    else:
        out = pd.DataFrame(attrs)
    for c in attrs:
        if out[c].dtype != df[c].dtype:
            with contextlib.suppress(TypeError, ValueError):
                out[c] = out[c].astype(df[c].dtype)
    return out[list(df.columns)]


def _drop_row(df: pd.DataFrame, pos: int) -> pd.DataFrame:
    return df.drop(index=df.index[pos]).reset_index(drop=True)


def _row_dict(df: pd.DataFrame, pos: int) -> dict[str, Any]:
    return {c: df[c].iloc[pos] for c in df.columns}


def _set_geometry(df: pd.DataFrame, pos: int, geom: BaseGeometry) -> None:
    col = df.geometry.name
    values = df.geometry.to_numpy().copy()
    values[pos] = geom
    df[col] = gpd.GeoSeries(values, index=df.index, crs=df.crs)


def _next_id(existing: Sequence[str], prefix: str) -> str:
    have = set(map(str, existing))
    k = 1
    while f"{prefix}{k:02d}" in have:
        k += 1
    return f"{prefix}{k:02d}"


def _ring(vertices: Sequence[Sequence[float]], layer: str, row: int | None = None) -> Polygon:
    pts = [(float(x), float(y)) for x, y in vertices]
    if len(pts) >= 2 and pts[0] == pts[-1]:
        pts = pts[:-1]
    if len(pts) < 3:
        raise InputError(
            f"a polygon needs at least 3 vertices (got {len(pts)})",
            layer=layer,
            row=row,
            field="geometry",
            fix="click at least three points",
            key="err.polygon_few",
            params={"n": len(pts)},
        )
    poly = Polygon(pts)
    if not poly.is_valid:
        raise InputError(
            "the polygon crosses itself",
            layer=layer,
            row=row,
            field="geometry",
            fix="draw the outline without crossing lines",
            key="err.polygon_crosses",
        )
    return poly


def polygon_vertices(geom: BaseGeometry | None) -> list[tuple[float, float]]:
    """Return the exterior vertices (not closed) of a polygon (largest part of a multi)."""
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "MultiPolygon":
        geom = max(geom.geoms, key=lambda g: g.area)
    return [(float(x), float(y)) for x, y in list(geom.exterior.coords)[:-1]]


def _county_at(project: Project, lon: float, lat: float) -> str:
    counties = project.counties
    if not len(counties):
        return ""
    hits = counties.sindex.query(Point(lon, lat), predicate="within")
    return str(counties["county_id"].iloc[int(hits[0])]) if len(hits) else ""


def _county_of_new_point(project: Project, layer: str, lon: float, lat: float) -> str:
    """The county a point placed in the map lies in; a point outside every county is refused.

    A project without counties accepts any point (its county is left empty).
    """
    county = _county_at(project, lon, lat)
    if not county and len(project.counties):
        raise InputError(
            f"the point ({lon:.5f}, {lat:.5f}) lies outside every county of the project",
            layer=layer,
            field="geometry",
            fix="place it inside one of the project's counties (their boundaries are drawn "
            "on the map)",
            key="err.outside_county",
            params={"lon": lon, "lat": lat},
        )
    return county


def validate_cell(
    spec: LayerSpec, field_name: str, value: Any, *, row: int, frame: pd.DataFrame | None = None
) -> Any:
    """Return ``value`` coerced to the field's type, or raise :class:`InputError`.

    Parameters
    ----------
    spec, field_name
        The layer contract and the column.
    value
        What the user typed (text or a number).
    row
        0-based row (named 1-based in the error, as users count rows).
    frame
        The layer, to check key uniqueness.
    """
    try:
        f: Field = next(f for f in spec.fields if f.name == field_name)
    except StopIteration:
        raise InputError(
            f"unknown field '{field_name}'",
            layer=spec.name,
            row=row + 1,
            field=field_name,
            fix=f"use one of {spec.columns}",
            key="err.unknown_field",
            params={"field": field_name, "fields": ", ".join(spec.columns)},
        ) from None

    def bad(problem: str, fix: str, key: str | None = None, **params: Any) -> InputError:
        return InputError(
            problem,
            layer=spec.name,
            row=row + 1,
            field=field_name,
            fix=fix,
            key=key,
            params=params,
        )

    if f.dtype in ("float", "int"):
        return _cell_number(f, value, bad)
    if f.dtype == "bool":
        return _cell_bool(value, bad)
    text = _cell_text(f, value, bad)
    if spec.key == field_name and frame is not None:
        others = frame[field_name].astype(str).drop(index=frame.index[row])
        if (others == text).any():
            raise bad(
                f"duplicate {field_name} '{text}'",
                f"give every feature a unique {field_name}",
                "err.duplicate",
                value=text,
            )
    return text


#: Builds the located error of the cell being validated from a problem, a fix and
#: optionally a label key and its parameters.
_BadCell = Callable[..., InputError]


def _cell_number(f: Field, value: Any, bad: _BadCell) -> float | int:
    """A number cell: parsed, checked against the field's minimum, whole for ``int``."""
    unit = f" {f.unit}" if f.unit else ""
    unit_zh = f" {unit_label(f.unit, 'zh')}" if f.unit else ""
    unit_note = label("err.unit_note", "zh", unit=unit_label(f.unit, "zh")) if f.unit else ""
    name_zh = f.label_zh or f.name
    try:
        num = parse_number(value)
    except ValueError as exc:
        raise bad(
            str(exc),
            f"enter a plain number{' in' + unit if unit else ''} "
            "(1,200-style thousands separators are fine)",
            "err.not_number",
            value=value,
            unit=unit_note,
        ) from None
    if num is None:
        if f.required:
            raise bad(
                f"'{f.name}' is empty",
                f"enter a number{unit}",
                "err.empty_number",
                field=name_zh,
                unit=unit_note,
            )
        return np.nan
    if f.minimum is not None and num < f.minimum:
        raise bad(
            f"{f.name} = {num:g} is below the minimum {f.minimum:g}",
            f"use a value >= {f.minimum:g}{unit}",
            "err.below_min",
            field=name_zh,
            num=num,
            minimum=f.minimum,
            unit=unit_zh,
        )
    if f.dtype == "int":
        if not num.is_integer():
            raise bad(
                f"{f.name} = {num:g} is not a whole number",
                "use a whole number",
                "err.not_whole",
                field=name_zh,
                num=num,
            )
        return int(num)
    return num


def _cell_bool(value: Any, bad: _BadCell) -> bool:
    """A yes/no cell (an empty cell is no)."""
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "是"):
        return True
    if text in ("0", "false", "no", "否", ""):
        return False
    raise bad(f"'{value}' is not yes/no", "enter true or false", "err.not_bool", value=value)


def _cell_text(f: Field, value: Any, bad: _BadCell) -> str:
    """A text cell: stripped, required and allowed values checked."""
    text = "" if value is None else str(value).strip()
    if f.required and not text:
        raise bad(
            f"'{f.name}' is empty",
            f"fill in '{f.name}'",
            "err.empty_text",
            field=f.label_zh or f.name,
        )
    if f.choices and text not in f.choices:
        text = _choice_of_label(f, text)
    if f.choices and text not in f.choices and (text or f.required):
        kind = VALUE_KINDS.get(f.name, f.name)
        raise bad(
            f"'{text}' is not an allowed {f.name}",
            f"use one of: {', '.join(f.choices)}",
            "err.not_allowed",
            value=text,
            choices=label("err.list_sep", "zh").join(value_label(kind, c, "zh") for c in f.choices),
        )
    return text


def _choice_of_label(f: Field, text: str) -> str:
    """The code of a choice typed as its label (``"焚烧厂"`` → ``"incinerator"``), else ``text``."""
    kind = VALUE_KINDS.get(f.name, f.name)
    for code in f.choices or ():
        if text in (value_label(kind, code, lang) for lang in LANGUAGES):
            return code
    return text


class _InsertRemove(Command):
    """Shared insert/remove of one row of a keyed layer."""

    layer = "candidates"

    def _insert(self, pos: int, row: dict[str, Any]) -> None:
        m = self.model
        m.set_frame(self.layer, _insert_row(m.frame(self.layer), pos, row))
        m.changed(ChangeEvent("inserted", self.layer, (pos,)))

    def _remove(self, pos: int) -> dict[str, Any]:
        m = self.model
        df = m.frame(self.layer)
        row = _row_dict(df, pos)
        m.set_frame(self.layer, _drop_row(df, pos))
        m.changed(ChangeEvent("removed", self.layer, (pos,)))
        return row


class _AddRow(_InsertRemove):
    """Add one row (``self.row``, key ``self.key``) at the end of a keyed layer."""

    row: dict[str, Any]
    key: str

    def do(self) -> None:
        self._insert(len(self.model.frame(self.layer)), self.row)

    def undo(self) -> None:
        self._remove(self.model.row_of(self.layer, self.key))


class AddCandidate(_AddRow):
    """Add a candidate site at (lon, lat); defaults: a small transfer station.

    Parameters
    ----------
    model
        The project being edited.
    lon, lat
        Location, degrees (EPSG:4326).
    **attributes
        Column values overriding the defaults (``candidate_id``, ``type``...).
    """

    text_key = "undo.add_candidate"
    layer = "candidates"

    def __init__(self, model: ProjectModel, lon: float, lat: float, **attributes: Any) -> None:
        super().__init__(model)
        p = model.project
        small = next((c for s in p.scenarios.values() for c in s.size_classes), None)
        cid = attributes.pop("candidate_id", None) or _next_id(p.candidates["candidate_id"], "NEW-")
        self.row = {
            "candidate_id": cid,
            "name_zh": "",
            "type": "transfer_station",
            "capacity_tpd": small.capacity_tpd if small else 150.0,
            "fixed_cost_yuan_yr": small.fixed_cost_yuan_yr if small else 1_200_000.0,
            "size_class": small.name if small else "small",
            "county_id": _county_of_new_point(p, "candidates", float(lon), float(lat)),
            "note": "added in the map",
            "geometry": Point(float(lon), float(lat)),
            **attributes,
        }
        for k, v in list(self.row.items()):
            if k in CANDIDATES.columns:
                self.row[k] = validate_cell(CANDIDATES, k, v, row=len(p.candidates))
        self.candidate_id = self.key = cid


class MoveFeature(Command):
    """Move a facility or candidate point to (lon, lat)."""

    text_key = "undo.move_feature"

    def __init__(self, model: ProjectModel, layer: str, key: str, lon: float, lat: float):
        super().__init__(model)
        if layer not in POINT_LAYERS:
            msg = f"only point layers {POINT_LAYERS} can be moved, not {layer!r}"
            raise ValueError(msg)
        self.layer, self.key = layer, str(key)
        self.old = model.frame(layer).geometry.iloc[model.row_of(layer, key)]
        _county_of_new_point(model.project, layer, float(lon), float(lat))
        self.new = Point(float(lon), float(lat))

    def _put(self, geom: BaseGeometry) -> None:
        pos = self.model.row_of(self.layer, self.key)
        _set_geometry(self.model.frame(self.layer), pos, geom)
        if self.layer == "candidates":
            df = self.model.frame(self.layer)
            df.loc[df.index[pos], "county_id"] = _county_at(self.model.project, geom.x, geom.y)
        fields = ("geometry", "county_id") if self.layer == "candidates" else ("geometry",)
        self.model.changed(ChangeEvent("values", self.layer, (pos,), fields))

    def do(self) -> None:
        self._put(self.new)

    def undo(self) -> None:
        self._put(self.old)


class DeleteFeature(_InsertRemove):
    """Delete a facility, candidate or exclusion zone by its id."""

    text_key = "undo.delete_feature"

    def __init__(self, model: ProjectModel, layer: str, key: str) -> None:
        super().__init__(model)
        if LAYER_SPECS[layer].key is None:
            msg = f"layer {layer!r} has no key; rows cannot be deleted by id"
            raise ValueError(msg)
        self.layer, self.key = layer, str(key)
        self.pos: int | None = None
        self.row: dict[str, Any] | None = None
        if layer == "facilities":
            used = [
                s.name
                for s in model.project.scenarios.values()
                if self.key in s.facility_status or self.key in s.facility_capacity
            ]
        elif layer == "candidates":
            used = [
                s.name
                for s in model.project.scenarios.values()
                if self.key
                in (list(s.candidate_ids or []) + s.required_candidates + s.forbidden_candidates)
            ]
        else:
            used = []
        if used:
            raise InputError(
                f"'{self.key}' is named in scenario(s) {used}",
                layer=layer,
                field=LAYER_SPECS[layer].key,
                fix="remove it from those scenarios first",
                key="err.in_scenarios",
                params={"key": self.key, "names": label("err.list_sep", "zh").join(used)},
            )

    def do(self) -> None:
        self.pos = self.model.row_of(self.layer, self.key)
        self.row = self._remove(self.pos)

    def undo(self) -> None:
        assert self.row is not None and self.pos is not None
        self._insert(self.pos, self.row)


class DeleteExclusion(DeleteFeature):
    """Delete an exclusion zone."""

    text_key = "undo.delete_exclusion"

    def __init__(self, model: ProjectModel, zone_id: str) -> None:
        super().__init__(model, "exclusions", zone_id)


class AddExclusion(_AddRow):
    """Add an exclusion polygon (no candidate may open inside) from its vertices."""

    text_key = "undo.add_exclusion"
    layer = "exclusions"

    def __init__(
        self, model: ProjectModel, vertices: Sequence[Sequence[float]], **attributes: Any
    ) -> None:
        super().__init__(model)
        ex = model.project.exclusions
        zid = attributes.pop("zone_id", None) or _next_id(ex["zone_id"], "EX-")
        self.zone_id = self.key = zid
        self.row = {
            "zone_id": zid,
            "name_zh": "",
            "kind": "other",
            "note": "drawn in the map",
            "geometry": _ring(vertices, self.layer, len(ex) + 1),
            **attributes,
        }


class EditExclusion(Command):
    """Replace the vertices of an exclusion polygon."""

    text_key = "undo.edit_exclusion"

    def __init__(
        self, model: ProjectModel, zone_id: str, vertices: Sequence[Sequence[float]]
    ) -> None:
        super().__init__(model)
        self.zone_id = str(zone_id)
        pos = model.row_of("exclusions", zone_id)
        self.old = model.project.exclusions.geometry.iloc[pos]
        self.new = _ring(vertices, "exclusions", pos + 1)

    def _put(self, geom: BaseGeometry) -> None:
        pos = self.model.row_of("exclusions", self.zone_id)
        _set_geometry(self.model.project.exclusions, pos, geom)
        self.model.changed(ChangeEvent("values", "exclusions", (pos,), ("geometry",)))

    def do(self) -> None:
        self._put(self.new)

    def undo(self) -> None:
        self._put(self.old)


class SetCellValue(Command):
    """Set one attribute value, validated against the layer contract.

    Raises
    ------
    InputError
        On construction, naming the row (1-based) and field, if the value is
        not allowed (wrong type, below the minimum, not one of the choices).
    """

    def __init__(self, model: ProjectModel, layer: str, row: int, field_name: str, value: Any):
        super().__init__(model)
        spec = LAYER_SPECS[layer]
        df = model.frame(layer)
        if not 0 <= row < len(df):
            raise InputError(
                f"row {row + 1} does not exist ({len(df)} rows)",
                layer=layer,
                row=row + 1,
                field=field_name,
                fix="refresh the table",
                key="err.no_row",
                params={"row": row + 1, "n": len(df)},
            )
        self.layer, self.row, self.field = layer, row, field_name
        self.new = validate_cell(spec, field_name, value, row=row, frame=df)
        self.old = df[field_name].iloc[row]
        f = spec.field(field_name)
        self.text_key = "undo.set_cell"
        self.text_params = {
            "layer": _layer_names(layer),
            "field": (f.label_zh or field_name, f.label_en or field_name),
        }

    def _put(self, value: Any) -> None:
        df = self.model.frame(self.layer)
        col = df[self.field]
        if col.dtype == object or isinstance(value, str):
            values = col.astype(object).to_numpy().copy()
            values[self.row] = value
            df[self.field] = pd.Series(
                values, index=df.index, dtype=object if col.dtype == object else col.dtype
            )
        else:
            df.loc[df.index[self.row], self.field] = value
        self.model.changed(ChangeEvent("values", self.layer, (self.row,), (self.field,)))

    def do(self) -> None:
        self._put(self.new)

    def undo(self) -> None:
        self._put(self.old)


class SetScenarioParameter(Command):
    """Change one parameter of a scenario (validated by :class:`Scenario`).

    Renaming (``parameter="name"``) keeps the scenario's place in the list.
    """

    def __init__(self, model: ProjectModel, scenario: str, parameter: str, value: Any) -> None:
        super().__init__(model)
        project = model.project
        self.old = project.scenario(scenario)
        self.new = self.old.copy(**{parameter: value})
        project._check_scenario_refs(self.new, None)
        if (
            parameter == "name"
            and self.new.name != self.old.name
            and self.new.name in project.scenarios
        ):
            raise InputError(
                f"a scenario called '{self.new.name}' already exists",
                layer="scenarios",
                field="name",
                fix="choose another name",
                key="err.scenario_exists",
                params={"name": self.new.name},
            )
        self.parameter = parameter
        self.text_key = "undo.set_parameter"
        self.text_params = {"param": _param_names(parameter)}

    def _swap(self, out: Scenario, into: Scenario) -> None:
        sc = self.model.project.scenarios
        self.model.project.scenarios = {
            (into.name if k == out.name else k): (into if k == out.name else v)
            for k, v in sc.items()
        }
        kind = "scenarios" if out.name != into.name else "scenario"
        self.model.changed(ChangeEvent(kind, fields=(self.parameter,), scenario=into.name))

    def do(self) -> None:
        self._swap(self.old, self.new)

    def undo(self) -> None:
        self._swap(self.new, self.old)


class AddScenario(Command):
    """Add a new scenario (e.g. a duplicate of another)."""

    text_key = "undo.add_scenario"

    def __init__(self, model: ProjectModel, scenario: Scenario) -> None:
        super().__init__(model)
        if scenario.name in model.project.scenarios:
            raise InputError(
                f"a scenario called '{scenario.name}' already exists",
                layer="scenarios",
                field="name",
                fix="choose another name",
                key="err.scenario_exists",
                params={"name": scenario.name},
            )
        model.project._check_scenario_refs(scenario, None)
        self.scenario = scenario

    def do(self) -> None:
        self.model.project.scenarios[self.scenario.name] = self.scenario
        self.model.changed(ChangeEvent("scenarios", scenario=self.scenario.name))

    def undo(self) -> None:
        self.model.project.scenarios.pop(self.scenario.name, None)
        self.model.changed(ChangeEvent("scenarios"))


class RemoveScenario(Command):
    """Delete a scenario (undo puts it back in its place)."""

    text_key = "undo.delete_scenario"

    def __init__(self, model: ProjectModel, name: str) -> None:
        super().__init__(model)
        self.scenario = model.project.scenario(name)
        self.before = list(model.project.scenarios)

    def do(self) -> None:
        self.model.project.scenarios.pop(self.scenario.name, None)
        self.model.changed(ChangeEvent("scenarios"))

    def undo(self) -> None:
        sc = {**self.model.project.scenarios, self.scenario.name: self.scenario}
        self.model.project.scenarios = {k: sc[k] for k in self.before if k in sc}
        self.model.changed(ChangeEvent("scenarios", scenario=self.scenario.name))


class ReplaceLayer(Command):
    """Replace a whole layer (an import); the new frame must already be conformed."""

    def __init__(self, model: ProjectModel, layer: str, frame: pd.DataFrame) -> None:
        super().__init__(model)
        self.layer, self.new, self.old = layer, frame, model.frame(layer)
        self.text_key = "undo.import_layer"
        self.text_params = {"layer": _layer_names(layer)}
        model.set_frame(layer, frame)  # check references before anything is done
        try:
            model.project.validate()
        finally:
            model.set_frame(layer, self.old)

    def _put(self, df: pd.DataFrame) -> None:
        self.model.set_frame(self.layer, df)
        self.model.changed(ChangeEvent("reset", self.layer))

    def do(self) -> None:
        self._put(self.new)

    def undo(self) -> None:
        self._put(self.old)
