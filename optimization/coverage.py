"""Coverage rules: k facilities per region, set covering (LSCP), maximal covering (MCLP).

One formulation (``docs/model.md``, *Coverage rules*), used twice:

* on arrays, the classic models: :func:`solve_lscp` (fewest sites, or least
  cost, with every demand point within the radius of an open site) and
  :func:`solve_mclp` (at most p sites covering the most demand weight); the
  tests and ``bench/coverage_vs_spopt.py`` compare them with spopt's
  ``LSCP``/``MCLP``;
* inside the planning model: :func:`add_coverage` adds the same rows to a built
  :class:`~.two_echelon.TwoEchelonModel` for a scenario's
  ``min_facilities_per_region``, ``cover_within_km`` / ``cover_within_min`` and
  ``objective = "mclp"``; :func:`solve_covered` solves it (the MCLP objective in
  two stages: most covered demand, then least cost with that coverage kept) and
  :func:`with_region_coverage` adds the ``region_coverage`` result layer.

Sites ``n`` are the columns of the first-leg matrix: transfer stations, then
plants.  A site's open indicator ``O_n`` is 1 for a site in service,
``sum_s y_ns`` for a candidate station, ``v_n`` for a candidate plant, and 0
for a candidate that cannot open (forbidden, no size class, no capacity).
The rows are all "at least": ``sum_{n in G} O_n >= k`` over a group ``G`` of
sites (the sites of a type in a region, or the sites of a type within the
radius of a source), and the covering variables ``c_j <= sum_{n in G_j} O_n``.

Rules that cannot hold are reported before the model is solved, as one
:class:`~wufei_gis.errors.InputError` that names every region or source that
cannot be covered and why (no site of the type there, the nearest one too far,
more new sites needed than ``max_new_sites`` or ``mclp_facilities``), never as
a bare "infeasible".

Size: this module is over 500 lines (about 740) because it holds one
formulation and both of its users: the shared rows, the standalone LSCP/MCLP,
and the scenario glue (regions, the checks that name what cannot be covered,
the two-stage MCLP solve, the result layer), documented together against
docs/model.md.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pulp

from wufei_gis.costs import TravelMatrix
from wufei_gis.errors import InputError
from wufei_gis.planning_inputs import PlanningInputs
from wufei_gis.progress import CancelCallback
from wufei_gis.results import RunResult
from wufei_gis.scenario import Scenario
from wufei_gis.schema import STORAGE_CRS

from ._build import Rows
from .collection import _minutes
from .solver import SolveResult, SolverOptions, solve_problem
from .two_echelon import TwoEchelonModel, TwoEchelonSolution, solve_two_echelon_model

__all__ = [
    "OpenSites",
    "CoverSolution",
    "Coverage",
    "cover_matrix",
    "at_least_rows",
    "covered_vars",
    "solve_lscp",
    "solve_mclp",
    "add_coverage",
    "solve_covered",
    "with_region_coverage",
    "REGION_COVERAGE_COLUMNS",
]

GE, LE = pulp.LpConstraintGE, pulp.LpConstraintLE
Terms = list[tuple[pulp.LpVariable, float]]
REGION_COVERAGE_COLUMNS = [
    "region_id",
    "name_zh",
    "name_en",
    "facility_type",
    "required",
    "open_count",
]


# --- the formulation: open indicators and "at least" rows ------------------------------
@dataclass(frozen=True)
class OpenSites:
    """The open indicator ``O_n`` of every site.

    Attributes
    ----------
    fixed
        ``(N,)`` bool: open whatever the model decides (in service).
    terms
        ``N`` lists of ``(variable, coefficient)``: the linear open indicator of a
        candidate; an empty list (and not ``fixed``) = the site cannot open.
    """

    fixed: np.ndarray
    terms: list[Terms]

    @property
    def can_open(self) -> np.ndarray:
        """``(N,)`` bool: open, or a candidate that may open."""
        has = np.array([bool(t) for t in self.terms], bool)
        out: np.ndarray = np.asarray(self.fixed, bool) | has
        return out

    def group_terms(self, idx: np.ndarray) -> Terms:
        """The candidate terms of the sites ``idx`` (sites in service left out)."""
        return [t for n in idx.tolist() if not self.fixed[n] for t in self.terms[n]]


def cover_matrix(dist: np.ndarray, radius: float) -> np.ndarray:
    """``(J, N)`` bool: site n is within ``radius`` of demand point j (``inf`` = never)."""
    d = np.asarray(dist, float)
    return np.asarray(np.isfinite(d) & (d <= radius), bool)


def at_least_rows(
    rows: Rows, groups: list[np.ndarray], need: list[int], sites: OpenSites, prefix: str
) -> list[pulp.LpConstraint | None]:
    """Add ``sum_{n in G} O_n >= k`` for every group ``G`` (sites in service count as 1).

    Returns the rows (``None`` where the sites in service already reach ``k``).
    The caller checks first that every group can reach ``k``
    (:attr:`OpenSites.can_open`).
    """
    out: list[pulp.LpConstraint | None] = []
    for g, (idx, k) in enumerate(zip(groups, need, strict=True)):
        rest = k - int(np.asarray(sites.fixed, bool)[idx].sum())
        if rest <= 0:
            out.append(None)
            continue
        out.append(rows.add(sites.group_terms(idx), GE, float(rest), f"{prefix}{g}"))
    return out


def covered_vars(
    prob: pulp.LpProblem, rows: Rows, groups: list[np.ndarray], sites: OpenSites, prefix: str
) -> tuple[list[pulp.LpVariable | None], np.ndarray]:
    """Covering variables ``0 <= c_j <= 1``, ``c_j <= sum_{n in G_j} O_n``.

    Returns the variables (``None`` for a point covered by a site in service or
    by no site at all) and the ``(J,)`` mask of points covered by a site in service.
    """
    fixed = np.asarray(sites.fixed, bool)
    always = np.array([bool(fixed[idx].any()) for idx in groups], bool)
    out: list[pulp.LpVariable | None] = []
    for j, idx in enumerate(groups):
        terms = [] if always[j] else sites.group_terms(idx)
        if not terms:
            out.append(None)
            continue
        c = prob.add_variable(f"{prefix}{j}", 0, 1)
        rows.add([(c, 1.0)] + [(v, -a) for v, a in terms], LE, 0.0, f"{prefix}row{j}")
        out.append(c)
    return out, always


# --- the classic models on arrays -------------------------------------------------------
@dataclass
class CoverSolution:
    """A solved LSCP / MCLP.

    Attributes
    ----------
    open
        ``(N,)`` bool, the sites opened.
    covered
        ``(J,)`` bool, demand points within the radius of an open site.
    objective
        LSCP: the number (or cost) of sites opened; MCLP: the covered weight.
    result
        The :class:`~.solver.SolveResult`.
    """

    open: np.ndarray
    covered: np.ndarray
    objective: float
    result: SolveResult


def _groups(cover: np.ndarray) -> list[np.ndarray]:
    return [np.flatnonzero(row) for row in np.asarray(cover, bool)]


def _binary_sites(prob: pulp.LpProblem, n: int) -> tuple[list[pulp.LpVariable], OpenSites]:
    y = [prob.add_variable(f"y{k}", 0, 1, pulp.LpInteger) for k in range(n)]
    return y, OpenSites(np.zeros(n, bool), [[(v, 1.0)] for v in y])


def _cover_solution(
    cover: np.ndarray, y: list[pulp.LpVariable], res: SolveResult, objective: float
) -> CoverSolution:
    opened = np.array([(v.varValue or 0.0) > 0.5 for v in y], bool)
    covered = (np.asarray(cover, bool) & opened[None, :]).any(axis=1)
    return CoverSolution(opened, covered, objective, res)


def solve_lscp(
    cover: np.ndarray,
    *,
    cost: np.ndarray | None = None,
    solver_options: SolverOptions | None = None,
) -> CoverSolution:
    """Location set covering: fewest sites (or least ``cost``) covering every point.

    Parameters
    ----------
    cover
        ``(J, N)`` bool, :func:`cover_matrix`.
    cost
        ``(N,)`` cost of opening each site; ``None`` = 1 each (count the sites).

    Raises
    ------
    InputError
        A demand point no site covers (named by 0-based row).
    """
    cov = np.asarray(cover, bool)
    J, N = cov.shape
    bare = np.flatnonzero(~cov.any(axis=1))
    if bare.size:
        raise InputError(
            f"demand points {bare.tolist()[:20]} (0-based) have no site within the radius",
            field="cover",
            fix="raise the radius or add candidate sites near them",
        )
    prob = pulp.LpProblem("lscp", pulp.LpMinimize)
    y, sites = _binary_sites(prob, N)
    at_least_rows(Rows(prob), _groups(cov), [1] * J, sites, "cov")
    c = np.ones(N) if cost is None else np.asarray(cost, float)
    prob.setObjective(pulp.LpAffineExpression([(v, float(a)) for v, a in zip(y, c, strict=True)]))
    res = solve_problem(prob, solver_options)
    sol = _cover_solution(cov, y, res, float("nan"))
    sol.objective = float(c[sol.open].sum())
    return sol


def solve_mclp(
    cover: np.ndarray,
    weights: np.ndarray,
    p: int,
    *,
    solver_options: SolverOptions | None = None,
) -> CoverSolution:
    """Maximal covering: at most ``p`` sites covering the most ``weights``.

    Parameters
    ----------
    cover
        ``(J, N)`` bool, :func:`cover_matrix`.
    weights
        ``(J,)`` demand weight of each point.
    p
        Number of sites (at most; with enough candidates the optimum opens p).
    """
    cov = np.asarray(cover, bool)
    w = np.asarray(weights, float)
    prob = pulp.LpProblem("mclp", pulp.LpMaximize)
    rows = Rows(prob)
    y, sites = _binary_sites(prob, cov.shape[1])
    c, _ = covered_vars(prob, rows, _groups(cov), sites, "c")
    rows.add([(v, 1.0) for v in y], LE, float(p), "p")
    prob.setObjective(
        pulp.LpAffineExpression([(v, float(w[j])) for j, v in enumerate(c) if v is not None])
    )
    res = solve_problem(prob, solver_options)
    sol = _cover_solution(cov, y, res, float("nan"))
    sol.objective = float(w[sol.covered].sum())
    return sol


# --- the planning model: regions ---------------------------------------------------------
@dataclass(frozen=True)
class _Regions:
    """Coverage regions: ids, names, geometry and the region of every county."""

    ids: list[str]
    name_zh: list[str]
    name_en: list[str]
    geometry: gpd.GeoSeries
    of_county: dict[str, str]


def _name_column(counties: pd.DataFrame, stem: str, lang: str) -> str | None:
    for col in (f"{stem}_name_{lang}", f"{stem}_{lang}") + (
        (f"{stem}_name",) if lang == "zh" else ()
    ):
        if col in counties.columns:
            return col
    return None


def _regions(counties: gpd.GeoDataFrame, sc: Scenario, file: Path | None) -> _Regions:
    """The coverage regions of a scenario: counties, or counties grouped by a column."""
    field = sc.coverage_region_field or "county_id"
    if field not in counties.columns:
        raise InputError(
            f"scenario '{sc.name}': coverage_region_field '{field}' is not a column of the "
            "counties layer",
            file=file,
            layer="counties",
            field="coverage_region_field",
            fix=f"add the column to the counties layer, or use one of "
            f"{[c for c in counties.columns if c != 'geometry']}",
        )
    c = counties.to_crs(STORAGE_CRS)
    key = c[field].astype("string").str.strip()
    blank = key.isna() | (key == "")
    if blank.any():
        rows = c.loc[blank, "county_id"].astype(str).tolist()
        raise InputError(
            f"scenario '{sc.name}': counties {rows} have no value in '{field}'",
            file=file,
            layer="counties",
            field=field,
            fix=f"fill '{field}' for every county (the region it belongs to)",
        )
    c = c.assign(_region=key.astype(str))
    zh: str | None
    en: str | None
    if field == "county_id":
        zh, en = "name_zh", ("name_en" if "name_en" in c.columns else None)
    else:
        stem = field[:-3] if field.endswith("_id") else field
        zh, en = _name_column(c, stem, "zh"), _name_column(c, stem, "en")
    first = c.drop_duplicates("_region").set_index("_region")
    ids = first.index.astype(str).tolist()
    geom = c[["_region", "geometry"]].dissolve(by="_region").geometry.reindex(ids)
    return _Regions(
        ids,
        first[zh].fillna("").astype(str).tolist() if zh else ids,
        first[en].fillna("").astype(str).tolist() if en else [""] * len(ids),
        gpd.GeoSeries(geom.to_numpy(), crs=STORAGE_CRS),
        dict(zip(c["county_id"].astype(str), c["_region"], strict=True)),
    )


# --- the planning model: the rules of a scenario ------------------------------------------
@dataclass
class Coverage:
    """The coverage rules added to one planning model (see :func:`add_coverage`).

    Attributes
    ----------
    region_rows
        ``(region index, facility type, k)`` of every region rule.
    site_region, site_type
        ``(N,)`` region id and type of every site.
    regions
        The coverage regions.
    covered
        MCLP only: ``(variable, weight)`` of the covering objective, and
        ``covered_fixed``, the demand covered by sites in service, t/d.
    mclp_p
        MCLP only: p.
    cover
        ``(J, N)`` cover matrix of every ``cover_within_*`` type, and
        ``demand`` the sources' demand, t/d (for ``covered_tpd``).
    """

    region_rows: list[tuple[int, str, int]]
    site_region: np.ndarray
    site_type: np.ndarray
    regions: _Regions
    covered: Terms = dataclasses.field(default_factory=list)
    covered_fixed: float = 0.0
    mclp_p: int | None = None
    cover: list[np.ndarray] = dataclasses.field(default_factory=list)
    demand: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))


@dataclass(frozen=True)
class _Ctx:
    """What the rules read: scenario, sites, names, distances and the model's indicators."""

    sc: Scenario
    file: Path | None
    site_ids: list[str]
    site_type: np.ndarray
    site_region: np.ndarray
    source_label: list[str]
    dist_km: np.ndarray
    minutes: np.ndarray
    sites: OpenSites


def model_open_sites(model: TwoEchelonModel) -> OpenSites:
    """The open indicators of a two-echelon model: stations, then plants."""
    data = model.data
    K = data.transfer_is_open.size
    fixed = np.concatenate([data.transfer_is_open, data.plant_is_open]).astype(bool)
    terms: list[Terms] = [[] for _ in range(fixed.size)]
    for (k, _c), var in model.y.items():
        terms[k].append((var, 1.0))
    for i, var in model.v.items():
        terms[K + i].append((var, 1.0))
    return OpenSites(fixed, terms)


def _context(
    model: TwoEchelonModel, inputs: PlanningInputs, site_frames: list[pd.DataFrame], m: TravelMatrix
) -> tuple[_Ctx, _Regions]:
    sc = inputs.scenario
    sites = pd.concat([f.drop(columns="geometry") for f in site_frames], ignore_index=True)
    regions = _regions(inputs.counties, sc, inputs.project_path)
    pts = inputs.demand_points
    name = pts["name_zh"].astype(str) if "name_zh" in pts.columns else pd.Series([""] * len(pts))
    ids = pts["id"].astype(str) if "id" in pts.columns else pts["county_id"].astype(str)
    needs_min = bool(sc.cover_within_min)
    ctx = _Ctx(
        sc,
        inputs.project_path,
        sites["id"].astype(str).tolist(),
        sites["type"].astype(str).to_numpy(),
        np.array([regions.of_county.get(str(c), "") for c in sites["county_id"]], dtype=object),
        [f"{n} ({i})" if n and n != i else str(i) for n, i in zip(name, ids, strict=True)],
        np.asarray(m.distance_km, float),
        _minutes(sc, pts, m) if needs_min else np.zeros((0, 0)),
        model_open_sites(model),
    )
    return ctx, regions


def _check_types(ctx: _Ctx) -> None:
    known = sorted(set(ctx.site_type.tolist()))
    for key in ("min_facilities_per_region", "cover_within_km", "cover_within_min"):
        unknown = sorted(set(getattr(ctx.sc, key)) - set(known))
        if unknown:
            raise InputError(
                f"scenario '{ctx.sc.name}': {key} names facility type(s) {unknown} that no "
                "facility in service or candidate has",
                file=ctx.file,
                layer="scenarios",
                field=key,
                fix=f"use the types in the model: {known}",
            )


def _region_rules(ctx: _Ctx, regions: _Regions) -> tuple[list[tuple[int, str, int]], list[str]]:
    """The region rules, and a line for every region that cannot reach its k."""
    rules, problems = [], []
    can = ctx.sites.can_open
    for t, k in sorted(ctx.sc.min_facilities_per_region.items()):
        for r, rid in enumerate(regions.ids):
            if k <= 0:
                continue
            rules.append((r, t, k))
            here = (ctx.site_type == t) & (ctx.site_region == rid)
            n_open, n_can = int((here & ctx.sites.fixed).sum()), int((here & can).sum())
            if n_can >= k:
                continue
            blocked = [ctx.site_ids[n] for n in np.flatnonzero(here & ~can).tolist()]
            why = f"; candidates that cannot open: {blocked}" if blocked else ""
            problems.append(
                f"{regions.name_zh[r]} ({rid}): {k} {t} required, {n_open} in service and "
                f"{n_can - n_open} candidate(s) that can open{why}"
            )
    return rules, problems


def _cover_of_type(ctx: _Ctx, t: str) -> tuple[np.ndarray, str]:
    """``(J, N)`` cover of the sites of type t by the scenario's radius, and the radius text."""
    cov = np.broadcast_to(ctx.site_type == t, ctx.dist_km.shape).copy()
    texts = []
    if t in ctx.sc.cover_within_km:
        cov &= cover_matrix(ctx.dist_km, ctx.sc.cover_within_km[t])
        texts.append(f"{ctx.sc.cover_within_km[t]:g} km")
    if t in ctx.sc.cover_within_min:
        cov &= cover_matrix(ctx.minutes, ctx.sc.cover_within_min[t])
        texts.append(f"{ctx.sc.cover_within_min[t]:g} min")
    return cov, " and ".join(texts)


def _cover_types(sc: Scenario) -> list[str]:
    return sorted(set(sc.cover_within_km) | set(sc.cover_within_min))


def _uncoverable(ctx: _Ctx, t: str, cov: np.ndarray, radius: str) -> list[str]:
    """A line for every source no site of type t that can open is within the radius of."""
    ok = (cov & ctx.sites.can_open[None, :]).any(axis=1)
    of_t = (ctx.site_type == t) & ctx.sites.can_open
    lines = []
    for j in np.flatnonzero(~ok).tolist():
        d = np.where(of_t, ctx.dist_km[j], np.inf)
        n = int(np.argmin(d)) if of_t.any() else -1
        near = (
            f"the nearest {t} that can open, {ctx.site_ids[n]}, is {d[n]:.1f} km away"
            if n >= 0 and np.isfinite(d[n])
            else f"no {t} that can open is reachable"
        )
        lines.append(f"{ctx.source_label[j]}: not within {radius} of a {t} ({near})")
    return lines


def _raise(ctx: _Ctx, field: str, what: str, problems: list[str], fix: str) -> None:
    shown = problems[:30] + ([f"... and {len(problems) - 30} more"] if len(problems) > 30 else [])
    raise InputError(
        f"scenario '{ctx.sc.name}': {what}:\n  " + "\n  ".join(shown),
        file=ctx.file,
        layer="scenarios",
        field=field,
        fix=fix,
    )


def _new_sites_needed(
    ctx: _Ctx, rules: list[tuple[int, str, int]], regions: _Regions
) -> dict[str, int]:
    """Per type, a lower bound on the new sites the hard rules need.

    The larger of the region sums (k minus the sites in service) and, under the
    cost objective, the LSCP of the sources no site in service covers.
    """
    out: dict[str, int] = {}
    cand = ~ctx.sites.fixed & ctx.sites.can_open
    for t in sorted({t for _, t, _ in rules} | set(_cover_types(ctx.sc))):
        of_t = (ctx.site_type == t) & ctx.sites.fixed
        by_region = sum(
            max(0, k - int((of_t & (ctx.site_region == regions.ids[r])).sum()))
            for r, tt, k in rules
            if tt == t
        )
        by_cover = 0
        if ctx.sc.objective == "cost" and t in _cover_types(ctx.sc):
            cov, _ = _cover_of_type(ctx, t)
            rows = ~(cov & ctx.sites.fixed[None, :]).any(axis=1)
            sub = cov[rows][:, cand]
            if sub.shape[0]:
                by_cover = int(round(solve_lscp(sub).objective))
        out[t] = max(by_region, by_cover)
    return out


def _check_counts(ctx: _Ctx, rules: list[tuple[int, str, int]], regions: _Regions) -> None:
    """The rules need no more new sites than ``max_new_sites`` and, MCLP, ``mclp_facilities``."""
    sc = ctx.sc
    if sc.max_new_sites is None and sc.objective != "mclp":
        return
    need = _new_sites_needed(ctx, rules, regions)
    total = sum(need.values())
    if sc.max_new_sites is not None and total > sc.max_new_sites:
        _raise(
            ctx,
            "max_new_sites",
            f"the coverage rules need at least {total} new sites but max_new_sites is "
            f"{sc.max_new_sites}",
            [f"{t}: at least {n} new" for t, n in need.items() if n],
            f"raise max_new_sites to {total} or more, or relax the coverage rules",
        )
    p = sc.mclp_facilities or 0
    of_cover = sum(n for t, n in need.items() if t in _cover_types(sc))
    if sc.objective == "mclp" and of_cover > p:
        _raise(
            ctx,
            "mclp_facilities",
            f"min_facilities_per_region needs at least {of_cover} new sites of the covering "
            f"type(s) but mclp_facilities is {p}",
            [f"{t}: at least {n} new" for t, n in need.items() if n],
            f"raise mclp_facilities to {of_cover} or more, or lower min_facilities_per_region",
        )


def _check_mclp(ctx: _Ctx) -> None:
    sc = ctx.sc
    if sc.objective != "mclp":
        return
    if not _cover_types(sc) or sc.mclp_facilities is None:
        raise InputError(
            f"scenario '{sc.name}': objective 'mclp' needs the radius (cover_within_km or "
            "cover_within_min) and mclp_facilities",
            file=ctx.file,
            layer="scenarios",
            field="objective",
            fix='set e.g. cover_within_km={"transfer_station": 15} mclp_facilities=3',
        )


def _checks(ctx: _Ctx, regions: _Regions) -> list[tuple[int, str, int]]:
    """Every check before solving; returns the region rules."""
    _check_types(ctx)
    _check_mclp(ctx)
    rules, problems = _region_rules(ctx, regions)
    if problems:
        _raise(
            ctx,
            "min_facilities_per_region",
            "these regions cannot have the facilities min_facilities_per_region asks for",
            problems,
            "add candidate sites of that type in the region, allow the blocked ones, "
            "or lower the number",
        )
    if ctx.sc.objective == "cost":
        lines = [
            line
            for t in _cover_types(ctx.sc)
            for line in _uncoverable(ctx, t, *_cover_of_type(ctx, t))
        ]
        if lines:
            _raise(
                ctx,
                "cover_within_km" if ctx.sc.cover_within_km else "cover_within_min",
                "these sources cannot be covered",
                lines,
                "add candidate sites near them or raise the radius",
            )
    _check_counts(ctx, rules, regions)
    return rules


def add_coverage(
    model: TwoEchelonModel,
    inputs: PlanningInputs,
    site_frames: list[pd.DataFrame],
    first_leg: TravelMatrix,
) -> Coverage | None:
    """Add a scenario's coverage rules to a built planning model.

    Parameters
    ----------
    model
        From :func:`~.two_echelon.build_two_echelon`.
    inputs
        The scenario's planning inputs (counties, demand points, scenario).
    site_frames
        The transfer stations and the plants (``id, type, county_id``), in the
        model's order (``[sites.transfer, sites.plants]``).
    first_leg
        Demand points x sites, before the collection limit (km; minutes).

    Returns
    -------
    Coverage or None
        ``None`` when the scenario has no coverage rule.

    Raises
    ------
    InputError
        A region that cannot have k facilities of the type, a source no site of
        the type can cover, a rule needing more new sites than ``max_new_sites``,
        a type no site has, ``objective="mclp"`` without radius or p.
    """
    sc = inputs.scenario
    if not (sc.min_facilities_per_region or _cover_types(sc) or sc.objective != "cost"):
        return None
    ctx, regions = _context(model, inputs, site_frames, first_leg)
    rules = _checks(ctx, regions)
    rows = Rows(model.prob)
    groups = [
        np.flatnonzero((ctx.site_type == t) & (ctx.site_region == regions.ids[r]))
        for r, t, _ in rules
    ]
    at_least_rows(rows, groups, [k for _, _, k in rules], ctx.sites, "regmin")
    demand = model.data.demand
    cov = Coverage(rules, ctx.site_region, ctx.site_type, regions, demand=demand.copy())
    for n_t, t in enumerate(_cover_types(sc)):
        cover, _ = _cover_of_type(ctx, t)
        cov.cover.append(cover)
        if sc.objective == "cost":
            at_least_rows(rows, _groups(cover), [1] * len(demand), ctx.sites, f"lscp{n_t}_")
            continue
        c, always = covered_vars(model.prob, rows, _groups(cover), ctx.sites, f"mclp{n_t}_")
        cov.covered += [(v, float(demand[j])) for j, v in enumerate(c) if v is not None]
        cov.covered_fixed += float(demand[always].sum())
    if sc.objective == "mclp":
        of_cover = np.isin(ctx.site_type, _cover_types(sc))
        new = ctx.sites.group_terms(np.flatnonzero(of_cover))
        rows.add(new, LE, float(sc.mclp_facilities or 0), "mclp_p")
        cov.mclp_p = sc.mclp_facilities
    return cov


def solve_covered(
    model: TwoEchelonModel,
    coverage: Coverage | None,
    solver_options: SolverOptions,
    *,
    should_cancel: CancelCallback | None = None,
) -> SolveResult:
    """Solve a planning model with its coverage rules.

    Without an MCLP objective this is
    :func:`~.two_echelon.solve_two_echelon_model`.  With one, stage 1
    maximizes the covered demand (half the time limit), then a row keeps that
    coverage and stage 2 minimizes the cost (the rest of the time, from the
    usual warm start).  ``SolveResult.message`` states the covered demand.
    """
    if coverage is None or coverage.mclp_p is None:
        return solve_two_echelon_model(model, solver_options, should_cancel=should_cancel)
    prob = model.prob
    cost = prob.objective
    limit = solver_options.time_limit_s
    half = dataclasses.replace(solver_options, time_limit_s=None if limit is None else limit / 2)
    prob.setObjective(pulp.LpAffineExpression([(v, -w) for v, w in coverage.covered]))
    first = solve_problem(prob, half, should_cancel=should_cancel)
    if not first.has_solution:
        prob.setObjective(cost)
        return first
    best = sum(w * (v.varValue or 0.0) for v, w in coverage.covered)
    Rows(prob).add(coverage.covered, GE, best - 1e-6 * max(1.0, best), "mclp_keep")
    prob.setObjective(cost)
    second = solve_two_echelon_model(
        model,
        dataclasses.replace(
            solver_options, time_limit_s=None if limit is None else max(limit / 2, 1.0)
        ),
        should_cancel=should_cancel,
    )
    second.runtime_s += first.runtime_s
    total = best + coverage.covered_fixed
    second.message = f"{second.message}; maximal covering: {total:,.2f} t/d covered".strip("; ")
    return second


def with_region_coverage(
    result: RunResult, coverage: Coverage | None, sol: TwoEchelonSolution
) -> RunResult:
    """Add the coverage outputs to a result.

    The ``region_coverage`` layer (one row per region rule) and, with a
    ``cover_within_*`` rule, ``run_summary.covered_tpd``: the demand within the
    radius of an open site of every covering type, t/d.
    """
    if coverage is None:
        return result
    opened = np.concatenate([sol.transfer_open, sol.plant_open]).astype(bool)
    if coverage.cover:
        within = np.ones(coverage.demand.size, bool)
        for cover in coverage.cover:
            within &= (cover & opened[None, :]).any(axis=1)
        summary = result.run_summary.assign(covered_tpd=float(coverage.demand[within].sum()))
        result = dataclasses.replace(result, run_summary=summary)
    if not coverage.region_rows:
        return result
    reg = coverage.regions
    rows = []
    for r, t, k in coverage.region_rows:
        here = (coverage.site_type == t) & (coverage.site_region == reg.ids[r]) & opened
        rows.append((reg.ids[r], reg.name_zh[r], reg.name_en[r], t, k, int(here.sum())))
    frame = pd.DataFrame(rows, columns=REGION_COVERAGE_COLUMNS)
    geom = [reg.geometry.iloc[r] for r, _, _ in coverage.region_rows]
    layer = gpd.GeoDataFrame(frame, geometry=geom, crs=STORAGE_CRS)
    return dataclasses.replace(result, region_coverage=layer)
