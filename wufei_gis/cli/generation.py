"""``wufei generation``: estimate generation from county population."""

from __future__ import annotations

import argparse

from ._common import fraction, positive_float, year

__all__ = ["register"]


def _cmd_generation(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..generation import estimate_generation
    from ..project import Project

    proj = Project.read(args.project)
    pop = proj.counties[["county_id", "population"]]
    est = estimate_generation(
        pop,
        kg_per_person_day=args.kg_per_person_day,
        base_year=args.base_year,
        target_year=args.target_year,
        annual_growth=args.growth,
        source=f"estimate from counties.population ({args.project})",
    )
    keep = ~proj.generation["year"].astype(int).isin(est["year"].astype(int).unique())
    proj.generation = pd.concat([proj.generation[keep], est], ignore_index=True)
    proj.write()
    for row in est.itertuples():
        print(f"{row.county_id}\t{row.year}\t{row.generation_tpd:.2f} t/d")
    print(f"wrote {len(est)} estimated rows to {args.project} (layer generation)")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``generation`` to the ``wufei`` sub-commands."""
    s = subparsers.add_parser(
        "generation", help="estimate generation = population x kg/person/day x growth"
    )
    s.add_argument("project", help="project GeoPackage whose counties have a population column")
    s.add_argument(
        "--kg-per-person-day",
        type=positive_float,
        required=True,
        help="per-capita generation, kg/(person.day), e.g. 0.8",
    )
    s.add_argument("--base-year", type=year, required=True, help="year of the population data")
    s.add_argument("--target-year", type=year, help="year to estimate (default: base year)")
    s.add_argument(
        "--growth",
        type=fraction,
        default=0.0,
        help="annual growth of generation (fraction, 0.02 = 2 %%/yr)",
    )
    s.set_defaults(func=_cmd_generation)
