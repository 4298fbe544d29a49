"""Phased results in the report: a Gantt-style chart of the timeline and the period tables.

A phased result (``RunResult.timeline`` present) gets one figure, one bar per site from
its first period (in service, opened or kept) to its closure, the year its landfill
airspace runs out, or the horizon, coloured by facility type with markers on the events,
and two tables: the timeline (site, action, year, capacity) and cost and indicators per
period.  Single-period results get nothing.  Drawing is matplotlib (no Qt); the same
figure is shown in the desktop app.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from ..labels import label
from ..map_style import TYPE_COLORS
from ..results import RunResult
from .content import Block, Column, Figure, Table
from .text import Words

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure as MplFigure

__all__ = ["draw_gantt", "gantt_png", "timeline_blocks"]

_MARKERS = {"open": "^", "kept": "s", "close": "x", "fills": "v"}


def draw_gantt(fig: MplFigure, timeline: pd.DataFrame, *, lang: str = "zh") -> None:
    """Draw the timeline's bars into ``fig`` (one axes; names in ``lang``)."""
    ax = fig.add_subplot(1, 1, 1)
    starts = timeline[timeline["action"].isin(["in_service", "open", "kept"])]
    starts = starts.sort_values(["type", "year", "site_id"], ignore_index=True)
    for n, r in enumerate(starts.itertuples(index=False)):
        color = TYPE_COLORS.get(str(r.type), "#888888")
        new = r.action != "in_service"
        ax.barh(
            n,
            float(r.end_year) - float(r.year),
            left=float(r.year),
            color=color,
            alpha=0.9 if new else 0.45,
            edgecolor="#333333" if new else "none",
            height=0.6,
        )
        for ev in timeline[timeline["site_id"] == r.site_id].itertuples(index=False):
            if ev.action in _MARKERS:
                ax.plot(float(ev.year), n, _MARKERS[ev.action], color="#222222", ms=6)
    names = [
        f"{r.name_zh or r.site_id} ({r.capacity_tpd:,.0f})" if lang == "zh" else str(r.site_id)
        for r in starts.itertuples(index=False)
    ]
    ax.set_yticks(range(len(starts)), names, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(label("report.col_year", lang))
    ax.grid(axis="x", color="#dddddd")
    handles = [
        ax.plot([], [], m, color="#222222", ls="none", label=label(f"action.{a}", lang))[0]
        for a, m in _MARKERS.items()
        if (timeline["action"] == a).any()
    ]
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    fig.tight_layout()


def gantt_png(timeline: pd.DataFrame, *, lang: str = "zh", dpi: int = 150) -> bytes:
    """The Gantt chart as PNG bytes."""
    from matplotlib.figure import Figure as MplFigure

    height = 1.2 + 0.28 * max(1, int(timeline["action"].isin(["in_service", "open", "kept"]).sum()))
    fig = MplFigure(figsize=(10.0, height))
    draw_gantt(fig, timeline, lang=lang)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _timeline_table(r: RunResult, words: Words) -> Table:
    tl = r.timeline if r.timeline is not None else pd.DataFrame()
    rows = [
        [
            words.s(x.site_id),
            words.s(x.name_zh) if words.lang == "zh" else "",
            words.type_name(x.type),
            label(f"action.{x.action}", words.lang),
            f"{float(x.year):.1f}" if x.action == "fills" else f"{float(x.year):.0f}",
            f"{float(x.capacity_tpd):,.0f}",
        ]
        for x in tl.itertuples(index=False)
    ]
    t = words.t
    return Table(
        f"{t('timeline_table')}: {words.s(r.scenario)}",
        [
            Column("ID", 1.2),
            Column("", 2.6),
            Column("", 1.0),
            Column(t("col_action"), 1.0),
            Column(t("col_year"), 0.7, "r"),
            Column("t/d", 0.8, "r"),
        ],
        rows,
    )


def _period_table(r: RunResult, words: Words) -> Table:
    ps = r.period_summary if r.period_summary is not None else pd.DataFrame()
    s = r.summary()
    rows = [
        [
            f"{int(x.period)}",
            f"{float(x.cost_yuan_yr):,.0f}",
            f"{float(x.present_value):,.0f}",
            f"{100 * float(x.incineration_share):.1f} %",
            f"{float(x.unserved_tpd):,.2f}",
        ]
        for x in ps.itertuples(index=False)
    ]
    t = words.t
    year = str(s.get("periods", "")).split(",")[0]
    return Table(
        f"{t('period_table')}: {words.s(r.scenario)}",
        [
            Column(t("col_period"), 0.8),
            Column(t("col_cost_yr"), 1.6, "r"),
            Column(t("col_pv"), 1.6, "r"),
            Column(t("col_inc_share"), 1.0, "r"),
            Column(t("col_unserved"), 1.0, "r"),
        ],
        rows,
        note=t("period_note", rate=f"{100 * float(s.get('discount_rate') or 0):.1f} %", year=year),
        new_page=False,
    )


def timeline_blocks(results: Sequence[RunResult], words: Words) -> list[Block]:
    """The Gantt figure and the two tables of every phased result (none for the others)."""
    blocks: list[Block] = []
    for r in results:
        if r.timeline is None or len(r.timeline) == 0:
            continue
        png = gantt_png(r.timeline, lang=words.lang)
        blocks.append(Figure(f"{words.t('timeline')}: {words.s(r.scenario)}", png, 10.6, 5.6))
        blocks.append(_timeline_table(r, words))
        if r.period_summary is not None:
            blocks.append(_period_table(r, words))
    return blocks
