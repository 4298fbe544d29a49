"""Scenario sweep on Dask: serial vs a LocalCluster of 2 worker processes.

Solves the same runs of the Yuxi sample (``plan-2025`` over
``incineration_share_min`` × ``circuity_factor`` × ``generation_growth_rate``,
8 runs by default) one after another in this process, then with
:func:`wufei_gis.optimization.sweep.run_sweep` on a LocalCluster of
``--workers`` processes (one HiGHS thread each), and prints the wall times,
the speed-up (goal ≥ 1.8× on 2 workers), whether the objectives agree, and the
overhead per task (a round trip of an empty task through the scheduler).

Usage::

    python bench/sweep.py [--workers 2] [--runs 8]
"""

from __future__ import annotations

import argparse
import os
import time

from wufei_gis.optimization.sweep import SweepOptions, _run_inputs, run_sweep, solve_run
from wufei_gis.samples import load_sample
from wufei_gis.sweep_design import design_runs, parse_vary


def _noop(i: int) -> int:
    return i


def overhead_per_task(workers: int, tasks: int = 200) -> float:
    """Seconds per empty task submitted and gathered through a LocalCluster."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0") as cl,
        Client(cl) as client,
    ):
        client.gather(client.map(_noop, range(10)))  # warm up
        t0 = time.perf_counter()
        client.gather(client.map(_noop, range(tasks), pure=False))
        return (time.perf_counter() - t0) / tasks


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=8, choices=(4, 8, 16))
    args = ap.parse_args()
    project = load_sample("yuxi")
    vary = [
        parse_vary("incineration_share_min=0.6,0.7"),
        parse_vary("circuity_factor=1.3,1.5"),
        parse_vary(
            "generation_growth_rate=0.01,0.03" if args.runs >= 8 else "generation_growth_rate=0.02"
        ),
    ]
    if args.runs == 16:
        vary.append(parse_vary("collection_cost_yuan_tkm=2,4"))
    runs = design_runs(vary)
    print(f"{len(runs)} runs of yuxi plan-2025; load average {os.getloadavg()[0]:.2f}", flush=True)
    base = project.scenario("plan-2025")
    t0 = time.perf_counter()
    inputs = _run_inputs(project, base, runs, 1)
    serial = [solve_run(i, r)[0] for i, r in zip(inputs, runs, strict=True)]
    t_serial = time.perf_counter() - t0
    print(f"serial            {t_serial:7.2f} s", flush=True)
    t0 = time.perf_counter()
    res = run_sweep(project, base, vary, options=SweepOptions(workers=args.workers))
    t_dask = time.perf_counter() - t0
    solve_s = float(res.runs["runtime_s"].sum())
    print(
        f"dask {args.workers} workers    {t_dask:7.2f} s (cluster start included; "
        f"sum of run times {solve_s:.2f} s)"
    )
    t_runs = t_dask - res.cluster_start_s
    print(f"  of which cluster start {res.cluster_start_s:.2f} s, runs {t_runs:.2f} s")
    print(
        f"speed-up          {t_serial / t_dask:7.2f} x with the cluster start, "
        f"{t_serial / t_runs:.2f} x without (goal >= 1.8x)"
    )
    same = all(
        abs(a["objective"] - b) <= 1e-9 * abs(b)
        for a, b in zip(serial, res.runs["objective"], strict=True)
    )
    print(f"objectives equal to the serial runs: {same}")
    print(f"overhead per task {1000 * overhead_per_task(args.workers):7.2f} ms")


if __name__ == "__main__":
    main()
