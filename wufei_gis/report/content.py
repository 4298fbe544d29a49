"""What the PDF report says: its sections as text and table blocks (no drawing).

Each function assembles one section from the results and the project into
plain blocks: :class:`Text` (a paragraph in a named style), :class:`Table`
(a titled table of strings with relative column widths) and :class:`Figure`
(a titled PNG image, optionally with a table beside it).  The layout
(:mod:`wufei_gis.report.layout`) turns blocks into pages; the maps
(:mod:`wufei_gis.report.maps`) provide the images.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import geopandas as gpd
import pandas as pd

from .. import __version__
from ..analysis import county_analysis, facility_analysis, kpi_table
from ..formatting import format_bare as fmt
from ..results import RunResult
from .text import TEXT, Words

if TYPE_CHECKING:  # pragma: no cover
    from ..project import Project

__all__ = [
    "Block",
    "Column",
    "Figure",
    "Table",
    "Text",
    "assumption_tables",
    "county_tables",
    "difference_table",
    "facility_tables",
    "kpi_section",
    "letter",
    "parameter_table",
    "title_blocks",
]

#: Longest cell text printed; longer texts end with "…" (a row must fit on a page).
MAX_CELL_CHARS = 600


@dataclass(frozen=True)
class Column:
    """A table column: header, width relative to the other columns, alignment."""

    header: str
    width: float
    align: Literal["l", "r"] = "l"


@dataclass
class Table:
    """A titled table; long tables continue over pages with the header repeated.

    ``total_row`` marks the last row as a total (set in bold type).
    """

    title: str
    columns: list[Column]
    rows: list[list[str]]
    note: str | None = None
    font_size: float = 7.0
    total_row: bool = False
    new_page: bool = True


@dataclass
class Text:
    """A paragraph.

    ``style`` is ``{"title", "subtitle", "heading", "body", "small", "warning"}``.
    """

    text: str
    style: str = "body"
    indent: int = 0


@dataclass
class Figure:
    """A titled PNG image ``width`` × ``height`` inches, with an optional table beside it."""

    title: str
    image: bytes
    width: float
    height: float
    side: Table | None = None
    new_page: bool = True


Block = Text | Table | Figure


def letter(i: int) -> str:
    """Return the letter of the ``i``-th scenario (A, B, C…)."""
    return chr(65 + i) if i < 26 else str(i)


def _cell(text: object) -> str:
    s = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return s if len(s) <= MAX_CELL_CHARS else s[: MAX_CELL_CHARS - 1] + "…"


def _clip_rows(rows: list[list[str]]) -> list[list[str]]:
    return [[_cell(v) for v in row] for row in rows]


# --- title page ---------------------------------------------------------------------------
def _description(desc: str, lang: str) -> str:
    if " / " in desc:  # bilingual descriptions: "中文 / English"
        zh, en = desc.split(" / ", 1)
        return zh if lang == "zh" else en
    return desc


def title_blocks(
    results: Sequence[RunResult], project: Project | None, words: Words, *, fallback: bool
) -> list[Text]:
    """Return the title page: title, project, scenarios with their descriptions, date, units."""
    blocks = [Text(words.t("title"), "title"), Text(words.t("subtitle"), "subtitle")]
    if project is not None:
        blocks.append(Text(f"{words.t('project')}: {words.s(project.name)}"))
    blocks.append(Text(words.t("scenarios") + ":", "heading"))
    for i, r in enumerate(results):
        status = r.summary().get("status", "")
        blocks.append(Text(f"{letter(i)}. {words.s(r.scenario)}  ({status})", indent=1))
        sc = project.scenarios.get(r.scenario) if project is not None else None
        if sc is not None and sc.description:
            desc = words.s(_description(sc.description, words.lang))
            blocks.append(Text(_cell(desc), "small", indent=2))
    blocks += [
        Text(f"{words.t('date')}: {_dt.date.today().isoformat()}"),
        Text(words.t("generated", version=__version__), "small"),
        Text(words.t("units"), "small"),
    ]
    if fallback:
        blocks.append(Text(TEXT["en"]["font_fallback"], "warning"))
    return blocks


# --- tables ---------------------------------------------------------------------------------
def difference_table(diff: gpd.GeoDataFrame, k: int, words: Words) -> Table:
    """Return the per-county B − A table printed next to a difference map.

    ``diff`` is :func:`wufei_gis.analysis.gap_difference` of scenario ``k`` against A.
    """
    cols = [
        Column(words.t("county"), 1.6),
        Column("A", 1.0, "r"),
        Column(letter(k), 1.0, "r"),
        Column("Δ", 1.0, "r"),
    ]
    rows = [
        [
            words.s(x[words.name_col] or x["name_zh"]) or str(x["county_id"]),
            fmt(x["unserved_tpd_a"], "t/d"),
            fmt(x["unserved_tpd_b"], "t/d"),
            fmt(x["delta_unserved_tpd"], "t/d", signed=True),
        ]
        for _, x in diff.iterrows()
    ]
    rows.append(
        [
            words.t("unserved"),
            fmt(diff["unserved_tpd_a"].sum(), "t/d"),
            fmt(diff["unserved_tpd_b"].sum(), "t/d"),
            fmt(diff["delta_unserved_tpd"].sum(), "t/d", signed=True),
        ]
    )
    return Table(
        words.t("diff_table"), cols, _clip_rows(rows), font_size=8, total_row=True, new_page=False
    )


def kpi_section(results: Sequence[RunResult], project: Project | None, words: Words) -> Table:
    """Return the KPI table: every scenario's value and the deltas against A."""
    t = kpi_table(results, project=project)
    names = [c for c in t.columns[4:] if not str(c).startswith("delta ")]
    letters = [letter(i) for i in range(len(names))]
    cols = [Column(words.t("kpi"), 3.2), Column(words.t("unit"), 0.8)]
    cols += [Column(f"{x}: {words.s(n)}", 1.3, "r") for x, n in zip(letters, names, strict=True)]
    cols += [Column(words.t("delta", b=x, a="A"), 1.2, "r") for x in letters[1:]]
    rows = []
    for _, r in t.iterrows():
        unit = r["unit"]
        label = r["label_zh"] if words.lang == "zh" else r["label_en"]
        row = [label, words.unit(unit)] + [fmt(r[n], unit) for n in names]
        row += [fmt(r[f"delta {n}"], unit, signed=True) for n in names[1:]]
        rows.append(row)
    return Table(words.t("kpis"), cols, _clip_rows(rows), font_size=8)


def county_tables(
    results: Sequence[RunResult], project: Project | None, words: Words
) -> list[Table]:
    """Return one per-county capacity-gap table per scenario, with a total row."""
    name_col = words.name_col
    cols = [
        Column(words.t("county"), 1.6),
        Column(words.t("generation"), 1.0, "r"),
        Column(words.t("served"), 1.0, "r"),
        Column(words.t("unserved"), 1.0, "r"),
        Column(words.t("unserved_share"), 0.9, "r"),
        Column(words.t("incin_share"), 0.9, "r"),
        Column(words.t("landfill_share"), 0.9, "r"),
        Column(words.t("mean_haul"), 0.9, "r"),
        Column(words.t("max_haul"), 0.9, "r"),
    ]
    tables = []
    for i, r in enumerate(results):
        c = county_analysis(r, project=project)
        rows = [
            [
                f"{words.s(x[name_col] or x['name_zh'] or x['county_id'])} ({x['county_id']})",
                fmt(x["generation_tpd"], "t/d"),
                fmt(x["served_tpd"], "t/d"),
                fmt(x["unserved_tpd"], "t/d"),
                fmt(x["unserved_share"], "%"),
                fmt(x["incineration_share"], "%"),
                fmt(x["landfill_share"], "%"),
                fmt(x["mean_haul_km"], "km"),
                fmt(x["max_haul_km"], "km"),
            ]
            for _, x in c.iterrows()
        ]
        rows.append(
            [
                words.t("total") if words.cjk else TEXT["en"]["total"],
                fmt(c["generation_tpd"].sum(), "t/d"),
                fmt(c["served_tpd"].sum(), "t/d"),
                fmt(c["unserved_tpd"].sum(), "t/d"),
                "",
                "",
                "",
                "",
                "",
            ]
        )
        tables.append(
            Table(
                words.t("counties", s=f"{letter(i)}. {words.s(r.scenario)}"),
                cols,
                _clip_rows(rows),
                total_row=True,
                new_page=i == 0,
            )
        )
    return tables


def facility_tables(
    results: Sequence[RunResult], project: Project | None, words: Words
) -> list[Table]:
    """Return one facility-load table per scenario."""
    cols = [
        Column(words.t("site"), 1.0),
        Column(words.t("name"), 2.6),
        Column(words.t("type"), 1.0),
        Column(words.t("new"), 0.5),
        Column(words.t("capacity"), 0.9, "r"),
        Column(words.t("throughput"), 0.9, "r"),
        Column(words.t("utilization"), 0.8, "r"),
        Column(words.t("served_counties"), 2.4),
    ]
    en_names: dict[str, str] = {}
    if project is not None:
        fac = project.facilities
        en_names = dict(
            zip(fac["facility_id"].astype(str), fac.get("name_en", fac["name_zh"]), strict=True)
        )
    tables = []
    for i, r in enumerate(results):
        rows = []
        for _, x in facility_analysis(r, project=project).iterrows():
            name = (
                x["name_zh"]
                if words.name_col == "name_zh"
                else (en_names.get(x["site_id"]) or x["name_zh"])
            )
            rows.append(
                [
                    x["site_id"],
                    words.s(name),
                    words.type_name(x["type"]),
                    words.t("yes") if x["is_new"] else words.t("no"),
                    fmt(x["capacity_tpd"], "t/d"),
                    fmt(x["throughput_tpd"], "t/d"),
                    fmt(x["utilization"], "%"),
                    words.s(x["counties_served"]),
                ]
            )
        tables.append(
            Table(
                words.t("facilities", s=f"{letter(i)}. {words.s(r.scenario)}"),
                cols,
                _clip_rows(rows),
                new_page=i == 0,
            )
        )
    return tables


def assumption_tables(project: Project | None, words: Words) -> list[Block]:
    """Return the data sources of the facilities and of the generation estimates.

    Without a project, one paragraph saying that they cannot be listed.
    """
    if project is None:
        return [Text(words.t("assumptions"), "heading"), Text(words.t("no_project"))]
    cols = [
        Column(words.t("site"), 1.0),
        Column(words.t("name"), 1.9),
        Column(words.t("type"), 0.9),
        Column(words.t("status"), 0.8),
        Column(words.t("capacity"), 0.8, "r"),
        Column(words.t("precision"), 0.7),
        Column(words.t("source"), 1.6),
        Column(words.t("note"), 5.0),
    ]
    rows = []
    for _, x in project.facilities.iterrows():
        name = x["name_zh"] if words.name_col == "name_zh" else (x.get("name_en") or x["name_zh"])
        rows.append(
            [
                x["facility_id"],
                words.s(name),
                words.type_name(x["type"]),
                words.status_name(x["status"]),
                fmt(x["capacity_tpd"], "t/d"),
                words.precision_name(x.get("location_precision", "")),
                words.s(x.get("source", "")),
                words.s(x.get("note", "")),
            ]
        )
    if words.name_col == "name_zh":
        names = project.county_names()
    else:
        names = dict(
            zip(project.counties["county_id"].astype(str), project.counties["name_en"], strict=True)
        )
    gcols = [
        Column(words.t("county"), 1.2),
        Column(words.t("year"), 0.5, "r"),
        Column(words.t("generation"), 0.8, "r"),
        Column(words.t("source"), 1.8),
        Column(words.t("note"), 6.0),
    ]
    grows = [
        [
            f"{words.s(names.get(str(x['county_id']), ''))} ({x['county_id']})",
            str(x["year"]),
            fmt(x["generation_tpd"], "t/d"),
            words.s(x.get("source", "")),
            words.s(x.get("note", "")),
        ]
        for _, x in project.generation.iterrows()
    ]
    return [
        Table(words.t("assumptions"), cols, _clip_rows(rows), font_size=6.5),
        Table(words.t("generation_src"), gcols, _clip_rows(grows), font_size=6.5, new_page=False),
    ]


def _parameter_value(v: object) -> str:
    if isinstance(v, list) and v and isinstance(v[0], dict):
        return "; ".join(", ".join(f"{a}={b}" for a, b in item.items()) for item in v)
    return str(v)


def parameter_table(results: Sequence[RunResult], project: Project | None, words: Words) -> Table:
    """Return every scenario parameter side by side, then the run summaries (solver, gap…)."""
    scen = [project.scenarios.get(r.scenario) if project is not None else None for r in results]
    dicts = [s.to_dict() if s is not None else {} for s in scen]
    keys = [k for k in (dicts[0] or next((d for d in dicts if d), {})) if k != "description"]
    cols = [Column(words.t("parameter"), 1.6)]
    cols += [Column(f"{letter(i)}: {words.s(r.scenario)}", 3.0) for i, r in enumerate(results)]
    rows = [[k] + [words.s(_parameter_value(d.get(k, "–"))) for d in dicts] for k in keys]
    # the run summaries (solver, gap, cost method...) are always known
    for key in ("status", "solver", "mip_gap", "runtime_s", "cost_method"):
        rows.append([f"run: {key}"] + [str(r.summary().get(key, "–")) for r in results])
    note = None if any(dicts) else words.t("no_project")
    return Table(words.t("parameters"), cols, _clip_rows(rows), note=note)
