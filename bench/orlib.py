"""OR-Library CFLP validation: all 24 ``cap`` instances and capa/capb/capc at every
capacity in ``capopt.txt``.

Usage::

    python bench/orlib.py [--dir /work/shared/bench/orlib/cflp] [--time-limit 300]
                          [--only cap] [--threads 2]

Prints one row per run (instance, capacity, published optimum, ours, relative
error |ours - published| / published, solver status, wall time including the
model build, and for the large runs the number of lazily generated strong rows)
and the number of runs within 1e-6 relative error.  Each run goes through
``solve_cflp`` exactly as the product calls it (defaults: ``strong_linking="auto"``,
MIP start from the LP) with ``unserved_penalty=None`` and ``mip_gap=1e-9``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from wufei_gis.optimization import CFLPData, CFLPOptions, SolverOptions
from wufei_gis.optimization.cflp import solve_cflp
from wufei_gis.optimization.orlib import read_capopt, read_orlib_cap

DEFAULT_DIR = Path("/work/shared/bench/orlib/cflp")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--time-limit", type=float, default=300.0, help="seconds per run")
    ap.add_argument("--only", default="", help="run instances whose name starts with this")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--tol", type=float, default=1e-6)
    ap.add_argument("--mip-gap", type=float, default=1e-9)
    args = ap.parse_args()

    runs = [
        (n, c, v)
        for n, c, v in read_capopt(args.dir / "capopt.txt")
        if (args.dir / f"{n}.txt").exists() and n.startswith(args.only)
    ]
    print(
        f"{'instance':<9}{'capacity':>9}{'published':>16}{'ours':>18}{'rel.err':>10}"
        f"  {'status':<11}{'time s':>8}{'rows':>7}",
        flush=True,
    )
    passed = 0
    total_t = 0.0
    for name, cap, want in runs:
        inst = read_orlib_cap(args.dir / f"{name}.txt", capacity=cap)
        t0 = time.perf_counter()
        sol = solve_cflp(
            CFLPData(inst.demand, inst.capacity, inst.fixed_cost, inst.unit_cost),
            CFLPOptions(unserved_penalty=None),
            solver_options=SolverOptions(
                mip_gap=args.mip_gap, time_limit_s=args.time_limit, threads=args.threads
            ),
        )
        dt = time.perf_counter() - t0
        total_t += dt
        got = sol.result.objective
        err = abs(got - want) / want if got is not None else float("inf")
        ok = err <= args.tol
        passed += ok
        cap_s = "-" if cap is None else f"{cap:g}"
        got_s = f"{got:18.3f}" if got is not None else f"{'-':>18}"
        rows = "-" if sol.lazy is None else str(sol.lazy.arcs.size)
        print(
            f"{name:<9}{cap_s:>9}{want:16.3f}{got_s}{err:10.1e}  {sol.status:<11}{dt:8.2f}"
            f"{rows:>7}" + ("" if ok else "  <-- off"),
            flush=True,
        )
    print(
        f"\npassed {passed}/{len(runs)} within {args.tol:g} relative error; total {total_t:.1f} s"
    )


if __name__ == "__main__":
    main()
