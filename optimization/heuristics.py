"""Primal heuristics that give the MIP solver a good first incumbent (a MIP start).

Two heuristics, both returning a full column vector for
:func:`wufei_gis.optimization.solver.solve_problem` (``initial_values=``):

* :func:`site_warm_start` -- for location models with candidate sites that open
  in one of several size options (the two-echelon model, see
  :func:`wufei_gis.optimization.two_echelon.two_echelon_warm_start`).  It
  solves the *weak* LP relaxation (the per-arc linking rows dropped: about 1 s
  instead of 20-30 s for the strong LP at 2,000 sources x 300 stations) as the
  base of the fast flow LPs, solves the strong LP by interior point without
  crossover (about 12 s; its values, not a basis, are needed), rounds the LP
  opening values at a few thresholds (each site in the
  smallest option holding its LP load), improves the best rounding by local
  search (shrink, drop, grow, open by reduced cost, swap) with every move
  priced exactly by re-solving the flow LP from the previous basis, and
  optionally (``restricted_mip=True``; off: no gain measured) runs a
  restricted MIP (the full model with every site the LP left unused closed)
  from that solution for the rest of the budget.
* :func:`pmedian_warm_start` -- for the capacitated p-median (single-echelon
  CFLP with exactly p sites, single sourcing, hard demand): greedy
  add/swap over sites with an exact assignment by regret, then a shift/swap
  improvement of the assignment.

A heuristic solution is only a start: the exact model still proves the
optimum (or the gap).  If a start is infeasible HiGHS ignores it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from wufei_gis.progress import CancelCallback

from .solver import ProblemArrays, new_highs

__all__ = [
    "SiteOptions",
    "WarmStart",
    "WarmStartTuning",
    "site_warm_start",
    "pmedian_assign",
    "pmedian_warm_start",
]

log = logging.getLogger(__name__)


@dataclass
class SiteOptions:
    """One candidate site with mutually exclusive opening options (size classes).

    Attributes
    ----------
    cols
        Binary columns, one per option (in :class:`ProblemArrays` column order).
    capacity, cost
        Capacity and fixed cost of each option.
    inflow_cols
        Columns of the flows into the site (their sum is the site's load).
    indicator
        Column of a continuous open indicator equal to the sum of ``cols``
        (or ``None``).
    required
        The site must open.
    """

    cols: list[int]
    capacity: list[float]
    cost: list[float]
    inflow_cols: np.ndarray
    indicator: int | None = None
    required: bool = False


@dataclass(frozen=True)
class WarmStartTuning:
    """Tuning knobs of :func:`site_warm_start` (the defaults are the measured best).

    Parameters
    ----------
    open_thresholds
        LP values from which a site is rounded open, tried in turn.
    open_tries
        Sites tried per local-search round for opening.
    strong_lp_share
        Share of the time budget for the strong LP.
    local_search_share
        Share of the time budget for the local search when the restricted MIP
        follows (else all that is left).
    restricted_mip
        Finish with a MIP restricted to the sites seen open.
    """

    open_thresholds: tuple[float, ...] = (0.01, 0.3, 0.5)
    open_tries: int = 30
    strong_lp_share: float = 0.6
    local_search_share: float = 0.65
    restricted_mip: bool = True


@dataclass
class WarmStart:
    """Result of a heuristic: a full start vector, its objective and a log."""

    x: np.ndarray
    objective: float
    lp_bound: float | None
    open_sites: int
    moves: int
    seconds: float
    steps: list[str]


def _highs_lp(arr: ProblemArrays, keep_rows: np.ndarray, threads: int | None) -> Any:
    """A HiGHS LP of ``arr`` with only ``keep_rows`` and integrality dropped.

    Returns the ``highspy.Highs`` object (``Any``, as :func:`~.solver.new_highs`).
    """
    import highspy

    rs = arr.row_start
    keep = np.flatnonzero(keep_rows)
    lens = (rs[1:] - rs[:-1])[keep]
    start = np.zeros(keep.size, dtype=np.int64)
    np.cumsum(lens[:-1], out=start[1:])
    take = (
        np.concatenate([np.arange(rs[r], rs[r + 1]) for r in keep])
        if keep.size
        else np.zeros(0, np.int64)
    )
    h = new_highs()
    if threads is not None:
        h.setOptionValue("threads", int(threads))
    h.passModel(
        arr.n_cols,
        int(keep.size),
        int(take.size),
        int(highspy.MatrixFormat.kRowwise),
        int(highspy.ObjSense.kMinimize if arr.sense == 1 else highspy.ObjSense.kMaximize),
        arr.offset,
        arr.cost,
        arr.col_lower,
        arr.col_upper,
        arr.row_lower[keep],
        arr.row_upper[keep],
        start.astype(np.int32),
        arr.row_index[take],
        arr.row_value[take],
        np.zeros(arr.n_cols, np.int32),
    )
    return h


def site_warm_start(
    arr: ProblemArrays,
    sites: list[SiteOptions],
    *,
    drop_rows: np.ndarray | None = None,
    time_budget_s: float = 15.0,
    threads: int | None = None,
    should_cancel: CancelCallback | None = None,
    tuning: WarmStartTuning | None = None,
) -> WarmStart | None:
    """LP rounding plus local search for a site-opening model (see module doc).

    ``arr`` must be a minimization whose only integer columns are the site
    options' ``cols`` (returns ``None`` otherwise, or when no feasible choice
    is found).  ``drop_rows`` (bool mask) removes rows that are implied once
    the sites are fixed (per-arc linking rows) from the LPs solved here.
    ``tuning`` (:class:`WarmStartTuning`, ``None`` = the defaults) sets the
    thresholds and time shares.
    """
    import highspy

    tu = tuning if tuning is not None else WarmStartTuning()
    open_thresholds, open_tries = tu.open_thresholds, tu.open_tries
    strong_lp_share, local_search_share = tu.strong_lp_share, tu.local_search_share
    restricted_mip = tu.restricted_mip
    t0 = time.perf_counter()
    if arr.sense != 1 or not sites:
        return None
    site_cols = np.zeros(arr.n_cols, bool)
    for s in sites:
        site_cols[s.cols] = True
    if (arr.integrality.astype(bool) & ~site_cols).any():
        return None  # other integers (e.g. single sourcing): the flow LP would be a MIP
    keep = np.ones(arr.n_rows, bool) if drop_rows is None else ~np.asarray(drop_rows, bool)
    h = _highs_lp(arr, keep, threads)
    ms = highspy.HighsModelStatus
    steps: list[str] = []

    def cancelled() -> bool:
        return bool(should_cancel is not None and should_cancel())

    def lp() -> tuple[float, np.ndarray] | None:
        h.run()
        if h.getModelStatus() != ms.kOptimal:
            return None
        return h.getInfo().objective_function_value, np.asarray(h.getSolution().col_value)

    out = lp()
    if out is None:
        return None
    lp_bound, x = out
    steps.append(f"weak LP {lp_bound:,.1f} ({time.perf_counter() - t0:.2f} s)")

    # the strong LP (with the dropped rows) by interior point without
    # crossover: the rounding needs its values, not a basis (12 s instead of
    # 30-36 s by simplex at 2,000 x 300 on a loaded 2-core machine)
    n_sites = len(sites)
    if drop_rows is not None and np.any(drop_rows) and not cancelled():
        hs = _highs_lp(arr, np.ones(arr.n_rows, bool), threads)
        hs.setOptionValue("solver", "ipm")
        hs.setOptionValue("run_crossover", "off")
        hs.setOptionValue("time_limit", max(strong_lp_share * time_budget_s, 1.0))

        def poll(e: Any) -> None:
            if cancelled():
                e.interrupt()

        hs.cbIpmInterrupt.subscribe(poll)
        hs.run()
        if hs.getModelStatus() == ms.kOptimal:
            lp_bound = hs.getInfo().objective_function_value
            x = np.asarray(hs.getSolution().col_value)
            steps.append(f"strong LP (IPM) {lp_bound:,.1f} ({time.perf_counter() - t0:.2f} s)")
        else:
            steps.append(
                f"strong LP not solved in its time share "
                f"({hs.modelStatusToString(hs.getModelStatus())}); rounding the weak LP"
            )
        del hs
    loads = np.array([x[s.inflow_cols].sum() for s in sites])
    opening = np.array([x[s.cols].sum() for s in sites])
    # the flow LPs below fix every site, which makes the dropped rows
    # redundant: re-solving the weak LP with bound changes is fast

    all_cols = np.array([c for s in sites for c in s.cols], dtype=np.int32)
    ind_cols = np.array([s.indicator for s in sites if s.indicator is not None], dtype=np.int32)

    def apply(ch: np.ndarray) -> None:
        val = np.zeros(all_cols.size)
        pos = 0
        for n, s in enumerate(sites):
            if ch[n] >= 0:
                val[pos + ch[n]] = 1.0
            pos += len(s.cols)
        h.changeColsBounds(all_cols.size, all_cols, val, val)
        if ind_cols.size:
            iv = np.array(
                [1.0 if ch[n] >= 0 else 0.0 for n, s in enumerate(sites) if s.indicator is not None]
            )
            h.changeColsBounds(ind_cols.size, ind_cols, iv, iv)

    def evaluate(ch: np.ndarray) -> tuple[float, np.ndarray] | None:
        apply(ch)
        return lp()

    # round at a few thresholds on the LP opening value; each site opens in
    # the smallest option holding its LP load; keep the best
    best = None
    choice = np.full(n_sites, -1)
    req = np.array([s.required for s in sites])
    for theta in open_thresholds:
        ch = np.full(n_sites, -1)
        for n, s in enumerate(sites):
            if opening[n] >= theta or s.required:
                ch[n] = _fit(s, loads[n])
        got = evaluate(ch)
        # too many sites for a site-count row, or a policy row not met: close
        # the least loaded sites until the flow LP is feasible
        order = np.argsort(loads)
        tries = 0
        while got is None and tries < n_sites and not cancelled():
            opened = [n for n in order if ch[n] >= 0 and not req[n]]
            if not opened:
                break
            ch[opened[0]] = -1
            got = evaluate(ch)
            tries += 1
        if got is not None:
            steps.append(f"rounding at {theta}: {int((ch >= 0).sum())} sites open, {got[0]:,.1f}")
            if best is None or got[0] < best[0]:
                best, choice = got, ch
    if best is None:
        log.info("site warm start: no feasible rounding")
        return None
    obj, x = best
    moves = 0
    # local search until its share of the budget, but at least 20 % of the
    # budget from now (a slow strong LP must not leave the rounding unpolished)
    share = local_search_share if restricted_mip else 1.0
    deadline = min(
        max(t0 + share * time_budget_s, time.perf_counter() + 0.2 * time_budget_s),
        t0 + time_budget_s,
    )

    def loads_of(xv: np.ndarray) -> np.ndarray:
        return np.array([xv[s.inflow_cols].sum() for s in sites])

    improved = True
    while improved and time.perf_counter() < deadline and not cancelled():
        improved = False
        cur = loads_of(x)
        # 1. shrink to the smallest option holding the current load; 2. drop
        #    sites, least loaded (per unit of fixed cost) first; 3. grow full sites
        cand: list[tuple[int, int]] = []
        for n in np.argsort(cur).tolist():
            s = sites[n]
            c = int(choice[n])
            if c < 0:
                continue
            smaller = _fit(s, cur[n])
            if s.capacity[smaller] < s.capacity[c]:
                cand.append((n, smaller))
        for n in np.argsort(cur).tolist():
            if choice[n] >= 0 and not sites[n].required:
                cand.append((n, -1))
        for n in np.argsort(-cur).tolist():
            s = sites[n]
            c = int(choice[n])
            if c >= 0 and cur[n] >= s.capacity[c] - 1e-6:
                bigger = [o for o in range(len(s.cols)) if s.capacity[o] > s.capacity[c]]
                if bigger:
                    cand.append((n, min(bigger, key=lambda o: s.capacity[o])))
        # 4. open closed sites whose option has the most negative reduced cost
        #    in the current flow LP (fixed cost minus capacity x its dual value)
        rc = np.asarray(h.getSolution().col_dual)
        opens = [
            (rc[col], n, o)
            for n, s in enumerate(sites)
            if choice[n] < 0
            for o, col in enumerate(s.cols)
            if rc[col] < -1e-7
        ]
        opens.sort()
        cand += [(n, o) for _, n, o in opens[:open_tries]]
        for n, c in cand:
            if time.perf_counter() > deadline or cancelled():
                break
            if choice[n] < 0 and c < 0:
                continue
            trial = choice.copy()
            trial[n] = c
            got = evaluate(trial)
            if got is not None and got[0] < obj - 1e-7 * max(1.0, abs(obj)):
                choice, (obj, x) = trial, got
                moves += 1
                improved = True
        # 5. swap: close a site, then open the closed option with the most
        #    negative reduced cost in that LP (two LPs per open site)
        for n in np.argsort(loads_of(x)).tolist():
            if time.perf_counter() > deadline or cancelled():
                break
            if choice[n] < 0 or sites[n].required:
                continue
            trial = choice.copy()
            trial[n] = -1
            got = evaluate(trial)
            if got is None:
                continue
            if got[0] < obj - 1e-7 * max(1.0, abs(obj)):
                choice, (obj, x) = trial, got
                moves += 1
                improved = True
                continue
            rc = np.asarray(h.getSolution().col_dual)
            opts = [
                (rc[col], m, o)
                for m, s in enumerate(sites)
                if trial[m] < 0 and m != n
                for o, col in enumerate(s.cols)
            ]
            if not opts:
                continue
            _, m, o = min(opts)
            trial[m] = o
            got = evaluate(trial)
            if got is not None and got[0] < obj - 1e-7 * max(1.0, abs(obj)):
                choice, (obj, x) = trial, got
                moves += 1
                improved = True
        steps.append(
            f"local search pass: {obj:,.1f} ({moves} moves, {time.perf_counter() - t0:.2f} s)"
        )
    # final values with exact 0/1 for the site columns
    apply(choice)
    final = lp()
    if final is None:
        return None
    obj, x = final
    x = _exact_sites(x, sites, choice)
    # restricted MIP: the full (strong) model with every site the LP left
    # unused closed, started from the local-search solution
    left = t0 + time_budget_s - time.perf_counter()
    if restricted_mip and left > 1.0 and not cancelled():
        support = (opening >= 0.01) | (choice >= 0)
        got = _restricted_mip(arr, sites, support, x, left, threads, cancelled)
        if got is not None and got[0] < obj - 1e-9 * max(1.0, abs(obj)):
            obj, x = got
            choice = np.array(
                [int(np.argmax(x[s.cols])) if x[s.cols].max() > 0.5 else -1 for s in sites]
            )
            x = _exact_sites(x, sites, choice)
        steps.append(
            f"restricted MIP on {int(support.sum())} sites: {obj:,.1f} "
            f"({time.perf_counter() - t0:.2f} s)"
        )
    return WarmStart(
        x,
        float(obj),
        float(lp_bound),
        int((choice >= 0).sum()),
        moves,
        time.perf_counter() - t0,
        steps,
    )


def _exact_sites(x: np.ndarray, sites: list[SiteOptions], choice: np.ndarray) -> np.ndarray:
    x = np.array(x, dtype=float, copy=True)
    for n, s in enumerate(sites):
        x[s.cols] = 0.0
        if choice[n] >= 0:
            x[s.cols[choice[n]]] = 1.0
        if s.indicator is not None:
            x[s.indicator] = 1.0 if choice[n] >= 0 else 0.0
    return x


def _restricted_mip(
    arr: ProblemArrays,
    sites: list[SiteOptions],
    support: np.ndarray,
    x0: np.ndarray,
    seconds: float,
    threads: int | None,
    cancelled: CancelCallback,
) -> tuple[float, np.ndarray] | None:
    """Solve ``arr`` with the sites outside ``support`` closed, from start ``x0``."""
    import highspy

    up = arr.col_upper.copy()
    for n, s in enumerate(sites):
        if not support[n]:
            up[s.cols] = 0.0
            if s.indicator is not None:
                up[s.indicator] = 0.0
    h = new_highs()
    h.setOptionValue("time_limit", float(seconds))
    h.setOptionValue("mip_rel_gap", 1e-4)
    if threads is not None:
        h.setOptionValue("threads", int(threads))
    h.passModel(
        arr.n_cols,
        arr.n_rows,
        len(arr.row_index),
        int(highspy.MatrixFormat.kRowwise),
        int(highspy.ObjSense.kMinimize),
        arr.offset,
        arr.cost,
        arr.col_lower,
        up,
        arr.row_lower,
        arr.row_upper,
        arr.row_start[:-1].astype(np.int32),
        arr.row_index,
        arr.row_value,
        arr.integrality,
    )
    sol = highspy.HighsSolution()
    sol.col_value = np.asarray(x0, float).tolist()
    sol.value_valid = True
    h.setSolution(sol)

    def poll(e: Any) -> None:
        if cancelled():
            e.interrupt()

    for event in (h.cbMipInterrupt, h.cbSimplexInterrupt, h.cbIpmInterrupt):
        event.subscribe(poll)
    h.run()
    info = h.getInfo()
    if info.primal_solution_status != 2:
        return None
    return float(info.objective_function_value), np.asarray(h.getSolution().col_value)


def _fit(s: SiteOptions, load: float) -> int:
    """Option with the smallest capacity >= load (else the largest)."""
    caps = np.asarray(s.capacity)
    ok = np.flatnonzero(caps >= load - 1e-9)
    if ok.size:
        return int(ok[np.argmin(caps[ok])])
    return int(np.argmax(caps))


# --------------------------------------------------------------------- p-median
def pmedian_assign(
    cost: np.ndarray, weight: np.ndarray, capacity: np.ndarray, open_sites: np.ndarray
) -> tuple[np.ndarray, float] | None:
    """Assign every client wholly to one open site within capacity (regret order).

    ``cost`` is ``(sites, clients)`` per-client cost (already x weight or not:
    the objective is ``sum cost[site_j, j]``).  Returns ``(site of each
    client, objective)`` or ``None`` if the greedy fails to fit all clients.
    """
    sub = cost[open_sites]  # (p, n)
    n = sub.shape[1]
    left = capacity[open_sites].astype(float).copy()
    order_sites = np.argsort(sub, axis=0)
    best = sub[order_sites[0], np.arange(n)]
    second = sub[order_sites[1], np.arange(n)] if sub.shape[0] > 1 else best
    assign = np.full(n, -1)
    for j in np.argsort(-(second - best)).tolist():
        for r in order_sites[:, j].tolist():
            if left[r] >= weight[j] - 1e-9:
                assign[j] = r
                left[r] -= weight[j]
                break
        else:
            return None
    # shift improvement: move a client to a cheaper site with room
    for _ in range(3):
        moved = 0
        cur = sub[assign, np.arange(n)]
        for j in np.argsort(-(cur - best)).tolist():
            for r in order_sites[:, j].tolist():
                if sub[r, j] >= sub[assign[j], j] - 1e-12:
                    break
                if left[r] >= weight[j] - 1e-9:
                    left[assign[j]] += weight[j]
                    left[r] -= weight[j]
                    assign[j] = r
                    moved += 1
                    break
        if not moved:
            break
    obj = float(sub[assign, np.arange(n)].sum())
    return open_sites[assign], obj


def pmedian_warm_start(
    cost: np.ndarray,
    weight: np.ndarray,
    capacity: np.ndarray,
    p: int,
    *,
    time_budget_s: float = 5.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, float] | None:
    """Capacitated p-median heuristic: greedy add, then site swaps.

    Parameters
    ----------
    cost
        ``(m, n)`` cost of serving all of client j from site i (weight included).
    weight, capacity
        ``(n,)`` client weights, ``(m,)`` site capacities.
    p
        Number of sites to open.

    Returns ``(open site indices, site of each client, objective)`` or ``None``.
    """
    t0 = time.perf_counter()
    m, n = cost.shape
    weight = np.asarray(weight, float)
    capacity = np.asarray(capacity, float)
    if p <= 0 or p > m:
        return None
    # greedy add on the uncapacitated cost, among sites that keep the total
    # capacity feasible at the end (capacity is used by the assignment)
    chosen: list[int] = []
    cur = np.full(n, np.inf)
    for _ in range(p):
        gain = np.minimum(cost, cur[None, :]).sum(axis=1)
        gain[chosen] = np.inf
        i = int(np.argmin(gain))
        chosen.append(i)
        cur = np.minimum(cur, cost[i])
    got = pmedian_assign(cost, weight, capacity, np.array(chosen))
    if got is None:
        return None
    assign, obj = got
    opened = np.array(chosen)
    # swap: replace an open site by the closed site nearest (in cost) to its
    # clients, first improvement, within the time budget
    rng = np.random.default_rng(seed)
    improved = True
    while improved and time.perf_counter() - t0 < time_budget_s:
        improved = False
        for r in rng.permutation(p).tolist():
            if time.perf_counter() - t0 > time_budget_s:
                break
            members = np.flatnonzero(assign == opened[r])
            if members.size == 0:
                continue
            closed = np.setdiff1d(np.arange(m), opened)
            # candidates: closed sites cheapest for this site's clients
            score = cost[np.ix_(closed, members)].sum(axis=1)
            for i in closed[np.argsort(score)[:5]].tolist():
                trial = opened.copy()
                trial[r] = i
                g = pmedian_assign(cost, weight, capacity, trial)
                if g is not None and g[1] < obj - 1e-9 * max(1.0, abs(obj)):
                    opened, (assign, obj) = trial, g
                    improved = True
                    break
    return np.sort(opened), assign, obj
