"""OR-Library CFLP validation: all 24 ``cap`` instances and capa/capb/capc at every
capacity in ``capopt.txt``.

Usage::

    python bench/orlib.py [--dir /work/shared/bench/orlib/cflp] [--time-limit 300]
                          [--only cap] [--threads 2]

Prints one row per run (instance, published optimum, ours, relative error,
solver status, time) and the number of runs within 1e-6 relative error.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

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
    args = ap.parse_args()

    runs = [(n, c, v) for n, c, v in read_capopt(args.dir / "capopt.txt")
            if (args.dir / f"{n}.txt").exists() and n.startswith(args.only)]
    print(f"{'instance':<18}{'published':>16}{'ours':>18}{'rel.err':>11}  {'status':<11}{'time s':>8}")
    passed = 0
    total_t = 0.0
    for name, cap, want in runs:
        inst = read_orlib_cap(args.dir / f"{name}.txt", capacity=cap)
        t0 = time.perf_counter()
        sol = solve_cflp(inst.demand, inst.capacity, inst.fixed_cost, inst.unit_cost,
                         unserved_penalty=None, mip_gap=1e-9, time_limit_s=args.time_limit,
                         threads=args.threads)
        dt = time.perf_counter() - t0
        total_t += dt
        got = sol.result.objective
        err = abs(got - want) / want if got is not None else float("inf")
        ok = err <= args.tol
        passed += ok
        label = name if cap is None else f"{name}@{cap:g}"
        got_s = f"{got:18.3f}" if got is not None else f"{'-':>18}"
        print(f"{label:<18}{want:16.3f}{got_s}{err:11.2e}  {sol.status:<11}{dt:8.2f}"
              + ("" if ok else "  <-- off"), flush=True)
    print(f"\npassed {passed}/{len(runs)} within {args.tol:g} relative error; "
          f"total {total_t:.1f} s")


if __name__ == "__main__":
    main()
