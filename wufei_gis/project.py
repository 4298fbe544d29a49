"""The project: one GeoPackage holding every layer of a planning study.

Layers (all EPSG:4326; they open in QGIS as plain layers):

=============  =========  =====================================================
``counties``   polygons   :data:`wufei_gis.schema.COUNTIES`
``facilities`` points     :data:`wufei_gis.schema.FACILITIES`
``candidates`` points     :data:`wufei_gis.schema.CANDIDATES`
``exclusions`` polygons   :data:`wufei_gis.schema.EXCLUSIONS`
``towns``      points     :data:`wufei_gis.schema.TOWNS` (optional; :mod:`wufei_gis.towns`)
``generation`` table      :data:`wufei_gis.schema.GENERATION` (one row per county, year, stream)
``scenarios``  table      ``name``, ``description``, ``parameters`` (JSON)
``streams``,   tables     the stream tables (:mod:`wufei_gis.streams`); defaults
``stream_acceptance``,    when a file has none
``stream_yields``
=============  =========  =====================================================

Result layers (:mod:`wufei_gis.results`), road networks (``network_<name>``)
and the matrix cache live in the same file; :meth:`Project.write` keeps them.
Saves are SQLite transactions on the file itself (:mod:`wufei_gis.storage`):
all layers of a save change together or not at all, and scenario edits
(:func:`update_scenarios`) change only their own rows of the ``scenarios`` table.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from . import storage
from .errors import InputError
from .generation import generation_for_year
from .io import list_layers, read_layer, read_raw
from .scenario import Scenario
from .schema import (
    CANDIDATES,
    COUNTIES,
    EXCLUSIONS,
    FACILITIES,
    GENERATION,
    STORAGE_CRS,
    STREAM_ACCEPTANCE,
    STREAM_YIELDS,
    STREAMS,
    TOWNS,
    LayerSpec,
)
from .streams import DEFAULT_STREAM, StreamTables, default_stream_tables
from .validation import check_references, conform

#: ``(scenario name, {parameter: new value})`` applied while stored scenarios are parsed.
ScenarioPatch = tuple[str, Mapping[str, Any]]

__all__ = [
    "Project",
    "write_project",
    "update_scenarios",
    "project_layers",
    "empty_layer",
    "PROJECT_LAYERS",
]

logger = logging.getLogger(__name__)

PROJECT_LAYERS = (
    "counties",
    "facilities",
    "candidates",
    "exclusions",
    "towns",
    "generation",
    "scenarios",
    "streams",
    "stream_acceptance",
    "stream_yields",
)


def empty_layer(spec: LayerSpec) -> pd.DataFrame:
    """Return an empty layer in its contract: every field as a column, no rows.

    Numeric fields are float columns, the others object columns; a spatial layer is a
    GeoDataFrame with an empty geometry column in :data:`~wufei_gis.schema.STORAGE_CRS`.
    """
    cols = {
        f.name: pd.Series(dtype=float if f.dtype in ("float", "int") else object)
        for f in spec.fields
    }
    if spec.geometry is None:
        return pd.DataFrame(cols)
    return gpd.GeoDataFrame(cols, geometry=gpd.GeoSeries([], crs=STORAGE_CRS), crs=STORAGE_CRS)


class Project:
    """A planning study: counties, facilities, candidates, generation, scenarios.

    Parameters
    ----------
    counties, facilities
        GeoDataFrames in their contracts (see :mod:`wufei_gis.schema`).
    generation
        Table of generation per county and year (t/d).
    candidates, exclusions
        Optional GeoDataFrames; empty when omitted (``towns`` starts empty).
    scenarios
        Scenarios by name (ordered).
    name
        Title of the study (defaults to the file name).
    path
        The GeoPackage the project was read from / last written to.
    """

    def __init__(
        self,
        counties: gpd.GeoDataFrame,
        facilities: gpd.GeoDataFrame,
        generation: pd.DataFrame,
        *,
        candidates: gpd.GeoDataFrame | None = None,
        exclusions: gpd.GeoDataFrame | None = None,
        scenarios: dict[str, Scenario] | list[Scenario] | None = None,
        name: str = "",
        path: str | PathLike[str] | None = None,
    ) -> None:
        self.counties = counties
        self.facilities = facilities
        self.generation = generation
        self.candidates = candidates if candidates is not None else empty_layer(CANDIDATES)
        self.exclusions = exclusions if exclusions is not None else empty_layer(EXCLUSIONS)
        #: Towns (optional; set after construction, see :mod:`wufei_gis.towns`).
        self.towns: gpd.GeoDataFrame = empty_layer(TOWNS)
        #: Streams, acceptance and yields (:mod:`wufei_gis.streams`); defaults until set.
        self.stream_tables: StreamTables = default_stream_tables()
        if isinstance(scenarios, list):
            scenarios = {s.name: s for s in scenarios}
        self.scenarios: dict[str, Scenario] = dict(scenarios or {})
        self.path = None if path is None else Path(path)
        self.name = name or (self.path.stem if self.path else "project")

    # --- construction ------------------------------------------------------
    @classmethod
    def from_frames(
        cls,
        counties: pd.DataFrame,
        facilities: pd.DataFrame,
        generation: pd.DataFrame,
        *,
        candidates: pd.DataFrame | None = None,
        exclusions: pd.DataFrame | None = None,
        scenarios: dict[str, Scenario] | list[Scenario] | None = None,
        name: str = "",
        source: str | None = None,
    ) -> Project:
        """Conform raw frames to their contracts and cross-check them.

        The project has no file yet (``path`` is ``None``): :meth:`write` gives it one.
        ``source`` names where the frames came from in error messages.
        """

        def fix(df: pd.DataFrame | None, spec: LayerSpec) -> pd.DataFrame | None:
            return conform(df, spec, file=source, layer=spec.name) if df is not None else None

        proj = cls(
            fix(counties, COUNTIES),
            fix(facilities, FACILITIES),
            fix(generation, GENERATION),
            candidates=fix(candidates, CANDIDATES),
            exclusions=fix(exclusions, EXCLUSIONS),
            scenarios=scenarios,
            name=name,
        )
        proj.validate(source=source)
        return proj

    @classmethod
    def read(
        cls, path: str | PathLike[str], *, scenario_patch: ScenarioPatch | None = None
    ) -> Project:
        """Read a project GeoPackage (see the module docstring for its layers).

        ``scenario_patch = (name, {key: value})`` applies new parameter values to
        that scenario as it is read, so a file holding an invalid stored value
        can be repaired with ``wufei scenario set``.
        """
        path = _existing_project(path)
        layers = set(list_layers(path))
        for required in ("counties", "facilities", "generation"):
            if required not in layers:
                raise InputError(
                    f"project has no '{required}' layer (layers: {', '.join(sorted(layers))})",
                    file=path,
                    layer=required,
                    fix="import that layer into the project",
                )
        frames = {}
        for spec in (COUNTIES, FACILITIES, GENERATION, CANDIDATES, EXCLUSIONS, TOWNS):
            if spec.name in layers:
                frames[spec.name] = read_layer(path, spec, layer=spec.name)
            else:
                frames[spec.name] = None
        scenarios = _read_scenarios(path, scenario_patch) if "scenarios" in layers else {}
        proj = cls(
            frames["counties"],
            frames["facilities"],
            frames["generation"],
            candidates=frames["candidates"],
            exclusions=frames["exclusions"],
            scenarios=scenarios,
            path=path,
        )
        if frames["towns"] is not None:
            proj.towns = frames["towns"]
        if {"streams", "stream_acceptance", "stream_yields"} <= layers:
            proj.stream_tables = StreamTables(
                read_layer(path, STREAMS, layer="streams"),
                read_layer(path, STREAM_ACCEPTANCE, layer="stream_acceptance"),
                read_layer(path, STREAM_YIELDS, layer="stream_yields"),
            )
            proj.stream_tables.check(file=path)
        proj.validate(source=str(path))
        return proj

    # --- checks ------------------------------------------------------------
    def validate(self, *, source: str | None = None) -> None:
        """Cross-check layers: every county id referred to must exist."""
        known = set(self.counties["county_id"].astype(str))
        check_references(self.facilities, "county_id", known, file=source, layer="facilities")
        check_references(self.generation, "county_id", known, file=source, layer="generation")
        check_references(
            self.candidates, "county_id", known, file=source, layer="candidates", allow_empty=True
        )
        check_references(self.towns, "county_id", known, file=source, layer="towns")
        for sc in self.scenarios.values():
            self._check_scenario_refs(sc, source)

    def _check_scenario_refs(self, sc: Scenario, source: str | None) -> None:
        fids = set(self.facilities["facility_id"].astype(str))
        for fid in list(sc.facility_status) + list(sc.facility_capacity):
            if fid not in fids:
                raise InputError(
                    f"scenario '{sc.name}' refers to unknown facility '{fid}'",
                    file=source,
                    layer="scenarios",
                    field="facility_status",
                    fix="use a facility_id of the facilities layer",
                )
        cids = set(self.candidates["candidate_id"].astype(str))
        lists = [sc.required_candidates, sc.forbidden_candidates, sc.candidate_ids or []]
        for cid in (c for lst in lists for c in lst):
            if cid not in cids:
                raise InputError(
                    f"scenario '{sc.name}' refers to unknown candidate '{cid}'",
                    file=source,
                    layer="scenarios",
                    field="candidate_ids",
                    fix="use a candidate_id of the candidates layer",
                )

    # --- scenarios -----------------------------------------------------------
    def scenario(self, name: str | Scenario) -> Scenario:
        """Return the scenario called ``name`` (a :class:`Scenario` passes through)."""
        if isinstance(name, Scenario):
            return name
        if name not in self.scenarios:
            have = ", ".join(self.scenarios) or "none"
            raise InputError(
                f"unknown scenario '{name}' (scenarios: {have})",
                file=self.path,
                layer="scenarios",
                field="name",
                fix="pick one of the scenarios listed, or create it",
            )
        return self.scenarios[name]

    def add_scenario(self, scenario: Scenario) -> None:
        """Add or replace a scenario (its references are checked)."""
        self._check_scenario_refs(scenario, None)
        self.scenarios[scenario.name] = scenario

    # --- derived views -----------------------------------------------------
    def demand(self, scenario: str | Scenario, stream: str = DEFAULT_STREAM) -> pd.DataFrame:
        """Return generation of one stream per county (t/d) in the scenario's target year.

        The household residual stream (the default) needs a row for every county;
        another stream is 0 in a county without rows.

        Returns
        -------
        DataFrame
            ``county_id, generation_tpd, year, data_year, estimated``, in the
            order of the counties layer.
        """
        sc = self.scenario(scenario)
        gen = self.generation
        if "stream" in gen.columns:
            rows = gen[gen["stream"].fillna("").astype(str).replace("", DEFAULT_STREAM) == stream]
        else:
            rows = gen if stream == DEFAULT_STREAM else gen.iloc[0:0]
        ids = self.counties["county_id"].astype(str).tolist()
        have = set(rows["county_id"].astype(str))
        out = generation_for_year(
            rows,
            [c for c in ids if c in have or stream == DEFAULT_STREAM],
            sc.target_year,
            annual_growth=sc.generation_growth_rate,
        )
        if stream == DEFAULT_STREAM:
            return out
        zero = pd.DataFrame(
            {
                "county_id": [c for c in ids if c not in have],
                "generation_tpd": 0.0,
                "year": sc.target_year,
                "data_year": sc.target_year,
                "estimated": False,
            }
        )
        out = pd.concat([out, zero], ignore_index=True) if len(zero) else out
        return out.set_index("county_id").loc[ids].reset_index()

    def demand_points(self) -> gpd.GeoDataFrame:
        """Return one demand point per county (its representative point, EPSG:4326)."""
        pts = self.counties.geometry.representative_point()
        return gpd.GeoDataFrame(
            {
                "id": self.counties["county_id"].astype(str).to_numpy(),
                "county_id": self.counties["county_id"].astype(str).to_numpy(),
                "name_zh": self.counties["name_zh"].to_numpy(),
            },
            geometry=pts.to_numpy(),
            crs=STORAGE_CRS,
        )

    def facilities_in_service(self, scenario: str | Scenario) -> gpd.GeoDataFrame:
        """Return the facilities open in a scenario, its overrides applied."""
        sc = self.scenario(scenario)
        f = self.facilities.copy()
        f["status"] = [
            sc.status_of(i, s) for i, s in zip(f["facility_id"], f["status"], strict=True)
        ]
        for fid, cap in sc.facility_capacity.items():
            f.loc[f["facility_id"] == fid, "capacity_tpd"] = float(cap)
        return f[f["status"].isin(sc.in_service_statuses)].reset_index(drop=True)

    def county_names(self) -> dict[str, str]:
        """Return ``{county_id: name_zh}``."""
        return dict(
            zip(self.counties["county_id"].astype(str), self.counties["name_zh"], strict=True)
        )

    # --- output --------------------------------------------------------------
    def write(self, path: str | PathLike[str] | None = None) -> Path:
        """Write the project in one transaction; other layers in the file are kept."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise InputError("the project has no file yet", fix="choose a file name to save to")
        write_project(self, target)
        self.path = target
        return target

    def __repr__(self) -> str:
        return (
            f"Project({self.name!r}: {len(self.counties)} counties, "
            f"{len(self.facilities)} facilities, {len(self.candidates)} candidates, "
            f"scenarios {list(self.scenarios)})"
        )


def _existing_project(path: str | PathLike[str]) -> Path:
    """Return the project file's path after rolling back a killed save's journal.

    Raises a located :class:`InputError` when the file does not exist.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(
            "project file not found",
            file=path,
            fix="check the path, or create one with 'wufei init'",
        )
    storage.recover(path)
    return path


def _read_scenarios(path: Path, patch: ScenarioPatch | None = None) -> dict[str, Scenario]:
    df = read_raw(path, layer="scenarios")
    if "parameters" not in df.columns:
        raise InputError(
            "scenarios table has no 'parameters' column",
            file=path,
            layer="scenarios",
            field="parameters",
            fix="write scenarios with wufei (JSON in a 'parameters' column)",
        )
    return _parse_scenarios(df["parameters"], path, patch)


def _parse_scenarios(
    texts: Iterable[object], path: Path, patch: ScenarioPatch | None
) -> dict[str, Scenario]:
    """Parse stored scenario rows (JSON); an error names the file, layer and row."""
    out = {}
    for i, text in enumerate(texts):
        try:
            sc = _parse_scenario(str(text), path, patch)
        except InputError as err:
            raise InputError(
                err.problem, file=path, layer="scenarios", row=i + 1, field=err.field, fix=err.fix
            ) from None
        out[sc.name] = sc
    return out


def _parse_scenario(text: str, path: Path, patch: ScenarioPatch | None) -> Scenario:
    if patch is not None:
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict) and data.get("name") == patch[0]:
            return Scenario.from_dict({**data, **patch[1]}, source=str(path))
    return Scenario.from_json(text, source=str(path))


def _scenario_frame(scenarios: Mapping[str, Scenario]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": [s.name for s in scenarios.values()],
            "description": [s.description for s in scenarios.values()],
            "parameters": [s.to_json() for s in scenarios.values()],
        },
        columns=["name", "description", "parameters"],
    ).astype(object)


def project_layers(project: Project) -> dict[str, tuple[pd.DataFrame, str | None]]:
    """Return the project's layers as ``{layer: (frame, geometry type)}`` for :mod:`.storage`."""
    return {
        "counties": (project.counties, "MultiPolygon"),
        "facilities": (project.facilities, "Point"),
        "candidates": (project.candidates, "Point"),
        "exclusions": (project.exclusions, "MultiPolygon"),
        "towns": (project.towns, "Point"),
        "generation": (_table(project.generation), None),
        "scenarios": (_scenario_frame(project.scenarios), None),
        "streams": (_table(project.stream_tables.streams), None),
        "stream_acceptance": (_table(project.stream_tables.acceptance), None),
        "stream_yields": (_table(project.stream_tables.yields), None),
    }


def write_project(
    project: Project, path: str | PathLike[str], *, keep_other_layers: bool = True
) -> None:
    """Write every project layer to ``path`` in one transaction (see :mod:`.storage`).

    Other layers of ``path`` (results, networks, matrix cache) are kept.  When
    ``path`` is not the file the project was read from ("Save As") and
    ``keep_other_layers`` is true, the other layers of that file come along.
    """
    base = project.path if keep_other_layers and project.path is not None else None
    storage.write_layers(path, project_layers(project), base=base)


ScenarioEdit = Callable[[dict[str, Scenario]], Mapping[str, "Scenario | None"]]


def update_scenarios(
    path: str | PathLike[str], edit: ScenarioEdit, *, patch: ScenarioPatch | None = None
) -> dict[str, Scenario]:
    """Change scenario rows of a project file in one transaction; return the scenarios after.

    ``edit`` gets the scenarios as stored *inside* the transaction (so edits of
    concurrent writers are never lost) and returns ``{name: scenario}`` to
    add or replace and ``{name: None}`` to delete; only those rows change.
    ``patch`` is applied as the rows are parsed (see :meth:`Project.read`).
    """
    path = _existing_project(path)
    with storage.transaction(path) as con:
        if not storage.table_exists(con, "scenarios"):
            _create_scenarios_table(con)
        current = _scenario_rows(con, path, patch)
        for name, sc in edit(dict(current)).items():
            if sc is None:
                con.execute("DELETE FROM scenarios WHERE name = ?", (name,))
                current.pop(name, None)
            elif name in current:
                con.execute(
                    "UPDATE scenarios SET description = ?, parameters = ? WHERE name = ?",
                    (sc.description, sc.to_json(), name),
                )
                current[name] = sc
            else:
                con.execute(
                    "INSERT INTO scenarios (name, description, parameters) VALUES (?, ?, ?)",
                    (name, sc.description, sc.to_json()),
                )
                current[name] = sc
        con.execute(
            "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
            "WHERE table_name = 'scenarios'"
        )
    return current


def _create_scenarios_table(con: sqlite3.Connection) -> None:
    con.execute(
        'CREATE TABLE "scenarios" ("fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
        '"name" TEXT, "description" TEXT, "parameters" TEXT)'
    )
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
        "VALUES ('scenarios', 'attributes', 'scenarios', '')"
    )


def _scenario_rows(
    con: sqlite3.Connection, path: Path, patch: ScenarioPatch | None = None
) -> dict[str, Scenario]:
    rows = con.execute("SELECT parameters FROM scenarios ORDER BY fid").fetchall()
    return _parse_scenarios((text for (text,) in rows), path, patch)


def _table(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(df).copy()
    for c in out.columns:
        if str(out[c].dtype) == "Int64":
            out[c] = out[c].astype("int64")
    return out
