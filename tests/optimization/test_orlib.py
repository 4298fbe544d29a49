"""OR-Library validation: published optima of Beasley's capacitated warehouse instances."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wufei_gis.errors import InputError
from wufei_gis.optimization import CFLPData, CFLPOptions, SolverOptions
from wufei_gis.optimization.cflp import solve_cflp
from wufei_gis.optimization.orlib import read_capopt, read_orlib_cap


def _optima(orlib_dir) -> dict[tuple[str, float | None], float]:
    return {(n, c): v for n, c, v in read_capopt(orlib_dir / "capopt.txt")}


def _solve(inst):
    # The published optima are for split demand with demand met exactly:
    # unit cost c_ij / d_j, no unserved slack.
    return solve_cflp(
        CFLPData(inst.demand, inst.capacity, inst.fixed_cost, inst.unit_cost),
        CFLPOptions(unserved_penalty=None),
        solver_options=SolverOptions(mip_gap=1e-9),
    )


def test_reader_shapes(orlib_dir) -> None:
    inst = read_orlib_cap(orlib_dir / "cap71.txt")
    assert inst.capacity.shape == (16,) and inst.demand.shape == (50,)
    assert inst.allocation_cost.shape == (16, 50)
    assert inst.demand[0] == 146 and inst.allocation_cost[0, 0] == pytest.approx(6739.725)
    assert inst.fixed_cost[10] == 0.0 and inst.capacity[0] == 58268
    np.testing.assert_allclose(inst.unit_cost * inst.demand, inst.allocation_cost)


def test_capopt_reader(orlib_dir) -> None:
    opt = _optima(orlib_dir)
    assert opt[("cap71", None)] == 932615.750
    assert opt[("capa", 8000.0)] == 19240822.449
    assert opt[("capc", 7250.0)] == 11505767.394
    assert len(opt) == 37 + 12


def test_capacity_word_needs_a_value(tmp_path) -> None:
    f = tmp_path / "capx.txt"
    f.write_text("1 1\n capacity 10.\n5\n 3.0\n")
    with pytest.raises(InputError, match="capacity="):
        read_orlib_cap(f)
    inst = read_orlib_cap(f, capacity=7.0)
    assert inst.capacity.tolist() == [7.0]


def test_cap71_published_optimum(orlib_dir) -> None:
    sol = _solve(read_orlib_cap(orlib_dir / "cap71.txt"))
    assert sol.status == "optimal"
    assert sol.result.objective == pytest.approx(932615.750, rel=1e-6)
    assert sol.objective == pytest.approx(932615.750, rel=1e-6)


@pytest.mark.parametrize("name", ["cap61", "cap72", "cap91", "cap101", "cap131", "cap134"])
def test_cap_published_optima(orlib_dir, name: str) -> None:
    want = _optima(orlib_dir)[(name, None)]
    sol = _solve(read_orlib_cap(orlib_dir / f"{name}.txt"))
    assert sol.status == "optimal"
    assert sol.objective == pytest.approx(want, rel=1e-6)


SRC = Path("/work/shared/bench/orlib/cflp")
# Every capa/capb/capc run published in capopt.txt (100 sites x 1000 customers).
CAPABC = [
    ("capa", 8000.0),
    ("capa", 10000.0),
    ("capa", 12000.0),
    ("capa", 14000.0),
    ("capb", 5000.0),
    ("capb", 6000.0),
    ("capb", 7000.0),
    ("capb", 8000.0),
    ("capc", 5000.0),
    ("capc", 5750.0),
    ("capc", 6500.0),
    ("capc", 7250.0),
]


def test_capabc_list_matches_capopt(orlib_dir) -> None:
    assert sorted(CAPABC) == sorted(k for k in _optima(orlib_dir) if k[1] is not None)


@pytest.mark.slow
@pytest.mark.parametrize("name,capacity", CAPABC)
def test_capabc_published_optima(name: str, capacity: float) -> None:
    if not (SRC / f"{name}.txt").exists():
        pytest.skip("capa/capb/capc (1.2 MB each) are not copied into tests/data")
    want = _optima(SRC)[(name, capacity)]
    sol = _solve(read_orlib_cap(SRC / f"{name}.txt", capacity=capacity))
    assert sol.status == "optimal"
    assert sol.lazy is not None and sol.lazy.complete  # 100k arcs: lazy strong rows
    assert sol.objective == pytest.approx(want, rel=1e-6)
