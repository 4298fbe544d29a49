"""The Qt-free edit model: a project document with change events and one undo history.

:class:`ProjectModel` holds the project being edited, its results and its
history: ONE :class:`~wufei_gis.commands.CommandStack` (``model.history``).
Every user edit is a command (:mod:`wufei_gis.edits`) run through
:meth:`ProjectModel.execute`; :meth:`ProjectModel.undo`/:meth:`ProjectModel.redo`
move along the history, and :attr:`ProjectModel.dirty` is "not at the state last
saved".  Views listen to ``model.events.connect(callback)`` (each
:class:`~wufei_gis.commands.ChangeEvent` names the layer or scenario and the
rows that changed) and to ``model.history.changed`` (undo/redo texts, dirty flag).
The GUI has no history of its own.

Stale results: an input edit made after a scenario was solved marks its
result out of date (:meth:`ProjectModel.is_stale`, :attr:`ProjectModel.stale`;
``model.stale_changed`` fires when that changes).  A layer edit (a row added,
moved, deleted or changed, a layer imported) makes every result stale; a
scenario parameter edit makes that scenario's result stale.  Storing a new
result (:meth:`ProjectModel.set_result`) clears its flag, unless the inputs
changed while it was being solved (``input_version``).

Autosave/recovery: :func:`write_recovery` writes the project to a recovery
GeoPackage plus a small JSON note; :func:`find_recovery` finds it on the next
start; :func:`clear_recovery` deletes it after a clean save or close.

The command classes, :class:`~wufei_gis.commands.Signal`,
:class:`~wufei_gis.commands.ChangeEvent`, :func:`~wufei_gis.edits.validate_cell`
and :func:`~wufei_gis.edits.polygon_vertices` are re-exported here.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from .commands import ChangeEvent, Command, CommandStack, Signal
from .edits import (
    POINT_LAYERS,
    AddCandidate,
    AddExclusion,
    AddScenario,
    DeleteExclusion,
    DeleteFeature,
    EditExclusion,
    MoveFeature,
    RemoveScenario,
    ReplaceLayer,
    SetCellValue,
    SetScenarioParameter,
    polygon_vertices,
    validate_cell,
)
from .errors import InputError
from .project import Project, empty_layer, write_project
from .results import RunResult, write_results
from .schema import (
    CANDIDATES,
    COUNTIES,
    EXCLUSIONS,
    FACILITIES,
    GENERATION,
    LAYER_SPECS,
)

__all__ = [
    "EDITABLE_FIELDS",
    "POINT_LAYERS",
    "RECOVERY_GPKG",
    "RECOVERY_NOTE",
    "AddCandidate",
    "AddExclusion",
    "AddScenario",
    "ChangeEvent",
    "Command",
    "CommandStack",
    "DeleteExclusion",
    "DeleteFeature",
    "EditExclusion",
    "MoveFeature",
    "ProjectModel",
    "Recovery",
    "RemoveScenario",
    "ReplaceLayer",
    "SetCellValue",
    "SetScenarioParameter",
    "Signal",
    "clear_recovery",
    "empty_project",
    "find_recovery",
    "load_recovery",
    "polygon_vertices",
    "validate_cell",
    "write_recovery",
]

logger = logging.getLogger(__name__)

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


# --------------------------------------------------------------------------- model
def empty_project(name: str = "untitled") -> Project:
    """Return a project with every layer empty (in its contract)."""
    return Project(
        empty_layer(COUNTIES),
        empty_layer(FACILITIES),
        empty_layer(GENERATION),
        candidates=empty_layer(CANDIDATES),
        exclusions=empty_layer(EXCLUSIONS),
        name=name,
    )


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
        #: The one undo history of this project's edits.
        self.history = CommandStack()
        #: Scenarios whose stored result predates an input edit.
        self.stale: set[str] = set()
        #: Fires (without arguments) when :attr:`stale` changes.
        self.stale_changed = Signal()
        #: Counts the input edits (a solve notes it at start, see :meth:`set_result`).
        self.input_version = 0
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

                edges = pyogrio.read_dataframe(
                    path, layer=network_layer((wanted or names)[0]), columns=["highway"]
                )
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
            raise InputError(
                f"no feature '{key}'",
                layer=layer,
                field=spec.key,
                fix="it may have been deleted; refresh the view",
                key="err.no_feature",
                params={"key": key},
            )
        return int(hits[0])

    def key_of(self, layer: str, row: int) -> str:
        """Return the key (id) of the feature at ``row``."""
        return str(self.frame(layer)[LAYER_SPECS[layer].key].iloc[row])

    # --- history ----------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        """Whether the project differs from the state last saved (history not clean)."""
        return not self.history.is_clean

    def changed(self, event: ChangeEvent) -> None:
        """Tell listeners what a command changed (called by commands); note stale results."""
        self.input_version += 1
        if event.layer is not None:
            self._set_stale(self.stale | set(self.results))
        elif event.kind == "scenario" and event.scenario in self.results:
            self._set_stale(self.stale | {event.scenario})
        self.events.emit(event)

    def is_stale(self, scenario: str) -> bool:
        """Whether the result of ``scenario`` predates an edit of its inputs."""
        return scenario in self.stale

    def _set_stale(self, stale: set[str]) -> None:
        if stale != self.stale:
            self.stale = stale
            self.stale_changed.emit()

    def execute(self, command: Command) -> Command:
        """Do ``command`` and put it on the history (the redo part is dropped)."""
        return self.history.execute(command)

    def undo(self) -> Command | None:
        """Undo the last command and return it (``None`` if there is none)."""
        return self.history.undo()

    def redo(self) -> Command | None:
        """Redo the last undone command and return it (``None`` if there is none)."""
        return self.history.redo()

    def mark_clean(self) -> None:
        """Treat the current state as saved."""
        self.history.mark_clean()
        self.events.emit(ChangeEvent("saved"))

    def mark_dirty(self) -> None:
        """Treat the project as unsaved until the next save (e.g. after recovering)."""
        self.history.mark_dirty()

    # --- results --------------------------------------------------------------
    def set_result(self, result: RunResult, *, input_version: int | None = None) -> None:
        """Store a scenario's result layers (shown on the map; saved with the project).

        Parameters
        ----------
        result
            The solved scenario.
        input_version
            :attr:`input_version` when the solve started: the result is marked
            stale if the inputs were edited since.  ``None``: current.
        """
        self.results[result.scenario] = result
        edited = input_version is not None and input_version != self.input_version
        stale = self.stale - {result.scenario}
        self._set_stale(stale | {result.scenario} if edited else stale)
        self.events.emit(ChangeEvent("results", scenario=result.scenario))

    def clear_results(self) -> None:
        """Forget all results."""
        self.results.clear()
        self._set_stale(set())
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
        self._set_stale(set())
        self.events.emit(ChangeEvent("project"))
        self.history.clear()


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
    note = {
        "original_path": None if p is None else str(p),
        "name": model.project.name,
        "saved_at": time.time(),
        "gpkg": gpkg.name,
    }
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
    return Recovery(
        gpkg=gpkg,
        original_path=None if orig is None else Path(orig),
        name=str(note.get("name") or "recovered"),
        saved_at=float(note.get("saved_at") or 0.0),
        extra=note,
    )


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
