"""``wufei solve``: solve a scenario and write the result layers.

The one command group that reaches up into :mod:`wufei_gis.optimization`,
imported lazily inside the command.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import InputError
from ..results import jsonable as _jsonable
from ._common import check_output, load_project, positive_float, progress_bar

__all__ = ["register"]


def _cmd_solve(args: argparse.Namespace) -> int:
    from ..formatting import format_gap, format_seconds, format_tpd, format_yuan
    from ..optimization.planning import solve_scenario
    from ..optimization.solver import solver_output_to_log
    from ..results import write_results
    from ..samples import sample_info

    project = load_project(
        args.project, args.sample, option="a PROJECT file", default_sample="yuxi"
    )
    name = args.scenario
    if name is None:
        name = (
            sample_info(args.sample or "yuxi").get("default_scenario")
            if not args.project
            else next(iter(project.scenarios), None)
        )
        if name is None:
            raise InputError(
                "the project has no scenarios",
                file=args.project,
                layer="scenarios",
                fix="add one (wufei scenario set) or pass --scenario",
            )
    scenario = project.scenario(name)
    changes = {}
    if args.network:
        changes["network"] = args.network
    if args.time_limit is not None:
        changes["time_limit_s"] = args.time_limit
    if args.solver:
        changes["solver"] = args.solver
    if changes:
        scenario = scenario.copy(**changes)
    out = Path(args.out) if args.out else project.path
    if out is None:
        raise InputError(
            "--out is required when solving a sample", fix="add e.g. --out result.gpkg"
        )
    check_output(out)
    kept: list[str] = []
    if args.keep_sites_from:
        project, scenario, kept = _keep_sites(project, scenario, args.keep_sites_from)
    with progress_bar(f"solve {scenario.name}") as progress, solver_output_to_log():
        result = solve_scenario(project, scenario, progress=progress)
    if args.keep_sites_from:
        from ..optimization.phased_planning import mark_kept

        result = mark_kept(result, kept, args.keep_sites_from)
    write_results(result, out)
    summary = result.summary()
    if args.json:
        kpis = result.kpis
        records = (
            []
            if kpis is None
            else kpis.drop(columns="scenario", errors="ignore").to_dict("records")
        )
        summary["kpis"] = [{k: _jsonable(v) for k, v in r.items()} for r in records]
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(
            f"scenario {summary['scenario']}: {summary['status']} "
            f"(solver {summary['solver']}, gap {format_gap(summary['mip_gap'])}, "
            f"{format_seconds(summary['runtime_s'])})"
        )
        daily = "periods" not in summary  # a phased result: present value, yuan
        print(
            f"  objective {format_yuan(summary['objective'], per_day=daily)} "
            f"(transport {format_yuan(summary['transport_cost'], per_day=daily)}, "
            f"fixed {format_yuan(summary['fixed_cost'], per_day=daily)})"
            + ("" if daily else f", present value at {summary['periods'].split(',')[0]}")
        )
        print(f"  unserved (capacity gap) {format_tpd(summary['unserved_tpd'])}")
        if args.keep_sites_from:
            print(f"  kept from {args.keep_sites_from}: {', '.join(kept) or '(no new sites)'}")
        print(f"  results written to {out}")
    return 0


def _keep_sites(project, scenario, spec: str):  # type: ignore[no-untyped-def]
    """The project copy with the sites result A opened in service (``FILE[:SCENARIO]``)."""
    from ..optimization.phased_planning import with_kept_sites
    from ..results import read_results

    path, name = spec, ""
    if not Path(spec).exists() and ":" in spec:
        path, _, name = spec.rpartition(":")
    result_a = read_results(path, name or None)
    return with_kept_sites(project, result_a, scenario=scenario)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``solve`` to the ``wufei`` sub-commands."""
    s = subparsers.add_parser("solve", help="solve a scenario and write the result layers")
    s.add_argument("project", nargs="?", help="project GeoPackage (or use --sample)")
    s.add_argument("--sample", help="solve an embedded sample (e.g. yuxi)")
    s.add_argument("--scenario", help="scenario name (default: the sample's default)")
    s.add_argument("--out", help="GeoPackage to write results to (default: the project file)")
    s.add_argument("--json", action="store_true", help="print the run summary as JSON")
    s.add_argument("--network", help="road network stored in the project (default: straight line)")
    s.add_argument("--time-limit", type=positive_float, help="solver time limit, seconds (> 0)")
    s.add_argument("--solver", choices=["highs", "cbc"], help="MIP solver (default: highs)")
    s.add_argument(
        "--keep-sites-from",
        metavar="RESULT.gpkg[:SCENARIO]",
        help="keep the sites another result opened (in service, as built) and solve around them",
    )
    s.set_defaults(func=_cmd_solve)
