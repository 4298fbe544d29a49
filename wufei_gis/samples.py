"""Embedded sample regions built from the seed planning documents.

Six regions: Yuxi and Jincheng (household waste of a prefecture), Qijiang (one
district, its landfill overload), Pingdingshan (city-wide shared incineration),
Yunnan medical waste (16 prefecture units) and Chengkou hazardous waste (a county
collection hub).  The sample sources are plain text files under ``data/``
(GeoJSON boundaries, CSV facilities/candidates/generation/towns, JSON scenarios),
installed as the package ``wufei_gis.data``; every number cites its seed and
offset, and ``data/samples.json`` names each sample's seed and main scenario.  A sample's
waste-stream additions (``*_stream_facilities.csv``, ``*_stream_generation.csv``,
``streams/*_stream_acceptance.csv``) are appended to its layers and to the
default stream tables.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InputError
from .io import read_raw
from .project import Project
from .scenario import Scenario
from .schema import TOWNS
from .streams import StreamTables, default_stream_tables
from .validation import conform

__all__ = ["list_samples", "load_sample", "sample_info", "DEFAULT_SAMPLE"]

DEFAULT_SAMPLE = "yuxi"


def _data_dir() -> Path:
    return Path(str(resources.files("wufei_gis.data")))


def _manifest() -> dict[str, dict[str, Any]]:
    path = _data_dir() / "samples.json"
    manifest: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def list_samples() -> list[str]:
    """Return the names of the embedded samples (``"yuxi"`` first)."""
    names = list(_manifest())
    return sorted(names, key=lambda n: (n != DEFAULT_SAMPLE, n))


def sample_info(name: str) -> dict[str, Any]:
    """Return the manifest entry of a sample (titles, seed, default scenario)."""
    m = _manifest()
    if name not in m:
        raise InputError(
            f"unknown sample '{name}' (samples: {', '.join(list_samples())})",
            fix="run 'wufei samples' to list them",
        )
    return m[name]


def load_sample(name: str = DEFAULT_SAMPLE) -> Project:
    """Return an embedded sample as a :class:`~wufei_gis.project.Project` (not yet saved)."""
    info = sample_info(name)
    d = _data_dir()
    counties = read_raw(d / "boundaries" / f"{name}_counties.geojson")
    facilities = read_raw(d / "facilities" / f"{name}_facilities.csv")
    extra_fac = d / "facilities" / f"{name}_stream_facilities.csv"
    if extra_fac.exists():
        facilities = pd.concat([facilities, read_raw(extra_fac)], ignore_index=True)
    cand_path = d / "facilities" / f"{name}_candidates.csv"
    candidates = read_raw(cand_path) if cand_path.exists() else None
    towns_path = d / "towns" / f"{name}_towns.csv"
    towns = read_raw(towns_path) if towns_path.exists() else None
    generation = pd.read_csv(
        d / "generation" / f"{name}_generation.csv", dtype={"county_id": str}, encoding="utf-8"
    )
    extra_gen = d / "generation" / f"{name}_stream_generation.csv"
    if extra_gen.exists():
        more = pd.read_csv(extra_gen, dtype={"county_id": str}, encoding="utf-8")
        generation = pd.concat([generation, more], ignore_index=True)
    scen_path = d / "scenarios" / f"{name}_scenarios.json"
    scenarios = [
        Scenario.from_dict(s, source=str(scen_path))
        for s in json.loads(scen_path.read_text(encoding="utf-8"))
    ]
    proj = Project.from_frames(
        counties,
        facilities,
        generation,
        candidates=candidates,
        scenarios=scenarios,
        name=info.get("title_en", name),
        source=f"sample '{name}'",
    )
    if towns is not None:
        proj.towns = conform(towns, TOWNS, file=towns_path, layer="towns")
        proj.validate(source=f"sample '{name}'")
    proj.stream_tables = _stream_tables(d, name)
    return proj


def _stream_tables(d: Path, name: str) -> StreamTables:
    """The default stream tables plus a sample's own acceptance rows (site licences)."""
    tables = default_stream_tables()
    extra = d / "streams" / f"{name}_stream_acceptance.csv"
    if not extra.exists():
        return tables
    more = pd.read_csv(extra, dtype=str, keep_default_na=False, encoding="utf-8")
    return StreamTables.from_frames(
        tables.streams,
        pd.concat([tables.acceptance, more], ignore_index=True),
        tables.yields,
        file=extra,
    )
