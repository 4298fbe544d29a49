"""Two-echelon planning model: sources -> (transfer stations ->) treatment plants.

Array-level model (formulation, symbols and units in
``docs/model.md``).  Indices: sources ``j`` (J), transfer stations ``k`` (K),
size classes ``s`` (S), treatment plants ``i`` (I).

With :class:`StreamData` every flow carries a waste stream, plants turn input
into secondary streams by yields (hauled plant -> plant as ``x``), and policy
rows cover capacity share, minimum load and stream landfill caps (docs/model.md
§1b); without it the model is the single-stream one below.

Decision variables (all flows in t/d)::

    a_jk  source -> transfer station      (collection, first leg)
    b_ji  source -> plant, direct haul    (collection, only if dist <= max direct haul)
    w_ki  transfer station -> plant       (transfer, second leg)
    s_j   unserved waste of source j      (slack, penalized)
    y_ks  binary: candidate station k opens in size class s
    o_k   = sum_s y_ks (open indicator of candidate k, continuous in [0, 1])
    v_i   binary: candidate plant i opens
    z     binary single-sourcing choice per first-stage arc (only if asked)

Objective, per day::

    sum f_ks y_ks + sum g_i v_i                                    (fixed, yuan/d)
    + sum (c1 D_jk + e_k) a_jk + sum (c1 D_ji + h_i) b_ji          (collection + gate)
    + sum (c2 D_ki + h_i) w_ki                                     (transfer + gate)
    + p sum s_j                                                    (unserved)

A capacity shortfall is a result (positive ``s_j``), never "infeasible".
Arcs that are not allowed (distance ``inf``, beyond a distance limit, across
counties under self-sufficiency, to forbidden candidates) get no variable.

Size: this module is over 500 lines (about 1460) because it holds one
formulation: the data contract, the options, the builder (split into
availability, arcs, variables and rows), the solver call and the solution
reader of the two-echelon model belong together and are documented against
docs/model.md.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
import pulp

from wufei_gis.errors import InputError
from wufei_gis.progress import CancelCallback

from ._build import Rows, group, make_vars, pairs_of
from ._streams import StreamData, single_stream
from .heuristics import SiteOptions, WarmStart, site_warm_start
from .solver import SolveResult, SolverOptions, problem_arrays, solve_problem

__all__ = [
    "StreamData",
    "TwoEchelonData",
    "TwoEchelonOptions",
    "TwoEchelonModel",
    "ArcIndex",
    "TwoEchelonSolution",
    "build_two_echelon",
    "required_and_forbidden",
    "required_but_unopenable",
    "read_two_echelon_solution",
    "solve_two_echelon",
    "solve_two_echelon_model",
    "two_echelon_warm_start",
]

_log = logging.getLogger(__name__)
LE, GE, EQ = pulp.LpConstraintLE, pulp.LpConstraintGE, pulp.LpConstraintEQ
_TOL = 1e-6


@dataclass(init=False)
class TwoEchelonData:
    """Numbers of one two-echelon instance (all arrays positional by index).

    Parameters
    ----------
    demand
        ``(J,)`` waste generated at each source, t/d.
    dist_source_plant
        ``(J, I)`` road distance source -> plant, km (``inf`` = unreachable).
    plant_capacity
        ``(I,)`` capacity, t/d (in service: current; candidate: if opened).
    plant_is_incinerator
        ``(I,)`` bool; ``False`` = landfill.
    plant_is_open
        ``(I,)`` bool, in service (fixed open, no fixed cost).
    plant_fixed_cost
        ``(I,)`` fixed cost of opening a candidate plant, yuan/day.
    plant_gate_cost
        ``(I,)`` operating (gate) cost, yuan/t.
    dist_source_transfer, dist_transfer_plant
        ``(J, K)`` and ``(K, I)`` distances, km.  ``None`` when K = 0.
    transfer_is_open
        ``(K,)`` bool, station in service.
    transfer_capacity
        ``(K,)`` capacity of stations in service, t/d.
    transfer_option_capacity, transfer_option_cost
        ``(K, S)`` capacity (t/d) and fixed cost (yuan/day) of opening a
        candidate station in size class s; cost ``inf``/``nan`` = class not offered.
    transfer_gate_cost
        ``(K,)`` operating cost of the station, yuan/t.
    collection_cost_tkm, transfer_cost_tkm
        Transport cost of collection trucks (first leg) and transfer trucks
        (second leg), yuan per tonne-km.
    unserved_penalty
        Penalty per tonne unserved, yuan/t.
    source_county, transfer_county, plant_county
        County labels (any hashable), used by county self-sufficiency.
    streams
        :class:`StreamData` of a multi-stream instance (``demand`` is then the
        sum of its stream demand); ``None`` = the single-stream model.

    The constructor takes array-likes and ``None`` for the optional station
    data (no transfer stations, none in service, no gate cost...); the
    attributes are then checked arrays of the shapes above (only the county
    labels stay ``None`` when not given).
    """

    demand: np.ndarray
    dist_source_plant: np.ndarray
    plant_capacity: np.ndarray
    plant_is_incinerator: np.ndarray
    plant_is_open: np.ndarray
    plant_fixed_cost: np.ndarray
    plant_gate_cost: np.ndarray
    dist_source_transfer: np.ndarray
    dist_transfer_plant: np.ndarray
    transfer_is_open: np.ndarray
    transfer_capacity: np.ndarray
    transfer_option_capacity: np.ndarray
    transfer_option_cost: np.ndarray
    transfer_gate_cost: np.ndarray
    collection_cost_tkm: float
    transfer_cost_tkm: float
    unserved_penalty: float
    source_county: np.ndarray | None
    transfer_county: np.ndarray | None
    plant_county: np.ndarray | None
    streams: StreamData | None

    def __init__(  # noqa: PLR0913  one parameter per data field (the dataclass's own constructor)
        self,
        demand: npt.ArrayLike,
        dist_source_plant: npt.ArrayLike,
        plant_capacity: npt.ArrayLike,
        plant_is_incinerator: npt.ArrayLike,
        plant_is_open: npt.ArrayLike,
        plant_fixed_cost: npt.ArrayLike,
        plant_gate_cost: npt.ArrayLike,
        dist_source_transfer: npt.ArrayLike | None = None,
        dist_transfer_plant: npt.ArrayLike | None = None,
        transfer_is_open: npt.ArrayLike | None = None,
        transfer_capacity: npt.ArrayLike | None = None,
        transfer_option_capacity: npt.ArrayLike | None = None,
        transfer_option_cost: npt.ArrayLike | None = None,
        transfer_gate_cost: npt.ArrayLike | None = None,
        collection_cost_tkm: float = 2.0,
        transfer_cost_tkm: float = 0.8,
        unserved_penalty: float = 5000.0,
        source_county: np.ndarray | None = None,
        transfer_county: np.ndarray | None = None,
        plant_county: np.ndarray | None = None,
        streams: StreamData | None = None,
    ) -> None:
        self.streams = streams
        self.collection_cost_tkm = collection_cost_tkm
        self.transfer_cost_tkm = transfer_cost_tkm
        self.unserved_penalty = unserved_penalty
        self.source_county = source_county
        self.transfer_county = transfer_county
        self.plant_county = plant_county
        self.demand = np.asarray(demand, float).ravel()
        J = self.demand.size
        self.plant_capacity = np.asarray(plant_capacity, float).ravel()
        I = self.plant_capacity.size  # noqa: E741  I = number of plants (the model's J, K, S, I)
        self.plant_is_incinerator = _vec(plant_is_incinerator, I, bool, "plant_is_incinerator")
        self.plant_is_open = _vec(plant_is_open, I, bool, "plant_is_open")
        self.plant_fixed_cost = _vec(plant_fixed_cost, I, float, "plant_fixed_cost")
        self.plant_gate_cost = _vec(plant_gate_cost, I, float, "plant_gate_cost")
        self.dist_source_plant = _mat(dist_source_plant, (J, I), "dist_source_plant")
        K = 0 if dist_source_transfer is None else np.shape(dist_source_transfer)[1]
        self.dist_source_transfer = _mat(dist_source_transfer, (J, K), "dist_source_transfer")
        self.dist_transfer_plant = _mat(dist_transfer_plant, (K, I), "dist_transfer_plant")
        self.transfer_is_open = (
            np.zeros(K, bool)
            if transfer_is_open is None
            else _vec(transfer_is_open, K, bool, "transfer_is_open")
        )
        self.transfer_capacity = (
            np.zeros(K)
            if transfer_capacity is None
            else _vec(transfer_capacity, K, float, "transfer_capacity")
        )
        if transfer_option_capacity is None:
            transfer_option_capacity = np.zeros((K, 0))
            transfer_option_cost = np.zeros((K, 0))
        oc = np.asarray(transfer_option_capacity, float)
        S = oc.shape[1] if oc.ndim == 2 else 0
        self.transfer_option_capacity = _mat(oc, (K, S), "transfer_option_capacity")
        self.transfer_option_cost = _mat(transfer_option_cost, (K, S), "transfer_option_cost")
        self.transfer_gate_cost = (
            np.zeros(K)
            if transfer_gate_cost is None
            else _vec(transfer_gate_cost, K, float, "transfer_gate_cost")
        )
        if (self.demand < 0).any() or (self.plant_capacity < 0).any():
            msg = "demand and plant_capacity must be >= 0"
            raise ValueError(msg)
        if streams is not None:
            streams.check(J, K, I)

    def stream_view(self) -> StreamData:
        """The instance's :class:`StreamData` (one ``residual`` stream when it has none)."""
        if self.streams is not None:
            return self.streams
        return single_stream(self.demand, self.transfer_is_open.size, self.plant_is_incinerator)

    @property
    def sizes(self) -> tuple[int, int, int, int]:
        """``(J, K, S, I)``."""
        return (
            self.demand.size,
            self.transfer_is_open.size,
            self.transfer_option_capacity.shape[1],
            self.plant_capacity.size,
        )


def _vec(a: object, n: int, dtype: type, what: str) -> np.ndarray:
    arr: np.ndarray = np.asarray(a, dtype=dtype).ravel()
    if arr.size != n:
        msg = f"{what} must have {n} entries (got {arr.size})"
        raise ValueError(msg)
    return arr


def _mat(a: object, shape: tuple[int, int], what: str) -> np.ndarray:
    if a is None:
        if shape[0] * shape[1] == 0:
            return np.zeros(shape)
        msg = f"{what} is required (shape {shape})"
        raise ValueError(msg)
    arr = np.asarray(a, float)
    if arr.size == 0 and shape[0] * shape[1] == 0:
        return arr.reshape(shape)
    if arr.shape != shape:
        msg = f"{what} must have shape {shape} (got {arr.shape})"
        raise ValueError(msg)
    return arr


@dataclass
class TwoEchelonOptions:
    """Policy constraints and modelling switches (each optional).

    Parameters
    ----------
    max_direct_haul_km
        Source -> plant direct haul allowed only up to this distance, km
        (``None`` = no limit).  Longer trips must pass a transfer station.
    max_collection_km
        Source -> transfer station arcs only up to this distance, km (pruning;
        ``None`` = no limit).
    max_transfer_km
        Transfer station -> plant arcs only up to this distance, km.
    incineration_share_min
        Incinerated >= share x treated (fraction, e.g. 0.65).
    landfill_cap_tpd
        Landfilled <= cap, t/d (0 allowed).
    max_new_sites, exact_new_sites
        Newly opened sites (stations + plants) <= p, or == p.
    required_transfer, required_plant
        Bool masks of candidates that must open.  A required candidate must be
        able to open (a station: at least one offered size class; a plant:
        capacity > 0), else :func:`build_two_echelon` raises ``InputError``.
    forbidden_transfer, forbidden_plant
        Bool masks of candidates that may not open (e.g. inside an exclusion
        zone).  A site both required and forbidden is an ``InputError``.
    single_sourcing
        Each source's served waste goes to one first-stage site (a transfer
        station or, by direct haul, a plant); the rest of it, if any, is
        unserved (the capacity gap).  ``a_jk <= d_j z_jk``, ``b_ji <= d_j z_ji``,
        ``sum z <= 1`` per source.
    county_self_sufficiency
        Every arc stays within one county (needs the county labels).
    strong_linking
        Add ``flow <= demand x open`` rows per arc to candidate sites.
    incineration_capacity_share_min
        Capacity of open incinerators >= share x capacity of all open plants taking
        share-counted streams (the plans' capacity indicator).
    min_load_penalty
        Cost per t/d an open plant runs below its ``StreamData.plant_min_load``, yuan/t.
    raw_landfill_penalty
        Cost per t of share-counted (raw) waste into landfills, yuan/t (``None`` = off).
    landfill_stream_cap_tpd
        ``{stream name: t/d}``: most of that stream into ordinary landfills.
    """

    max_direct_haul_km: float | None = 20.0
    max_collection_km: float | None = None
    max_transfer_km: float | None = None
    incineration_share_min: float | None = None
    landfill_cap_tpd: float | None = None
    max_new_sites: int | None = None
    exact_new_sites: bool = False
    required_transfer: np.ndarray | None = None
    required_plant: np.ndarray | None = None
    forbidden_transfer: np.ndarray | None = None
    forbidden_plant: np.ndarray | None = None
    single_sourcing: bool = False
    county_self_sufficiency: bool = False
    strong_linking: bool = True
    incineration_capacity_share_min: float | None = None
    min_load_penalty: float = 1000.0
    raw_landfill_penalty: float | None = None
    landfill_stream_cap_tpd: dict[str, float] = field(default_factory=dict)


@dataclass
class TwoEchelonModel:
    """A built model: problem, arcs (:class:`ArcIndex`) and the variables in arc order."""

    prob: pulp.LpProblem
    data: TwoEchelonData
    options: TwoEchelonOptions
    arcs: ArcIndex
    a: list[pulp.LpVariable]
    b: list[pulp.LpVariable]
    w: list[pulp.LpVariable]
    s: list[pulp.LpVariable]
    y: dict[tuple[int, int], pulp.LpVariable]
    v: dict[int, pulp.LpVariable]
    transfer_cap_rows: dict[int, pulp.LpConstraint]
    plant_cap_rows: dict[int, pulp.LpConstraint]
    policy_rows: dict[str, pulp.LpConstraint]
    a_cost: np.ndarray
    b_cost: np.ndarray
    w_cost: np.ndarray
    build_s: float = 0.0
    #: unserved waste of streams 1.. at sources, ``(s, j) -> variable``
    s_more: dict[tuple[int, int], pulp.LpVariable] = field(default_factory=dict)
    #: secondary flows plant -> plant (arcs ``x`` of :class:`ArcIndex`) and their unit costs
    x: list[pulp.LpVariable] = field(default_factory=list)
    x_cost: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: secondary output with no destination, ``(s, i) -> variable``
    u: dict[tuple[int, int], pulp.LpVariable] = field(default_factory=dict)
    #: load below the minimum load of plant i
    short: dict[int, pulp.LpVariable] = field(default_factory=dict)
    #: objective terms of the raw landfill penalty
    raw_landfill_terms: list[tuple[pulp.LpVariable, float]] = field(default_factory=list)


@dataclass
class TwoEchelonSolution:
    """Interpreted solution.

    Attributes
    ----------
    transfer_open, transfer_class, transfer_capacity, transfer_throughput
        ``(K,)``: open; chosen size class index (-1 for stations in service or
        closed); capacity in the solution (t/d); inflow (t/d).
    plant_open, plant_throughput
        ``(I,)``: open; inflow (t/d).
    unserved
        ``(J,)`` t/d.
    arcs
        DataFrame, one row per arc with positive flow: ``stage``
        (``"collection"``/``"transfer"``), ``from_kind`` (``"source"``/
        ``"transfer"``), ``from_index``, ``to_kind`` (``"transfer"``/``"plant"``),
        ``to_index``, ``tonnes_per_day``, ``distance_km``, ``transport_cost``
        (yuan/d), ``gate_cost`` (yuan/d).
    fixed_cost, collection_cost, transfer_cost, gate_cost, unserved_cost, objective
        yuan/day.
    binding_capacity
        Sites whose capacity is fully used: ``"transfer:<k>"`` / ``"plant:<i>"``.
    binding_policy
        Policy rows at their bound, among ``{"incineration_share",
        "landfill_cap", "new_sites", "incineration_capacity_share",
        "landfill_cap:<stream>"}``.
    result
        The :class:`SolveResult`.
    stream_names
        The streams; ``arcs`` has a ``stream`` column with these names (stage
        ``"secondary"``: plant -> plant hauls of secondary streams).
    unserved_by_stream
        ``(S, J)`` t/d; ``unserved`` is its column sum.
    plant_stream_throughput
        ``(S, I)`` t/d received.
    secondary_unserved
        ``(S, I)`` secondary output with no destination, t/d.
    min_load_shortfall
        ``(I,)`` t/d below the minimum load.
    policy_cost
        Minimum-load shortfall and raw-landfill penalty, yuan/d (in ``objective``).
    """

    transfer_open: np.ndarray
    transfer_class: np.ndarray
    transfer_capacity: np.ndarray
    transfer_throughput: np.ndarray
    plant_open: np.ndarray
    plant_throughput: np.ndarray
    unserved: np.ndarray
    arcs: pd.DataFrame
    fixed_cost: float
    collection_cost: float
    transfer_cost: float
    gate_cost: float
    unserved_cost: float
    objective: float
    binding_capacity: list[str]
    binding_policy: list[str]
    result: SolveResult
    build_s: float = 0.0
    plant_is_incinerator: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    stream_names: list[str] = field(default_factory=lambda: ["residual"])
    unserved_by_stream: np.ndarray = field(default_factory=lambda: np.zeros((1, 0)))
    plant_stream_throughput: np.ndarray = field(default_factory=lambda: np.zeros((1, 0)))
    secondary_unserved: np.ndarray = field(default_factory=lambda: np.zeros((1, 0)))
    min_load_shortfall: np.ndarray = field(default_factory=lambda: np.zeros(0))
    policy_cost: float = 0.0

    @property
    def status(self) -> str:
        """Solver status."""
        return self.result.status

    @property
    def incinerated_tpd(self) -> float:
        """Waste received by incinerators, t/d."""
        return float(self.plant_throughput[self.plant_is_incinerator].sum())

    @property
    def landfilled_tpd(self) -> float:
        """Waste received by landfills, t/d."""
        return float(self.plant_throughput[~self.plant_is_incinerator].sum())

    @property
    def treated_tpd(self) -> float:
        """Waste received by all plants, t/d."""
        return float(self.plant_throughput.sum())


def _mask(m: np.ndarray | None, n: int) -> np.ndarray:
    return np.zeros(n, bool) if m is None else np.asarray(m, bool).reshape(n)


def _offered(data: TwoEchelonData) -> np.ndarray:
    """``(K, S)`` bool: candidate station k can open in class s (finite cost, capacity > 0)."""
    oc, of = data.transfer_option_capacity, data.transfer_option_cost
    offered: np.ndarray = np.isfinite(of) & (oc > 0) & ~data.transfer_is_open[:, None]
    return offered


def required_and_forbidden(
    data: TwoEchelonData, options: TwoEchelonOptions
) -> tuple[np.ndarray, np.ndarray]:
    """Indices of stations and of plants that are both required and forbidden."""
    _, K, _, I = data.sizes  # noqa: E741  I = number of plants (the model's J, K, S, I)
    t = _mask(options.required_transfer, K) & _mask(options.forbidden_transfer, K)
    p = _mask(options.required_plant, I) & _mask(options.forbidden_plant, I)
    return np.flatnonzero(t), np.flatnonzero(p)


def required_but_unopenable(
    data: TwoEchelonData, options: TwoEchelonOptions
) -> tuple[np.ndarray, np.ndarray]:
    """Indices of required candidates that cannot open.

    Returns
    -------
    stations, plants
        Required candidate stations with no offered size class (every class
        has an infinite/NaN cost or a capacity <= 0), and required candidate
        plants with capacity <= 0.  Sites in service are never listed.
    """
    _, K, _, I = data.sizes  # noqa: E741  I = number of plants (the model's J, K, S, I)
    req_t = _mask(options.required_transfer, K) & ~data.transfer_is_open
    req_p = _mask(options.required_plant, I) & ~data.plant_is_open
    stations = np.flatnonzero(req_t & ~_offered(data).any(axis=1))
    plants = np.flatnonzero(req_p & ~(data.plant_capacity > 0))
    return stations, plants


def _check_required(data: TwoEchelonData, opt: TwoEchelonOptions) -> None:
    """Raise ``InputError`` for required candidates the model could only leave closed."""
    both_t, both_p = required_and_forbidden(data, opt)
    if both_t.size or both_p.size:
        raise InputError(
            f"sites both required and forbidden: transfer stations {both_t.tolist()}, "
            f"plants {both_p.tolist()} (0-based indices)",
            field="required_transfer" if both_t.size else "required_plant",
            fix="remove each of them from the required or from the forbidden mask",
        )
    bad_t, bad_p = required_but_unopenable(data, opt)
    if bad_t.size:
        raise InputError(
            f"required transfer-station candidates {bad_t.tolist()} (0-based indices) have no "
            "size class offered (every class has no finite cost or no capacity > 0), so they "
            "could not open",
            field="transfer_option_capacity",
            fix="offer a size class for it, or remove it from required",
        )
    if bad_p.size:
        raise InputError(
            f"required plant candidates {bad_p.tolist()} (0-based indices) have capacity 0, so "
            "they could not open",
            field="plant_capacity",
            fix="give it a capacity > 0, or remove it from required",
        )


@dataclass(frozen=True)
class _SiteAvail:
    """Which sites the model may use (see :func:`_site_availability`)."""

    req_t: np.ndarray  # (K,) required candidate stations
    req_p: np.ndarray  # (I,) required candidate plants
    offered: np.ndarray  # (K, S) size classes a candidate station may open in
    t_avail: np.ndarray  # (K,) stations that can receive waste
    t_cap_max: np.ndarray  # (K,) largest capacity of each station
    p_avail: np.ndarray  # (I,) plants that can receive waste


def _site_availability(data: TwoEchelonData, opt: TwoEchelonOptions) -> _SiteAvail:
    """Required, forbidden and offered sites: what the model may open or use."""
    _, K, _, I = data.sizes  # noqa: E741  I = number of plants (the model's J, K, S, I)
    p_open = data.plant_is_open
    t_open = data.transfer_is_open
    forb_t = _mask(opt.forbidden_transfer, K) & ~t_open
    forb_p = _mask(opt.forbidden_plant, I) & ~p_open
    req_t = _mask(opt.required_transfer, K) & ~t_open
    req_p = _mask(opt.required_plant, I) & ~p_open
    # options of candidate stations (finite cost, capacity > 0, not forbidden)
    offered = _offered(data) & ~forb_t[:, None]
    t_avail = t_open | offered.any(axis=1)
    t_cap_max = np.where(
        t_open,
        data.transfer_capacity,
        np.where(offered, data.transfer_option_capacity, 0.0).max(axis=1, initial=0.0),
    )
    p_avail = p_open | ~forb_p
    t_avail &= t_cap_max > 0
    p_avail &= data.plant_capacity > 0
    return _SiteAvail(req_t, req_p, offered, t_avail, t_cap_max, p_avail)


def _same_county(
    opt: TwoEchelonOptions, src: np.ndarray | None, dst: np.ndarray | None, shape: tuple[int, int]
) -> np.ndarray:
    """``(len(src), len(dst))`` bool: arcs allowed by county self-sufficiency (all if off)."""
    if not opt.county_self_sufficiency or shape[0] * shape[1] == 0:
        return np.ones(shape, bool)
    if src is None or dst is None:
        msg = "county_self_sufficiency needs county labels for every site and source"
        raise ValueError(msg)
    same: np.ndarray = np.asarray(src, object)[:, None] == np.asarray(dst, object)[None, :]
    return same


@dataclass(frozen=True)
class ArcIndex:
    """End points of the arcs that get a variable: a (j -> k), b (j -> i), w (k -> i),
    x (plant -> plant, secondary streams); ``*_s`` is each arc's stream index."""

    a_j: np.ndarray
    a_k: np.ndarray
    b_j: np.ndarray
    b_i: np.ndarray
    w_k: np.ndarray
    w_i: np.ndarray
    a_s: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    b_s: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    w_s: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    x_i: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    x_to: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    x_s: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


def _cat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)


def _stream_arcs(
    data: TwoEchelonData, opt: TwoEchelonOptions, av: _SiteAvail, st: StreamData, s: int
) -> tuple[np.ndarray, ...]:
    """Allowed a, b and w arcs of stream ``s``: ``(a_j, a_k, b_j, b_i, w_k, w_i)``."""
    J, K, _, I = data.sizes  # noqa: E741  I = number of plants (the model's J, K, S, I)
    d, lim = st.demand[s], float(st.max_km[s])
    # first leg to transfer: a_jk
    dst = data.dist_source_transfer
    ok = np.isfinite(dst) & (d[:, None] > 0) & (av.t_avail & st.transfer_accepts[s])[None, :]
    if opt.max_collection_km is not None:
        ok &= dst <= opt.max_collection_km
    if np.isfinite(lim):
        ok &= dst <= lim
    ok &= _same_county(opt, data.source_county, data.transfer_county, (J, K))
    a_j, a_k = np.nonzero(ok)
    # direct haul: b_ji (regulated streams: their own limit, not the direct-haul limit)
    dsp = data.dist_source_plant
    ok = np.isfinite(dsp) & (d[:, None] > 0) & (av.p_avail & st.plant_accepts[s])[None, :]
    if opt.max_direct_haul_km is not None and not st.regulated[s]:
        ok &= dsp <= opt.max_direct_haul_km
    if np.isfinite(lim):
        ok &= dsp <= lim
    ok &= _same_county(opt, data.source_county, data.plant_county, (J, I))
    b_j, b_i = np.nonzero(ok)
    # second leg: w_ki (only from stations that can receive this stream)
    t_used = np.zeros(K, bool)
    t_used[a_k] = True
    dtp = data.dist_transfer_plant
    ok = np.isfinite(dtp) & t_used[:, None] & (av.p_avail & st.plant_accepts[s])[None, :]
    if opt.max_transfer_km is not None:
        ok &= dtp <= opt.max_transfer_km
    if np.isfinite(lim):
        ok &= dtp <= lim
    ok &= _same_county(opt, data.transfer_county, data.plant_county, (K, I))
    w_k, w_i = np.nonzero(ok)
    return a_j, a_k, b_j, b_i, w_k, w_i


def _secondary_arcs(av: _SiteAvail, st: StreamData, s: int) -> tuple[np.ndarray, np.ndarray]:
    """Plant -> plant arcs of secondary stream ``s``: from its producers to its takers."""
    dpp = st.dist_plant_plant
    ok = (av.p_avail & st.producers(s))[:, None] & (av.p_avail & st.plant_accepts[s])[None, :]
    ok &= np.isfinite(dpp) & ~np.eye(dpp.shape[0], dtype=bool)
    if np.isfinite(st.max_km[s]):
        ok &= dpp <= st.max_km[s]
    x_i, x_to = np.nonzero(ok)
    return x_i, x_to


def _arc_index(
    data: TwoEchelonData, opt: TwoEchelonOptions, av: _SiteAvail, st: StreamData
) -> ArcIndex:
    """Allowed arcs of every stream: finite distance, within the limits and the counties."""
    parts: list[list[np.ndarray]] = [[] for _ in range(12)]
    for s in range(st.n):
        arcs = _stream_arcs(data, opt, av, st, s)
        for n_, arr in enumerate(arcs):
            parts[n_].append(arr)
        for n_, col in enumerate((arcs[0], arcs[2], arcs[4])):
            parts[6 + n_].append(np.full(col.size, s))
        x_i, x_to = _secondary_arcs(av, st, s)
        parts[9].append(x_i)
        parts[10].append(x_to)
        parts[11].append(np.full(x_i.size, s))
    return ArcIndex(*(_cat(p) for p in parts))


@dataclass
class _Build:
    """A two-echelon model under construction: problem, arcs, variables, objective terms."""

    prob: pulp.LpProblem
    rows: Rows
    data: TwoEchelonData
    opt: TwoEchelonOptions
    av: _SiteAvail
    ix: ArcIndex
    a: list[pulp.LpVariable]
    b: list[pulp.LpVariable]
    w: list[pulp.LpVariable]
    s: list[pulp.LpVariable]
    st: StreamData
    x: list[pulp.LpVariable] = field(default_factory=list)
    y: dict[tuple[int, int], pulp.LpVariable] = field(default_factory=dict)
    open_k: dict[int, pulp.LpVariable] = field(default_factory=dict)  # candidate k open
    v: dict[int, pulp.LpVariable] = field(default_factory=dict)
    obj: list[tuple[pulp.LpVariable, float]] = field(default_factory=list)
    s_more: dict[tuple[int, int], pulp.LpVariable] = field(default_factory=dict)
    u: dict[tuple[int, int], pulp.LpVariable] = field(default_factory=dict)
    short: dict[int, pulp.LpVariable] = field(default_factory=dict)
    raw_terms: list[tuple[pulp.LpVariable, float]] = field(default_factory=list)

    def unserved_var(self, s: int, j: int) -> pulp.LpVariable:
        """The unserved slack of stream ``s`` at source ``j`` (stream 0: ``s_j``)."""
        if s == 0:
            return self.s[j]
        if (s, j) not in self.s_more:
            self.s_more[(s, j)] = self.prob.add_variable(f"s{s}_{j}", 0, None)
        return self.s_more[(s, j)]


def _site_vars(bd: _Build) -> None:
    """Binaries of candidate stations (one per offered class, plus an indicator) and plants."""
    prob, rows, data, av = bd.prob, bd.rows, bd.data, bd.av
    of = data.transfer_option_cost
    for k in np.flatnonzero(~data.transfer_is_open & av.t_avail).tolist():
        classes = np.flatnonzero(av.offered[k]).tolist()
        ys = [prob.add_variable(f"y{k}_{c}", 0, 1, pulp.LpInteger) for c in classes]
        for c, var in zip(classes, ys, strict=True):
            bd.y[(k, c)] = var
            bd.obj.append((var, float(of[k, c])))
        if len(ys) == 1:
            bd.open_k[k] = ys[0]
            if av.req_t[k]:
                ys[0].lowBound = 1
        else:
            o = prob.add_variable(f"o{k}", 0, 1)
            bd.open_k[k] = o
            rows.add([(o, 1.0)] + [(var, -1.0) for var in ys], EQ, 0.0, f"ocls{k}")
            if av.req_t[k]:
                o.lowBound = 1
    for i in np.flatnonzero(~data.plant_is_open & av.p_avail).tolist():
        bd.v[i] = prob.add_variable(f"v{i}", 1 if av.req_p[i] else 0, 1, pulp.LpInteger)
        bd.obj.append((bd.v[i], float(data.plant_fixed_cost[i])))


def _sfx(s: int, n: int) -> str:
    """Row-name suffix of stream ``s`` (stream 0 keeps the single-stream names)."""
    return f"{n}" if s == 0 else f"{s}_{n}"


def _demand_rows(bd: _Build) -> None:
    """Served (first-stage flows) plus unserved equals the demand, per stream and source."""
    ix, st = bd.ix, bd.st
    J = st.demand.shape[1]
    a_by = group(ix.a_s * J + ix.a_j, st.n * J)
    b_by = group(ix.b_s * J + ix.b_j, st.n * J)
    for s in range(st.n):
        for j in range(J):
            if st.demand[s, j] <= 0:
                continue
            pj = pairs_of(bd.a, a_by[s * J + j]) + pairs_of(bd.b, b_by[s * J + j])
            pj.append((bd.unserved_var(s, j), 1.0))
            bd.rows.add(pj, EQ, st.demand[s, j], f"dem{_sfx(s, j)}")


def _transfer_rows(bd: _Build) -> dict[int, pulp.LpConstraint]:
    """Balance (per stream) and capacity rows of every station that can receive waste."""
    data, ix, S = bd.data, bd.ix, bd.st.n
    K = data.transfer_is_open.size
    oc = data.transfer_option_capacity
    a_by_k = group(ix.a_k, K)
    a_by, w_by = group(ix.a_s * K + ix.a_k, S * K), group(ix.w_s * K + ix.w_k, S * K)
    t_rows: dict[int, pulp.LpConstraint] = {}
    for k in range(K):
        if a_by_k[k].size == 0:
            continue
        for s in range(S):
            if a_by[s * K + k].size:
                inflow_s = pairs_of(bd.a, a_by[s * K + k])
                out = pairs_of(bd.w, w_by[s * K + k], -1.0)
                bd.rows.add(inflow_s + out, EQ, 0.0, f"bal{_sfx(s, k)}")
        inflow = pairs_of(bd.a, a_by_k[k])
        if data.transfer_is_open[k]:
            t_rows[k] = bd.rows.add(inflow, LE, float(data.transfer_capacity[k]), f"tcap{k}")
        else:
            cl = [
                (bd.y[(k, c)], -float(oc[k, c])) for c in np.flatnonzero(bd.av.offered[k]).tolist()
            ]
            t_rows[k] = bd.rows.add(inflow + cl, LE, 0.0, f"tcap{k}")
    return t_rows


#: Inflow terms of a plant: ``(variable, coefficient, stream index)``.
_Inflow = list[tuple[pulp.LpVariable, float, int]]


def _plant_inflows(bd: _Build) -> dict[int, _Inflow]:
    """Inflow terms of every plant that can receive waste (direct, transfer, secondary)."""
    ix = bd.ix
    I = bd.data.plant_capacity.size  # noqa: E741  I = number of plants (the model's J, K, S, I)
    b_by_i, w_by_i, x_by_i = group(ix.b_i, I), group(ix.w_i, I), group(ix.x_to, I)
    out: dict[int, _Inflow] = {}
    for i in range(I):
        pin = [(bd.b[n], 1.0, int(ix.b_s[n])) for n in b_by_i[i].tolist()]
        pin += [(bd.w[n], 1.0, int(ix.w_s[n])) for n in w_by_i[i].tolist()]
        pin += [(bd.x[n], 1.0, int(ix.x_s[n])) for n in x_by_i[i].tolist()]
        if pin:
            out[i] = pin
    return out


def _plant_rows(bd: _Build, inflows: dict[int, _Inflow]) -> dict[int, pulp.LpConstraint]:
    """Capacity rows (total and per stream) of the plants that can receive waste."""
    data, st = bd.data, bd.st
    p_rows: dict[int, pulp.LpConstraint] = {}
    for i, terms in inflows.items():
        pin = [(var, coef) for var, coef, _ in terms]
        cap = float(data.plant_capacity[i])
        if data.plant_is_open[i]:
            p_rows[i] = bd.rows.add(pin, LE, cap, f"pcap{i}")
        else:
            p_rows[i] = bd.rows.add(pin + [(bd.v[i], -cap)], LE, 0.0, f"pcap{i}")
        for s in range(st.n):
            cap_s = float(st.plant_stream_capacity[s, i])
            if cap_s < cap:
                pin_s = [(var, coef) for var, coef, ss in terms if ss == s]
                if pin_s:
                    bd.rows.add(pin_s, LE, cap_s, f"pscap{s}_{i}")
    return p_rows


def _yield_rows(bd: _Build, inflows: dict[int, _Inflow]) -> None:
    """Secondary output = yield x input: hauled on (x) or left without destination (u)."""
    st, ix = bd.st, bd.ix
    I = bd.data.plant_capacity.size  # noqa: E741  I = number of plants (the model's J, K, S, I)
    x_by = group(ix.x_s * I + ix.x_i, st.n * I)
    pen = float(bd.data.unserved_penalty)
    for i, terms in inflows.items():
        for s in range(st.n):
            made = [(var, -float(st.plant_yield[i, ss, s]) * coef) for var, coef, ss in terms]
            made = [(var, c) for var, c in made if c != 0.0]
            if not made:
                continue
            u = bd.prob.add_variable(f"u{s}_{i}", 0, None)
            bd.u[(s, i)] = u
            bd.obj.append((u, pen))
            bd.rows.add(pairs_of(bd.x, x_by[s * I + i]) + [(u, 1.0)] + made, EQ, 0.0, f"yb{s}_{i}")


def _min_load_rows(bd: _Build, inflows: dict[int, _Inflow]) -> dict[str, pulp.LpConstraint]:
    """Inflow + shortfall >= minimum load x capacity of every open plant with a minimum load."""
    data, st = bd.data, bd.st
    rows: dict[str, pulp.LpConstraint] = {}
    for i, terms in inflows.items():
        m = float(st.plant_min_load[i])
        if m <= 0:
            continue
        short = bd.prob.add_variable(f"ml{i}", 0, None)
        bd.short[i] = short
        bd.obj.append((short, float(bd.opt.min_load_penalty)))
        pin = [(var, coef) for var, coef, _ in terms] + [(short, 1.0)]
        need = m * float(data.plant_capacity[i])
        if data.plant_is_open[i]:
            rows[f"min_load:{i}"] = bd.rows.add(pin, GE, need, f"mload{i}")
        else:
            rows[f"min_load:{i}"] = bd.rows.add(pin + [(bd.v[i], -need)], GE, 0.0, f"mload{i}")
    return rows


def _single_sourcing_rows(bd: _Build) -> None:
    """The served part of a source's stream goes to one first-stage site (a <= d z, sum z <= 1).

    The rest, if any, is unserved s_j (same meaning as the CFLP).
    """
    prob, rows, ix, dem = bd.prob, bd.rows, bd.ix, bd.st.demand
    S, J = dem.shape
    da, db = dem[ix.a_s, ix.a_j].tolist(), dem[ix.b_s, ix.b_j].tolist()
    za = make_vars(prob, "za", ix.a_j.size, up=1, cat=pulp.LpInteger)
    zb = make_vars(prob, "zb", ix.b_j.size, up=1, cat=pulp.LpInteger)
    for n_, (k, dj) in enumerate(zip(ix.a_k.tolist(), da, strict=True)):
        rows.add([(bd.a[n_], 1.0), (za[n_], -dj)], LE, 0.0, f"za{n_}")
        if k in bd.open_k:
            rows.add([(za[n_], 1.0), (bd.open_k[k], -1.0)], LE, 0.0, f"zay{n_}")
    for n_, (i, dj) in enumerate(zip(ix.b_i.tolist(), db, strict=True)):
        rows.add([(bd.b[n_], 1.0), (zb[n_], -dj)], LE, 0.0, f"zb{n_}")
        if i in bd.v:
            rows.add([(zb[n_], 1.0), (bd.v[i], -1.0)], LE, 0.0, f"zbv{n_}")
    a_by, b_by = group(ix.a_s * J + ix.a_j, S * J), group(ix.b_s * J + ix.b_j, S * J)
    for s in range(S):
        for j in range(J):
            pz = pairs_of(za, a_by[s * J + j]) + pairs_of(zb, b_by[s * J + j])
            if pz:
                rows.add(pz, LE, 1.0, f"one{_sfx(s, j)}")


def _strong_linking_rows(bd: _Build) -> None:
    """``flow <= min(demand, capacity) x open`` for every arc into a candidate."""
    rows, ix, dem, data, st = bd.rows, bd.ix, bd.st.demand, bd.data, bd.st
    da, db = dem[ix.a_s, ix.a_j].tolist(), dem[ix.b_s, ix.b_j].tolist()
    t_cap_max = bd.av.t_cap_max
    for n_, (k, dj) in enumerate(zip(ix.a_k.tolist(), da, strict=True)):
        if k in bd.open_k:
            rows.add([(bd.a[n_], 1.0), (bd.open_k[k], -min(dj, t_cap_max[k]))], LE, 0.0, f"la{n_}")
    for n_, (i, dj) in enumerate(zip(ix.b_i.tolist(), db, strict=True)):
        if i in bd.v:
            rows.add(
                [(bd.b[n_], 1.0), (bd.v[i], -min(dj, data.plant_capacity[i]))], LE, 0.0, f"lb{n_}"
            )
    made = st.plant_yield.max(axis=1)  # (I, S): most output per t of input
    cap = data.plant_capacity
    for n_, (i, to, s) in enumerate(
        zip(ix.x_i.tolist(), ix.x_to.tolist(), ix.x_s.tolist(), strict=True)
    ):
        if to in bd.v:
            bound = min(float(made[i, s] * cap[i]), float(cap[to]))
            rows.add([(bd.x[n_], 1.0), (bd.v[to], -bound)], LE, 0.0, f"lx{n_}")


def _policy_rows(bd: _Build, inflows: dict[int, _Inflow]) -> dict[str, pulp.LpConstraint]:
    """Incineration share, landfill caps and new-site count rows (those asked for)."""
    opt, rows, st = bd.opt, bd.rows, bd.st
    policy: dict[str, pulp.LpConstraint] = {}
    inc = bd.data.plant_is_incinerator
    counted = {i: [(v, c) for v, c, s in t if st.in_share[s]] for i, t in inflows.items()}
    counted = {i: t for i, t in counted.items() if t}
    if opt.incineration_share_min is not None and counted:
        alpha = float(opt.incineration_share_min)
        terms = [
            (var, (1.0 if inc[i] else 0.0) - alpha * coef)
            for i, pin in counted.items()
            for var, coef in pin
        ]
        policy["incineration_share"] = rows.add(terms, GE, 0.0, "incshare")
    if opt.landfill_cap_tpd is not None:
        terms = [t for i, pin in counted.items() if st.plant_is_landfill[i] for t in pin]
        if terms:
            policy["landfill_cap"] = rows.add(terms, LE, float(opt.landfill_cap_tpd), "lfcap")
    for name, cap in opt.landfill_stream_cap_tpd.items():
        if name not in st.names:
            continue
        s = st.names.index(name)
        terms = [
            (v, c)
            for i, t in inflows.items()
            if st.plant_is_landfill[i]
            for v, c, ss in t
            if ss == s
        ]
        if terms:
            policy[f"landfill_cap:{name}"] = rows.add(terms, LE, float(cap), f"lfs{s}")
    if opt.raw_landfill_penalty is not None:
        pen = float(opt.raw_landfill_penalty)
        bd.raw_terms = [
            (v, pen * c) for i, pin in counted.items() if st.plant_is_landfill[i] for v, c in pin
        ]
        bd.obj.extend(bd.raw_terms)
    if opt.max_new_sites is not None:
        terms = [(var, 1.0) for var in bd.open_k.values()] + [(var, 1.0) for var in bd.v.values()]
        policy["new_sites"] = rows.add(
            terms, EQ if opt.exact_new_sites else LE, float(opt.max_new_sites), "nsites"
        )
    _capacity_share_row(bd, policy)
    return policy


def _capacity_share_row(bd: _Build, policy: dict[str, pulp.LpConstraint]) -> None:
    """Open incineration capacity >= share x open capacity of plants taking counted streams."""
    beta = bd.opt.incineration_capacity_share_min
    if beta is None:
        return
    data, st = bd.data, bd.st
    takes = (st.plant_accepts & st.in_share[:, None]).any(axis=0) & bd.av.p_avail
    weight = data.plant_capacity * (data.plant_is_incinerator.astype(float) - float(beta))
    fixed = float(weight[takes & data.plant_is_open].sum())
    terms = [(var, float(weight[i])) for i, var in bd.v.items() if takes[i] and weight[i] != 0]
    if not terms:
        if fixed < -_TOL:
            _log.warning(
                "incineration capacity share %.3f cannot be met: no candidate plant to open",
                float(beta),
            )
        return
    policy["incineration_capacity_share"] = bd.rows.add(terms, GE, -fixed, "inccap")


def build_two_echelon(
    data: TwoEchelonData, options: TwoEchelonOptions | None = None
) -> TwoEchelonModel:
    """Build the two-echelon model as a :class:`pulp.LpProblem` (sparse, rows built once).

    Raises
    ------
    InputError
        A site is both required and forbidden, or a required candidate cannot
        open (see :func:`required_but_unopenable`): the model would otherwise
        have to resolve the contradiction silently.
    """
    import time

    t0 = time.perf_counter()
    opt = options or TwoEchelonOptions()
    _check_required(data, opt)
    J = data.demand.size
    st = data.stream_view()
    av = _site_availability(data, opt)
    ix = _arc_index(data, opt, av, st)
    a_j, a_k, b_j, b_i, w_k, w_i = ix.a_j, ix.a_k, ix.b_j, ix.b_i, ix.w_k, ix.w_i

    c1, c2 = float(data.collection_cost_tkm), float(data.transfer_cost_tkm)
    a_cost = c1 * data.dist_source_transfer[a_j, a_k] + data.transfer_gate_cost[a_k]
    b_cost = c1 * data.dist_source_plant[b_j, b_i] + data.plant_gate_cost[b_i]
    w_cost = c2 * data.dist_transfer_plant[w_k, w_i] + data.plant_gate_cost[w_i]
    x_cost = c2 * st.dist_plant_plant[ix.x_i, ix.x_to] + data.plant_gate_cost[ix.x_to]

    prob = pulp.LpProblem("two_echelon", pulp.LpMinimize)
    bd = _Build(
        prob,
        Rows(prob),
        data,
        opt,
        av,
        ix,
        make_vars(prob, "a", a_j.size),
        make_vars(prob, "b", b_j.size),
        make_vars(prob, "w", w_k.size),
        make_vars(prob, "s", J),
        st,
        make_vars(prob, "x", ix.x_i.size),
    )
    _site_vars(bd)
    _demand_rows(bd)
    t_rows = _transfer_rows(bd)
    inflows = _plant_inflows(bd)
    p_rows = _plant_rows(bd, inflows)
    _yield_rows(bd, inflows)
    # single sourcing or strong linking on first-stage arcs
    if opt.single_sourcing:
        _single_sourcing_rows(bd)
    elif opt.strong_linking:
        _strong_linking_rows(bd)
    policy = _policy_rows(bd, inflows)
    policy.update(_min_load_rows(bd, inflows))

    obj = bd.obj
    obj += pairs_of(bd.a, np.arange(a_j.size), a_cost)
    obj += pairs_of(bd.b, np.arange(b_j.size), b_cost)
    obj += pairs_of(bd.w, np.arange(w_k.size), w_cost)
    obj += [(bd.s[j], float(data.unserved_penalty)) for j in range(J)]
    obj += [(var, float(data.unserved_penalty)) for var in bd.s_more.values()]
    obj += pairs_of(bd.x, np.arange(ix.x_i.size), x_cost)
    if bd.raw_terms:  # the penalty adds to arc costs: sum the duplicate terms
        total: dict[pulp.LpVariable, float] = {}
        for var, coef in obj:
            total[var] = total.get(var, 0.0) + coef
        obj = list(total.items())
    prob.setObjective(pulp.LpAffineExpression(obj))
    return TwoEchelonModel(
        prob,
        data,
        opt,
        ix,
        bd.a,
        bd.b,
        bd.w,
        bd.s,
        bd.y,
        bd.v,
        t_rows,
        p_rows,
        policy,
        a_cost,
        b_cost,
        w_cost,
        build_s=time.perf_counter() - t0,
        s_more=bd.s_more,
        x=bd.x,
        x_cost=x_cost,
        u=bd.u,
        short=bd.short,
        raw_landfill_terms=bd.raw_terms,
    )


def _vals(vars_: list[pulp.LpVariable]) -> np.ndarray:
    out = np.array([v.varValue or 0.0 for v in vars_], float)
    out[np.abs(out) < 1e-9] = 0.0
    return out


def _at_bound(c: pulp.LpConstraint) -> bool:
    val = c.value()
    if val is None:
        return False
    rhs = -c.constant
    lhs = val - c.constant  # value() includes the constant
    return bool(abs(lhs - rhs) <= _TOL * max(1.0, abs(rhs)))


def _no_solution(model: TwoEchelonModel, result: SolveResult) -> TwoEchelonSolution:
    data = model.data
    _, K, _, I = data.sizes  # noqa: E741  I = number of plants (the model's J, K, S, I)
    st = data.stream_view()
    z = np.zeros
    return TwoEchelonSolution(
        data.transfer_is_open.copy(),
        np.full(K, -1),
        np.where(data.transfer_is_open, data.transfer_capacity, 0.0),
        z(K),
        data.plant_is_open.copy(),
        z(I),
        data.demand.copy(),
        pd.DataFrame(columns=_ARC_COLS),
        0.0,
        0.0,
        0.0,
        0.0,
        float(data.demand.sum() * data.unserved_penalty),
        float("nan"),
        [],
        [],
        result,
        model.build_s,
        data.plant_is_incinerator.copy(),
        list(st.names),
        st.demand.copy(),
        z((st.n, I)),
        z((st.n, I)),
        z(I),
    )


def _arc_frame(
    model: TwoEchelonModel, av: np.ndarray, bv: np.ndarray, wv: np.ndarray, xv: np.ndarray
) -> pd.DataFrame:
    """One row per arc with positive flow (see :class:`TwoEchelonSolution`)."""
    data, ix = model.data, model.arcs
    st = data.stream_view()
    names = np.asarray(st.names, dtype=object)
    c1, c2 = data.collection_cost_tkm, data.transfer_cost_tkm
    da = data.dist_source_transfer[ix.a_j, ix.a_k]
    db = data.dist_source_plant[ix.b_j, ix.b_i]
    dw = data.dist_transfer_plant[ix.w_k, ix.w_i]
    dx = st.dist_plant_plant[ix.x_i, ix.x_to]
    frames = []
    for stage, fk, fi, tk, ti, q, dist, c, gate, sidx in (
        (
            "collection",
            "source",
            ix.a_j,
            "transfer",
            ix.a_k,
            av,
            da,
            c1,
            data.transfer_gate_cost[ix.a_k],
            ix.a_s,
        ),
        (
            "collection",
            "source",
            ix.b_j,
            "plant",
            ix.b_i,
            bv,
            db,
            c1,
            data.plant_gate_cost[ix.b_i],
            ix.b_s,
        ),
        (
            "transfer",
            "transfer",
            ix.w_k,
            "plant",
            ix.w_i,
            wv,
            dw,
            c2,
            data.plant_gate_cost[ix.w_i],
            ix.w_s,
        ),
        (
            "secondary",
            "plant",
            ix.x_i,
            "plant",
            ix.x_to,
            xv,
            dx,
            c2,
            data.plant_gate_cost[ix.x_to],
            ix.x_s,
        ),
    ):
        pos = q > 1e-9
        frames.append(
            pd.DataFrame(
                {
                    "stage": stage,
                    "from_kind": fk,
                    "from_index": fi[pos],
                    "to_kind": tk,
                    "to_index": ti[pos],
                    "tonnes_per_day": q[pos],
                    "distance_km": dist[pos],
                    "transport_cost": (c * dist * q)[pos],
                    "gate_cost": (gate * q)[pos],
                    "stream": names[sidx[pos]],
                }
            )
        )
    return pd.concat(
        [f for f in frames if len(f)] or [pd.DataFrame(columns=_ARC_COLS)], ignore_index=True
    )


def _sites_open(model: TwoEchelonModel) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``transfer_open, transfer_class, transfer_capacity, plant_open`` of a solved model."""
    data = model.data
    K = data.transfer_is_open.size
    t_open = data.transfer_is_open.copy()
    t_class = np.full(K, -1)
    t_capacity = np.where(t_open, data.transfer_capacity, 0.0)
    for (k, c), var in model.y.items():
        if (var.varValue or 0.0) > 0.5:
            t_open[k] = True
            t_class[k] = c
            t_capacity[k] = data.transfer_option_capacity[k, c]
    p_open = data.plant_is_open.copy()
    for i, var in model.v.items():
        p_open[i] = (var.varValue or 0.0) > 0.5
    return t_open, t_class, t_capacity, p_open


def _unserved(model: TwoEchelonModel, st: StreamData) -> np.ndarray:
    """``(S, J)`` unserved waste, t/d."""
    out = np.zeros(st.demand.shape)
    out[0] = np.maximum(_vals(model.s), 0.0)
    for (s, j), var in model.s_more.items():
        out[s, j] = max(var.varValue or 0.0, 0.0)
    out[np.abs(out) < 1e-9] = 0.0
    return out


def read_two_echelon_solution(model: TwoEchelonModel, result: SolveResult) -> TwoEchelonSolution:
    """Interpret a solved :class:`TwoEchelonModel` into flows, sites and costs."""
    data = model.data
    J, K, S, I = data.sizes  # noqa: E741  I = number of plants (the model's J, K, S, I)
    if not result.has_solution:
        return _no_solution(model, result)
    ix, st = model.arcs, data.stream_view()
    av, bv, wv, xv = _vals(model.a), _vals(model.b), _vals(model.w), _vals(model.x)
    unserved = _unserved(model, st)
    t_open, t_class, t_capacity, p_open = _sites_open(model)
    t_through = np.bincount(ix.a_k, av, minlength=K)
    p_stream = np.zeros((st.n, I))
    for s_idx, i_idx, q in ((ix.b_s, ix.b_i, bv), (ix.w_s, ix.w_i, wv), (ix.x_s, ix.x_to, xv)):
        np.add.at(p_stream, (s_idx, i_idx), q)
    p_through = p_stream.sum(axis=0)
    arcs = _arc_frame(model, av, bv, wv, xv)
    sec = np.zeros((st.n, I))
    for (s, i), var in model.u.items():
        sec[s, i] = max(var.varValue or 0.0, 0.0)
    short = np.zeros(I)
    for i, var in model.short.items():
        short[i] = max(var.varValue or 0.0, 0.0)

    fixed = sum(
        float(data.transfer_option_cost[k, c])
        for (k, c), var in model.y.items()
        if (var.varValue or 0.0) > 0.5
    )
    fixed += (
        float(data.plant_fixed_cost[[i for i in model.v if p_open[i]]].sum()) if model.v else 0.0
    )
    coll = float(arcs.loc[arcs["stage"] == "collection", "transport_cost"].sum())
    trans = float(arcs.loc[arcs["stage"] != "collection", "transport_cost"].sum())
    gate = float(arcs["gate_cost"].sum())
    pen = float((unserved.sum() + sec.sum()) * data.unserved_penalty)
    policy_cost = float(short.sum() * model.options.min_load_penalty)
    policy_cost += float(sum(c * (v.varValue or 0.0) for v, c in model.raw_landfill_terms))

    binding_cap = [
        f"transfer:{k}"
        for k, c in model.transfer_cap_rows.items()
        if t_open[k] and t_capacity[k] > 0 and _at_bound(c)
    ]
    binding_cap += [
        f"plant:{i}"
        for i, c in model.plant_cap_rows.items()
        if p_open[i] and data.plant_capacity[i] > 0 and _at_bound(c)
    ]
    binding_pol = [
        name
        for name, c in model.policy_rows.items()
        if not name.startswith("min_load:") and _at_bound(c)
    ]
    return TwoEchelonSolution(
        t_open,
        t_class,
        t_capacity,
        t_through,
        p_open,
        p_through,
        unserved.sum(axis=0),
        arcs,
        fixed,
        coll,
        trans,
        gate,
        pen,
        fixed + coll + trans + gate + pen + policy_cost,
        binding_cap,
        binding_pol,
        result,
        model.build_s,
        data.plant_is_incinerator.copy(),
        list(st.names),
        unserved,
        p_stream,
        sec,
        short,
        policy_cost,
    )


_ARC_COLS = [
    "stage",
    "from_kind",
    "from_index",
    "to_kind",
    "to_index",
    "tonnes_per_day",
    "distance_km",
    "transport_cost",
    "gate_cost",
    "stream",
]


def two_echelon_warm_start(
    model: TwoEchelonModel,
    *,
    time_budget_s: float = 15.0,
    threads: int | None = None,
    should_cancel: CancelCallback | None = None,
) -> WarmStart | None:
    """A MIP start for ``model`` by LP rounding and local search.

    See :func:`wufei_gis.optimization.heuristics.site_warm_start`: the strong
    LP is solved by interior point (no crossover), candidates are rounded at a
    few LP opening thresholds into the smallest size class holding their LP
    load, stations/plants are dropped, shrunk, grown, opened or swapped while
    the exactly re-priced flow LP (weak LP, sites fixed) improves, and a MIP
    restricted to the sites the LP uses polishes the result.
    Returns ``None`` when there is nothing to choose (no candidate binaries),
    with single sourcing (the flow problem would itself be a MIP), or when no
    feasible rounding was found.  ``WarmStart.x`` is in the column order of
    :func:`~wufei_gis.optimization.solver.problem_arrays` of ``model.prob``.
    """
    if model.options.single_sourcing or not (model.y or model.v):
        return None
    arr = problem_arrays(model.prob)
    pos = {v.name: n for n, v in enumerate(arr.variables)}
    data = model.data
    K, I = data.sizes[1], data.sizes[3]  # noqa: E741  I = number of plants (the model's J, K, S, I)
    a_by_k = group(model.arcs.a_k, K)
    b_by_i, w_by_i = group(model.arcs.b_i, I), group(model.arcs.w_i, I)
    x_by_i = group(model.arcs.x_to, I)
    sites: list[SiteOptions] = []
    by_k: dict[int, list[int]] = {}
    for k, c in model.y:
        by_k.setdefault(k, []).append(c)
    for k, classes in by_k.items():
        cols = [pos[model.y[(k, c)].name] for c in classes]
        ind = pos.get(f"o{k}") if len(classes) > 1 else None
        lo = max(arr.col_lower[cols].max(), 0.0 if ind is None else arr.col_lower[ind])
        sites.append(
            SiteOptions(
                cols,
                [float(data.transfer_option_capacity[k, c]) for c in classes],
                [float(data.transfer_option_cost[k, c]) for c in classes],
                np.array([pos[model.a[n].name] for n in a_by_k[k].tolist()], dtype=np.int64),
                ind,
                bool(lo > 0.5),
            )
        )
    for i, var in model.v.items():
        inflow = [pos[model.b[n].name] for n in b_by_i[i].tolist()]
        inflow += [pos[model.w[n].name] for n in w_by_i[i].tolist()]
        inflow += [pos[model.x[n].name] for n in x_by_i[i].tolist()]
        sites.append(
            SiteOptions(
                [pos[var.name]],
                [float(data.plant_capacity[i])],
                [float(data.plant_fixed_cost[i])],
                np.array(inflow, dtype=np.int64),
                None,
                bool(arr.col_lower[pos[var.name]] > 0.5),
            )
        )
    cons = model.prob.constraints  # PuLP >= 3.3: call it (the dict view is deprecated)
    names = [c.name for c in (cons() if callable(cons) else cons.values())]
    drop = np.array([(nm[:2] in ("la", "lb")) and nm[2:].isdigit() for nm in names], bool)
    return site_warm_start(
        arr,
        sites,
        drop_rows=drop,
        time_budget_s=time_budget_s,
        threads=threads,
        should_cancel=should_cancel,
    )


def solve_two_echelon_model(
    model: TwoEchelonModel,
    solver_options: SolverOptions | None = None,
    *,
    should_cancel: CancelCallback | None = None,
    warm_start: bool = True,
    warm_start_budget_s: float | None = None,
) -> SolveResult:
    """Solve a built model, by default from the :func:`two_echelon_warm_start` MIP start.

    ``solver_options`` (:class:`~wufei_gis.optimization.solver.SolverOptions`,
    ``None`` = the defaults) are the solver's choice and limits.

    The heuristic gets ``warm_start_budget_s`` (default: half of
    ``time_limit_s``, at most 60 s) and its time counts against ``time_limit_s``.
    ``SolveResult.message`` reports the heuristic's objective; ``runtime_s`` includes it.
    """
    import time

    sopts = solver_options if solver_options is not None else SolverOptions()
    time_limit_s, threads = sopts.time_limit_s, sopts.threads
    start = None
    t0 = time.perf_counter()
    note = ""
    if warm_start:
        budget = warm_start_budget_s
        if budget is None:
            budget = 60.0 if time_limit_s is None else min(60.0, 0.5 * time_limit_s)
        try:
            start = two_echelon_warm_start(
                model, time_budget_s=budget, threads=threads, should_cancel=should_cancel
            )
        except Exception as exc:  # a heuristic must never stop the exact solve
            note = f"warm start failed ({exc})"
        if start is not None:
            for step in start.steps:
                _log.info("warm start: %s", step)
            note = (
                f"warm start {start.objective:,.2f} in {start.seconds:.1f} s "
                f"({start.open_sites} sites, {start.moves} moves)"
            )
    spent = time.perf_counter() - t0
    limit = None if time_limit_s is None else max(time_limit_s - spent, 1.0)
    res = solve_problem(
        model.prob,
        dataclasses.replace(sopts, time_limit_s=limit),
        should_cancel=should_cancel,
        initial_values=None if start is None else start.x,
    )
    res.runtime_s += spent
    if note:
        res.message = f"{res.message}; {note}".strip("; ")
    return res


def solve_two_echelon(
    data: TwoEchelonData,
    options: TwoEchelonOptions | None = None,
    *,
    solver_options: SolverOptions | None = None,
    should_cancel: CancelCallback | None = None,
    warm_start: bool = True,
) -> TwoEchelonSolution:
    """Build, solve and interpret the two-echelon model.

    ``solver_options`` (:class:`~wufei_gis.optimization.solver.SolverOptions`,
    ``None`` = the defaults) are the solver's choice and limits;
    ``warm_start`` (default on) passes the :func:`two_echelon_warm_start`
    heuristic's solution to the solver as a MIP start when the model has
    candidate binaries.
    """
    model = build_two_echelon(data, options)
    res = solve_two_echelon_model(
        model, solver_options, should_cancel=should_cancel, warm_start=warm_start
    )
    return read_two_echelon_solution(model, res)
