"""``wufei new``, ``wufei import`` and ``wufei scenario``: build and edit projects from the shell.

Everything the desktop app's File > Import and scenario panel do is reachable here.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from .errors import InputError, WufeiError
from .io import read_layer
from .project import Project, update_scenarios
from .scenario import Scenario, scenario_fields
from .schema import LAYER_SPECS

__all__ = ["register", "parse_mapping", "parse_assignment"]


def parse_mapping(items: list[str] | None) -> dict[str, str]:
    """Parse ``["src=dst", ...]`` field mappings."""
    out = {}
    for item in items or []:
        if "=" not in item:
            raise InputError(f"field mapping '{item}' is not SOURCE=TARGET",
                             fix="write e.g. --map 名称=name_zh")
        src, dst = item.split("=", 1)
        out[src.strip()] = dst.strip()
    return out


def parse_assignment(item: str) -> tuple[str, object]:
    """Parse ``key=value`` where value is JSON (numbers, lists, null) or a bare string."""
    if "=" not in item:
        raise InputError(f"'{item}' is not KEY=VALUE", fix="write e.g. incineration_share_min=0.65")
    key, raw = item.split("=", 1)
    key = key.strip()
    known = {f.name for f in scenario_fields()}
    if key not in known:
        raise InputError(f"unknown scenario parameter '{key}'", field=key,
                         fix=f"use one of: {', '.join(sorted(known))}")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return key, value


def _read(kind: str, path: str, args: argparse.Namespace) -> pd.DataFrame:
    spec = LAYER_SPECS[kind]
    return read_layer(path, spec, layer=getattr(args, "source_layer", None),
                      column_map=parse_mapping(getattr(args, "map", None)))


def _cmd_new(args: argparse.Namespace) -> int:
    out = Path(args.project)
    if out.exists() and not args.force:
        raise WufeiError(f"'{out}' already exists; use --force to overwrite it")
    frames = {k: _read(k, getattr(args, k), args) if getattr(args, k) else None
              for k in ("counties", "facilities", "generation", "candidates", "exclusions")}
    proj = Project.from_frames(
        frames["counties"], frames["facilities"], frames["generation"],
        candidates=frames["candidates"], exclusions=frames["exclusions"],
        scenarios=[Scenario("baseline")], name=out.stem, source=str(out),
    )
    proj.write(out)
    print(f"wrote {out}: {proj}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    proj = Project.read(args.project)
    df = _read(args.kind, args.file, args)
    if args.append:
        df = pd.concat([getattr(proj, args.kind), df], ignore_index=True)
    setattr(proj, args.kind, df)
    Project.from_frames(proj.counties, proj.facilities, proj.generation,
                        candidates=proj.candidates, exclusions=proj.exclusions,
                        scenarios=proj.scenarios, source=args.file)  # re-check everything
    proj.write()
    print(f"imported {len(df)} rows into layer '{args.kind}' of {args.project}")
    return 0


def _cmd_scenario(args: argparse.Namespace) -> int:
    proj = Project.read(args.project)
    if args.action == "list":
        for sc in proj.scenarios.values():
            print(f"{sc.name}\ttarget {sc.target_year}\t{sc.description[:60]}")
        return 0
    if args.action == "show":
        print(json.dumps(proj.scenario(args.name).to_dict(), ensure_ascii=False, indent=2))
        return 0
    changes = dict(parse_assignment(a) for a in args.assignments)

    def edit(current: dict[str, Scenario]) -> dict[str, Scenario | None]:
        # runs inside the write transaction: ``current`` includes concurrent edits
        proj.scenarios = current
        if args.action == "delete":
            proj.scenario(args.name)
            return {args.name: None}
        # set: create (optionally from another scenario) or change parameters
        if args.name in current:
            base = current[args.name]
        elif args.copy_from:
            base = proj.scenario(args.copy_from).copy(name=args.name)
        else:
            base = Scenario(args.name)
        sc = base.copy(**changes)
        proj.add_scenario(sc)
        return {sc.name: sc}

    update_scenarios(args.project, edit)
    if args.action == "set":
        print(f"scenario '{args.name}' saved in {args.project}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``new``, ``import`` and ``scenario`` to the ``wufei`` command."""
    s = sub.add_parser("new", help="create a project from your own layers")
    s.add_argument("project", help="project GeoPackage to create")
    s.add_argument("--counties", required=True, help="county polygons (gpkg/shp/geojson)")
    s.add_argument("--facilities", required=True, help="facility points (gpkg/shp/geojson/csv)")
    s.add_argument("--generation", required=True, help="generation table (csv/xlsx)")
    s.add_argument("--candidates", help="candidate sites")
    s.add_argument("--exclusions", help="exclusion polygons")
    s.add_argument("--force", action="store_true", help="overwrite an existing file")
    s.set_defaults(func=_cmd_new)

    s = sub.add_parser("import", help="replace (or --append to) one layer of a project")
    s.add_argument("kind", choices=sorted(LAYER_SPECS), help="which project layer")
    s.add_argument("file", help="file to import (gpkg, shp, geojson, csv with lon/lat, xlsx)")
    s.add_argument("--project", required=True, help="project GeoPackage")
    s.add_argument("--source-layer", help="layer (GeoPackage) or sheet (Excel) to read")
    s.add_argument("--map", nargs="*", metavar="SRC=DST",
                   help="rename columns, e.g. --map 名称=name_zh 规模=capacity_tpd")
    s.add_argument("--append", action="store_true", help="append instead of replacing")
    s.set_defaults(func=_cmd_import)

    s = sub.add_parser("scenario", help="list, show, create/change or delete scenarios")
    s.add_argument("action", choices=["list", "show", "set", "delete"])
    s.add_argument("project", help="project GeoPackage")
    s.add_argument("name", nargs="?", help="scenario name (show/set/delete)")
    s.add_argument("assignments", nargs="*", metavar="KEY=VALUE",
                   help="parameters (JSON values), e.g. incineration_share_min=0.65 "
                        "facility_status='{\"YX-LF-01\": \"closed\"}'")
    s.add_argument("--from", dest="copy_from", help="create the scenario as a copy of another")
    s.set_defaults(func=_cmd_scenario)
