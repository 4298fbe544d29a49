"""Data contracts: the columns, types and units of every project layer.

These are the single source of truth for what a layer must contain.  Readers
(:mod:`wufei_gis.io`) rename and coerce into these columns; validators
(:mod:`wufei_gis.validation`) check them; the GUI builds its attribute tables
and field-mapping dialog from them.

All geometries are stored in EPSG:4326 (WGS84 longitude/latitude).
Quantities: tonnes per day (t/d) for waste, yuan for money, km for distance.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "STORAGE_CRS",
    "Field",
    "LayerSpec",
    "COUNTIES",
    "FACILITIES",
    "GENERATION",
    "CANDIDATES",
    "EXCLUSIONS",
    "TOWNS",
    "STREAMS",
    "STREAM_ACCEPTANCE",
    "STREAM_YIELDS",
    "FACILITY_TYPES",
    "TRANSFER_TYPES",
    "MODELLED_TYPES",
    "CANDIDATE_TYPES",
    "TREATMENT_TYPES",
    "FACILITY_STATUSES",
    "LOCATION_PRECISIONS",
    "LAYER_SPECS",
]

STORAGE_CRS = "EPSG:4326"

#: Facility types of the single-stream model (household residual waste).  Which
#: types a multi-stream scenario routes waste to is data: the ``stream_acceptance``
#: table (:mod:`wufei_gis.streams`); a ``sorting_centre`` or ``other`` is kept, not modelled.
TREATMENT_TYPES = ("landfill", "incinerator")
MODELLED_TYPES = ("landfill", "incinerator", "transfer_station")
#: Types that pass waste on (first leg in, second leg out) instead of treating it:
#: ordinary transfer stations and dedicated collection hubs for regulated streams.
TRANSFER_TYPES = ("transfer_station", "collection_hub")
FACILITY_TYPES = (
    "landfill",
    "incinerator",
    "transfer_station",
    "kitchen_waste",
    "medical_waste",
    "hazardous_landfill",
    "cement_kiln",
    "collection_hub",
    "sorting_centre",
    "other",
)
#: Types a candidate site may have (everything the model can open).
CANDIDATE_TYPES = tuple(t for t in FACILITY_TYPES if t not in ("sorting_centre", "other"))
FACILITY_STATUSES = ("operating", "under_construction", "planned", "closed")
LOCATION_PRECISIONS = ("exact", "town", "county")


@dataclass(frozen=True)
class Field:
    """One column of a layer.

    Parameters
    ----------
    name
        Column name in the project file.
    dtype
        ``"str"``, ``"float"``, ``"int"`` or ``"bool"``.
    required
        Whether the column must be present in input files.
    unit
        Unit for numbers (``"t/d"``, ``"yuan/yr"``...), ``""`` for none.
    choices
        Allowed values, if restricted.
    minimum
        Smallest allowed value for numbers (inclusive).
    default
        Value filled in when an optional column is missing.
    label_zh, label_en
        Column headers shown to users.
    """

    name: str
    dtype: str
    required: bool = True
    unit: str = ""
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    default: object = None
    label_zh: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class LayerSpec:
    """The contract of one project layer or table."""

    name: str
    geometry: str | None  # "Polygon", "Point" or None for plain tables
    fields: tuple[Field, ...]
    key: str | None = None

    @property
    def columns(self) -> list[str]:
        """Column names in contract order (without geometry)."""
        return [f.name for f in self.fields]

    @property
    def required(self) -> list[str]:
        """Names of the required columns."""
        return [f.name for f in self.fields if f.required]

    def field(self, name: str) -> Field:
        """Return the field called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        msg = f"layer '{self.name}' has no field '{name}'"
        raise KeyError(msg)


COUNTIES = LayerSpec(
    "counties",
    "Polygon",
    (
        Field("county_id", "str", label_zh="区县代码", label_en="County code"),
        Field("name_zh", "str", label_zh="名称", label_en="Name (zh)"),
        Field(
            "name_en", "str", required=False, default="", label_zh="英文名", label_en="Name (en)"
        ),
        Field(
            "population",
            "float",
            required=False,
            unit="persons",
            minimum=0,
            label_zh="常住人口",
            label_en="Population",
        ),
        Field("source", "str", required=False, default="", label_zh="来源", label_en="Source"),
        Field("note", "str", required=False, default="", label_zh="备注", label_en="Note"),
    ),
    key="county_id",
)

FACILITIES = LayerSpec(
    "facilities",
    "Point",
    (
        Field("facility_id", "str", label_zh="设施编号", label_en="Facility ID"),
        Field("name_zh", "str", label_zh="名称", label_en="Name (zh)"),
        Field(
            "name_en", "str", required=False, default="", label_zh="英文名", label_en="Name (en)"
        ),
        Field("type", "str", choices=FACILITY_TYPES, label_zh="类型", label_en="Type"),
        Field("status", "str", choices=FACILITY_STATUSES, label_zh="状态", label_en="Status"),
        Field(
            "capacity_tpd",
            "float",
            unit="t/d",
            minimum=0,
            label_zh="处理能力 (吨/日)",
            label_en="Capacity (t/d)",
        ),
        Field("county_id", "str", label_zh="所在区县", label_en="County"),
        Field(
            "location_precision",
            "str",
            required=False,
            default="county",
            choices=LOCATION_PRECISIONS,
            label_zh="位置精度",
            label_en="Location precision",
        ),
        Field(
            "remaining_airspace_m3",
            "float",
            required=False,
            unit="m3",
            minimum=0,
            label_zh="剩余库容 (立方米)",
            label_en="Remaining airspace (m³)",
        ),
        Field(
            "compaction_t_m3",
            "float",
            required=False,
            unit="t/m3",
            minimum=0,
            label_zh="压实密度 (吨/立方米)",
            label_en="Compaction density (t/m³)",
        ),
        Field("source", "str", required=False, default="", label_zh="来源", label_en="Source"),
        Field("note", "str", required=False, default="", label_zh="备注", label_en="Note"),
    ),
    key="facility_id",
)

GENERATION = LayerSpec(
    "generation",
    None,
    (
        Field("county_id", "str", label_zh="区县代码", label_en="County code"),
        Field("year", "int", minimum=1900, label_zh="年份", label_en="Year"),
        Field(
            "generation_tpd",
            "float",
            unit="t/d",
            minimum=0,
            label_zh="产生量 (吨/日)",
            label_en="Generation (t/d)",
        ),
        Field("source", "str", required=False, default="", label_zh="来源", label_en="Source"),
        Field("note", "str", required=False, default="", label_zh="备注", label_en="Note"),
        # a stream id of the streams table; files without the column are household residual
        Field(
            "stream",
            "str",
            required=False,
            default="residual",
            label_zh="废物流",
            label_en="Stream",
        ),
    ),
)

STREAMS = LayerSpec(
    "streams",
    None,
    (
        Field("stream_id", "str", label_zh="废物流编号", label_en="Stream ID"),
        Field("name_zh", "str", label_zh="名称", label_en="Name (zh)"),
        Field(
            "name_en", "str", required=False, default="", label_zh="英文名", label_en="Name (en)"
        ),
        # 1 = regulated (fly ash, medical, hazardous): only licensed sites, own haul limit
        Field(
            "regulated",
            "int",
            required=False,
            default=0,
            minimum=0,
            label_zh="受管制",
            label_en="Regulated",
        ),
        # 1 = counted in the incineration-share targets, the landfill cap and raw landfill
        Field(
            "counts_in_share",
            "int",
            required=False,
            default=0,
            minimum=0,
            label_zh="计入焚烧占比",
            label_en="Counts in incineration share",
        ),
        Field(
            "payload_t",
            "float",
            unit="t",
            minimum=0.01,
            label_zh="车辆载重 (吨)",
            label_en="Truck payload (t)",
        ),
        Field("source", "str", required=False, default="", label_zh="来源", label_en="Source"),
        Field("note", "str", required=False, default="", label_zh="备注", label_en="Note"),
    ),
    key="stream_id",
)

STREAM_ACCEPTANCE = LayerSpec(
    "stream_acceptance",
    None,
    (
        Field(
            "facility_type",
            "str",
            choices=FACILITY_TYPES,
            label_zh="设施类型",
            label_en="Facility type",
        ),
        # empty: every facility of the type; a facility/candidate id: only that site (a licence)
        Field(
            "facility_id",
            "str",
            required=False,
            default="",
            label_zh="设施编号",
            label_en="Facility ID",
        ),
        Field("stream_id", "str", label_zh="废物流编号", label_en="Stream ID"),
        # empty: the whole facility capacity may take the stream
        Field(
            "capacity_tpd",
            "float",
            required=False,
            unit="t/d",
            minimum=0,
            label_zh="分流能力 (吨/日)",
            label_en="Stream capacity (t/d)",
        ),
        Field("source", "str", required=False, default="", label_zh="来源", label_en="Source"),
        Field("note", "str", required=False, default="", label_zh="备注", label_en="Note"),
    ),
)

STREAM_YIELDS = LayerSpec(
    "stream_yields",
    None,
    (
        Field(
            "facility_type",
            "str",
            choices=FACILITY_TYPES,
            label_zh="设施类型",
            label_en="Facility type",
        ),
        # empty: every stream the facility takes in
        Field(
            "input_stream",
            "str",
            required=False,
            default="",
            label_zh="输入废物流",
            label_en="Input stream",
        ),
        Field("output_stream", "str", label_zh="产出废物流", label_en="Output stream"),
        Field(
            "yield_share",
            "float",
            minimum=0,
            label_zh="产率",
            label_en="Yield (t/t)",
        ),
        Field("source", "str", required=False, default="", label_zh="来源", label_en="Source"),
        Field("note", "str", required=False, default="", label_zh="备注", label_en="Note"),
    ),
)

CANDIDATES = LayerSpec(
    "candidates",
    "Point",
    (
        Field("candidate_id", "str", label_zh="候选编号", label_en="Candidate ID"),
        Field("name_zh", "str", required=False, default="", label_zh="名称", label_en="Name (zh)"),
        Field("type", "str", choices=CANDIDATE_TYPES, label_zh="类型", label_en="Type"),
        Field(
            "capacity_tpd",
            "float",
            unit="t/d",
            minimum=0,
            label_zh="规模 (吨/日)",
            label_en="Capacity (t/d)",
        ),
        Field(
            "fixed_cost_yuan_yr",
            "float",
            unit="yuan/yr",
            minimum=0,
            label_zh="年化固定成本 (元/年)",
            label_en="Fixed cost (yuan/yr)",
        ),
        Field(
            "size_class",
            "str",
            required=False,
            default="",
            label_zh="规模等级",
            label_en="Size class",
        ),
        Field(
            "county_id", "str", required=False, default="", label_zh="所在区县", label_en="County"
        ),
        Field("note", "str", required=False, default="", label_zh="备注", label_en="Note"),
    ),
    key="candidate_id",
)

EXCLUSIONS = LayerSpec(
    "exclusions",
    "Polygon",
    (
        Field("zone_id", "str", label_zh="编号", label_en="Zone ID"),
        Field("name_zh", "str", required=False, default="", label_zh="名称", label_en="Name"),
        Field(
            "kind", "str", required=False, default="other", label_zh="类别", label_en="Kind"
        ),  # e.g. ecological_red_line, lake_protection
        Field("note", "str", required=False, default="", label_zh="备注", label_en="Note"),
    ),
    key="zone_id",
)

TOWNS = LayerSpec(
    "towns",
    "Point",
    (
        Field("town_id", "str", label_zh="乡镇编号", label_en="Town ID"),
        Field("name_zh", "str", label_zh="名称", label_en="Name (zh)"),
        Field(
            "name_en", "str", required=False, default="", label_zh="英文名", label_en="Name (en)"
        ),
        # empty: joined spatially to the county the point lies in (wufei_gis.towns)
        Field(
            "county_id", "str", required=False, default="", label_zh="所在区县", label_en="County"
        ),
        Field(
            "population",
            "float",
            required=False,
            unit="persons",
            minimum=0,
            label_zh="常住人口",
            label_en="Population",
        ),
        Field(
            "weight",
            "float",
            required=False,
            minimum=0,
            label_zh="分配权重",
            label_en="Weight",
        ),
        Field("source", "str", required=False, default="", label_zh="来源", label_en="Source"),
        Field(
            "location_precision",
            "str",
            required=False,
            default="town",
            choices=LOCATION_PRECISIONS,
            label_zh="位置精度",
            label_en="Location precision",
        ),
        Field("note", "str", required=False, default="", label_zh="备注", label_en="Note"),
    ),
    key="town_id",
)

LAYER_SPECS: dict[str, LayerSpec] = {
    s.name: s
    for s in (
        COUNTIES,
        FACILITIES,
        GENERATION,
        CANDIDATES,
        EXCLUSIONS,
        TOWNS,
        STREAMS,
        STREAM_ACCEPTANCE,
        STREAM_YIELDS,
    )
}
