"""The Qt-free edit model: a project document with change events and undoable commands.

Every user edit is a :class:`Command` with ``do()`` and ``undo()`` (glue's
``core/command.py`` style).  The GUI wraps each one in a ``QUndoCommand``;
tests and scripts use :meth:`ProjectModel.execute`, :meth:`ProjectModel.undo`
and :meth:`ProjectModel.redo` directly.  Views listen to
``model.events.connect(callback)``; each :class:`ChangeEvent` names the layer
(or scenario) and the rows that changed.

Autosave/recovery: :func:`write_recovery` writes the project to a recovery
GeoPackage plus a small JSON note; :func:`find_recovery` finds it on the next
start; :func:`clear_recovery` deletes it after a clean save or close.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any, Callable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point, Polygon

from .errors import InputError
from .project import Project, write_project
from .results import RunResult, write_results
from .scenario import Scenario
from .schema import (CANDIDATES, COUNTIES, EXCLUSIONS, FACILITIES, GENERATION, LAYER_SPECS,
                     STORAGE_CRS, Field, LayerSpec)
from .validation import parse_number

__all__ = [
    "Signal", "ChangeEvent", "ProjectModel", "Command",
    "AddCandidate", "MoveFeature", "DeleteFeature", "AddExclusion", "EditExclusion",
    "DeleteExclusion", "SetCellValue", "SetScenarioParameter", "AddScenario",
    "RemoveScenario", "ReplaceLayer", "validate_cell", "empty_project",
    "Recovery", "write_recovery", "find_recovery", "load_recovery", "clear_recovery",
    "RECOVERY_GPKG", "RECOVERY_NOTE", "POINT_LAYERS", "EDITABLE_FIELDS",
]

logger = logging.getLogger(__name__)

POINT_LAYERS = ("facilities", "candidates")
#: Fields a user may edit in the attribute table, per layer.
EDITABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "counties": ("name_zh", "name_en", "population", "note"),
    "facilities": ("name_zh", "name_en", "type", "status", "capacity_tpd", "note"),
    "candidates": ("name_zh", "type", "size_class", "capacity_tpd", "fixed_cost_yuan_yr", "note"),
    "exclusions": ("name_zh", "kind", "note"),
    "generation": ("year", "generation_tpd", "source", "note"),
}
RECOVERY_GPKG = "recovery.gpkg"
RECOVERY_NOTE = "recovery.json"


# --------------------------------------------------------------------------- events
class Signal:
    """A tiny callback signal: ``connect(cb)``, ``disconnect(cb)``, ``emit(*args)``."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> None:
        """Call ``callback`` on every emit."""
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        """Stop calling ``callback`` (no error if it was not connected)."""
        with contextlib.suppress(ValueError):
            self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        """Call every connected callback with ``args``."""
        for cb in list(self._callbacks):
            cb(*args)


@dataclass(frozen=True)
class ChangeEvent:
    """What changed.

    Parameters
    ----------
    kind
        ``{"values", "inserted", "removed", "reset", "scenario", "scenarios",
        "results", "saved", "project"}``.
    layer
        Layer name (``"counties"``, ``"facilities"``...), or ``None``.
    rows
        0-based positions of the rows affected (after the change for
        ``"inserted"``/``"values"``, before it for ``"removed"``).
    fields
        Columns changed (``"geometry"`` for moves), or scenario parameters.
    scenario
        Scenario name for ``"scenario"``/``"results"`` events.
    """

    kind: str
    layer: str | None = None
    rows: tuple[int, ...] = ()
    fields: tuple[str, ...] = ()
    scenario: str | None = None


# --------------------------------------------------------------------------- model
def empty_project(name: str = "untitled") -> Project:
    """Return a project with every layer empty (in its contract)."""
    def empty(spec: LayerSpec) -> pd.DataFrame:
        cols = {f.name: pd.Series(dtype=float if f.dtype in ("float", "int") else object)
                for f in spec.fields}
        if spec.geometry is None:
            return pd.DataFrame(cols)
        return gpd.GeoDataFrame(cols, geometry=gpd.GeoSeries([], crs=STORAGE_CRS),
                                crs=STORAGE_CRS)

    return Project(empty(COUNTIES), empty(FACILITIES), empty(GENERATION),
                   candidates=empty(CANDIDATES), exclusions=empty(EXCLUSIONS), name=name)


class ProjectModel:
    """A :class:`~wufei_gis.project.Project` being edited.

    Parameters
    ----------
    project
        The project (its frames are changed in place by commands).
    recovery_dir
        Folder of the autosave recovery file, deleted after a clean save.
    """

    def __init__(self, project: Project, *, recovery_dir: str | PathLike[str] | None = None):
        self.project = project
        self.events = Signal()
        self.results: dict[str, RunResult] = {}
        self.recovery_dir = None if recovery_dir is None else Path(recovery_dir)
        self._done: list[Command] = []
        self._undone: list[Command] = []
        self._version = 0
        self._saved_version = 0
        self._roads: tuple[Path | None, gpd.GeoDataFrame | None] | None = None

    # --- frames ---------------------------------------------------------------
    def frame(self, layer: str) -> pd.DataFrame:
        """Return the live frame of a layer (not a copy)."""
        if layer not in LAYER_SPECS:
            msg = f"unknown layer {layer!r}; use one of {sorted(LAYER_SPECS)}"
            raise ValueError(msg)
        return getattr(self.project, layer)

    def road_edges(self) -> gpd.GeoDataFrame | None:
        """Return the edges of the project's road network for display, or ``None``.

        The network of the current scenarios (the first one naming a network),
        else the first network stored in the project file; read once per file.
        """
        path = self.project.path
        if self._roads is not None and self._roads[0] == path:
            return self._roads[1]
        edges = None
        if path is not None and Path(path).exists():
            from .network.store import list_networks, network_layer

            names = list_networks(path)
            wanted = [s.network for s in self.project.scenarios.values() if s.network in names]
            if names:
                import pyogrio

                edges = pyogrio.read_dataframe(path, layer=network_layer((wanted or names)[0]),
                                               columns=["highway"])
        self._roads = (path, edges)
        return edges

    def forget_roads(self) -> None:
        """Drop the cached road edges (after a network import)."""
        self._roads = None

    def set_frame(self, layer: str, df: pd.DataFrame) -> None:
        """Replace a layer's frame (commands only; emits nothing)."""
        setattr(self.project, layer, df)

    def row_of(self, layer: str, key: str) -> int:
        """Return the 0-based row of the feature whose key is ``key``."""
        spec = LAYER_SPECS[layer]
        hits = np.flatnonzero(self.frame(layer)[spec.key].astype(str).to_numpy() == str(key))
        if not len(hits):
            raise InputError(f"no feature '{key}'", layer=layer, field=spec.key,
                             fix="it may have been deleted; refresh the view")
        return int(hits[0])

    def key_of(self, layer: str, row: int) -> str:
        """Return the key (id) of the feature at ``row``."""
        return str(self.frame(layer)[LAYER_SPECS[layer].key].iloc[row])

    # --- change bookkeeping --------------------------------------------------
    @property
    def dirty(self) -> bool:
        """Whether there are edits not yet saved."""
        return self._version != self._saved_version

    def changed(self, event: ChangeEvent) -> None:
        """Mark the project modified and tell listeners (called by commands)."""
        self._version += 1
        self.events.emit(event)

    def mark_clean(self) -> None:
        """Treat the current state as saved."""
        self._saved_version = self._version
        self.events.emit(ChangeEvent("saved"))

    def mark_dirty(self) -> None:
        """Treat the current state as unsaved (e.g. after recovering)."""
        self._saved_version = self._version - 1

    # --- headless undo stack (the GUI uses a QUndoStack instead) ---------------
    def execute(self, command: "Command") -> "Command":
        """Do ``command`` and put it on the undo history."""
        command.do()
        self._done.append(command)
        self._undone.clear()
        return command

    def undo(self) -> None:
        """Undo the last command (nothing if there is none)."""
        if self._done:
            cmd = self._done.pop()
            cmd.undo()
            self._undone.append(cmd)

    def redo(self) -> None:
        """Redo the last undone command."""
        if self._undone:
            cmd = self._undone.pop()
            cmd.do()
            self._done.append(cmd)

    # --- results --------------------------------------------------------------
    def set_result(self, result: RunResult) -> None:
        """Store a scenario's result layers (shown on the map; saved with the project)."""
        self.results[result.scenario] = result
        self.events.emit(ChangeEvent("results", scenario=result.scenario))

    def clear_results(self) -> None:
        """Forget all results."""
        self.results.clear()
        self.events.emit(ChangeEvent("results"))

    # --- saving ---------------------------------------------------------------
    def save(self, path: str | PathLike[str] | None = None) -> Path:
        """Write the project and its results (SQLite transactions); clear the recovery file."""
        target = self.project.write(path)
        for result in self.results.values():
            write_results(result, target)
        self.mark_clean()
        if self.recovery_dir is not None:
            clear_recovery(self.recovery_dir)
        return target

    def replace_project(self, project: Project) -> None:
        """Start editing another project (history, results and dirty flag reset)."""
        self.project = project
        self.results.clear()
        self._done.clear()
        self._undone.clear()
        self._version = self._saved_version = 0
        self.events.emit(ChangeEvent("project"))


# --------------------------------------------------------------------------- helpers
def _insert_row(df: pd.DataFrame, pos: int, row: dict[str, Any]) -> pd.DataFrame:
    """Return ``df`` with ``row`` inserted at ``pos`` (dtypes kept, index reset)."""
    geo = isinstance(df, gpd.GeoDataFrame)
    gcol = df.geometry.name if geo else None
    attrs = {c: list(df[c].iloc[:pos]) + [row.get(c, np.nan)] + list(df[c].iloc[pos:])
             for c in df.columns if c != gcol}
    if geo:
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


def _set_geometry(df: pd.DataFrame, pos: int, geom) -> None:
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
        raise InputError(f"a polygon needs at least 3 vertices (got {len(pts)})", layer=layer,
                         row=row, field="geometry", fix="click at least three points")
    poly = Polygon(pts)
    if not poly.is_valid:
        raise InputError("the polygon crosses itself", layer=layer, row=row, field="geometry",
                         fix="draw the outline without crossing lines")
    return poly


def polygon_vertices(geom) -> list[tuple[float, float]]:
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


def validate_cell(spec: LayerSpec, field_name: str, value: Any, *, row: int,
                  frame: pd.DataFrame | None = None) -> Any:
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
        raise InputError(f"unknown field '{field_name}'", layer=spec.name, row=row + 1,
                         field=field_name, fix=f"use one of {spec.columns}") from None

    def bad(problem: str, fix: str) -> InputError:
        return InputError(problem, layer=spec.name, row=row + 1, field=field_name, fix=fix)

    unit = f" {f.unit}" if f.unit else ""
    if f.dtype in ("float", "int"):
        try:
            num = parse_number(value)
        except ValueError as exc:
            raise bad(str(exc), f"enter a plain number{' in' + unit if unit else ''} "
                                "(1,200-style thousands separators are fine)") from None
        if num is None:
            if f.required:
                raise bad(f"'{field_name}' is empty", f"enter a number{unit}")
            return np.nan
        if f.minimum is not None and num < f.minimum:
            raise bad(f"{field_name} = {num:g} is below the minimum {f.minimum:g}",
                      f"use a value >= {f.minimum:g}{unit}")
        if f.dtype == "int":
            if not num.is_integer():
                raise bad(f"{field_name} = {num:g} is not a whole number", "use a whole number")
            return int(num)
        return num
    if f.dtype == "bool":
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "是"):
            return True
        if text in ("0", "false", "no", "否", ""):
            return False
        raise bad(f"'{value}' is not yes/no", "enter true or false")
    text = "" if value is None else str(value).strip()
    if f.required and not text:
        raise bad(f"'{field_name}' is empty", f"fill in '{field_name}'")
    if f.choices and text not in f.choices and (text or f.required):
        raise bad(f"'{text}' is not an allowed {field_name}",
                  f"use one of: {', '.join(f.choices)}")
    if spec.key == field_name and frame is not None:
        others = frame[field_name].astype(str).drop(index=frame.index[row])
        if (others == text).any():
            raise bad(f"duplicate {field_name} '{text}'", f"give every feature a unique {field_name}")
    return text


# --------------------------------------------------------------------------- commands
class Command:
    """An undoable edit.  Subclasses implement :meth:`do` and :meth:`undo`."""

    text = "edit"

    def __init__(self, model: ProjectModel) -> None:
        self.model = model

    def do(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def undo(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


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


class AddCandidate(_InsertRemove):
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

    text = "add candidate"
    layer = "candidates"

    def __init__(self, model: ProjectModel, lon: float, lat: float, **attributes: Any) -> None:
        super().__init__(model)
        p = model.project
        small = next((c for s in p.scenarios.values() for c in s.size_classes), None)
        cid = attributes.pop("candidate_id", None) or _next_id(
            p.candidates["candidate_id"], "NEW-")
        self.row = {
            "candidate_id": cid, "name_zh": "", "type": "transfer_station",
            "capacity_tpd": small.capacity_tpd if small else 150.0,
            "fixed_cost_yuan_yr": small.fixed_cost_yuan_yr if small else 1_200_000.0,
            "size_class": small.name if small else "small",
            "county_id": _county_at(p, lon, lat), "note": "added in the map",
            "geometry": Point(float(lon), float(lat)), **attributes,
        }
        for k, v in list(self.row.items()):
            if k in CANDIDATES.columns:
                self.row[k] = validate_cell(CANDIDATES, k, v, row=len(p.candidates))
        self.candidate_id = cid

    def do(self) -> None:
        self._insert(len(self.model.project.candidates), self.row)

    def undo(self) -> None:
        self._remove(self.model.row_of(self.layer, self.candidate_id))


class MoveFeature(Command):
    """Move a facility or candidate point to (lon, lat)."""

    text = "move feature"

    def __init__(self, model: ProjectModel, layer: str, key: str, lon: float, lat: float):
        super().__init__(model)
        if layer not in POINT_LAYERS:
            msg = f"only point layers {POINT_LAYERS} can be moved, not {layer!r}"
            raise ValueError(msg)
        self.layer, self.key = layer, str(key)
        self.old = model.frame(layer).geometry.iloc[model.row_of(layer, key)]
        self.new = Point(float(lon), float(lat))

    def _put(self, geom) -> None:
        pos = self.model.row_of(self.layer, self.key)
        _set_geometry(self.model.frame(self.layer), pos, geom)
        if self.layer == "candidates":
            df = self.model.frame(self.layer)
            df.loc[df.index[pos], "county_id"] = _county_at(self.model.project, geom.x, geom.y)
        self.model.changed(ChangeEvent("values", self.layer, (pos,), ("geometry",)))

    def do(self) -> None:
        self._put(self.new)

    def undo(self) -> None:
        self._put(self.old)


class DeleteFeature(_InsertRemove):
    """Delete a facility, candidate or exclusion zone by its id."""

    text = "delete feature"

    def __init__(self, model: ProjectModel, layer: str, key: str) -> None:
        super().__init__(model)
        if LAYER_SPECS[layer].key is None:
            msg = f"layer {layer!r} has no key; rows cannot be deleted by id"
            raise ValueError(msg)
        self.layer, self.key = layer, str(key)
        self.pos: int | None = None
        self.row: dict[str, Any] | None = None
        if layer == "facilities":
            used = [s.name for s in model.project.scenarios.values()
                    if self.key in s.facility_status or self.key in s.facility_capacity]
        elif layer == "candidates":
            used = [s.name for s in model.project.scenarios.values()
                    if self.key in (list(s.candidate_ids or []) + s.required_candidates
                                    + s.forbidden_candidates)]
        else:
            used = []
        if used:
            raise InputError(f"'{self.key}' is named in scenario(s) {used}", layer=layer,
                             field=LAYER_SPECS[layer].key,
                             fix="remove it from those scenarios first")

    def do(self) -> None:
        self.pos = self.model.row_of(self.layer, self.key)
        self.row = self._remove(self.pos)

    def undo(self) -> None:
        assert self.row is not None and self.pos is not None
        self._insert(self.pos, self.row)


class DeleteExclusion(DeleteFeature):
    """Delete an exclusion zone."""

    text = "delete exclusion zone"

    def __init__(self, model: ProjectModel, zone_id: str) -> None:
        super().__init__(model, "exclusions", zone_id)


class AddExclusion(_InsertRemove):
    """Add an exclusion polygon (no candidate may open inside) from its vertices."""

    text = "add exclusion zone"
    layer = "exclusions"

    def __init__(self, model: ProjectModel, vertices: Sequence[Sequence[float]],
                 **attributes: Any) -> None:
        super().__init__(model)
        ex = model.project.exclusions
        zid = attributes.pop("zone_id", None) or _next_id(ex["zone_id"], "EX-")
        self.zone_id = zid
        self.row = {"zone_id": zid, "name_zh": "", "kind": "other", "note": "drawn in the map",
                    "geometry": _ring(vertices, self.layer, len(ex) + 1), **attributes}

    def do(self) -> None:
        self._insert(len(self.model.project.exclusions), self.row)

    def undo(self) -> None:
        self._remove(self.model.row_of(self.layer, self.zone_id))


class EditExclusion(Command):
    """Replace the vertices of an exclusion polygon."""

    text = "edit exclusion zone"

    def __init__(self, model: ProjectModel, zone_id: str,
                 vertices: Sequence[Sequence[float]]) -> None:
        super().__init__(model)
        self.zone_id = str(zone_id)
        pos = model.row_of("exclusions", zone_id)
        self.old = model.project.exclusions.geometry.iloc[pos]
        self.new = _ring(vertices, "exclusions", pos + 1)

    def _put(self, geom) -> None:
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

    text = "edit value"

    def __init__(self, model: ProjectModel, layer: str, row: int, field_name: str, value: Any):
        super().__init__(model)
        spec = LAYER_SPECS[layer]
        df = model.frame(layer)
        if not 0 <= row < len(df):
            raise InputError(f"row {row + 1} does not exist ({len(df)} rows)", layer=layer,
                             row=row + 1, field=field_name, fix="refresh the table")
        self.layer, self.row, self.field = layer, row, field_name
        self.new = validate_cell(spec, field_name, value, row=row, frame=df)
        self.old = df[field_name].iloc[row]
        self.text = f"edit {layer}.{field_name}"

    def _put(self, value: Any) -> None:
        df = self.model.frame(self.layer)
        col = df[self.field]
        if col.dtype == object or isinstance(value, str):
            values = col.astype(object).to_numpy().copy()
            values[self.row] = value
            df[self.field] = pd.Series(values, index=df.index, dtype=object if col.dtype == object
                                       else col.dtype)
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

    text = "edit scenario"

    def __init__(self, model: ProjectModel, scenario: str, parameter: str, value: Any) -> None:
        super().__init__(model)
        project = model.project
        self.old = project.scenario(scenario)
        self.new = self.old.copy(**{parameter: value})
        project._check_scenario_refs(self.new, None)
        if parameter == "name" and self.new.name != self.old.name \
                and self.new.name in project.scenarios:
            raise InputError(f"a scenario called '{self.new.name}' already exists",
                             layer="scenarios", field="name", fix="choose another name")
        self.parameter = parameter
        self.text = f"set {parameter}"

    def _swap(self, out: Scenario, into: Scenario) -> None:
        sc = self.model.project.scenarios
        self.model.project.scenarios = {(into.name if k == out.name else k):
                                        (into if k == out.name else v) for k, v in sc.items()}
        kind = "scenarios" if out.name != into.name else "scenario"
        self.model.changed(ChangeEvent(kind, fields=(self.parameter,), scenario=into.name))

    def do(self) -> None:
        self._swap(self.old, self.new)

    def undo(self) -> None:
        self._swap(self.new, self.old)


class AddScenario(Command):
    """Add a new scenario (e.g. a duplicate of another)."""

    text = "add scenario"

    def __init__(self, model: ProjectModel, scenario: Scenario) -> None:
        super().__init__(model)
        if scenario.name in model.project.scenarios:
            raise InputError(f"a scenario called '{scenario.name}' already exists",
                             layer="scenarios", field="name", fix="choose another name")
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

    text = "delete scenario"

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

    text = "import layer"

    def __init__(self, model: ProjectModel, layer: str, frame: pd.DataFrame) -> None:
        super().__init__(model)
        self.layer, self.new, self.old = layer, frame, model.frame(layer)
        self.text = f"import {layer}"
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


# --------------------------------------------------------------------------- recovery
@dataclass
class Recovery:
    """An autosaved copy of an unsaved project found on start."""

    gpkg: Path
    original_path: Path | None
    name: str
    saved_at: float
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def saved_at_text(self) -> str:
        """Local time of the autosave, ``YYYY-MM-DD HH:MM``."""
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at))


def write_recovery(model: ProjectModel, recovery_dir: str | PathLike[str]) -> Path:
    """Write the project to ``recovery_dir/recovery.gpkg`` plus a JSON note.

    Only the project layers are written (in one transaction once the file
    exists; results, networks and caches stay in the project file).  The
    project's own path is not changed.  Returns the GeoPackage path.
    """
    d = Path(recovery_dir)
    d.mkdir(parents=True, exist_ok=True)
    gpkg = d / RECOVERY_GPKG
    write_project(model.project, gpkg, keep_other_layers=False)
    p = model.project.path
    note = {"original_path": None if p is None else str(p), "name": model.project.name,
            "saved_at": time.time(), "gpkg": gpkg.name}
    tmp = d / (RECOVERY_NOTE + ".tmp")
    tmp.write_text(json.dumps(note, ensure_ascii=False), encoding="utf-8")
    tmp.replace(d / RECOVERY_NOTE)
    return gpkg


def find_recovery(recovery_dir: str | PathLike[str]) -> Recovery | None:
    """Return the recovery file in ``recovery_dir``, or ``None``."""
    d = Path(recovery_dir)
    note_path, gpkg = d / RECOVERY_NOTE, d / RECOVERY_GPKG
    if not (note_path.exists() and gpkg.exists()):
        return None
    try:
        note = json.loads(note_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        logger.warning("unreadable recovery note %s; ignored", note_path)
        return None
    orig = note.get("original_path")
    return Recovery(gpkg=gpkg, original_path=None if orig is None else Path(orig),
                    name=str(note.get("name") or "recovered"),
                    saved_at=float(note.get("saved_at") or 0.0), extra=note)


def load_recovery(recovery: Recovery, **kwargs: Any) -> ProjectModel:
    """Open a recovered project: its original path restored, marked unsaved."""
    project = Project.read(recovery.gpkg)
    project.path = recovery.original_path
    project.name = recovery.name
    model = ProjectModel(project, **kwargs)
    model.mark_dirty()
    return model


def clear_recovery(recovery_dir: str | PathLike[str]) -> None:
    """Delete the recovery file, its journal and the note (after a clean save or close)."""
    d = Path(recovery_dir)
    for name in (RECOVERY_GPKG, RECOVERY_GPKG + "-journal", RECOVERY_NOTE):
        with contextlib.suppress(FileNotFoundError):
            (d / name).unlink()
