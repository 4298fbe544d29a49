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
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError
from .schema import FACILITY_STATUSES

__all__ = ["Scenario", "SizeClass", "DEFAULT_SIZE_CLASSES", "scenario_fields"]


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

    # --- policy ---------------------------------------------------------
    #: Minimum share of treated waste that is incinerated (0.65 = 65 %).
    incineration_share_min: float | None = None
    #: Maximum raw waste landfilled, t/d (0 = zero landfill of raw waste).
    landfill_cap_tpd: float | None = None
    #: Number of new sites: at most (``exact_new_sites=False``) or exactly p.
    max_new_sites: int | None = None
    exact_new_sites: bool = False
    single_sourcing: bool = False
    county_self_sufficiency: bool = False

    # --- solver ---------------------------------------------------------
    solver: str = "highs"
    time_limit_s: float | None = 120.0
    mip_gap: float = 1e-4
    threads: int | None = None

    # ---------------------------------------------------------------------
    def __post_init__(self) -> None:
        self.size_classes = [
            c if isinstance(c, SizeClass) else SizeClass(**c) for c in self.size_classes
        ]
        self.validate()

    def validate(self) -> None:
        """Raise :class:`InputError` naming the first bad parameter."""

        def bad(fld: str, problem: str, fix: str) -> None:
            raise InputError(f"scenario '{self.name}': {problem}", layer="scenarios",
                             field=fld, fix=fix)

        if not str(self.name).strip():
            bad("name", "scenario name is empty", "give the scenario a name")
        for s in list(self.in_service_statuses) + list(self.facility_status.values()):
            if s not in FACILITY_STATUSES:
                bad("in_service_statuses", f"unknown facility status '{s}'",
                    f"use one of {', '.join(FACILITY_STATUSES)}")
        for fid, cap in self.facility_capacity.items():
            if cap is None or float(cap) < 0:
                bad("facility_capacity", f"capacity of '{fid}' is negative ({cap})",
                    "use a capacity >= 0 t/d")
        if self.circuity_factor < 1.0:
            bad("circuity_factor", f"circuity factor {self.circuity_factor} is below 1",
                "use a factor >= 1 (road km / straight-line km), e.g. 1.4")
        for fld in ("collection_cost_yuan_tkm", "transfer_cost_yuan_tkm",
                    "unserved_penalty_yuan_t", "generation_growth_rate"):
            v = getattr(self, fld)
            lo = -0.5 if fld == "generation_growth_rate" else 0.0
            if v is None or float(v) < lo:
                bad(fld, f"{fld} = {v} is out of range", f"use a value >= {lo}")
        if self.incineration_share_min is not None and not 0 <= self.incineration_share_min <= 1:
            bad("incineration_share_min", f"share {self.incineration_share_min} not in [0, 1]",
                "write the share as a fraction, e.g. 0.65 for 65 %")
        if self.landfill_cap_tpd is not None and self.landfill_cap_tpd < 0:
            bad("landfill_cap_tpd", "landfill cap is negative", "use a cap >= 0 t/d")
        if self.max_new_sites is not None and self.max_new_sites < 0:
            bad("max_new_sites", "number of new sites is negative", "use a count >= 0")
        if self.max_direct_haul_km is not None and self.max_direct_haul_km < 0:
            bad("max_direct_haul_km", "direct-haul limit is negative",
                "use a distance >= 0 km, or leave empty for no limit")
        if not 0 <= self.mip_gap < 1:
            bad("mip_gap", f"relative gap {self.mip_gap} not in [0, 1)", "e.g. 0.001")
        if self.solver not in ("highs", "cbc"):
            bad("solver", f"unknown solver '{self.solver}'", "use 'highs' or 'cbc'")
        overlap = set(self.required_candidates) & set(self.forbidden_candidates)
        if overlap:
            bad("required_candidates", f"candidates both required and forbidden: {sorted(overlap)}",
                "remove them from one of the two lists")
        for c in self.size_classes:
            if c.capacity_tpd <= 0 or c.fixed_cost_yuan_yr < 0:
                bad("size_classes", f"size class '{c.name}' has capacity {c.capacity_tpd} "
                    f"and cost {c.fixed_cost_yuan_yr}", "use capacity > 0 and cost >= 0")

    # --- serialization -----------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        """Return the scenario as a JSON string (UTF-8, Chinese kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str | None = None) -> "Scenario":
        """Build a scenario from a dict, rejecting unknown keys by name."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        name = data.get("name", "?")
        if unknown:
            raise InputError(
                f"scenario '{name}' has unknown parameter(s) {unknown}",
                file=source, layer="scenarios", field=unknown[0],
                fix=f"remove them or use one of: {', '.join(sorted(known))}",
            )
        if "name" not in data:
            raise InputError("scenario has no name", file=source, layer="scenarios",
                             field="name", fix="add a \"name\" key")
        try:
            return cls(**data)
        except TypeError as exc:  # wrong value types
            raise InputError(f"scenario '{name}': {exc}", file=source, layer="scenarios",
                             fix="check the parameter types against docs/model.md") from None

    @classmethod
    def from_json(cls, text: str, *, source: str | None = None) -> "Scenario":
        """Parse a scenario from JSON text."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"scenario JSON is not valid: {exc}", file=source,
                             layer="scenarios", fix="correct the JSON syntax") from None
        if not isinstance(data, dict):
            raise InputError("scenario JSON must be an object", file=source, layer="scenarios",
                             fix="write the scenario as {\"name\": ..., ...}")
        return cls.from_dict(data, source=source)

    def copy(self, **changes: Any) -> "Scenario":
        """Return a copy with some parameters changed."""
        return Scenario.from_dict({**self.to_dict(), **changes})

    def status_of(self, facility_id: str, base_status: str) -> str:
        """Return the facility's status in this scenario."""
        return self.facility_status.get(facility_id, base_status)

    def in_service(self, facility_id: str, base_status: str) -> bool:
        """Whether a facility is open (in service) in this scenario."""
        return self.status_of(facility_id, base_status) in self.in_service_statuses


def scenario_fields() -> list[dataclasses.Field]:
    """Return the scenario's parameter fields (for forms and docs)."""
    return list(dataclasses.fields(Scenario))
