"""``wufei map``: a print-layout map of a solved scenario (PDF, PNG or SVG).

``wufei map RESULT.gpkg --out map.pdf`` draws the capacity-gap map of one
scenario of a results file with :func:`wufei_gis.mapping.write_map`;
``wufei map --sample yuxi --scenario plan-2025 --out map.pdf`` (no results
file) solves the sample first (a second or two).  With a results file, the
project for names, statuses and data sources comes from ``--project``,
``--sample`` or the results file itself (without one, facilities are drawn
as operating and the source line names only the scenario).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ._common import check_output, load_project

if TYPE_CHECKING:  # pragma: no cover
    from ..project import Project
    from ..results import RunResult

__all__ = ["register"]


def _solve_sample(name: str, scenario: str | None) -> tuple[RunResult, Project]:
    from ..optimization.planning import solve_scenario
    from ..optimization.solver import solver_output_to_log
    from ..samples import load_sample, sample_info

    project = load_sample(name)
    chosen = scenario or sample_info(name).get("default_scenario") or next(iter(project.scenarios))
    with solver_output_to_log():
        return solve_scenario(project, project.scenario(chosen)), project


def _read(args: argparse.Namespace) -> tuple[RunResult, Project | None]:
    from ..results import read_results

    path = Path(args.result)
    if not path.is_file():
        raise InputError(
            "results file not found",
            file=path,
            fix="give a results GeoPackage written by 'wufei solve' (or use --sample)",
        )
    result = read_results(path, args.scenario)
    return result, load_project(args.project, args.sample, results=path)


def _cmd_map(args: argparse.Namespace) -> int:
    from ..mapping import MapOptions, parse_crs_choice, write_map
    from ..mapping.layout import MAP_FORMATS

    out = Path(args.out)
    if out.suffix.lower() not in MAP_FORMATS:
        raise InputError(
            f"cannot write a map as '{out.suffix or out.name}'",
            file=out,
            field="--out",
            fix="name the output .pdf, .png or .svg",
        )
    parse_crs_choice(args.crs)
    check_output(out)
    layer = None
    if args.basemap != "none":
        from ..basemap import BasemapLayer, BasemapOptions

        layer = BasemapLayer(args.basemap, BasemapOptions(lang=args.lang))
    if args.result:
        result, project = _read(args)
    elif args.sample:
        result, project = _solve_sample(args.sample, args.scenario)
    else:
        raise InputError("nothing to map", fix="give a RESULT.gpkg or --sample yuxi")
    options = MapOptions(
        paper=args.paper,
        orientation=args.orientation,
        dpi=args.dpi,
        title=args.title,
        lang=args.lang,
        crs=args.crs,
        basemap=layer,
    )
    written = write_map(result, out, options, project=project)
    if layer is not None and layer.note:  # skipped (offline, no key ...): the map has none
        print(f"basemap: {layer.note}", file=sys.stderr)
    print(f"wrote {written}: map of scenario {result.scenario}")
    return 0


def _dpi(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' must be a whole number, e.g. 200") from None
    if not 50 <= value <= 1200:
        raise argparse.ArgumentTypeError(f"'{text}' must be between 50 and 1200")
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``map`` to the ``wufei`` sub-commands."""
    s = subparsers.add_parser(
        "map",
        help="draw a print-layout map of a solved scenario (PDF, PNG, SVG)",
        description="Draw the capacity-gap map of a scenario with facilities, flows, legend, "
        "scale bar, north arrow, graticule, source and date.",
    )
    s.add_argument("result", nargs="?", help="results GeoPackage (written by 'wufei solve')")
    s.add_argument("--scenario", help="scenario (default: the last one written / the sample's)")
    s.add_argument("--project", help="project GeoPackage for names, statuses and data sources")
    s.add_argument(
        "--sample",
        help="embedded sample (e.g. yuxi): the project of RESULT, or solved first without RESULT",
    )
    s.add_argument("--out", required=True, help="map file: .pdf, .png or .svg")
    s.add_argument("--lang", choices=["zh", "en"], default="zh", help="language (default: zh)")
    s.add_argument(
        "--basemap",
        default="none",
        help="basemap under the data: none (default), terrain, water, terrain+water (offline), "
        "an xyzservices provider (e.g. OpenStreetMap.Mapnik, Gaode.Normal, Tianditu.Vector with "
        "WUFEI_TIANDITU_KEY) or an XYZ URL template; offline, an online layer is skipped "
        "with a note",
    )
    s.add_argument("--dpi", type=_dpi, default=200, help="resolution (default: 200)")
    s.add_argument("--paper", choices=["A4", "A3"], default="A4", help="paper (default: A4)")
    s.add_argument(
        "--orientation",
        choices=["portrait", "landscape"],
        default="landscape",
        help="page orientation (default: landscape)",
    )
    s.add_argument("--title", help="page title (default: project and scenario)")
    s.add_argument(
        "--crs",
        default="gk",
        help="map projection: gk (CGCS2000 Gauss–Krüger, default), utm, or EPSG:n",
    )
    s.set_defaults(func=_cmd_map)
