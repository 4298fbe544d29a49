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

Size: this module is over 500 lines (about 690) because the MIP starts of both
models (LP rounding, local search with moves and swaps, greedy/swap for
p-median, the restricted MIP) share the flow LP and the incumbent bookkeeping
in this one module.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from wufei_gis.progress import CancelCallback

from .solver import ProblemArrays, new_highs, pass_model, pass_start

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
    lp = replace(arr.with_rows(keep_rows), integrality=np.zeros(arr.n_cols, np.int32))
    h = new_highs()
    if threads is not None:
        h.setOptionValue("threads", int(threads))
    pass_model(h, lp)
    return h


class _SiteSearch:
    """One run of :func:`site_warm_start`: the flow LP in HiGHS, the sites and the log.

    The flow LP is the (weak) LP with every site's option columns fixed to a
    choice: ``choice[n]`` is the option open at site ``n``, ``-1`` = closed.
    """

    def __init__(
        self, h: Any, sites: list[SiteOptions], should_cancel: CancelCallback | None, t0: float
    ) -> None:
        import highspy

        self.h = h
        self.sites = sites
        self.should_cancel = should_cancel
        self.t0 = t0
        self.steps: list[str] = []
        self.all_cols = np.array([c for s in sites for c in s.cols], dtype=np.int32)
        self.ind_cols = np.array(
            [s.indicator for s in sites if s.indicator is not None], dtype=np.int32
        )
        self._optimal = highspy.HighsModelStatus.kOptimal

    def cancelled(self) -> bool:
        """Whether the caller asked to stop."""
        return bool(self.should_cancel is not None and self.should_cancel())

    def elapsed(self) -> float:
        """Seconds since the run started."""
        return time.perf_counter() - self.t0

    def lp(self) -> tuple[float, np.ndarray] | None:
        """Solve the LP as it is: ``(objective, column values)``, or ``None`` if not optimal."""
        h = self.h
        h.run()
        if h.getModelStatus() != self._optimal:
            return None
        return h.getInfo().objective_function_value, np.asarray(h.getSolution().col_value)

    def apply(self, ch: np.ndarray) -> None:
        """Fix the option columns (and open indicators) to the choice ``ch``."""
        val = np.zeros(self.all_cols.size)
        pos = 0
        for n, s in enumerate(self.sites):
            if ch[n] >= 0:
                val[pos + ch[n]] = 1.0
            pos += len(s.cols)
        self.h.changeColsBounds(self.all_cols.size, self.all_cols, val, val)
        if self.ind_cols.size:
            iv = np.array(
                [
                    1.0 if ch[n] >= 0 else 0.0
                    for n, s in enumerate(self.sites)
                    if s.indicator is not None
                ]
            )
            self.h.changeColsBounds(self.ind_cols.size, self.ind_cols, iv, iv)

    def evaluate(self, ch: np.ndarray) -> tuple[float, np.ndarray] | None:
        """The flow LP of the choice ``ch``."""
        self.apply(ch)
        return self.lp()

    def duals(self) -> np.ndarray:
        """Reduced costs of the columns in the LP solved last."""
        return np.asarray(self.h.getSolution().col_dual)

    def loads(self, xv: np.ndarray) -> np.ndarray:
        """Load (sum of inflows) of every site in the solution ``xv``."""
        return np.array([xv[s.inflow_cols].sum() for s in self.sites])


@dataclass
class _Incumbent:
    """Best choice of the local search so far, its flow-LP objective and solution."""

    obj: float
    x: np.ndarray
    choice: np.ndarray
    moves: int = 0

    def accept(self, trial: np.ndarray, got: tuple[float, np.ndarray] | None) -> bool:
        """Take ``trial`` if its LP ``got`` improves the objective; whether it did."""
        if got is not None and got[0] < self.obj - 1e-7 * max(1.0, abs(self.obj)):
            self.choice, (self.obj, self.x) = trial, got
            self.moves += 1
            return True
        return False


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
    tu = tuning if tuning is not None else WarmStartTuning()
    t0 = time.perf_counter()
    if not _site_model(arr, sites):
        return None
    keep = np.ones(arr.n_rows, bool) if drop_rows is None else ~np.asarray(drop_rows, bool)
    run = _SiteSearch(_highs_lp(arr, keep, threads), sites, should_cancel, t0)
    got = _relaxation(run, arr, drop_rows, threads, max(tu.strong_lp_share * time_budget_s, 1.0))
    if got is None:
        return None
    lp_bound, x = got
    # the flow LPs below fix every site, which makes the dropped rows
    # redundant: re-solving the weak LP with bound changes is fast
    loads = run.loads(x)
    opening = np.array([x[s.cols].sum() for s in sites])
    inc = _round_sites(run, loads, opening, tu.open_thresholds)
    if inc is None:
        log.info("site warm start: no feasible rounding")
        return None
    # local search until its share of the budget, but at least 20 % of the
    # budget from now (a slow strong LP must not leave the rounding unpolished)
    share = tu.local_search_share if tu.restricted_mip else 1.0
    deadline = min(
        max(t0 + share * time_budget_s, time.perf_counter() + 0.2 * time_budget_s),
        t0 + time_budget_s,
    )
    _local_search(run, inc, deadline=deadline, open_tries=tu.open_tries)
    # final values with exact 0/1 for the site columns
    run.apply(inc.choice)
    final = run.lp()
    if final is None:
        return None
    inc.obj, x = final
    inc.x = _exact_sites(x, sites, inc.choice)
    left = t0 + time_budget_s - time.perf_counter()
    if tu.restricted_mip and left > 1.0 and not run.cancelled():
        _restricted_finish(run, arr, inc, (opening >= 0.01) | (inc.choice >= 0), left, threads)
    return WarmStart(
        inc.x,
        float(inc.obj),
        float(lp_bound),
        int((inc.choice >= 0).sum()),
        inc.moves,
        time.perf_counter() - t0,
        run.steps,
    )


def _site_model(arr: ProblemArrays, sites: list[SiteOptions]) -> bool:
    """Whether ``arr`` is a minimization whose only integer columns are the site options."""
    if arr.sense != 1 or not sites:
        return False
    site_cols = np.zeros(arr.n_cols, bool)
    for s in sites:
        site_cols[s.cols] = True
    # other integers (e.g. single sourcing): the flow LP would be a MIP
    return not (arr.integrality.astype(bool) & ~site_cols).any()


def _relaxation(
    run: _SiteSearch,
    arr: ProblemArrays,
    drop_rows: np.ndarray | None,
    threads: int | None,
    strong_lp_s: float,
) -> tuple[float, np.ndarray] | None:
    """LP bound and LP solution to round: the weak LP, then the strong LP if rows were dropped.

    The strong LP (with the dropped rows) is solved by interior point without
    crossover: the rounding needs its values, not a basis (12 s instead of
    30-36 s by simplex at 2,000 x 300 on a loaded 2-core machine).  ``None``
    when the weak LP has no optimum.
    """
    import highspy

    out = run.lp()
    if out is None:
        return None
    lp_bound, x = out
    run.steps.append(f"weak LP {lp_bound:,.1f} ({run.elapsed():.2f} s)")
    if drop_rows is None or not np.any(drop_rows) or run.cancelled():
        return lp_bound, x
    hs = _highs_lp(arr, np.ones(arr.n_rows, bool), threads)
    hs.setOptionValue("solver", "ipm")
    hs.setOptionValue("run_crossover", "off")
    hs.setOptionValue("time_limit", strong_lp_s)

    def poll(e: Any) -> None:
        if run.cancelled():
            e.interrupt()

    hs.cbIpmInterrupt.subscribe(poll)
    hs.run()
    if hs.getModelStatus() == highspy.HighsModelStatus.kOptimal:
        lp_bound = hs.getInfo().objective_function_value
        x = np.asarray(hs.getSolution().col_value)
        run.steps.append(f"strong LP (IPM) {lp_bound:,.1f} ({run.elapsed():.2f} s)")
    else:
        run.steps.append(
            f"strong LP not solved in its time share "
            f"({hs.modelStatusToString(hs.getModelStatus())}); rounding the weak LP"
        )
    del hs
    return lp_bound, x


def _round_at(
    run: _SiteSearch, theta: float, loads: np.ndarray, opening: np.ndarray
) -> tuple[np.ndarray, tuple[float, np.ndarray] | None]:
    """Open the sites with LP opening value >= ``theta``, each in the smallest option
    holding its LP load; close the least loaded until the flow LP is feasible."""
    sites = run.sites
    n_sites = len(sites)
    req = np.array([s.required for s in sites])
    ch = np.full(n_sites, -1)
    for n, s in enumerate(sites):
        if opening[n] >= theta or s.required:
            ch[n] = _fit(s, loads[n])
    got = run.evaluate(ch)
    # too many sites for a site-count row, or a policy row not met: close
    # the least loaded sites until the flow LP is feasible
    order = np.argsort(loads)
    tries = 0
    while got is None and tries < n_sites and not run.cancelled():
        opened = [n for n in order if ch[n] >= 0 and not req[n]]
        if not opened:
            break
        ch[opened[0]] = -1
        got = run.evaluate(ch)
        tries += 1
    return ch, got


def _round_sites(
    run: _SiteSearch, loads: np.ndarray, opening: np.ndarray, thresholds: tuple[float, ...]
) -> _Incumbent | None:
    """Round at a few thresholds on the LP opening value; the best feasible rounding."""
    best: _Incumbent | None = None
    for theta in thresholds:
        ch, got = _round_at(run, theta, loads, opening)
        if got is not None:
            run.steps.append(
                f"rounding at {theta}: {int((ch >= 0).sum())} sites open, {got[0]:,.1f}"
            )
            if best is None or got[0] < best.obj:
                best = _Incumbent(got[0], got[1], ch)
    return best


def _move_candidates(
    run: _SiteSearch, inc: _Incumbent, cur: np.ndarray, open_tries: int
) -> list[tuple[int, int]]:
    """Moves ``(site, option)`` of one local-search pass, in the order they are tried.

    1. shrink to the smallest option holding the current load; 2. drop
    sites, least loaded first; 3. grow full sites; 4. open closed sites
    whose option has the most negative reduced cost in the last flow LP
    (fixed cost minus capacity x its dual value).
    """
    sites, choice = run.sites, inc.choice
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
    rc = run.duals()
    opens = [
        (rc[col], n, o)
        for n, s in enumerate(sites)
        if choice[n] < 0
        for o, col in enumerate(s.cols)
        if rc[col] < -1e-7
    ]
    opens.sort()
    cand += [(n, o) for _, n, o in opens[:open_tries]]
    return cand


def _try_moves(
    run: _SiteSearch, inc: _Incumbent, cand: list[tuple[int, int]], deadline: float
) -> bool:
    """Try each move on the incumbent, keeping improvements; whether one was kept."""
    improved = False
    for n, c in cand:
        if time.perf_counter() > deadline or run.cancelled():
            break
        if inc.choice[n] < 0 and c < 0:
            continue
        trial = inc.choice.copy()
        trial[n] = c
        if inc.accept(trial, run.evaluate(trial)):
            improved = True
    return improved


def _swap_moves(run: _SiteSearch, inc: _Incumbent, deadline: float) -> bool:
    """Swap: close a site, then open the closed option with the most negative reduced
    cost in that LP (two LPs per open site); whether an improvement was kept."""
    sites = run.sites
    improved = False
    for n in np.argsort(run.loads(inc.x)).tolist():
        if time.perf_counter() > deadline or run.cancelled():
            break
        if inc.choice[n] < 0 or sites[n].required:
            continue
        trial = inc.choice.copy()
        trial[n] = -1
        got = run.evaluate(trial)
        if got is None:
            continue
        if inc.accept(trial, got):
            improved = True
            continue
        rc = run.duals()
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
        if inc.accept(trial, run.evaluate(trial)):
            improved = True
    return improved


def _local_search(run: _SiteSearch, inc: _Incumbent, *, deadline: float, open_tries: int) -> None:
    """Improve ``inc`` by passes of moves and swaps until none improves or time is up."""
    improved = True
    while improved and time.perf_counter() < deadline and not run.cancelled():
        cand = _move_candidates(run, inc, run.loads(inc.x), open_tries)
        improved = _try_moves(run, inc, cand, deadline)
        improved = _swap_moves(run, inc, deadline) or improved
        run.steps.append(
            f"local search pass: {inc.obj:,.1f} ({inc.moves} moves, {run.elapsed():.2f} s)"
        )


def _restricted_finish(
    run: _SiteSearch,
    arr: ProblemArrays,
    inc: _Incumbent,
    support: np.ndarray,
    seconds: float,
    threads: int | None,
) -> None:
    """Restricted MIP: the full (strong) model with every site outside ``support`` closed,
    started from the incumbent; ``inc`` takes its solution if it is better."""
    sites = run.sites
    got = _restricted_mip(arr, sites, support, inc.x, seconds, threads, run.cancelled)
    if got is not None and got[0] < inc.obj - 1e-9 * max(1.0, abs(inc.obj)):
        inc.obj, x = got
        inc.choice = np.array(
            [int(np.argmax(x[s.cols])) if x[s.cols].max() > 0.5 else -1 for s in sites]
        )
        inc.x = _exact_sites(x, sites, inc.choice)
    run.steps.append(
        f"restricted MIP on {int(support.sum())} sites: {inc.obj:,.1f} ({run.elapsed():.2f} s)"
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
    pass_model(h, replace(arr, col_upper=up))
    pass_start(h, x0)

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
