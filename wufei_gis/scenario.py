"""Scenarios: a named, serializable set of planning parameters.

A scenario says *which* facilities are in service, which candidates may open,
what costs and policy targets apply and for which target year.  It holds no
geometry: the project's layers do.  Scenarios are stored as JSON in the
project GeoPackage table ``scenarios``.

Units
-----
Waste in t/d; transport in yuan per tonne-km; fixed costs in yuan per year
(annualized investment + fixed O&M); the model's objective in **yuan per day**
(fixed costs are divided by 365).

Size: this module is over 500 lines (about 520) because the dataclass of every
planning parameter, and for each parameter its type, range, default and the
coercion with a located message when it is set; one concept, kept together so a
new parameter is added in one place.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError
from .schema import FACILITY_STATUSES
from .validation import parse_number

__all__ = [
    "Scenario",
    "SizeClass",
    "DEFAULT_SIZE_CLASSES",
    "scenario_fields",
    "PARAMETERS",
    "ParamSpec",
    "coerce_parameter",
    "PERIOD_KEYS",
]


@dataclass
class SizeClass:
    """A transfer-station size class a candidate may open in.

    Parameters
    ----------
    name
        ``"small"``, ``"medium"``, ``"large"`` or a user name.
    capacity_tpd
        Capacity of a station of this class, t/d.
    fixed_cost_yuan_yr
        Annualized fixed cost (capital recovery + fixed O&M), yuan/yr.
    """

    name: str
    capacity_tpd: float
    fixed_cost_yuan_yr: float


#: CJJ/T 47 transfer-station classes: small < 150, medium 150-450, large > 450 t/d.
#: Capacities are the upper design sizes used in the model; costs are the
#: documented planning defaults (see docs/model.md for the basis).
DEFAULT_SIZE_CLASSES: tuple[SizeClass, ...] = (
    SizeClass("small", 150.0, 1_200_000.0),
    SizeClass("medium", 450.0, 2_800_000.0),
    SizeClass("large", 800.0, 4_500_000.0),
)


@dataclass(frozen=True)
class ParamSpec:
    """The type and range of one scenario parameter.

    Parameters
    ----------
    kind
        ``"int"``, ``"float"``, ``"bool"``, ``"str"``, ``"str_list"``,
        ``"status_map"`` (id -> facility status), ``"number_map"`` (name ->
        number >= 0), ``"count_map"`` (name -> whole number >= 0) or
        ``"size_classes"``.
    optional
        Whether ``null`` (no limit / not set) is allowed.
    low, high
        Inclusive range of numbers (``None`` = unbounded).
    above
        Numbers must be strictly greater than this (e.g. time limits > 0).
    below
        Numbers must be strictly less than this (e.g. a MIP gap < 1).
    choices
        Allowed text values.
    example
        A valid value, shown in the fix of an error.
    hint
        Added to a range error (e.g. "write the share as a fraction").
    """

    kind: str
    optional: bool = False
    low: float | None = None
    high: float | None = None
    above: float | None = None
    below: float | None = None
    choices: tuple[str, ...] | None = None
    example: str = ""
    hint: str = ""


#: Every scenario parameter's type and range: checked when a value is set
#: (``wufei scenario set``, the scenario panel, JSON files) and when a project
#: is read.
PARAMETERS: dict[str, ParamSpec] = {
    "name": ParamSpec("str", example="plan-2025"),
    "description": ParamSpec("str", example='"2025 plan"'),
    "target_year": ParamSpec("int", low=1900, high=2200, example="2025"),
    "generation_growth_rate": ParamSpec(
        "float",
        low=-0.5,
        high=1.0,
        example="0.02 (= 2 %/yr)",
        hint="write the rate as a fraction per year",
    ),
    "demand_level": ParamSpec("str", choices=("county", "town"), example="town"),
    "streams": ParamSpec("str_list", example='["residual", "kitchen", "bottom_ash", "fly_ash"]'),
    "in_service_statuses": ParamSpec(
        "str_list", choices=FACILITY_STATUSES, example='["operating", "under_construction"]'
    ),
    "facility_status": ParamSpec("status_map", example='{"YX-LF-01": "closed"}'),
    "facility_capacity": ParamSpec("number_map", example='{"YX-INC-01": 1200}'),
    "candidate_ids": ParamSpec("str_list", optional=True, example='["YX-CTS-01"] or null'),
    "required_candidates": ParamSpec("str_list", example='["YX-CTS-01"]'),
    "forbidden_candidates": ParamSpec("str_list", example='["YX-CTS-02"]'),
    "size_classes": ParamSpec(
        "size_classes",
        example='[{"name": "small", "capacity_tpd": 150, "fixed_cost_yuan_yr": 1200000}]',
    ),
    "use_exclusions": ParamSpec("bool", example="true"),
    "candidates_at_towns": ParamSpec("bool", example="true"),
    "circuity_factor": ParamSpec("float", low=1.0, high=10.0, example="1.4"),
    "collection_cost_yuan_tkm": ParamSpec("float", low=0.0, example="2.0"),
    "transfer_cost_yuan_tkm": ParamSpec("float", low=0.0, example="0.8"),
    "gate_cost_yuan_t": ParamSpec("number_map", example='{"landfill": 60, "incinerator": 110}'),
    "unserved_penalty_yuan_t": ParamSpec("float", low=0.0, example="5000"),
    "network": ParamSpec("str", optional=True, example="roads"),
    "max_direct_haul_km": ParamSpec("float", optional=True, low=0.0, example="20 or null"),
    "max_collection_km": ParamSpec("float", optional=True, above=0.0, example="25 or null"),
    "max_collection_min": ParamSpec("float", optional=True, above=0.0, example="45 or null"),
    "collection_speed_kmh": ParamSpec(
        "number_map", example='{"default": 30, "530427": 20}', hint="county_id or default -> km/h"
    ),
    "incineration_share_min": ParamSpec(
        "float",
        optional=True,
        low=0.0,
        high=1.0,
        example="0.65 (= 65 %) or null",
        hint="write the share as a fraction",
    ),
    "landfill_cap_tpd": ParamSpec("float", optional=True, low=0.0, example="0 or null"),
    "incineration_capacity_share_min": ParamSpec(
        "float",
        optional=True,
        low=0.0,
        high=1.0,
        example="0.65 (= 65 %) or null",
        hint="write the share as a fraction",
    ),
    "stream_max_haul_km": ParamSpec(
        "number_map", example='{"medical": 150}', hint="stream id -> km per leg"
    ),
    "min_load_share": ParamSpec(
        "number_map",
        example='{"incinerator": 0.7}',
        hint="facility type or id -> fraction of capacity",
    ),
    "min_load_shortfall_yuan_t": ParamSpec("float", low=0.0, example="1000"),
    "raw_landfill_penalty_yuan_t": ParamSpec(
        "float", optional=True, low=0.0, example="500 or null"
    ),
    "fly_ash_landfill_max_tpd": ParamSpec("float", optional=True, low=0.0, example="0 or null"),
    "kitchen_coverage_min": ParamSpec(
        "float",
        optional=True,
        low=0.0,
        high=1.0,
        example="0.9 or null",
        hint="write the share as a fraction",
    ),
    "kpi_factors": ParamSpec(
        "number_map", example='{"grid_tco2_per_mwh": 0.5703}', hint="factor name -> value"
    ),
    "max_new_sites": ParamSpec("int", optional=True, low=0, example="3 or null"),
    "exact_new_sites": ParamSpec("bool", example="false"),
    "single_sourcing": ParamSpec("bool", example="false"),
    "county_self_sufficiency": ParamSpec("bool", example="false"),
    "min_facilities_per_region": ParamSpec(
        "count_map", example='{"transfer_station": 1}', hint="facility type -> k"
    ),
    "coverage_region_field": ParamSpec("str", optional=True, example="prefecture_id or null"),
    "cover_within_km": ParamSpec("number_map", example='{"transfer_station": 15}'),
    "cover_within_min": ParamSpec("number_map", example='{"transfer_station": 30}'),
    "objective": ParamSpec("str", choices=("cost", "mclp"), example="mclp"),
    "mclp_facilities": ParamSpec("int", optional=True, low=1, example="3 or null"),
    "solver": ParamSpec("str", choices=("highs", "cbc"), example="highs"),
    "time_limit_s": ParamSpec("float", optional=True, above=0.0, example="120 or null"),
    "mip_gap": ParamSpec("float", low=0.0, below=1.0, example="0.001"),
    "threads": ParamSpec("int", optional=True, low=1, example="4 or null"),
    "periods": ParamSpec(
        "year_list", example="[2025, 2030, 2035]", hint="first year of each period"
    ),
    "horizon_end_year": ParamSpec(
        "int", optional=True, low=1900, high=2300, example="2040 or null"
    ),
    "discount_rate": ParamSpec(
        "float", low=0.0, high=0.5, example="0.08", hint="write the rate as a fraction per year"
    ),
    "period_overrides": ParamSpec(
        "period_map", example='{"2030": {"incineration_share_min": 0.75}}'
    ),
    "closures": ParamSpec("year_map", example='{"YX-LF-01": 2030}', hint="site id -> year"),
}

#: Parameters a period may override (``period_overrides``): the site set stays the same.
PERIOD_KEYS: tuple[str, ...] = (
    "generation_growth_rate",
    "facility_capacity",
    "required_candidates",
    "incineration_share_min",
    "landfill_cap_tpd",
    "max_new_sites",
    "gate_cost_yuan_t",
    "collection_cost_yuan_tkm",
    "transfer_cost_yuan_tkm",
    "unserved_penalty_yuan_t",
)

_TRUE = ("true", "yes", "1", "是")
_FALSE = ("false", "no", "0", "否")


def coerce_parameter(key: str, value: Any, *, scenario: str = "?") -> Any:
    """Return ``value`` as the type of scenario parameter ``key``, or raise.

    Numbers may be given as text (read with
    :func:`wufei_gis.validation.parse_number`); a list of ids may be given as
    one comma-separated text.  Nothing else is converted: a text where an
    object is expected, a percentage, ``2025年`` or ``fast`` are refused.

    Raises
    ------
    InputError
        Naming the scenario and the parameter (``field``), with an example.
    """
    if key not in PARAMETERS:
        raise InputError(
            f"scenario '{scenario}' has unknown parameter '{key}'",
            layer="scenarios",
            field=key,
            fix=f"use one of: {', '.join(sorted(PARAMETERS))}",
        )
    spec = PARAMETERS[key]

    def bad(problem: str) -> InputError:
        return InputError(
            f"scenario '{scenario}': {key} = {json.dumps(value, ensure_ascii=False)} {problem}",
            layer="scenarios",
            field=key,
            fix=f"write e.g. {key}={spec.example}",
        )

    if value is None:
        if spec.optional:
            return None
        if spec.kind == "str" and key == "description":
            return ""
        raise bad("must not be empty (null)")
    coerce = _COERCERS.get(spec.kind)
    if coerce is None:  # pragma: no cover - programming error
        msg = f"unknown parameter kind {spec.kind!r}"
        raise AssertionError(msg)
    return coerce(key, value, spec, bad)


#: Builds the located error for the value being coerced from a problem text.
_Bad = Callable[[str], InputError]


def _coerce_number(key: str, value: Any, spec: ParamSpec, bad: _Bad) -> float | int | None:
    num = _number(value, bad)
    if num is None:
        if spec.optional:
            return None
        raise bad("is empty")
    _check_range(num, spec, bad)
    if spec.kind == "int":
        if not num.is_integer():
            raise bad("is not a whole number")
        return int(num)
    return num


def _coerce_bool(key: str, value: Any, spec: ParamSpec, bad: _Bad) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise bad("is not true or false")


def _coerce_str(key: str, value: Any, spec: ParamSpec, bad: _Bad) -> str | None:
    if not isinstance(value, str):
        raise bad("is not text")
    text = value.strip() if key != "description" else value
    if spec.choices and text not in spec.choices:
        raise bad(f"is not one of {', '.join(spec.choices)}")
    if key == "name" and not text:
        raise bad("is empty")
    if spec.optional and not text:
        return None
    return text


def _coerce_str_list(key: str, value: Any, spec: ParamSpec, bad: _Bad) -> list[str]:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise bad("is not a list of ids")
    out = [v.strip() for v in value]
    if spec.choices:
        wrong = [v for v in out if v not in spec.choices]
        if wrong:
            raise bad(f"has unknown value(s) {wrong}; allowed: {', '.join(spec.choices)}")
    return out


def _coerce_status_map(key: str, value: Any, spec: ParamSpec, bad: _Bad) -> dict[str, str]:
    if not isinstance(value, dict):
        raise bad("is not an object (JSON {...})")
    out: dict[str, str] = {}
    for k, v in value.items():
        if v not in FACILITY_STATUSES:
            raise bad(
                f"gives '{k}' the unknown status {json.dumps(v, ensure_ascii=False)};"
                f" allowed: {', '.join(FACILITY_STATUSES)}"
            )
        out[str(k)] = v
    return out


def _coerce_number_map(key: str, value: Any, spec: ParamSpec, bad: _Bad) -> dict[str, float]:
    if not isinstance(value, dict):
        raise bad("is not an object (JSON {...})")
    out: dict[str, float] = {}
    for k, v in value.items():
        num = _number(v, bad)
        if num is None or num < 0:
            raise bad(f"gives '{k}' the value {v}; use a number >= 0")
        out[str(k)] = num
    return out


def _coerce_count_map(key: str, value: Any, spec: ParamSpec, bad: _Bad) -> dict[str, int]:
    out = _coerce_number_map(key, value, spec, bad)
    wrong = [k for k, v in out.items() if not float(v).is_integer()]
    if wrong:
        raise bad(f"gives {wrong} a fraction; use whole numbers >= 0")
    return {k: int(v) for k, v in out.items()}


def _coerce_size_classes(key: str, value: Any, spec: ParamSpec, bad: _Bad) -> list[SizeClass]:
    if not isinstance(value, (list, tuple)):
        raise bad("is not a list of size classes")
    out: list[SizeClass] = []
    for c in value:
        if isinstance(c, SizeClass):
            c = dataclasses.asdict(c)
        if not isinstance(c, dict) or set(c) != {"name", "capacity_tpd", "fixed_cost_yuan_yr"}:
            raise bad("needs objects with name, capacity_tpd and fixed_cost_yuan_yr")
        cap = _number(c["capacity_tpd"], bad)
        cost = _number(c["fixed_cost_yuan_yr"], bad)
        if cap is None or cap <= 0 or cost is None or cost < 0:
            raise bad(
                f"has size class '{c['name']}' with capacity {c['capacity_tpd']} and "
                f"cost {c['fixed_cost_yuan_yr']}; use capacity > 0 and cost >= 0"
            )
        out.append(SizeClass(str(c["name"]), cap, cost))
    return out


def _coerce_year_list(key: str, value: Any, spec: ParamSpec, bad: _Bad) -> list[int]:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, (list, tuple)):
        raise bad("is not a list of years")
    years = [_year(v, bad) for v in value]
    if any(b <= a for a, b in zip(years, years[1:], strict=False)):
        raise bad("must list the years in increasing order, each once")
    return years


def _year(value: Any, bad: _Bad) -> int:
    num = _number(value, bad)
    if num is None or not float(num).is_integer() or not 1900 <= num <= 2300:
        raise bad(f"has {json.dumps(value, ensure_ascii=False)}, not a year (1900-2300)")
    return int(num)


def _coerce_year_map(key: str, value: Any, spec: ParamSpec, bad: _Bad) -> dict[str, int]:
    if not isinstance(value, dict):
        raise bad("is not an object (JSON {...})")
    return {str(k): _year(v, bad) for k, v in value.items()}


def _coerce_period_map(
    key: str, value: Any, spec: ParamSpec, bad: _Bad
) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise bad("is not an object (JSON {year: {...}})")
    out: dict[str, dict[str, Any]] = {}
    for year, params in value.items():
        _year(year, bad)
        if not isinstance(params, dict):
            raise bad(f"gives {year} a value that is not an object of parameters")
        wrong = sorted(set(params) - set(PERIOD_KEYS))
        if wrong:
            raise bad(
                f"overrides {wrong} in {year}; a period may override {', '.join(PERIOD_KEYS)}"
            )
        out[str(int(float(year)))] = {
            k: coerce_parameter(k, v, scenario=f"period {year}") for k, v in params.items()
        }
    return out


#: ``ParamSpec.kind -> coercer(key, value, spec, bad)`` for :func:`coerce_parameter`.
_COERCERS: dict[str, Callable[[str, Any, ParamSpec, _Bad], Any]] = {
    "int": _coerce_number,
    "float": _coerce_number,
    "bool": _coerce_bool,
    "str": _coerce_str,
    "str_list": _coerce_str_list,
    "status_map": _coerce_status_map,
    "number_map": _coerce_number_map,
    "count_map": _coerce_count_map,
    "size_classes": _coerce_size_classes,
    "year_list": _coerce_year_list,
    "year_map": _coerce_year_map,
    "period_map": _coerce_period_map,
}


def _number(value: Any, bad: _Bad) -> float | None:
    if isinstance(value, (list, dict)):
        raise bad("is not a number")
    try:
        return parse_number(value)
    except ValueError:
        percent = isinstance(value, str) and value.strip().endswith("%")
        raise bad(
            "is not a number"
            + (" (a percentage: write a fraction, e.g. 0.02 for 2%)" if percent else "")
        ) from None


def _check_range(num: float, spec: ParamSpec, bad: _Bad) -> None:
    hint = f" ({spec.hint})" if spec.hint else ""
    if spec.low is not None and num < spec.low:
        raise bad(f"is below the minimum {spec.low:g}{hint}")
    if spec.high is not None and num > spec.high:
        raise bad(f"is above the maximum {spec.high:g}{hint}")
    if spec.above is not None and not num > spec.above:
        raise bad(f"must be greater than {spec.above:g}")
    if spec.below is not None and not num < spec.below:
        raise bad(f"must be less than {spec.below:g}")


@dataclass
class Scenario:
    """A named set of planning parameters (see module docstring for units).

    Parameters are grouped; every field has a default so an empty JSON object
    is a valid scenario.
    """

    # --- identity -------------------------------------------------------
    name: str
    description: str = ""
    target_year: int = 2020

    # --- demand ---------------------------------------------------------
    #: Annual growth of generation from the latest year with data to the
    #: target year (fraction per year, 0.02 = 2 %/yr).
    generation_growth_rate: float = 0.0
    #: Where waste originates: ``"county"`` (one point per county) or ``"town"``
    #: (each county's generation split over its towns, see :mod:`wufei_gis.towns`).
    demand_level: str = "county"
    #: Waste streams modelled (ids of the project's ``streams`` table).  The
    #: default is the single household-residual stream of the original model.
    streams: list[str] = field(default_factory=lambda: ["residual"])

    # --- which facilities are in service --------------------------------
    #: Facility statuses counted as in service (open) in this scenario.
    in_service_statuses: list[str] = field(default_factory=lambda: ["operating"])
    #: Per-facility status overrides, e.g. ``{"YX-LF-3": "closed"}``.
    facility_status: dict[str, str] = field(default_factory=dict)
    #: Per-facility capacity overrides (t/d), e.g. an expansion.
    facility_capacity: dict[str, float] = field(default_factory=dict)

    # --- candidates -----------------------------------------------------
    #: Candidate ids that may open; ``None`` means all candidates.
    candidate_ids: list[str] | None = None
    required_candidates: list[str] = field(default_factory=list)
    forbidden_candidates: list[str] = field(default_factory=list)
    #: Transfer-station size classes (CJJ/T 47 by default).
    size_classes: list[SizeClass] = field(
        default_factory=lambda: [dataclasses.replace(c) for c in DEFAULT_SIZE_CLASSES]
    )
    #: Use the exclusion polygons of the project (no candidate inside).
    use_exclusions: bool = True
    #: Also offer a transfer-station candidate at every town (``GEN-T-<town_id>``,
    #: generated at solve time, any size class; see :mod:`wufei_gis.catchments`).
    candidates_at_towns: bool = False

    # --- costs ----------------------------------------------------------
    circuity_factor: float = 1.4
    #: Collection trucks (source -> first site), yuan per tonne-km.
    collection_cost_yuan_tkm: float = 2.0
    #: Transfer trucks (transfer station -> treatment), yuan per tonne-km.
    transfer_cost_yuan_tkm: float = 0.8
    #: Gate / operating cost by facility type, yuan per tonne.
    gate_cost_yuan_t: dict[str, float] = field(
        default_factory=lambda: {"landfill": 60.0, "incinerator": 110.0, "transfer_station": 25.0}
    )
    #: Penalty per tonne of unserved waste (the capacity gap), yuan/t.
    unserved_penalty_yuan_t: float = 5000.0

    # --- routing --------------------------------------------------------
    #: Name of a road network stored in the project; ``None`` = straight line.
    network: str | None = None
    #: Direct haul (source -> treatment, no transfer) allowed up to this, km.
    max_direct_haul_km: float | None = 20.0
    #: Collection service standard: the first leg (source -> station or plant)
    #: is at most this long, km; a source beyond it is unserved (a gap, with its reason).
    max_collection_km: float | None = None
    #: The same as a time, minutes (road network times, or straight-line
    #: distance / ``collection_speed_kmh``).
    max_collection_min: float | None = None
    #: Collection truck speed for ``max_collection_min`` without a road network,
    #: km/h: ``{"default": 30, "<county_id>": 20}`` (a county's value wins).
    collection_speed_kmh: dict[str, float] = field(default_factory=lambda: {"default": 30.0})

    # --- policy ---------------------------------------------------------
    #: Minimum share of treated waste that is incinerated (0.65 = 65 %).
    incineration_share_min: float | None = None
    #: Maximum raw waste landfilled, t/d (0 = zero landfill of raw waste).
    landfill_cap_tpd: float | None = None
    #: Incineration *capacity* / all harmless-treatment capacity of the open plants
    #: taking share-counted streams >= this (the plans' own indicator, e.g. 0.65).
    incineration_capacity_share_min: float | None = None
    #: Regulated-haul limits per stream, km per leg, e.g. ``{"medical": 150}``.
    stream_max_haul_km: dict[str, float] = field(default_factory=dict)
    #: Minimum load of open plants as a fraction of capacity, by facility type or
    #: id (an id wins), e.g. ``{"incinerator": 0.7}`` (take-or-pay contracts).
    min_load_share: dict[str, float] = field(default_factory=dict)
    #: Cost of each t/d a plant runs below its minimum load (take-or-pay), yuan/t.
    min_load_shortfall_yuan_t: float = 1000.0
    #: Penalty per t of raw (share-counted) waste landfilled, yuan/t: "no raw waste
    #: to landfill where incineration capacity suffices" (``None`` = off).
    raw_landfill_penalty_yuan_t: float | None = None
    #: Most fly ash into ordinary landfills (licensed cells), t/d (``None`` = no cap).
    fly_ash_landfill_max_tpd: float | None = None
    #: Kitchen waste treated / generated >= this (reported as met or not).
    kitchen_coverage_min: float | None = None
    #: Overrides of the KPI factors (:data:`wufei_gis.kpis.KPI_FACTORS`).
    kpi_factors: dict[str, float] = field(default_factory=dict)
    #: Number of new sites: at most (``exact_new_sites=False``) or exactly p.
    max_new_sites: int | None = None
    exact_new_sites: bool = False
    single_sourcing: bool = False
    county_self_sufficiency: bool = False

    # --- coverage rules (see optimization/coverage.py) ------------------
    #: At least k open facilities of a type in every coverage region, e.g.
    #: ``{"transfer_station": 1}`` (in service + newly opened).
    min_facilities_per_region: dict[str, int] = field(default_factory=dict)
    #: Column of the counties layer whose values group counties into coverage
    #: regions (e.g. ``prefecture_id``); ``None`` = every county is a region.
    coverage_region_field: str | None = None
    #: Every source within this many km of an open facility of the type (set
    #: covering); with ``objective="mclp"`` the radius of the covering objective.
    cover_within_km: dict[str, float] = field(default_factory=dict)
    #: The same as travel time, minutes (road network times, or straight-line
    #: distance / ``collection_speed_kmh``, as ``max_collection_min``).
    cover_within_min: dict[str, float] = field(default_factory=dict)
    #: ``"cost"`` (minimize yuan/day) or ``"mclp"``: first maximize the demand
    #: within the ``cover_within_*`` radius of ``mclp_facilities`` new sites,
    #: then minimize cost among the plans that cover that much.
    objective: str = "cost"
    #: p of the maximal covering objective: new sites of the covering types.
    mclp_facilities: int | None = None

    # --- solver ---------------------------------------------------------
    solver: str = "highs"
    time_limit_s: float | None = 120.0
    mip_gap: float = 1e-4
    threads: int | None = None

    # --- phasing: several periods in one model (optimization/phasing.py) ----
    #: First year of each period, e.g. ``[2025, 2030, 2035]``; empty = one target year.
    periods: list[int] = field(default_factory=list)
    #: End of the last period (exclusive); ``None`` = the last period is as long
    #: as the one before it (5 years with one period).
    horizon_end_year: int | None = None
    #: Discount rate of the present value, fraction per year (0.08: the social
    #: discount rate of China's project-appraisal guideline).
    discount_rate: float = 0.08
    #: Per-period parameters, ``{"2030": {"incineration_share_min": 0.75}}``
    #: (the keys in :data:`PERIOD_KEYS`); the period's year is its target year.
    period_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Sites that close, ``{"YX-LF-01": 2030}``: no capacity from that year on.
    closures: dict[str, int] = field(default_factory=dict)

    # ---------------------------------------------------------------------
    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Coerce every parameter to its type (:data:`PARAMETERS`), or raise.

        Raises :class:`InputError` naming the scenario and the first bad
        parameter; also refuses a candidate both required and forbidden.
        """
        name = self.name if isinstance(self.name, str) else str(self.name)
        for f in dataclasses.fields(self):
            setattr(self, f.name, coerce_parameter(f.name, getattr(self, f.name), scenario=name))
        overlap = set(self.required_candidates) & set(self.forbidden_candidates)
        if overlap:
            raise InputError(
                f"scenario '{self.name}': candidates both required and forbidden: "
                f"{sorted(overlap)}",
                layer="scenarios",
                field="required_candidates",
                fix="remove them from required_candidates or from forbidden_candidates",
            )

    # --- serialization -----------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        """Return the scenario as a JSON string (UTF-8, Chinese kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str | None = None) -> Scenario:
        """Build a scenario from a dict, rejecting unknown keys by name."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        name = data.get("name", "?")
        if unknown:
            raise InputError(
                f"scenario '{name}' has unknown parameter(s) {unknown}",
                file=source,
                layer="scenarios",
                field=unknown[0],
                fix=f"remove them or use one of: {', '.join(sorted(known))}",
            )
        if "name" not in data:
            raise InputError(
                "scenario has no name",
                file=source,
                layer="scenarios",
                field="name",
                fix='add a "name" key',
            )
        try:
            return cls(**data)
        except TypeError as exc:  # wrong value types
            raise InputError(
                f"scenario '{name}': {exc}",
                file=source,
                layer="scenarios",
                fix="check the parameter types against docs/model.md",
            ) from None

    @classmethod
    def from_json(cls, text: str, *, source: str | None = None) -> Scenario:
        """Parse a scenario from JSON text."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"scenario JSON is not valid: {exc}",
                file=source,
                layer="scenarios",
                fix="correct the JSON syntax",
            ) from None
        if not isinstance(data, dict):
            raise InputError(
                "scenario JSON must be an object",
                file=source,
                layer="scenarios",
                fix='write the scenario as {"name": ..., ...}',
            )
        return cls.from_dict(data, source=source)

    def copy(self, **changes: Any) -> Scenario:
        """Return a copy with some parameters changed."""
        return Scenario.from_dict({**self.to_dict(), **changes})

    def period_scenarios(self) -> list[Scenario]:
        """One single-period scenario per period: target year = the period's year.

        Each copy has ``periods`` empty and the period's ``period_overrides``
        applied; its name is ``"<name>@<year>"``.  A scenario without periods
        gives ``[self]``.
        """
        if not self.periods:
            return [self]
        unknown = sorted(set(self.period_overrides) - {str(y) for y in self.periods})
        if unknown:
            raise InputError(
                f"scenario '{self.name}': period_overrides for {unknown}, which are not periods",
                layer="scenarios",
                field="period_overrides",
                fix=f"use the years of periods: {self.periods}",
            )
        return [
            self.copy(
                name=f"{self.name}@{y}",
                target_year=y,
                periods=[],
                period_overrides={},
                **self.period_overrides.get(str(y), {}),
            )
            for y in self.periods
        ]

    def period_lengths(self) -> list[float]:
        """Years each period lasts (the last one to ``horizon_end_year``)."""
        ys = list(self.periods)
        if not ys:
            return [1.0]
        gaps = [float(b - a) for a, b in zip(ys, ys[1:], strict=False)]
        last = (self.horizon_end_year - ys[-1]) if self.horizon_end_year else (gaps or [5.0])[-1]
        if last <= 0:
            raise InputError(
                f"scenario '{self.name}': horizon_end_year {self.horizon_end_year} is not "
                f"after the last period {ys[-1]}",
                layer="scenarios",
                field="horizon_end_year",
                fix="set it after the last period, or leave it empty",
            )
        return gaps + [float(last)]

    def status_of(self, facility_id: str, base_status: str) -> str:
        """Return the facility's status in this scenario."""
        return self.facility_status.get(facility_id, base_status)

    def in_service(self, facility_id: str, base_status: str) -> bool:
        """Whether a facility is open (in service) in this scenario."""
        return self.status_of(facility_id, base_status) in self.in_service_statuses


def scenario_fields() -> list[dataclasses.Field[Any]]:
    """Return the scenario's parameter fields (for forms and docs)."""
    return list(dataclasses.fields(Scenario))
