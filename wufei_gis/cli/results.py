"""``wufei analyze``, ``wufei export`` and ``wufei compare``: work with results files.

Each command reads one or more results GeoPackages (written by ``wufei solve``);
the project for names, targets and data sources comes from ``--project``,
``--sample`` or the results file itself.  ``wufei compare --out`` writes the
full PDF report for ``.pdf`` (:func:`wufei_gis.report.write_report`) and the
one-page comparison figure of the desktop app for ``.png``/``.svg``, or for
``.pdf`` with ``--figure`` (:func:`wufei_gis.comparison.write_comparison`).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..formatting import format_value
from ._common import check_output, load_project

if TYPE_CHECKING:  # pragma: no cover
    from ..project import Project
    from ..results import RunResult

__all__ = ["parse_result_spec", "register"]


def parse_result_spec(spec: str) -> tuple[Path, str | None]:
    """Split ``PATH[:SCENARIO]`` (:func:`wufei_gis.comparison.parse_result_spec`)."""
    from ..comparison import parse_result_spec as parse

    return parse(spec)


def _project(args: argparse.Namespace, results: Path | None) -> Project | None:
    """The project named by ``--project``/``--sample``, else the one stored with ``results``."""
    return load_project(args.project, args.sample, results=results)


def _cmd_export(args: argparse.Namespace) -> int:
    from ..export import export_result
    from ..results import read_results

    path = Path(args.result)
    check_output(args.out, folder=args.format not in ("gpkg", "xlsx"))
    result = read_results(path, args.scenario)
    project = _project(args, path)
    out = export_result(result, args.format, args.out, project=project)
    print(f"exported scenario {result.scenario} ({args.format}) to {out}")
    return 0


def _json_value(v: Any) -> Any:
    if hasattr(v, "item"):  # numpy scalar
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _cmd_analyze(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..analysis import KPI_FIELDS, county_analysis, facility_analysis, region_kpis
    from ..results import read_results

    path = Path(args.result)
    result = read_results(path, args.scenario)
    project = _project(args, path)
    k = region_kpis(result, project=project)
    counties = county_analysis(result, project=project)
    facilities = facility_analysis(result, project=project)
    if args.json:

        def records(df: pd.DataFrame) -> list[dict[str, Any]]:
            return [{c: _json_value(v) for c, v in row.items()} for row in df.to_dict("records")]

        print(
            json.dumps(
                {
                    "scenario": result.scenario,
                    "region": k.to_dict(),
                    "counties": records(counties),
                    "facilities": records(facilities),
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    d = k.to_dict()
    print(f"scenario {result.scenario}: {d['status']}")
    width = max(len(en) for en, _, _ in KPI_FIELDS.values())
    for key, (en, zh, unit) in KPI_FIELDS.items():
        print(f"  {en:<{width}}  {format_value(d[key], unit):>18}   {zh}")
    if d["target_met"] is not None:
        print(f"  {'incineration target met':<{width}}  {format_value(d['target_met']):>18}")
    print()
    cols = [
        "county_id",
        "name_zh",
        "generation_tpd",
        "served_tpd",
        "unserved_tpd",
        "unserved_share",
        "incineration_share",
        "landfill_share",
        "mean_haul_km",
        "max_haul_km",
    ]
    t = counties[cols].copy()
    for c in ("unserved_share", "incineration_share", "landfill_share"):
        t[c] = t[c].map(lambda v: format_value(v, "%"))
    for c in ("generation_tpd", "served_tpd", "unserved_tpd", "mean_haul_km", "max_haul_km"):
        t[c] = t[c].map(lambda v: format_value(v))
    t.columns = [
        "county",
        "name",
        "gen t/d",
        "served t/d",
        "unserved t/d",
        "unserved %",
        "incin. %",
        "landfill %",
        "mean km",
        "max km",
    ]
    print(t.to_string(index=False))
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from ..comparison import COMPARE_FORMATS, write_comparison
    from ..report import write_report
    from ..results import read_results, result_scenarios

    suffix = Path(args.out).suffix.lower()
    if suffix not in COMPARE_FORMATS:
        raise InputError(
            f"cannot write a comparison as '{suffix or '(no suffix)'}'",
            file=args.out,
            fix="end --out with .pdf (report, or the figure with --figure), .png or .svg",
        )
    report = suffix == ".pdf" and not args.figure
    specs = [parse_result_spec(s) for s in args.results]
    results: list[RunResult] = []
    for path, scenario in specs:
        if not path.is_file():
            raise InputError(
                "results file not found",
                file=path,
                fix="check the path (write PATH:SCENARIO to pick a scenario)",
            )
        if scenario is None and len(specs) == 1:
            results += [read_results(path, s) for s in result_scenarios(path)]
        else:
            results.append(read_results(path, scenario))
    if len(results) < 2:
        raise InputError(
            "compare needs at least two results (A and B)",
            fix="give two files, or FILE:SCENARIO twice, e.g. "
            "r.gpkg:baseline-2020 r.gpkg:plan-2025",
        )
    project = _project(args, specs[0][0])
    check_output(args.out)
    if report:
        out = write_report(results, args.out, project=project, lang=args.lang)
    else:
        out = write_comparison(results, args.out, project=project, lang=args.lang)
    print(f"wrote {out}: " + " vs ".join(r.scenario for r in results))
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``export``, ``analyze`` and ``compare`` to the ``wufei`` sub-commands."""
    from ..export import EXPORT_FORMATS

    s = subparsers.add_parser("export", help="export a solved scenario (GIS layers, CSV, Excel)")
    s.add_argument("result", help="results GeoPackage (written by 'wufei solve')")
    s.add_argument("--scenario", help="scenario to export (default: the last one written)")
    s.add_argument(
        "--format",
        required=True,
        choices=list(EXPORT_FORMATS),
        help="gpkg | geojson (folder) | shp (folder) | csv (folder) | xlsx",
    )
    s.add_argument("--out", required=True, help="output file (gpkg, xlsx) or folder")
    s.add_argument("--project", help="project GeoPackage for names and parameters")
    s.add_argument("--sample", help="use an embedded sample as the project (e.g. yuxi)")
    s.set_defaults(func=_cmd_export)

    s = subparsers.add_parser("analyze", help="print the capacity-gap analysis of a result")
    s.add_argument("result", help="results GeoPackage")
    s.add_argument("--scenario", help="scenario (default: the last one written)")
    s.add_argument(
        "--json", action="store_true", help="print region, county and facility tables as JSON"
    )
    s.add_argument("--project", help="project GeoPackage for names and targets")
    s.add_argument("--sample", help="use an embedded sample as the project (e.g. yuxi)")
    s.set_defaults(func=_cmd_analyze)

    s = subparsers.add_parser(
        "compare",
        help="compare two or more results: PDF report, or the comparison figure (PNG/SVG/PDF)",
        description="Compare results: each RESULT is FILE or FILE:SCENARIO (one FILE alone "
        "compares all its scenarios).",
    )
    s.add_argument("results", nargs="+", metavar="RESULT", help="FILE[:SCENARIO]")
    s.add_argument(
        "--out",
        required=True,
        help="x.pdf: the full report; x.png / x.svg: the one-page comparison figure",
    )
    s.add_argument(
        "--figure",
        action="store_true",
        help="with --out x.pdf: write the one-page comparison figure instead of the report",
    )
    s.add_argument("--lang", choices=["zh", "en"], default="zh", help="report language")
    s.add_argument("--project", help="project GeoPackage (assumptions and data sources)")
    s.add_argument("--sample", help="use an embedded sample as the project (e.g. yuxi)")
    s.set_defaults(func=_cmd_compare)
