"""``wufei towns import`` and ``wufei candidates generate``: town-level demand and sites.

``towns import`` replaces the project's ``towns`` layer from any point or
polygon file (:func:`wufei_gis.towns.read_towns`); ``candidates generate``
adds candidate sites at the towns or on a grid
(:func:`wufei_gis.catchments.generate_candidates`), replacing earlier
generated rows with the same ids.
"""

from __future__ import annotations

import argparse
import sys

from ._common import positive_float

__all__ = ["import_towns", "register"]


def import_towns(args: argparse.Namespace) -> int:
    """Run ``wufei towns import`` (also ``wufei import towns``)."""
    from ..project import Project
    from ..towns import read_towns
    from .project import parse_mapping

    proj = Project.read(args.project)
    towns, warnings = read_towns(
        args.file,
        proj.counties,
        layer=args.source_layer,
        column_map=parse_mapping(args.map),
        drop_outside=getattr(args, "drop_outside", False),
    )
    for w in warnings:
        print(f"wufei: warning: {w}", file=sys.stderr)
    proj.towns = towns
    proj.write()
    per = towns.groupby("county_id").size()
    empty = sorted(set(proj.counties["county_id"].astype(str)) - set(per.index.astype(str)))
    print(f"imported {len(towns)} towns into layer 'towns' of {args.project}")
    if empty:
        print(f"counties without towns (their representative point is kept): {', '.join(empty)}")
    return 0


def _cmd_candidates_generate(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..catchments import CandidateOptions, generate_candidates
    from ..project import Project

    proj = Project.read(args.project)
    classes = proj.scenario(args.scenario).size_classes if args.scenario else []
    big = max(classes, key=lambda c: c.capacity_tpd) if classes else None
    opts = CandidateOptions(
        at=args.at,
        spacing_km=args.spacing_km,
        type=args.type,
        county=args.county,
        **(
            {"capacity_tpd": big.capacity_tpd, "fixed_cost_yuan_yr": big.fixed_cost_yuan_yr}
            if big
            else {}
        ),
    )
    new = generate_candidates(proj.counties, proj.towns, proj.exclusions, opts)
    old = proj.candidates
    keep = ~old["candidate_id"].astype(str).isin(new["candidate_id"])
    proj.candidates = pd.concat([old[keep], new], ignore_index=True)
    proj.write()
    print(
        f"wrote {len(new)} generated candidates ({args.at}) to {args.project}; "
        f"{int((~keep).sum())} earlier generated rows replaced"
    )
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``towns`` and ``candidates`` to the ``wufei`` sub-commands."""
    s = subparsers.add_parser("towns", help="town-level demand points of a project")
    sub = s.add_subparsers(dest="action", required=True, metavar="ACTION")
    t = sub.add_parser("import", help="replace the project's towns from a point/polygon file")
    t.add_argument("file", help="towns (gpkg, shp, geojson, csv with lon/lat); polygons allowed")
    t.add_argument("--project", required=True, help="project GeoPackage")
    t.add_argument("--source-layer", help="layer (GeoPackage) or sheet (Excel) to read")
    t.add_argument(
        "--map", nargs="*", metavar="SRC=DST", help="rename columns, e.g. --map 名称=name_zh"
    )
    t.add_argument(
        "--drop-outside",
        action="store_true",
        help="drop towns outside every county with a warning (default: refuse the file)",
    )
    t.set_defaults(func=import_towns)

    s = subparsers.add_parser("candidates", help="generate candidate sites")
    sub = s.add_subparsers(dest="action", required=True, metavar="ACTION")
    g = sub.add_parser("generate", help="candidates at the towns or on a grid inside the counties")
    g.add_argument("project", help="project GeoPackage")
    g.add_argument("--at", choices=("towns", "grid"), default="towns")
    g.add_argument("--spacing-km", type=positive_float, default=10.0, help="grid spacing, km")
    g.add_argument("--type", default="transfer_station", help="candidate type")
    g.add_argument("--county", help="only this county_id")
    g.add_argument(
        "--scenario", help="write the capacity/cost of this scenario's largest size class"
    )
    g.set_defaults(func=_cmd_candidates_generate)
