"""``wufei new``, ``wufei import`` and ``wufei scenario``: build and edit projects from the shell.

Everything the desktop app's File > Import and scenario panel do is reachable here.
"""

from __future__ import annotations

import argparse
import json
import sys

import pandas as pd

from ..errors import InputError
from ..io import read_layer
from ..project import Project, update_scenarios
from ..scenario import PARAMETERS, Scenario, coerce_parameter
from ..schema import LAYER_SPECS
from ..validation import MISMATCH_POLICIES, check_locations, check_not_empty
from ._common import check_new_file

__all__ = ["parse_assignment", "parse_mapping", "register"]


def parse_mapping(items: list[str] | None) -> dict[str, str]:
    """Parse ``["src=dst", ...]`` field mappings."""
    out = {}
    for item in items or []:
        if "=" not in item:
            raise InputError(
                f"field mapping '{item}' is not SOURCE=TARGET", fix="write e.g. --map 名称=name_zh"
            )
        src, dst = item.split("=", 1)
        out[src.strip()] = dst.strip()
    return out


def parse_assignment(item: str, *, scenario: str = "?") -> tuple[str, object]:
    """Parse and check ``key=value`` (value: JSON, or a bare string).

    The value is coerced to the parameter's type and range
    (:func:`wufei_gis.scenario.coerce_parameter`) here, so a bad value is never
    stored.  A value that starts like JSON (``{``, ``[``, ``"``) must be valid
    JSON; the error gives the column of the mistake.
    """
    if "=" not in item:
        raise InputError(f"'{item}' is not KEY=VALUE", fix="write e.g. incineration_share_min=0.65")
    key, raw = item.split("=", 1)
    key = key.strip()
    if key not in PARAMETERS:
        raise InputError(
            f"unknown scenario parameter '{key}'",
            field=key,
            fix=f"use one of: {', '.join(sorted(PARAMETERS))}",
        )
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        if raw.strip()[:1] in ("{", "[", '"'):
            raise InputError(
                f"scenario '{scenario}': the value of {key} is not valid JSON: {exc.msg} at "
                f"character {exc.pos + 1} of {raw!r}",
                layer="scenarios",
                field=key,
                fix=f"write e.g. {key}='{PARAMETERS[key].example}' (quote it in the shell)",
            ) from None
        value = raw
    return key, coerce_parameter(key, value, scenario=scenario)


def _read(kind: str, path: str, args: argparse.Namespace) -> pd.DataFrame:
    spec = LAYER_SPECS[kind]
    return read_layer(
        path,
        spec,
        layer=getattr(args, "source_layer", None),
        column_map=parse_mapping(getattr(args, "map", None)),
    )


def _cmd_new(args: argparse.Namespace) -> int:
    out = check_new_file(args.project, force=args.force)
    frames = {
        k: _read(k, getattr(args, k), args) if getattr(args, k) else None
        for k in ("counties", "facilities", "generation", "candidates", "exclusions")
    }
    for k, df in frames.items():
        if df is not None:
            check_not_empty(
                df,
                file=getattr(args, k),
                layer=k,
                allow_empty=args.allow_empty or k in ("candidates", "exclusions"),
            )
    for k in ("facilities", "candidates"):
        if frames[k] is not None:
            for warning in check_locations(
                frames[k],
                frames["counties"],
                file=getattr(args, k),
                layer=k,
                key=LAYER_SPECS[k].key,
                on_mismatch=args.on_mismatch,
            ):
                print(f"wufei: warning: {warning}", file=sys.stderr)
    proj = Project.from_frames(
        frames["counties"],
        frames["facilities"],
        frames["generation"],
        candidates=frames["candidates"],
        exclusions=frames["exclusions"],
        scenarios=[Scenario("baseline")],
        name=out.stem,
        source=str(out),
    )
    proj.write(out)
    print(f"wrote {out}: {proj}")
    return 0


def _check_new_layer(
    proj: Project | None, kind: str, df: pd.DataFrame, path: str, args: argparse.Namespace
) -> None:
    """Checks of an imported layer against the project: empty, point locations."""
    check_not_empty(df, file=path, layer=kind, allow_empty=getattr(args, "allow_empty", False))
    if kind in ("facilities", "candidates") and proj is not None:
        key = LAYER_SPECS[kind].key
        for warning in check_locations(
            df,
            proj.counties,
            file=path,
            layer=kind,
            key=key,
            on_mismatch=getattr(args, "on_mismatch", "error"),
        ):
            print(f"wufei: warning: {warning}", file=sys.stderr)


def _check_append(old: pd.DataFrame, new: pd.DataFrame, kind: str, path: str) -> None:
    """Refuse appended rows whose key already exists in the project layer."""
    spec = LAYER_SPECS[kind]
    cols = [spec.key] if spec.key else (["county_id", "year"] if kind == "generation" else [])
    if not cols or not len(old):
        return
    have = {tuple(map(str, r)) for r in old[cols].itertuples(index=False)}
    for i, r in enumerate(new[cols].itertuples(index=False)):
        if tuple(map(str, r)) in have:
            raise InputError(
                f"{'+'.join(cols)} '{', '.join(map(str, r))}' already exists in the project's "
                f"layer '{kind}'",
                file=path,
                layer=kind,
                row=i + 1,
                field=cols[-1],
                fix="remove the row from the file, or import without --append to replace the layer",
            )


def _cmd_import(args: argparse.Namespace) -> int:
    if args.kind == "towns":  # spatial join and outside checks: 'wufei towns import'
        from .towns import import_towns

        return import_towns(args)
    proj = Project.read(args.project)
    df = _read(args.kind, args.file, args)
    _check_new_layer(proj, args.kind, df, args.file, args)
    if args.append:
        _check_append(getattr(proj, args.kind), df, args.kind, args.file)
        df = pd.concat([getattr(proj, args.kind), df], ignore_index=True)
    setattr(proj, args.kind, df)
    Project.from_frames(
        proj.counties,
        proj.facilities,
        proj.generation,
        candidates=proj.candidates,
        exclusions=proj.exclusions,
        scenarios=proj.scenarios,
        source=args.file,
    )  # re-check everything
    proj.write()
    print(f"imported {len(df)} rows into layer '{args.kind}' of {args.project}")
    return 0


def _cmd_scenario(args: argparse.Namespace) -> int:
    if args.action != "list" and not args.name:
        raise InputError(
            f"'wufei scenario {args.action}' needs a scenario name",
            file=args.project,
            layer="scenarios",
            field="name",
            fix=f"write e.g. wufei scenario {args.action} {args.project} plan-2025",
        )
    changes = (
        dict(parse_assignment(a, scenario=args.name) for a in args.assignments)
        if args.action == "set"
        else {}
    )
    # the new values apply as the file is read: a stored invalid value can be repaired
    patch = (args.name, changes) if changes else None
    proj = Project.read(args.project, scenario_patch=patch)
    if args.action == "list":
        for sc in proj.scenarios.values():
            print(f"{sc.name}\ttarget {sc.target_year}\t{sc.description[:60]}")
        return 0
    if args.action == "show":
        print(json.dumps(proj.scenario(args.name).to_dict(), ensure_ascii=False, indent=2))
        return 0

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

    update_scenarios(args.project, edit, patch=patch)
    if args.action == "set":
        print(f"scenario '{args.name}' saved in {args.project}")
    return 0


def _add_check_options(s: argparse.ArgumentParser) -> None:
    s.add_argument(
        "--on-mismatch",
        choices=MISMATCH_POLICIES,
        default="error",
        help="a facility/candidate outside the county its county_id names: "
        "error (default) or warn (print the distance and import)",
    )
    s.add_argument(
        "--allow-empty",
        action="store_true",
        help="accept a file with no rows (it empties the layer)",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``new``, ``import`` and ``scenario`` to the ``wufei`` command."""
    s = subparsers.add_parser("new", help="create a project from your own layers")
    s.add_argument("project", help="project GeoPackage to create")
    s.add_argument("--counties", required=True, help="county polygons (gpkg/shp/geojson)")
    s.add_argument("--facilities", required=True, help="facility points (gpkg/shp/geojson/csv)")
    s.add_argument("--generation", required=True, help="generation table (csv/xlsx)")
    s.add_argument("--candidates", help="candidate sites")
    s.add_argument("--exclusions", help="exclusion polygons")
    s.add_argument("--force", action="store_true", help="overwrite an existing file")
    _add_check_options(s)
    s.set_defaults(func=_cmd_new)

    s = subparsers.add_parser("import", help="replace (or --append to) one layer of a project")
    s.add_argument("kind", choices=sorted(LAYER_SPECS), help="which project layer")
    s.add_argument("file", help="file to import (gpkg, shp, geojson, csv with lon/lat, xlsx)")
    s.add_argument("--project", required=True, help="project GeoPackage")
    s.add_argument("--source-layer", help="layer (GeoPackage) or sheet (Excel) to read")
    s.add_argument(
        "--map",
        nargs="*",
        metavar="SRC=DST",
        help="rename columns, e.g. --map 名称=name_zh 规模=capacity_tpd",
    )
    s.add_argument("--append", action="store_true", help="append instead of replacing")
    _add_check_options(s)
    s.set_defaults(func=_cmd_import)

    s = subparsers.add_parser("scenario", help="list, show, create/change or delete scenarios")
    s.add_argument("action", choices=["list", "show", "set", "delete"])
    s.add_argument("project", help="project GeoPackage")
    s.add_argument("name", nargs="?", help="scenario name (show/set/delete)")
    s.add_argument(
        "assignments",
        nargs="*",
        metavar="KEY=VALUE",
        help="parameters (JSON values), e.g. incineration_share_min=0.65 "
        'facility_status=\'{"YX-LF-01": "closed"}\'',
    )
    s.add_argument("--from", dest="copy_from", help="create the scenario as a copy of another")
    s.set_defaults(func=_cmd_scenario)
