"""``wufei sweep``: solve one scenario many times over varied keys, on Dask.

The runs go to :func:`wufei_gis.optimization.sweep.run_sweep` (imported lazily,
like ``solve``): a local cluster of worker processes by default, or an existing
Dask cluster with ``--scheduler``.  A progress bar counts finished runs; Ctrl-C
cancels the pending runs and writes what finished.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from ._common import check_output, load_project, progress_bar

if TYPE_CHECKING:  # pragma: no cover
    from ..optimization.sweep import SweepResult

__all__ = ["register"]


def _print_table(result: SweepResult) -> None:
    from ..formatting import format_gap, format_yuan

    for rec in result.records():
        params = ", ".join(f"{k}={v}" for k, v in rec["params"].items())
        if rec["status"] == "error":
            print(f"  {rec['run_id']}  {params}: error: {rec['error']}")
            continue
        print(
            f"  {rec['run_id']}  {params}: {rec['status']}, {format_yuan(rec['objective'])}, "
            f"gap {format_gap(rec['mip_gap'])}, new sites: {rec['opened_sites'] or '-'}"
        )


def _write_outputs(args: argparse.Namespace, result: SweepResult) -> list[str]:
    from ..labels import label
    from ..sensitivity import write_sweep_pdf, write_sweep_table

    written = []
    if args.out:
        write_sweep_table(result.runs, result.keys, args.out)
        if args.keep_results:
            from ..results import write_results

            for res in result.results.values():
                write_results(res, args.out)
        written.append(str(args.out))
    if args.pdf:
        title = label("sweep.title", args.lang, scenario=result.base)
        write_sweep_pdf(result.runs, result.keys, args.pdf, title=title, lang=args.lang)
        written.append(str(args.pdf))
    return written


def _cmd_sweep(args: argparse.Namespace) -> int:
    from ..optimization.sweep import SweepOptions, run_sweep
    from ..sweep_design import parse_vary

    project = load_project(
        args.project, args.sample, option="a PROJECT file", default_sample="yuxi"
    )
    scenario = project.scenario(args.scenario)
    variations = [parse_vary(v, scenario=scenario.name) for v in args.vary]
    for out in (args.out, args.pdf):
        if out:
            check_output(out)
    options = SweepOptions(
        scheduler=args.scheduler,
        workers=args.workers,
        design=args.design,
        samples=args.samples,
        seed=args.seed,
        keep_results=args.keep_results,
    )
    with progress_bar(f"sweep {scenario.name}") as progress:
        result = run_sweep(project, scenario, variations, options=options, progress=progress)
    written = _write_outputs(args, result)
    if args.json:
        print(json.dumps({"scenario": result.base, "runs": result.records()}, ensure_ascii=False))
        return 0
    ok = int((result.runs["status"] != "error").sum())
    print(f"sweep of {result.base}: {len(result.runs)} runs ({ok} solved) in {result.wall_s:.1f} s")
    _print_table(result)
    for path in written:
        print(f"  written to {path}")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sweep`` to the ``wufei`` sub-commands."""
    s = subparsers.add_parser(
        "sweep",
        help="solve a scenario over varied keys (cartesian or Latin hypercube) on Dask",
        description="Solve SCENARIO once per combination of the --vary values, in parallel "
        "on Dask distributed (a local cluster of processes, or --scheduler ADDRESS).",
    )
    s.add_argument("project", nargs="?", help="project GeoPackage (or use --sample)")
    s.add_argument("--sample", help="sweep an embedded sample (e.g. yuxi)")
    s.add_argument("--scenario", required=True, help="the base scenario")
    s.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="KEY=VALUES",
        help="a scenario key and its values: KEY=a,b,c or KEY=lo:hi:step (repeatable)",
    )
    s.add_argument("--design", choices=["grid", "lhs"], default="grid")
    s.add_argument(
        "--samples", type=int, default=8, help="runs of a Latin hypercube (--design lhs)"
    )
    s.add_argument("--seed", type=int, default=0, help="seed of the Latin hypercube")
    s.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://host:8786")
    s.add_argument("--workers", type=int, default=2, help="local worker processes (default 2)")
    s.add_argument("--out", type=Path, help="GeoPackage for the table of runs (sweep_runs)")
    s.add_argument(
        "--keep-results", action="store_true", help="also write every run's result layers to --out"
    )
    s.add_argument("--pdf", type=Path, help="write the sensitivity chart and table as a PDF")
    s.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the PDF")
    s.add_argument("--json", action="store_true", help="print the runs as one JSON document")
    s.set_defaults(func=_cmd_sweep)
