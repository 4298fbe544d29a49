"""Waste generation per county: from a table, or estimated from population.

All quantities in tonnes per day (t/d).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["estimate_generation", "generation_for_year"]


def estimate_generation(
    population: pd.DataFrame,
    *,
    kg_per_person_day: float,
    base_year: int,
    target_year: int | None = None,
    annual_growth: float = 0.0,
    source: str = "estimate",
) -> pd.DataFrame:
    """Estimate generation as population x kg per person per day x growth.

    Parameters
    ----------
    population
        Table with ``county_id`` and ``population`` (persons).
    kg_per_person_day
        Per-capita generation rate, kg/(person.day).
    base_year
        Year the population and rate refer to.
    target_year
        Year to estimate for (default ``base_year``).
    annual_growth
        Growth of total generation per year (fraction, 0.02 = 2 %/yr).
    source
        Text written into the ``source`` column.

    Returns
    -------
    DataFrame
        ``county_id, year, generation_tpd, source, note``; t/d.
    """
    if kg_per_person_day <= 0:
        msg = "kg_per_person_day must be > 0"
        raise InputError(msg, field="kg_per_person_day", fix="e.g. 0.8 kg/(person.day)")
    year = base_year if target_year is None else target_year
    pop = pd.to_numeric(population["population"], errors="coerce")
    if pop.isna().any() or (pop < 0).any():
        i = int(np.flatnonzero((pop.isna() | (pop < 0)).to_numpy())[0])
        raise InputError(
            "population missing or negative",
            layer="counties",
            row=i + 1,
            field="population",
            fix="fill in a population >= 0",
        )
    factor = (1.0 + annual_growth) ** (year - base_year)
    tpd = pop.to_numpy(float) * kg_per_person_day / 1000.0 * factor
    note = f"estimate: population x {kg_per_person_day:g} kg/person/day" + (
        f" x (1{annual_growth:+.2%})^{year - base_year}" if year != base_year else ""
    )
    return pd.DataFrame(
        {
            "county_id": population["county_id"].astype(str).to_numpy(),
            "year": year,
            "generation_tpd": tpd,
            "source": source,
            "note": note,
        }
    )


def generation_for_year(
    generation: pd.DataFrame,
    county_ids: list[str],
    year: int,
    *,
    annual_growth: float = 0.0,
) -> pd.DataFrame:
    """Return each county's generation (t/d) in ``year``.

    Uses the row for ``year`` when present; otherwise the latest earlier year
    (or the earliest later one) grown by ``annual_growth`` per year, and marks
    the value ``estimated``.

    Returns
    -------
    DataFrame
        ``county_id, generation_tpd, year, data_year, estimated``.
    """
    rows = []
    for cid in county_ids:
        g = generation[generation["county_id"] == cid]
        if g.empty:
            raise InputError(
                f"no generation data for county '{cid}'",
                layer="generation",
                field="county_id",
                fix="add a row for this county to the generation table",
            )
        years = g["year"].astype(int).to_numpy()
        if year in years:
            base = year
        elif (years < year).any():
            base = int(years[years < year].max())
        else:
            base = int(years.min())
        value = float(g.loc[g["year"].astype(int) == base, "generation_tpd"].sum())
        value *= (1.0 + annual_growth) ** (year - base)
        rows.append((cid, value, year, base, base != year))
    return pd.DataFrame(
        rows, columns=["county_id", "generation_tpd", "year", "data_year", "estimated"]
    )
