"""Scenario sweeps on Dask distributed: many solves of one scenario, in parallel.

:func:`run_sweep` makes the runs (:func:`wufei_gis.sweep_design.design_runs`),
assembles each run's :class:`~wufei_gis.planning_inputs.PlanningInputs` on the
client (so a bad value fails before anything is sent) and submits one task per
run to a Dask ``Client``: by default a ``LocalCluster`` of worker *processes*
with one thread each (HiGHS runs one thread per run, so N workers use N
cores), or an existing cluster given by its scheduler address
(``tcp://host:8786``).  Results come back as they finish (``as_completed``);
a run that fails is recorded with its error and the others go on; cancelling
(the callback, or Ctrl-C in the CLI) cancels the pending tasks.

The same scenario solved alone (:func:`~wufei_gis.optimization.planning.solve_inputs`
with the run's keys) gives the same result: a task is exactly that call.
On a remote cluster (a scheduler address) the workers need wufei-gis installed;
the inputs travel with the task without the project path, so the project file
need not exist there (its travel-matrix cache is then not used).
"""

from __future__ import annotations

import dataclasses
import logging
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from wufei_gis.errors import InputError, WufeiError
from wufei_gis.planning_inputs import PlanningInputs, cost_provider_for, planning_inputs
from wufei_gis.progress import CancelCallback, ProgressCallback, report
from wufei_gis.project import Project
from wufei_gis.results import RunResult
from wufei_gis.scenario import Scenario
from wufei_gis.sweep_design import SweepRun, Variation, design_runs

from .planning import solve_inputs

__all__ = ["SweepOptions", "SweepResult", "run_sweep", "solve_run"]

logger = logging.getLogger(__name__)

#: Columns of the run table after the varied keys.
RUN_COLUMNS = [
    "run_id",
    "status",
    "objective",
    "mip_gap",
    "transport_cost",
    "fixed_cost",
    "unserved_tpd",
    "incineration_share",
    "new_sites",
    "opened_sites",
    "runtime_s",
    "worker",
    "error",
]


@dataclass(frozen=True)
class SweepOptions:
    """How a sweep runs.

    Parameters
    ----------
    scheduler
        Address of an existing Dask scheduler (``tcp://host:8786``); ``None`` =
        start a ``LocalCluster`` of processes for this sweep.
    workers
        Worker processes of the local cluster (one solver thread each).
    design, samples, seed
        ``"grid"`` or ``"lhs"`` (see :func:`~wufei_gis.sweep_design.design_runs`).
    keep_results
        Also return every run's full result layers (memory: a few MB per run).
    solver_threads
        HiGHS threads per run (1: the workers share the cores).
    """

    scheduler: str | None = None
    workers: int = 2
    design: str = "grid"
    samples: int = 8
    seed: int = 0
    keep_results: bool = False
    solver_threads: int = 1


@dataclass
class SweepResult:
    """What a sweep returns.

    Attributes
    ----------
    runs
        One row per run: the varied keys, then :data:`RUN_COLUMNS`, in run order.
    keys
        The varied keys.
    base
        The base scenario's name.
    results
        ``run_id -> RunResult`` when ``keep_results`` (else empty).
    cancelled
        The sweep was cancelled; ``runs`` holds what finished.
    wall_s
        Wall time of the sweep (cluster start included).
    cluster_start_s
        Of which starting (or connecting to) the cluster.
    """

    runs: pd.DataFrame
    keys: list[str]
    base: str
    results: dict[str, RunResult] = field(default_factory=dict)
    cancelled: bool = False
    wall_s: float = 0.0
    cluster_start_s: float = 0.0

    def records(self) -> list[dict[str, Any]]:
        """The runs as JSON-ready dicts: ``params``, status, objective, KPIs, sites."""
        out = []
        for row in self.runs.to_dict("records"):
            rec: dict[str, Any] = {"params": {k: _plain(row.pop(k)) for k in self.keys}}
            rec.update({k: _plain(v) for k, v in row.items()})
            out.append(rec)
        return out


def _plain(v: Any) -> Any:
    if isinstance(v, float) and v != v:  # NaN
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def solve_run(
    inputs: PlanningInputs, run: SweepRun, *, keep_result: bool = False
) -> tuple[dict[str, Any], RunResult | None]:
    """Solve one run (the body of a sweep task); never raises for a failed solve.

    Returns the run's table row and, with ``keep_result``, its result layers.
    """
    import socket

    row: dict[str, Any] = {"run_id": run.run_id, **run.params, "worker": socket.gethostname()}
    t0 = time.perf_counter()
    try:
        result = solve_inputs(inputs)
    except (WufeiError, ValueError, RuntimeError) as err:  # a failed run is a row, not a crash
        row.update(status="error", error=str(err).splitlines()[0] if str(err) else repr(err))
        row["runtime_s"] = time.perf_counter() - t0
        logger.debug("run %s failed:\n%s", run.run_id, traceback.format_exc())
        return row, None
    s = result.summary()
    sites = result.proposed_sites
    opened = sites.loc[sites["is_new"].astype(bool), "site_id"].astype(str).tolist()
    row.update({k: s.get(k) for k in RUN_COLUMNS if k in s})
    row.update(opened_sites=", ".join(opened), runtime_s=time.perf_counter() - t0, error="")
    return row, (result if keep_result else None)


def _run_inputs(
    project: Project,
    base: Scenario,
    runs: Sequence[SweepRun],
    threads: int,
    *,
    remote: bool = False,
) -> list[PlanningInputs]:
    """Each run's inputs; runs with the same network and circuity share one cost provider
    (a road network is read from the project once, not once per run).  For a remote
    cluster the project path is dropped: the workers do not have the file (no matrix cache)."""
    out = []
    providers: dict[tuple[Any, ...], Any] = {}
    for run in runs:
        sc = base.copy(name=f"{base.name}#{run.run_id}", threads=threads, **run.params)
        key = (sc.network, sc.circuity_factor)
        if key not in providers:
            providers[key] = cost_provider_for(project.path, sc)
        inputs = planning_inputs(project, sc, cost_provider=providers[key])
        out.append(dataclasses.replace(inputs, project_path=None) if remote else inputs)
    return out


def _client(options: SweepOptions) -> tuple[Any, Any]:
    """A Dask client, and the LocalCluster it owns (``None`` for a remote scheduler)."""
    from distributed import Client, LocalCluster

    if options.scheduler:
        try:
            return Client(options.scheduler, timeout="10s"), None
        except OSError as err:
            raise InputError(
                f"cannot reach the Dask scheduler at {options.scheduler}: {err}",
                field="scheduler",
                fix="start it (dask scheduler) or check the address, e.g. tcp://host:8786",
            ) from None
    cluster = LocalCluster(
        n_workers=max(1, options.workers),
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",  # a free port: None would still try 8787 and warn if taken
        silence_logs=logging.ERROR,
    )
    return Client(cluster), cluster


def run_sweep(
    project: Project,
    scenario: str | Scenario,
    variations: Sequence[Variation],
    *,
    options: SweepOptions | None = None,
    progress: ProgressCallback | None = None,
    should_cancel: CancelCallback | None = None,
) -> SweepResult:
    """Solve ``scenario`` once per run of the sweep, on Dask.

    Parameters
    ----------
    project
        The planning study.
    scenario
        The base scenario (name or :class:`~wufei_gis.scenario.Scenario`).
    variations
        The varied keys (:func:`~wufei_gis.sweep_design.parse_vary`).
    options
        :class:`SweepOptions` (scheduler, workers, design ...).
    progress
        ``progress(fraction, message)`` after every finished run.
    should_cancel
        Polled while waiting; pending runs are cancelled when it returns ``True``.

    Returns
    -------
    SweepResult
        The table of runs (failed runs have ``status="error"`` and ``error``).

    Raises
    ------
    InputError
        A varied value is invalid for the scenario, or the scheduler cannot be reached.
    """
    from distributed import wait

    opts = options or SweepOptions()
    t0 = time.perf_counter()
    base = project.scenario(scenario)
    runs = design_runs(variations, design=opts.design, samples=opts.samples, seed=opts.seed)
    inputs = _run_inputs(project, base, runs, opts.solver_threads, remote=bool(opts.scheduler))
    keys = [v.key for v in variations]
    report(progress, 0.0, f"starting {len(runs)} runs")
    # the cluster's own INFO/WARNING lines (e.g. a nanny killing a slow worker at close)
    logging.getLogger("distributed").setLevel(logging.ERROR)
    t_cluster = time.perf_counter()
    client, cluster = _client(opts)
    t_cluster = time.perf_counter() - t_cluster
    rows: dict[str, dict[str, Any]] = {}
    results: dict[str, RunResult] = {}
    cancelled = False
    futures: list[Any] = []
    try:
        futures = [
            client.submit(solve_run, inp, run, keep_result=opts.keep_results, pure=False)
            for inp, run in zip(inputs, runs, strict=True)
        ]
        pending = set(futures)
        while pending and not cancelled:
            # wait briefly, so a cancel is seen even while every run is still solving
            try:
                finished, pending = wait(list(pending), timeout=0.5, return_when="FIRST_COMPLETED")
            except TimeoutError:
                finished = set()
            pending = set(pending)
            for fut in finished:
                row, result = fut.result()
                rows[row["run_id"]] = row
                if result is not None:
                    results[row["run_id"]] = result
                report(progress, len(rows) / len(runs), f"{len(rows)}/{len(runs)} runs")
            if should_cancel is not None and should_cancel():
                cancelled = True
                client.cancel(list(pending))
    except KeyboardInterrupt:
        cancelled = True
        client.cancel(futures)
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    table = _table(runs, rows, keys)
    wall = time.perf_counter() - t0
    return SweepResult(table, keys, base.name, results, cancelled, wall, t_cluster)


def _table(
    runs: Sequence[SweepRun], rows: dict[str, dict[str, Any]], keys: list[str]
) -> pd.DataFrame:
    ordered = [rows[r.run_id] for r in runs if r.run_id in rows]
    df = pd.DataFrame(ordered, columns=[*keys, *RUN_COLUMNS])
    return df.reset_index(drop=True)
