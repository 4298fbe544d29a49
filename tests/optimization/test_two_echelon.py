"""Two-echelon planning model: each policy constraint on a tiny hand-checked instance.

Conventions in every instance below: collection 1 yuan/t-km, transfer
0.5 yuan/t-km, no gate costs, unserved penalty 1000 yuan/t, direct-haul limit
off unless the test is about it.  Sites and sources lie on a line; distances
are |x_a - x_b| km.
"""

from __future__ import annotations

import numpy as np
import pytest

from wufei_gis.errors import InputError
from wufei_gis.optimization import CFLPData, CFLPOptions, SolverOptions
from wufei_gis.optimization.cflp import solve_cflp
from wufei_gis.optimization.two_echelon import (
    TwoEchelonData,
    TwoEchelonOptions,
    build_two_echelon,
    solve_two_echelon,
)


def line(a, b) -> np.ndarray:
    return np.abs(np.asarray(a, float)[:, None] - np.asarray(b, float)[None, :])


def plants_only(
    src_x, demand, plant_x, cap, *, incinerator, is_open, fixed=None, counties=None
) -> TwoEchelonData:
    """Sources and plants on a line; ``counties`` = (source labels, plant labels) or None."""
    n = len(plant_x)
    county, plant_county = (None, None) if counties is None else counties
    return TwoEchelonData(
        demand=demand,
        dist_source_plant=line(src_x, plant_x),
        plant_capacity=cap,
        plant_is_incinerator=incinerator,
        plant_is_open=is_open,
        plant_fixed_cost=np.zeros(n) if fixed is None else fixed,
        plant_gate_cost=np.zeros(n),
        collection_cost_tkm=1.0,
        transfer_cost_tkm=0.5,
        unserved_penalty=1000.0,
        source_county=county,
        plant_county=plant_county,
    )


NOLIMIT = dict(max_direct_haul_km=None)


# --- incineration share and landfill cap --------------------------------------------
# One source (100 t/d) at x=0; landfill L at 5 km, incinerator N at 15 km, both
# open, ample capacity.  Unconstrained: all to L = 100 x 5 = 500.
def _ln() -> TwoEchelonData:
    return plants_only(
        [0], [100], [5, 15], [1000, 1000], incinerator=[False, True], is_open=[True, True]
    )


def test_no_policy_goes_to_nearest() -> None:
    sol = solve_two_echelon(_ln(), TwoEchelonOptions(**NOLIMIT))
    assert sol.objective == pytest.approx(500.0)
    assert sol.binding_policy == []


def test_incineration_share() -> None:
    # >= 60 % incinerated: 60 x 15 + 40 x 5 = 1100.
    sol = solve_two_echelon(_ln(), TwoEchelonOptions(incineration_share_min=0.6, **NOLIMIT))
    assert sol.objective == pytest.approx(1100.0)
    assert sol.incinerated_tpd == pytest.approx(60.0)
    assert sol.binding_policy == ["incineration_share"]


@pytest.mark.parametrize("cap,want", [(30.0, 70 * 15 + 30 * 5), (0.0, 100 * 15)])
def test_landfill_cap(cap: float, want: float) -> None:
    sol = solve_two_echelon(_ln(), TwoEchelonOptions(landfill_cap_tpd=cap, **NOLIMIT))
    assert sol.objective == pytest.approx(want)
    assert sol.landfilled_tpd == pytest.approx(cap)
    assert "landfill_cap" in sol.binding_policy


def test_incineration_share_short_of_capacity_reports_unserved() -> None:
    # Incinerator holds only 30 t/d; 60 % share caps treated at 50 t/d:
    # 30 incinerated + 20 landfilled, 50 unserved (the gap is a result).
    d = _ln()
    d.plant_capacity = np.array([1000.0, 30.0])
    sol = solve_two_echelon(d, TwoEchelonOptions(incineration_share_min=0.6, **NOLIMIT))
    assert sol.status == "optimal"
    assert sol.unserved.sum() == pytest.approx(50.0)
    assert sol.incinerated_tpd == pytest.approx(30.0)
    assert "plant:1" in sol.binding_capacity


# --- number of new sites, required, forbidden ------------------------------------------
# Sources at x=0 and x=100 (10 t/d each); candidate plants at x=0 (fixed 2000/d)
# and x=100 (fixed 2100/d), capacity 100.  Opening one and hauling the other
# source's 10 t over 100 km costs 1000, less than the second fixed cost, so the
# optimum opens only the cheaper site: 2000 + 1000 = 3000.
def _two_cand() -> TwoEchelonData:
    return plants_only(
        [0, 100],
        [10, 10],
        [0, 100],
        [100, 100],
        incinerator=[False, False],
        is_open=[False, False],
        fixed=[2000.0, 2100.0],
    )


def test_candidates_unconstrained() -> None:
    sol = solve_two_echelon(_two_cand(), TwoEchelonOptions(**NOLIMIT))
    assert sol.plant_open.tolist() == [True, False]
    assert sol.objective == pytest.approx(3000.0)


def test_exact_p_forces_second_site() -> None:
    sol = solve_two_echelon(
        _two_cand(), TwoEchelonOptions(max_new_sites=2, exact_new_sites=True, **NOLIMIT)
    )
    assert sol.plant_open.tolist() == [True, True]
    assert sol.objective == pytest.approx(4100.0)
    assert sol.binding_policy == ["new_sites"]


def test_max_p_zero_leaves_all_unserved() -> None:
    sol = solve_two_echelon(_two_cand(), TwoEchelonOptions(max_new_sites=0, **NOLIMIT))
    assert not sol.plant_open.any()
    assert sol.unserved.tolist() == [10, 10]
    assert sol.objective == pytest.approx(20_000.0)


def test_max_p_not_binding() -> None:
    sol = solve_two_echelon(_two_cand(), TwoEchelonOptions(max_new_sites=2, **NOLIMIT))
    assert sol.objective == pytest.approx(3000.0)
    assert sol.binding_policy == []


def test_required_candidate() -> None:
    # x=100 must open (2100 + 1000 haul); adding x=0 too would cost 2000 to save 1000.
    sol = solve_two_echelon(
        _two_cand(), TwoEchelonOptions(required_plant=np.array([False, True]), **NOLIMIT)
    )
    assert sol.plant_open.tolist() == [False, True]
    assert sol.objective == pytest.approx(3100.0)


def test_forbidden_candidate_like_exclusion_zone() -> None:
    model = build_two_echelon(
        _two_cand(), TwoEchelonOptions(forbidden_plant=np.array([True, False]), **NOLIMIT)
    )
    assert list(model.v) == [1]  # no variable for the excluded site
    sol = solve_two_echelon(
        _two_cand(), TwoEchelonOptions(forbidden_plant=np.array([True, False]), **NOLIMIT)
    )
    assert sol.plant_open.tolist() == [False, True]
    assert sol.objective == pytest.approx(3100.0)


# --- single sourcing ------------------------------------------------------------------
def test_single_sourcing() -> None:
    # 100 t/d at x=0; landfill A at 5 km (cap 60), B at 10 km (cap 100).
    # Split: 60 x 5 + 40 x 10 = 700.  Single: all to B = 1000.
    d = plants_only(
        [0], [100], [5, 10], [60, 100], incinerator=[False, False], is_open=[True, True]
    )
    assert solve_two_echelon(d, TwoEchelonOptions(**NOLIMIT)).objective == pytest.approx(700.0)
    sol = solve_two_echelon(d, TwoEchelonOptions(single_sourcing=True, **NOLIMIT))
    assert sol.objective == pytest.approx(1000.0)
    assert sol.plant_throughput.tolist() == pytest.approx([0.0, 100.0])


def test_single_sourcing_serves_a_part_and_leaves_the_rest_unserved() -> None:
    # One source of 10 t/d at x=0; the only plant (x=5) holds 6 t/d.  The
    # served part goes to one site, the rest is the capacity gap: 6 served +
    # 4 unserved = 6 x 5 + 4 x 1000 = 4030 ("wholly or unserved" would leave
    # all 10 unserved: 10,000).
    d = plants_only([0], [10], [5], [6], incinerator=[False], is_open=[True])
    sol = solve_two_echelon(d, TwoEchelonOptions(single_sourcing=True, **NOLIMIT))
    assert sol.plant_throughput.tolist() == pytest.approx([6.0])
    assert sol.unserved.tolist() == pytest.approx([4.0])
    assert sol.objective == pytest.approx(4030.0)


def test_single_sourcing_partial_through_a_transfer_station() -> None:
    # Same through the first leg to a station in service of 6 t/d (x=5); the
    # plant at x=100 is beyond the 20 km direct-haul limit.  6 x 5 (collection)
    # + 6 x 95 x 0.5 (transfer) + 4 x 1000 = 30 + 285 + 4000 = 4315.
    d = plants_only([0], [10], [100], [1000], incinerator=[False], is_open=[True])
    d = TwoEchelonData(
        demand=d.demand,
        dist_source_plant=d.dist_source_plant,
        plant_capacity=d.plant_capacity,
        plant_is_incinerator=d.plant_is_incinerator,
        plant_is_open=d.plant_is_open,
        plant_fixed_cost=d.plant_fixed_cost,
        plant_gate_cost=d.plant_gate_cost,
        dist_source_transfer=line([0], [5]),
        dist_transfer_plant=line([5], [100]),
        transfer_is_open=[True],
        transfer_capacity=[6.0],
        transfer_gate_cost=[0.0],
        collection_cost_tkm=1.0,
        transfer_cost_tkm=0.5,
        unserved_penalty=1000.0,
    )
    sol = solve_two_echelon(d, TwoEchelonOptions(single_sourcing=True, max_direct_haul_km=20.0))
    assert sol.transfer_throughput.tolist() == pytest.approx([6.0])
    assert sol.unserved.tolist() == pytest.approx([4.0])
    assert sol.objective == pytest.approx(4315.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_single_sourcing_means_the_same_as_the_cflp(seed: int) -> None:
    # Plants only, no gate cost: the two-echelon model is the CFLP.  Tight
    # capacity and a low penalty make partial service worth it; both models
    # must reach the same optimum and serve each source from at most one site.
    rng = np.random.default_rng(seed)
    src, site = rng.uniform(0, 100, 25), rng.uniform(0, 100, 6)
    dem = rng.integers(5, 30, 25).astype(float)
    cap = rng.uniform(0.1, 0.3, 6) * dem.sum()
    fixed = rng.uniform(100.0, 600.0, 6)
    penalty = 60.0
    data = plants_only(
        src, dem, site, cap, incinerator=np.zeros(6, bool), is_open=np.arange(6) < 2, fixed=fixed
    )
    data.unserved_penalty = penalty
    te = solve_two_echelon(
        data,
        TwoEchelonOptions(single_sourcing=True, **NOLIMIT),
        solver_options=SolverOptions(mip_gap=1e-9),
    )
    cf = solve_cflp(
        CFLPData(dem, cap, fixed, line(site, src), is_open=np.arange(6) < 2),
        CFLPOptions(unserved_penalty=penalty, single_sourcing=True),
        solver_options=SolverOptions(mip_gap=1e-9),
    )
    assert te.status == cf.status == "optimal"
    assert te.objective == pytest.approx(cf.objective, rel=1e-7)
    assert te.unserved.sum() == pytest.approx(cf.unserved.sum(), abs=1e-6)
    assert ((cf.flows > 1e-9).sum(axis=0) <= 1).all()
    assert te.arcs.groupby("from_index")["to_index"].nunique().max() <= 1
    # the instance does exercise partial service: some source is split
    # between one site and the gap
    served = cf.flows.sum(axis=0)
    assert ((served > 1e-6) & (served < dem - 1e-6)).any()


# --- required / forbidden that the model cannot honour ----------------------------------
def test_required_and_forbidden_is_an_input_error() -> None:
    with pytest.raises(InputError, match="both required and forbidden.*plants \\[1\\]"):
        build_two_echelon(
            _two_cand(),
            TwoEchelonOptions(
                required_plant=np.array([False, True]), forbidden_plant=np.array([False, True])
            ),
        )


def _station_candidate(option_cost: list[float], option_cap: list[float]) -> TwoEchelonData:
    return TwoEchelonData(
        demand=[10.0],
        dist_source_plant=line([0], [100]),
        plant_capacity=[1000.0],
        plant_is_incinerator=[False],
        plant_is_open=[True],
        plant_fixed_cost=[0.0],
        plant_gate_cost=[0.0],
        dist_source_transfer=line([0], [5]),
        dist_transfer_plant=line([5], [100]),
        transfer_is_open=[False],
        transfer_capacity=[0.0],
        transfer_option_capacity=[option_cap],
        transfer_option_cost=[option_cost],
        transfer_gate_cost=[0.0],
    )


def test_required_station_and_forbidden_is_an_input_error() -> None:
    with pytest.raises(InputError, match="transfer stations \\[0\\]"):
        build_two_echelon(
            _station_candidate([10.0], [150.0]),
            TwoEchelonOptions(required_transfer=[True], forbidden_transfer=[True]),
        )


@pytest.mark.parametrize(
    "cost,cap", [([np.inf, np.inf], [150.0, 450.0]), ([10.0, np.nan], [0.0, 450.0])]
)
def test_required_station_without_size_class_is_an_input_error(cost, cap) -> None:
    data = _station_candidate(cost, cap)
    build_two_echelon(data)  # not required: simply no variable
    with pytest.raises(InputError, match="offer a size class for it"):
        build_two_echelon(data, TwoEchelonOptions(required_transfer=[True]))


def test_required_station_with_a_class_opens() -> None:
    sol = solve_two_echelon(
        _station_candidate([np.inf, 10.0], [150.0, 450.0]),
        TwoEchelonOptions(required_transfer=[True]),
    )
    assert sol.transfer_open.tolist() == [True] and sol.transfer_class.tolist() == [1]


def test_required_plant_without_capacity_is_an_input_error() -> None:
    d = _two_cand()
    d.plant_capacity = np.array([100.0, 0.0])
    with pytest.raises(InputError, match="capacity > 0"):
        build_two_echelon(d, TwoEchelonOptions(required_plant=np.array([False, True])))


# --- county self-sufficiency ---------------------------------------------------------------
def test_county_self_sufficiency() -> None:
    # Source in county X; plant at 5 km is in county Y, plant at 30 km in X.
    d = plants_only(
        [0],
        [100],
        [5, 30],
        [1000, 1000],
        incinerator=[False, False],
        is_open=[True, True],
        counties=(np.array(["X"]), np.array(["Y", "X"])),
    )
    assert solve_two_echelon(d, TwoEchelonOptions(**NOLIMIT)).objective == pytest.approx(500.0)
    sol = solve_two_echelon(d, TwoEchelonOptions(county_self_sufficiency=True, **NOLIMIT))
    assert sol.objective == pytest.approx(3000.0)


# --- transfer stations: direct-haul limit and size classes ---------------------------------
# Source at x=0, landfill (open) at x=50, candidate transfer station at x=2.
# Size classes: small 150 t/d (fixed f_s), medium 450 t/d (fixed f_m).
def _with_transfer(demand: float, f_small: float, f_medium: float) -> TwoEchelonData:
    return TwoEchelonData(
        demand=[demand],
        dist_source_plant=line([0], [50]),
        plant_capacity=[1000],
        plant_is_incinerator=[False],
        plant_is_open=[True],
        plant_fixed_cost=[0.0],
        plant_gate_cost=[0.0],
        dist_source_transfer=line([0], [2]),
        dist_transfer_plant=line([2], [50]),
        transfer_is_open=[False],
        transfer_capacity=[0.0],
        transfer_option_capacity=[[150.0, 450.0]],
        transfer_option_cost=[[f_small, f_medium]],
        transfer_gate_cost=[0.0],
        collection_cost_tkm=1.0,
        transfer_cost_tkm=0.5,
        unserved_penalty=1000.0,
    )


def test_direct_haul_limit_forces_transfer_station() -> None:
    # Direct: 100 x 50 = 5000.  Via the station: 100 x 2 + 100 x 48 x 0.5 + 3000
    # fixed = 5600.  Without a limit the truck drives direct; with the 20 km
    # limit the station opens (5600 < 100 t unserved x 1000).
    d = _with_transfer(100.0, 3000.0, 5000.0)
    free = solve_two_echelon(d, TwoEchelonOptions(max_direct_haul_km=None))
    assert free.objective == pytest.approx(5000.0)
    assert not free.transfer_open[0]
    lim = solve_two_echelon(d, TwoEchelonOptions(max_direct_haul_km=20.0))
    assert lim.objective == pytest.approx(5600.0)
    assert lim.transfer_open[0] and lim.transfer_class[0] == 0
    stages = sorted(lim.arcs["stage"])
    assert stages == ["collection", "transfer"]
    assert lim.collection_cost == pytest.approx(200.0)
    assert lim.transfer_cost == pytest.approx(2400.0)
    assert lim.fixed_cost == pytest.approx(3000.0)


@pytest.mark.parametrize("demand,cls,fixed", [(100.0, 0, 100.0), (300.0, 1, 250.0)])
def test_size_class_choice(demand: float, cls: int, fixed: float) -> None:
    # 100 t/d fits the small class (fixed 100); 300 t/d needs the medium (250).
    sol = solve_two_echelon(_with_transfer(demand, 100.0, 250.0), TwoEchelonOptions())
    assert sol.transfer_class[0] == cls
    assert sol.fixed_cost == pytest.approx(fixed)
    assert sol.objective == pytest.approx(fixed + demand * 2 + demand * 48 * 0.5)
    assert sol.transfer_capacity[0] == [150.0, 450.0][cls]


def test_existing_transfer_station_capacity_binds() -> None:
    # Station in service with 60 t/d: 60 t via the station, 40 t unserved
    # (direct haul is beyond 20 km).
    d = _with_transfer(100.0, 0.0, 0.0)
    d.transfer_is_open = np.array([True])
    d.transfer_capacity = np.array([60.0])
    sol = solve_two_echelon(d, TwoEchelonOptions())
    assert sol.unserved.sum() == pytest.approx(40.0)
    assert sol.fixed_cost == 0.0
    assert sol.transfer_class[0] == -1
    assert sol.binding_capacity == ["transfer:0"]


def test_gate_costs_are_charged_per_tonne() -> None:
    d = _with_transfer(100.0, 3000.0, 5000.0)
    d.transfer_gate_cost = np.array([25.0])
    d.plant_gate_cost = np.array([60.0])
    sol = solve_two_echelon(d, TwoEchelonOptions())
    assert sol.gate_cost == pytest.approx(100 * 25 + 100 * 60)
    assert sol.objective == pytest.approx(5600.0 + 8500.0)


def test_random_instance_flow_balance() -> None:
    rng = np.random.default_rng(3)
    J, K, I = 40, 10, 4  # noqa: E741  I = number of plants (the model's J, K, S, I)
    src, tr, pl = rng.uniform(0, 80, (J, 2)), rng.uniform(0, 80, (K, 2)), rng.uniform(0, 80, (I, 2))

    def dist(a, b):
        return np.linalg.norm(a[:, None] - b[None], axis=2)

    data = TwoEchelonData(
        demand=rng.uniform(5, 40, J),
        dist_source_plant=dist(src, pl),
        plant_capacity=[300, 250, 200, 400],
        plant_is_incinerator=[True, False, True, False],
        plant_is_open=[True, True, False, False],
        plant_fixed_cost=[0, 0, 5000, 3000],
        plant_gate_cost=[110, 60, 110, 60],
        dist_source_transfer=dist(src, tr),
        dist_transfer_plant=dist(tr, pl),
        transfer_option_capacity=np.tile([150, 450], (K, 1)),
        transfer_option_cost=np.tile([3300.0, 7700.0], (K, 1)),
        transfer_gate_cost=np.full(K, 25.0),
    )
    sol = solve_two_echelon(data, TwoEchelonOptions(incineration_share_min=0.5))
    assert sol.status == "optimal"
    a = sol.arcs
    served = a[a.from_kind == "source"].groupby("from_index")["tonnes_per_day"].sum()
    served = served.reindex(range(J), fill_value=0.0).to_numpy()
    np.testing.assert_allclose(served + sol.unserved, data.demand, atol=1e-6)
    assert (sol.plant_throughput <= np.asarray(data.plant_capacity) * sol.plant_open + 1e-6).all()
    assert (sol.transfer_throughput <= sol.transfer_capacity + 1e-6).all()
    assert sol.incinerated_tpd >= 0.5 * sol.treated_tpd - 1e-6
    assert sol.objective == pytest.approx(sol.result.objective, rel=1e-7)
