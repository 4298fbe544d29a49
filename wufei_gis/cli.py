"""The ``wufei`` command line.

Every user error is a :class:`~wufei_gis.errors.WufeiError`, caught here in one
place: printed as one line on stderr, exit status 2, no traceback.

This module is the application's entry point and the one core module allowed
to reach up into :mod:`wufei_gis.optimization` (and, for ``wufei gui``,
:mod:`wufei_gis.ui`); both are imported lazily inside the commands.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Callable, Sequence

from . import __version__
from .errors import CancelledError, WufeiError, describe_os_error
from .logsetup import configure_logging
from .progress import ProgressCallback
from .validation import check_output_file

__all__ = ["main", "build_parser", "tqdm_progress", "positive_float", "year"]

logger = logging.getLogger(__name__)

#: Other modules add commands here: ``register(subparsers)`` functions.
_EXTRA_COMMANDS: list[str] = [
    "wufei_gis.project_cli",
    "wufei_gis.network.cli",
    "wufei_gis.export_cli",
]


def tqdm_progress(desc: str = "") -> tuple[ProgressCallback, Callable[[], None]]:
    """Return a ``progress(fraction, message)`` callback drawing a tqdm bar on stderr.

    Returns
    -------
    (callback, close)
    """
    from tqdm import tqdm

    bar = tqdm(total=100, desc=desc, file=sys.stderr, leave=False,
               bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}",
               disable=not sys.stderr.isatty() and "--progress" not in sys.argv)

    def callback(fraction: float | None, message: str) -> None:
        bar.set_description_str(message, refresh=False)
        if fraction is not None:
            bar.n = int(round(max(0.0, min(1.0, fraction)) * 100))
        bar.refresh()

    return callback, bar.close


# --- argument types -------------------------------------------------------------
def positive_float(text: str) -> float:
    """argparse type: a finite number > 0 (e.g. ``--time-limit``)."""
    from .validation import parse_number

    try:
        value = parse_number(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if value is None or not value > 0:
        raise argparse.ArgumentTypeError(f"'{text}' must be a number > 0, e.g. 60")
    return value


def non_negative_float(text: str) -> float:
    """argparse type: a finite number >= 0."""
    from .validation import parse_number

    try:
        value = parse_number(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if value is None or value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' must be a number >= 0")
    return value


def fraction(text: str) -> float:
    """argparse type: an annual growth rate as a fraction in [-0.5, 1] (0.02 = 2 %/yr)."""
    from .validation import parse_number

    try:
        value = parse_number(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc}; write 2 %/yr as 0.02") from None
    if value is None or not -0.5 <= value <= 1:
        raise argparse.ArgumentTypeError(f"'{text}' must be a fraction in [-0.5, 1], "
                                         "e.g. 0.02 for 2 %/yr")
    return value


def year(text: str) -> int:
    """argparse type: a calendar year (whole number 1900-2200)."""
    from .validation import parse_number

    try:
        value = parse_number(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc}; write the year as e.g. 2025") from None
    if value is None or not value.is_integer() or not 1900 <= value <= 2200:
        raise argparse.ArgumentTypeError(f"'{text}' is not a year; write e.g. 2025")
    return int(value)


# --- commands -----------------------------------------------------------------
def _cmd_samples(args: argparse.Namespace) -> int:
    from .samples import list_samples, sample_info

    for name in list_samples():
        info = sample_info(name)
        print(f"{name}\t{info.get('title_zh', '')}\t{info.get('title_en', '')}\t"
              f"default scenario: {info.get('default_scenario', '')}")
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    from .samples import load_sample

    out = Path(args.project)
    if out.exists() and not args.force:
        raise WufeiError(f"'{out}' already exists; use --force to overwrite it")
    proj = load_sample(args.sample)
    proj.write(out)
    print(f"wrote {out}: {proj}")
    return 0


def _load_project(args: argparse.Namespace):
    from .project import Project
    from .samples import load_sample

    if args.project and args.sample:
        raise WufeiError("give either a PROJECT file or --sample, not both")
    if args.sample or not args.project:
        return load_sample(args.sample or "yuxi")
    return Project.read(args.project)


def _cmd_solve(args: argparse.Namespace) -> int:
    from .formatting import format_gap, format_seconds, format_tpd, format_yuan
    from .optimization.planning import solve_scenario
    from .optimization.solver import solver_output_to_log
    from .results import write_results
    from .samples import sample_info

    project = _load_project(args)
    name = args.scenario
    if name is None:
        name = (sample_info(args.sample or "yuxi").get("default_scenario")
                if not args.project else next(iter(project.scenarios), None))
        if name is None:
            raise WufeiError("the project has no scenarios; add one or pass --scenario")
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
        raise WufeiError("--out is required when solving a sample (e.g. --out result.gpkg)")
    check_output_file(out, option="--out")
    progress, close = tqdm_progress(f"solve {scenario.name}")
    try:
        with solver_output_to_log():
            result = solve_scenario(project, scenario, progress=progress)
    finally:
        close()
    write_results(result, out)
    summary = result.summary()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"scenario {summary['scenario']}: {summary['status']} "
              f"(solver {summary['solver']}, gap {format_gap(summary['mip_gap'])}, "
              f"{format_seconds(summary['runtime_s'])})")
        print(f"  objective {format_yuan(summary['objective'])} "
              f"(transport {format_yuan(summary['transport_cost'])}, "
              f"fixed {format_yuan(summary['fixed_cost'])})")
        print(f"  unserved (capacity gap) {format_tpd(summary['unserved_tpd'])}")
        print(f"  results written to {out}")
    return 0


def _cmd_generation(args: argparse.Namespace) -> int:
    import pandas as pd

    from .generation import estimate_generation
    from .project import Project

    proj = Project.read(args.project)
    pop = proj.counties[["county_id", "population"]]
    est = estimate_generation(pop, kg_per_person_day=args.kg_per_person_day,
                              base_year=args.base_year, target_year=args.target_year,
                              annual_growth=args.growth,
                              source=f"estimate from counties.population ({args.project})")
    keep = ~proj.generation["year"].astype(int).isin(est["year"].astype(int).unique())
    proj.generation = pd.concat([proj.generation[keep], est], ignore_index=True)
    proj.write()
    for row in est.itertuples():
        print(f"{row.county_id}\t{row.year}\t{row.generation_tpd:.2f} t/d")
    print(f"wrote {len(est)} estimated rows to {args.project} (layer generation)")
    return 0


def _cmd_gui(args: argparse.Namespace) -> int:
    from .ui.app import main as gui_main

    argv = list(args.gui_args)
    return int(gui_main(argv) or 0)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``wufei``."""
    p = argparse.ArgumentParser(
        prog="wufei",
        description="wufei-gis (无废): plan solid-waste facilities for zero-waste-city plans.",
    )
    p.add_argument("--version", action="version", version=f"wufei-gis {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    p.add_argument("--log", metavar="FILE",
                   help="also write the full log (solver output included) to FILE")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("samples", help="list the embedded sample regions")
    s.set_defaults(func=_cmd_samples)

    s = sub.add_parser("init", help="write a sample as an editable project GeoPackage")
    s.add_argument("project", help="project file to create (.gpkg)")
    s.add_argument("--sample", default="yuxi", help="sample name (default: yuxi)")
    s.add_argument("--force", action="store_true", help="overwrite an existing file")
    s.set_defaults(func=_cmd_init)

    s = sub.add_parser("solve", help="solve a scenario and write the result layers")
    s.add_argument("project", nargs="?", help="project GeoPackage (or use --sample)")
    s.add_argument("--sample", help="solve an embedded sample (e.g. yuxi)")
    s.add_argument("--scenario", help="scenario name (default: the sample's default)")
    s.add_argument("--out", help="GeoPackage to write results to (default: the project file)")
    s.add_argument("--json", action="store_true", help="print the run summary as JSON")
    s.add_argument("--network", help="road network stored in the project (default: straight line)")
    s.add_argument("--time-limit", type=positive_float, help="solver time limit, seconds (> 0)")
    s.add_argument("--solver", choices=["highs", "cbc"], help="MIP solver (default: highs)")
    s.set_defaults(func=_cmd_solve)

    s = sub.add_parser("generation",
                       help="estimate generation = population x kg/person/day x growth")
    s.add_argument("project", help="project GeoPackage whose counties have a population column")
    s.add_argument("--kg-per-person-day", type=positive_float, required=True,
                   help="per-capita generation, kg/(person.day), e.g. 0.8")
    s.add_argument("--base-year", type=year, required=True, help="year of the population data")
    s.add_argument("--target-year", type=year, help="year to estimate (default: base year)")
    s.add_argument("--growth", type=fraction, default=0.0,
                   help="annual growth of generation (fraction, 0.02 = 2 %%/yr)")
    s.set_defaults(func=_cmd_generation)

    s = sub.add_parser("gui", help="open the desktop app (same options as wufei-gui)")
    s.add_argument("gui_args", nargs=argparse.REMAINDER)
    s.set_defaults(func=_cmd_gui)

    import importlib

    for modname in _EXTRA_COMMANDS:
        try:
            mod = importlib.import_module(modname)
        except ModuleNotFoundError as exc:
            if exc.name != modname:
                raise
            continue
        mod.register(sub)
    return p


def _silence_stdout() -> None:
    """Point stdout at the null device after a broken pipe (``wufei ... | head``).

    The standard Python recipe: without this the interpreter's final flush of
    stdout raises a second ``BrokenPipeError`` while shutting down.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is not a real file (tests)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``wufei``; return the exit status.

    0 ok, 1 cancelled, 2 bad input or an operating-system error (one line on
    stderr naming the file and the fix), 130 interrupted, 141 the reader of
    stdout went away (``wufei ... | head``; quiet).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(verbose=args.verbose, log_file=args.log)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        status = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, inside the handlers below
        return status
    except CancelledError as err:
        print(f"wufei: {err}", file=sys.stderr)
        return 1
    except WufeiError as err:
        print(f"wufei: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        _silence_stdout()
        return 141
    except OSError as err:
        print(f"wufei: error: {describe_os_error(err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("wufei: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
