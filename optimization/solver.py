"""Solve a :class:`pulp.LpProblem` with HiGHS (default) or CBC, with limits and cancel.

Step two of *build -> solve -> interpret*.  The models in this package build a
``pulp.LpProblem``; :func:`solve_problem` runs a solver on it and returns a
:class:`SolveResult`; the models then read ``var.varValue``.

Why HiGHS is driven directly
----------------------------
PuLP's own ``HiGHS`` class builds the HiGHS model one column and one row at a
time through Python calls and offers no clean way to stop a running solve from
another thread.  Here the problem is flattened once into CSR arrays
(:func:`problem_arrays`, one pass over the constraint dictionaries) and handed
to ``highspy.Highs.passModel`` in a single call; HiGHS interrupt callbacks
(MIP, simplex and IPM) poll ``should_cancel()`` so a cancel request stops the
solve within a fraction of a second and the incumbent and its gap are kept.

CBC (``pulp.PULP_CBC_CMD``) is the fallback when ``highspy`` is not importable
or HiGHS fails; it honours the time limit and gap but can only be cancelled
before it starts.  :attr:`SolveResult.solver` says which solver ran.

Solver output never reaches stdout
----------------------------------
HiGHS prints a banner from its C++ constructor (whatever ``output_flag`` says,
in some releases) and CBC writes its log to the inherited stdout.  Both would
corrupt ``wufei ... --json``.  Every solver run therefore happens inside
:func:`solver_output_to_log`, which points file descriptor 1 at a temporary
file for the duration and hands what was written there to the
``wufei_gis.optimization.solver`` logger (stderr, or the ``--log`` file).
With ``msg=True`` the HiGHS log goes to the same logger line by line, live,
through HiGHS's logging callback.  :func:`new_highs` makes a silent
``highspy.Highs`` for code that drives HiGHS directly; :func:`pass_model` and
:func:`pass_start` hand it a :class:`ProblemArrays` (e.g. a row subset from
:meth:`ProblemArrays.with_rows`) and a MIP start.

Size: this module is over 500 lines (about 790) because it drives HiGHS
directly (model arrays, MIP start, callbacks, a worker thread with cancel,
status mapping) and CBC as the fallback, and keeps native solver output off
stdout; each step is a small function.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import logging
import math
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, overload

import numpy as np
import pulp

from wufei_gis.progress import CancelCallback

__all__ = [
    "SolverOptions",
    "SolveResult",
    "solve_problem",
    "problem_arrays",
    "ProblemArrays",
    "STATUSES",
    "start_vector",
    "solver_output_to_log",
    "new_highs",
    "pass_model",
    "pass_start",
]

log = logging.getLogger(__name__)

#: Seconds a cancelled HiGHS run may take to stop before its last incumbent is
#: returned without waiting for it (the worker thread then stops on its own).
CANCEL_GRACE_S = 0.8

_RUNNING: list[threading.Thread] = []


@atexit.register
def _join_abandoned() -> None:
    """Let interrupted HiGHS workers finish before the interpreter exits."""
    for t in _RUNNING:
        t.join(30.0)


# --------------------------------------------------------------------------- output
_redirect_lock = threading.Lock()
_redirect_state: dict[str, Any] = {"depth": 0}


def _flush_c_stdio() -> None:
    """Flush the C library's stdout buffers (native solver output) where possible."""
    try:
        libc = ctypes.CDLL(None) if os.name != "nt" else ctypes.cdll.msvcrt
        libc.fflush(None)
    except (OSError, AttributeError):  # no C runtime reachable: nothing buffered to lose
        pass


@contextlib.contextmanager
def solver_output_to_log(level: int = logging.DEBUG) -> Iterator[None]:
    """Send whatever native code writes to stdout (file descriptor 1) to the log.

    Parameters
    ----------
    level
        Logging level of the captured lines (``logging.INFO`` to see them with
        ``wufei -v``).

    Notes
    -----
    Process-wide and re-entrant: nested or concurrent uses share one redirect,
    which ends when the last one exits.  Python's own ``sys.stdout`` writes in
    that time are captured too (nothing of wufei-gis prints while it solves).
    """
    with _redirect_lock:
        state = _redirect_state
        if state["depth"] == 0:
            with contextlib.suppress(AttributeError, ValueError, OSError):
                sys.stdout.flush()
            _flush_c_stdio()
            try:
                capture = tempfile.TemporaryFile()
                saved = os.dup(1)
                os.dup2(capture.fileno(), 1)
            except OSError:  # no fd 1 (e.g. a windowed app): nothing to protect
                state.update(capture=None, saved=None)
            else:
                state.update(capture=capture, saved=saved)
        state["depth"] += 1
    try:
        yield
    finally:
        with _redirect_lock:
            state["depth"] -= 1
            if state["depth"] == 0 and state.get("capture") is not None:
                with contextlib.suppress(AttributeError, ValueError, OSError):
                    sys.stdout.flush()
                _flush_c_stdio()
                capture, saved = state["capture"], state["saved"]
                os.dup2(saved, 1)
                os.close(saved)
                capture.seek(0)
                text = capture.read().decode("utf-8", "replace")
                capture.close()
                state.update(capture=None, saved=None)
                for line in text.splitlines():
                    if line.strip():
                        log.log(level, "solver: %s", line.rstrip())


def new_highs(*, msg: bool = False) -> Any:
    """Return a ``highspy.Highs`` whose banner and log go to the logger, not stdout.

    Parameters
    ----------
    msg
        Log HiGHS's own progress lines (at INFO) through its logging callback.
    """
    import highspy

    with solver_output_to_log(logging.INFO if msg else logging.DEBUG):
        h = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy leaves __init__ unannotated
    h.setOptionValue("output_flag", bool(msg))
    h.setOptionValue("log_to_console", False)
    if msg:
        h.cbLogging.subscribe(lambda e: log.info("HiGHS: %s", str(e.message).rstrip()))
    return h


#: Every value :attr:`SolveResult.status` can take.
STATUSES = ("optimal", "feasible", "time_limit", "cancelled", "infeasible", "error")


@dataclass
class SolveResult:
    """Outcome of one solver run.

    Attributes
    ----------
    status
        One of ``{"optimal", "feasible", "time_limit", "cancelled", "infeasible",
        "error"}``.  ``"time_limit"`` and ``"cancelled"`` may still carry a
        solution (see :attr:`has_solution`).
    objective
        Objective value of the returned solution (model units, yuan/day for the
        planning models); ``None`` without a solution.
    best_bound
        Best proven lower bound (minimization); ``None`` if unknown.
    mip_gap
        Relative gap ``|objective - bound| / |objective|``; 0 for an LP optimum.
    runtime_s
        Wall time of the solver call, seconds (without building the model).
    solver
        The solver that actually ran: ``"highs"`` or ``"cbc"``.
    values
        ``{variable name: value}`` of the returned solution (empty without one).
    message
        Free text for logs (e.g. why the fallback ran).
    incumbents
        HiGHS MIP runs: ``(seconds since the solve started, objective)`` of each
        improving solution in the order found (the first one is the accepted
        MIP start when ``initial_values`` was given and feasible).
    """

    status: str
    objective: float | None
    best_bound: float | None
    mip_gap: float | None
    runtime_s: float
    solver: str
    values: dict[str, float] = field(default_factory=dict)
    message: str = ""
    incumbents: list[tuple[float, float]] = field(default_factory=list)

    @property
    def has_solution(self) -> bool:
        """Whether a (possibly non-optimal) solution was returned."""
        return bool(self.values) and self.objective is not None


@dataclass
class ProblemArrays:
    """A PuLP problem flattened into the arrays a solver takes (rows in CSR).

    ``sense`` is 1 for minimize and -1 for maximize; ``offset`` the objective
    constant.  ``variables`` gives the column order.
    """

    variables: list[pulp.LpVariable]
    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integrality: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    row_start: np.ndarray
    row_index: np.ndarray
    row_value: np.ndarray
    sense: int
    offset: float

    @property
    def n_cols(self) -> int:
        """Number of columns (variables)."""
        return len(self.variables)

    @property
    def n_rows(self) -> int:
        """Number of rows (constraints)."""
        return len(self.row_lower)

    def with_rows(self, keep: np.ndarray) -> ProblemArrays:
        """These arrays with only the rows where ``keep`` (``(n_rows,)`` bool) is true."""
        rs = self.row_start
        rows = np.flatnonzero(keep)
        row_start = np.zeros(rows.size + 1, dtype=rs.dtype)
        np.cumsum((rs[1:] - rs[:-1])[rows], out=row_start[1:])
        take = (
            np.concatenate([np.arange(rs[r], rs[r + 1]) for r in rows])
            if rows.size
            else np.zeros(0, np.int64)
        )
        return replace(
            self,
            row_lower=self.row_lower[rows],
            row_upper=self.row_upper[rows],
            row_start=row_start,
            row_index=self.row_index[take],
            row_value=self.row_value[take],
        )


def problem_arrays(prob: pulp.LpProblem) -> ProblemArrays:
    """Flatten ``prob`` into column bounds, costs and a CSR constraint matrix.

    One pass over the objective and the constraint dictionaries; variables get
    column numbers in order of first appearance.
    """
    index: dict[pulp.LpVariable, int] = {}
    variables: list[pulp.LpVariable] = []

    def col(v: pulp.LpVariable) -> int:
        k = index.get(v)
        if k is None:
            k = index[v] = len(variables)
            variables.append(v)
        return k

    obj = prob.objective if prob.objective is not None else pulp.LpAffineExpression()
    obj_cols = [col(v) for v in obj.keys()]
    obj_vals = list(obj.values())

    cons = prob.constraints  # PuLP >= 3.3: call it (the dict view is deprecated)
    constraints = list(cons() if callable(cons) else cons.values())
    n_rows = len(constraints)
    row_lower = np.empty(n_rows)
    row_upper = np.empty(n_rows)
    row_start = np.zeros(n_rows + 1, dtype=np.int64)
    idx: list[int] = []
    val: list[float] = []
    for r, c in enumerate(constraints):
        items = c.expr
        idx.extend([col(v) for v in items.keys()])
        val.extend(items.values())
        row_start[r + 1] = len(idx)
        rhs = -c.constant
        if c.sense == pulp.LpConstraintLE:
            row_lower[r], row_upper[r] = -math.inf, rhs
        elif c.sense == pulp.LpConstraintGE:
            row_lower[r], row_upper[r] = rhs, math.inf
        else:
            row_lower[r] = row_upper[r] = rhs
    for v in getattr(prob, "_variables", []):  # variables in no constraint
        col(v)

    n = len(variables)
    cost = np.zeros(n)
    cost[np.asarray(obj_cols, dtype=np.int64)] = np.asarray(obj_vals, dtype=float)
    lo = np.array([-math.inf if v.lowBound is None else v.lowBound for v in variables], float)
    up = np.array([math.inf if v.upBound is None else v.upBound for v in variables], float)
    integ = np.array([1 if v.cat == pulp.LpInteger else 0 for v in variables], dtype=np.int32)
    return ProblemArrays(
        variables=variables,
        cost=cost,
        col_lower=lo,
        col_upper=up,
        integrality=integ,
        row_lower=row_lower,
        row_upper=row_upper,
        row_start=row_start,
        row_index=np.asarray(idx, dtype=np.int32),
        row_value=np.asarray(val, dtype=float),
        sense=1 if prob.sense == pulp.LpMinimize else -1,
        offset=float(obj.constant),
    )


@dataclass(frozen=True)
class SolverOptions:
    """Which solver runs a model, and its limits (every model's solve takes one).

    Parameters
    ----------
    solver
        ``{"highs", "cbc"}``.  ``"highs"`` falls back to CBC when ``highspy`` is
        missing or HiGHS reports an error.
    time_limit_s
        Wall-clock limit, seconds; ``None`` = none.  On expiry the incumbent is
        returned with status ``"time_limit"``.
    mip_gap
        Relative MIP gap at which to stop (1e-4 = 0.01 %).
    threads
        Solver threads; ``None`` = solver default.
    msg
        Log the solver's progress lines (logger ``wufei_gis.optimization.solver``,
        level INFO).  Solver output never goes to stdout.
    highs_options
        Extra HiGHS options, e.g. ``{"mip_heuristic_effort": 0.3}``.
    """

    solver: str = "highs"
    time_limit_s: float | None = None
    mip_gap: float = 1e-4
    threads: int | None = None
    msg: bool = False
    highs_options: dict[str, Any] | None = None


def solve_problem(
    prob: pulp.LpProblem,
    options: SolverOptions | None = None,
    *,
    should_cancel: CancelCallback | None = None,
    initial_values: dict[str, float] | np.ndarray | None = None,
) -> SolveResult:
    """Solve ``prob`` and write the solution into its variables' ``varValue``.

    Parameters
    ----------
    prob
        The model (minimize or maximize).
    options
        Solver choice and limits (:class:`SolverOptions`); ``None`` = the defaults.
    should_cancel
        Polled during the solve (HiGHS: from its interrupt callbacks, many times
        a second).  When it returns ``True`` the solve stops and the incumbent is
        returned with status ``"cancelled"``.
    initial_values
        A MIP start: ``{variable name: value}`` (variables not named are 0), or
        an array in the column order of :func:`problem_arrays`.  HiGHS checks it
        and, if feasible, starts from it as its first incumbent; an infeasible
        start is ignored by HiGHS (the solve proceeds as without one).  CBC gets
        it through PuLP's ``warmStart``.  ``None`` = no start.

    Returns
    -------
    SolveResult
    """
    opts = options if options is not None else SolverOptions()
    solver, msg = opts.solver, opts.msg
    time_limit_s, mip_gap, threads = opts.time_limit_s, opts.mip_gap, opts.threads
    highs_options = opts.highs_options
    if solver not in ("highs", "cbc"):
        msg_ = f"solver must be 'highs' or 'cbc' (got {solver!r})"
        raise ValueError(msg_)
    if should_cancel is not None and should_cancel():
        return SolveResult("cancelled", None, None, None, 0.0, solver)
    note = ""
    if solver == "highs":
        try:
            import highspy  # noqa: F401
        except ImportError:
            note = "highspy is not installed; CBC ran instead (pip install highspy)"
            log.warning(note)
        else:
            try:
                with solver_output_to_log(logging.INFO if msg else logging.DEBUG):
                    return _solve_highs(
                        prob,
                        time_limit_s=time_limit_s,
                        mip_gap=mip_gap,
                        threads=threads,
                        should_cancel=should_cancel,
                        msg=msg,
                        highs_options=highs_options,
                        initial_values=initial_values,
                    )
            except Exception as exc:  # HiGHS crashed or refused the model
                note = f"HiGHS failed ({exc}); CBC ran instead"
                log.warning(note)
    with solver_output_to_log(logging.INFO if msg else logging.DEBUG):
        res = _solve_cbc(
            prob,
            time_limit_s=time_limit_s,
            mip_gap=mip_gap,
            threads=threads,
            msg=msg,
            initial_values=initial_values,
        )
    res.message = (note + "; " + res.message).strip("; ") if note else res.message
    return res


# --------------------------------------------------------------------------- HiGHS
def _solve_highs(
    prob: pulp.LpProblem,
    *,
    time_limit_s: float | None,
    mip_gap: float,
    threads: int | None,
    should_cancel: CancelCallback | None,
    msg: bool,
    highs_options: dict[str, Any] | None = None,
    initial_values: dict[str, float] | np.ndarray | None = None,
) -> SolveResult:
    import highspy

    arr = problem_arrays(prob)
    h = new_highs(msg=msg)
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    if time_limit_s is not None:
        h.setOptionValue("time_limit", float(time_limit_s))
    if threads is not None:
        h.setOptionValue("threads", int(threads))
    for key, value in (highs_options or {}).items():
        h.setOptionValue(key, value)
    is_mip = bool(arr.integrality.any())
    _load_highs(h, arr, initial_values)

    watch = _HighsWatch()
    if should_cancel is not None:
        for event in (h.cbMipInterrupt, h.cbSimplexInterrupt, h.cbIpmInterrupt):
            event.subscribe(watch.poll)
    if is_mip:
        h.cbMipImprovingSolution.subscribe(watch.improved)
    done = _run_highs(h, watch, should_cancel)
    runtime = time.perf_counter() - watch.t0
    if done is None:  # cancelled and HiGHS did not stop in time: the last incumbent
        res = _abandoned(arr, watch.best, runtime, prob)
        res.incumbents = list(watch.trace)
        return res
    run_status = done[0] if done else highspy.HighsStatus.kError
    model_status = h.getModelStatus()
    info = h.getInfo()
    has_sol = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if run_status == highspy.HighsStatus.kError and not has_sol:
        msg_ = f"HiGHS error, model status {h.modelStatusToString(model_status)}"
        raise RuntimeError(msg_)
    status_s = _highs_status(model_status, cancelled=watch.cancelled, has_sol=has_sol)
    values: dict[str, float] = {}
    objective = best_bound = gap = None
    if has_sol:
        values = _highs_values(h, arr)
        objective = float(info.objective_function_value)
        best_bound, gap = _highs_bound_gap(info, status_s, objective, is_mip=is_mip)
    else:
        _write_values(arr, None)
    prob.status = {"optimal": 1, "infeasible": -1}.get(status_s, 0)
    return SolveResult(
        status_s,
        objective,
        best_bound,
        gap,
        runtime,
        "highs",
        values,
        h.modelStatusToString(model_status),
        list(watch.trace),
    )


def _load_highs(
    h: Any, arr: ProblemArrays, initial_values: dict[str, float] | np.ndarray | None
) -> None:
    """Pass ``arr`` and the MIP start ``initial_values`` (if any) to HiGHS.

    ``RuntimeError`` if HiGHS rejects the model; a warning if it refuses the start.
    """
    if not pass_model(h, arr):
        msg_ = "HiGHS rejected the model"
        raise RuntimeError(msg_)
    start = start_vector(arr, initial_values)
    if start is not None and not pass_start(h, start):
        log.warning("HiGHS refused the MIP start")


def pass_model(h: Any, arr: ProblemArrays) -> bool:
    """Pass ``arr`` to the ``highspy.Highs`` ``h`` (rows in CSR); whether HiGHS accepted it."""
    import highspy

    status = h.passModel(
        arr.n_cols,
        arr.n_rows,
        len(arr.row_index),
        int(highspy.MatrixFormat.kRowwise),
        int(highspy.ObjSense.kMinimize if arr.sense == 1 else highspy.ObjSense.kMaximize),
        arr.offset,
        arr.cost,
        arr.col_lower,
        arr.col_upper,
        arr.row_lower,
        arr.row_upper,
        arr.row_start[:-1].astype(np.int32),
        arr.row_index,
        arr.row_value,
        arr.integrality,
    )
    return bool(status != highspy.HighsStatus.kError)


def pass_start(h: Any, x: np.ndarray) -> bool:
    """Give the ``highspy.Highs`` ``h`` the MIP start ``x`` (column order); whether it took it."""
    import highspy

    sol = highspy.HighsSolution()
    sol.col_value = np.asarray(x, dtype=float).tolist()
    sol.value_valid = True
    return bool(h.setSolution(sol) != highspy.HighsStatus.kError)


class _HighsWatch:
    """Callbacks of one HiGHS run: the cancel flag, the last incumbent and the trace.

    Interrupt callbacks stop HiGHS at its next check; improving-solution
    callbacks keep a copy of the incumbent, so if HiGHS is inside a long step
    that does not check (a sub-MIP heuristic, presolve) the incumbent can still
    be returned within ``CANCEL_GRACE_S`` while the worker stops on its own.
    """

    def __init__(self) -> None:
        import highspy

        self.cancelled = False
        self.best: dict[str, Any] = {}
        self.trace: list[tuple[float, float]] = []
        self.t0 = time.perf_counter()  # reset when the run starts
        self._mip_interrupt = highspy.cb.HighsCallbackType.kCallbackMipInterrupt

    def poll(self, e: Any) -> None:
        """Interrupt callback: stop when cancelled; remember the MIP dual bound."""
        if self.cancelled:
            e.interrupt()
        out = e.data_out
        if e.callback_type == self._mip_interrupt:
            if math.isfinite(out.mip_dual_bound):
                self.best["bound"] = float(out.mip_dual_bound)

    def improved(self, e: Any) -> None:
        """Improving-solution callback: keep the incumbent, its objective and the bound."""
        out = e.data_out
        self.trace.append((time.perf_counter() - self.t0, float(out.objective_function_value)))
        self.best["x"] = np.array(out.mip_solution, dtype=float, copy=True)
        self.best["obj"] = float(out.objective_function_value)
        if math.isfinite(out.mip_dual_bound):
            self.best["bound"] = float(out.mip_dual_bound)


def _run_highs(
    h: Any, watch: _HighsWatch, should_cancel: CancelCallback | None
) -> list[Any] | None:
    """Run HiGHS in a worker thread, polling ``should_cancel``.

    Returns the run status in a list (empty if ``run`` raised), or ``None``
    when the run was cancelled and HiGHS did not stop within
    ``CANCEL_GRACE_S`` (the worker is left to finish on its own).
    """
    watch.t0 = time.perf_counter()
    done: list[Any] = []
    worker = threading.Thread(target=lambda: done.append(h.run()), daemon=True, name="highs-solve")
    worker.start()
    deadline = None
    while worker.is_alive():
        worker.join(0.05)
        if should_cancel is not None and not watch.cancelled and should_cancel():
            watch.cancelled = True
            deadline = time.perf_counter() + CANCEL_GRACE_S
        if deadline is not None and time.perf_counter() > deadline and worker.is_alive():
            _RUNNING[:] = [t for t in _RUNNING if t.is_alive()] + [worker]
            return None
    return done


def _highs_status(model_status: Any, *, cancelled: bool, has_sol: bool) -> str:
    """The :data:`STATUSES` name of a HiGHS model status."""
    import highspy

    ms = highspy.HighsModelStatus
    if cancelled or model_status == ms.kInterrupt:
        return "cancelled"
    if model_status == ms.kOptimal:
        return "optimal"
    if model_status == ms.kTimeLimit:
        return "time_limit"
    if model_status == ms.kInfeasible:
        return "infeasible"
    return "feasible" if has_sol else "error"


def _highs_values(h: Any, arr: ProblemArrays) -> dict[str, float]:
    """Copy HiGHS's solution into the PuLP variables; ``{name: value}``."""
    return _write_values(arr, np.asarray(h.getSolution().col_value, dtype=float).tolist())


def _write_values(arr: ProblemArrays, x: list[float] | None) -> dict[str, float]:
    """Set the variables' ``varValue`` to ``x`` (column order, ``None`` clears); ``{name: x}``."""
    if x is None:
        for v in arr.variables:
            v.varValue = None
        return {}
    for v, xv in zip(arr.variables, x, strict=True):
        v.varValue = xv
    return {v.name: xv for v, xv in zip(arr.variables, x, strict=True)}


def _highs_bound_gap(
    info: Any, status_s: str, objective: float, *, is_mip: bool
) -> tuple[float | None, float | None]:
    """Best bound and relative gap of a run with a solution."""
    if not is_mip:
        optimal = status_s == "optimal"
        return (objective if optimal else None), (0.0 if optimal else None)
    best_bound = float(info.mip_dual_bound)
    gap = float(info.mip_gap) if math.isfinite(info.mip_gap) else None
    if status_s == "optimal" and gap is None:
        gap = 0.0
    return best_bound, gap


@overload
def start_vector(
    arr: ProblemArrays, initial_values: dict[str, float] | np.ndarray
) -> np.ndarray: ...
@overload
def start_vector(arr: ProblemArrays, initial_values: None) -> None: ...
@overload
def start_vector(
    arr: ProblemArrays, initial_values: dict[str, float] | np.ndarray | None
) -> np.ndarray | None: ...
def start_vector(
    arr: ProblemArrays, initial_values: dict[str, float] | np.ndarray | None
) -> np.ndarray | None:
    """``initial_values`` as a full column vector in ``arr``'s column order (or ``None``)."""
    if initial_values is None:
        return None
    if isinstance(initial_values, dict):
        x = np.zeros(arr.n_cols)
        pos = {v.name: k for k, v in enumerate(arr.variables)}
        for name, val in initial_values.items():
            k = pos.get(name)
            if k is not None:
                x[k] = float(val)
        return x
    x = np.asarray(initial_values, dtype=float).ravel()
    if x.size != arr.n_cols:
        msg = f"initial_values must have {arr.n_cols} entries (got {x.size})"
        raise ValueError(msg)
    return x


def _abandoned(
    arr: ProblemArrays, best: dict[str, Any], runtime: float, prob: pulp.LpProblem
) -> SolveResult:
    """Result of a cancelled run whose worker did not stop in time: last incumbent."""
    if "x" not in best:
        _write_values(arr, None)
        return SolveResult(
            "cancelled",
            None,
            best.get("bound"),
            None,
            runtime,
            "highs",
            {},
            "cancelled before an incumbent was found",
        )
    values = _write_values(arr, best["x"].tolist())
    obj = best["obj"]
    bound = best.get("bound")
    gap = None if bound is None else abs(obj - bound) / max(abs(obj), 1e-10)
    prob.status = 0
    return SolveResult(
        "cancelled",
        obj,
        bound,
        gap,
        runtime,
        "highs",
        values,
        "cancelled; last incumbent returned while HiGHS was stopping",
    )


# --------------------------------------------------------------------------- CBC
def _solve_cbc(
    prob: pulp.LpProblem,
    *,
    time_limit_s: float | None,
    mip_gap: float,
    threads: int | None,
    msg: bool,
    initial_values: dict[str, float] | np.ndarray | None = None,
) -> SolveResult:
    warm = initial_values is not None
    if initial_values is not None:
        arr = problem_arrays(prob)
        _write_values(arr, start_vector(arr, initial_values).tolist())
    cmd = pulp.PULP_CBC_CMD(
        msg=msg,
        warmStart=warm,
        timeLimit=None if time_limit_s is None else max(1, int(math.ceil(time_limit_s))),
        gapRel=mip_gap,
        threads=threads,
    )
    if not cmd.available():
        msg_ = "neither HiGHS (pip install highspy) nor CBC (pip install pulp) can run"
        from wufei_gis.errors import SolveError

        raise SolveError(msg_)
    t0 = time.perf_counter()
    prob.solve(cmd)
    runtime = time.perf_counter() - t0
    sol = prob.sol_status
    if prob.status == pulp.LpStatusOptimal and sol == pulp.LpSolutionOptimal:
        status_s = "optimal"
    elif sol == pulp.LpSolutionIntegerFeasible:
        status_s = (
            "time_limit" if time_limit_s is not None and runtime >= time_limit_s else "feasible"
        )
    elif prob.status == pulp.LpStatusInfeasible:
        status_s = "infeasible"
    elif sol == pulp.LpSolutionNoSolutionFound and time_limit_s is not None:
        status_s = "time_limit"
    else:
        status_s = "error"
    values: dict[str, float] = {}
    objective = None
    if status_s in ("optimal", "feasible", "time_limit") and sol in (
        pulp.LpSolutionOptimal,
        pulp.LpSolutionIntegerFeasible,
    ):
        values = {v.name: float(v.varValue or 0.0) for v in prob.variables()}
        objective = float(pulp.value(prob.objective) or 0.0)
    gap = 0.0 if status_s == "optimal" else None
    bound = objective if status_s == "optimal" else None
    return SolveResult(
        status_s, objective, bound, gap, runtime, "cbc", values, pulp.LpStatus[prob.status]
    )
