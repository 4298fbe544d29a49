"""PDF report comparing solved scenarios (reportlab platypus and matplotlib; no Qt).

Contents (see ``docs/exports.md``): title page; capacity-gap maps side by
side on one shared colour scale (unserved share of generation, 0–100 %) with
colour bar, scale bar, north arrow and county labels; difference maps (B − A,
unserved t/d) with their per-county numbers; the KPI table with deltas;
per-county and per-facility tables; the assumptions and data sources of the
inputs; the model parameters.  Phased results add a Gantt-style timeline and the
per-period cost table (:mod:`~wufei_gis.report.timeline`).

The package is split by concern: :mod:`~wufei_gis.report.content` assembles
what each section says (text and table blocks, no drawing),
:mod:`~wufei_gis.report.maps` draws the maps (matplotlib → PNG),
:mod:`~wufei_gis.report.layout` lays the blocks out on pages and
:mod:`~wufei_gis.report.pdffont` makes the CJK font embeddable;
:mod:`~wufei_gis.report.text` holds the report's words and number formats.

The map helpers (:func:`plot_gap_map`, :func:`plot_difference_map`, their
:class:`MapStyle`, :func:`find_cjk_font`, :func:`map_crs`) are reused by the comparison window
of the desktop app.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..analysis import difference_color_limits, gap_difference, synced_extent
from ..atomic import atomic_file
from ..errors import InputError
from ..fonts import cjk_font_path, find_cjk_font
from ..results import RunResult
from . import content
from .content import Block, Figure, Table, Text
from .layout import Page, build_pdf
from .maps import (
    DIFF_CMAP,
    GAP_CMAP,
    MapStyle,
    add_north_arrow,
    add_scale_bar,
    difference_map_png,
    gap_maps_png,
    map_crs,
    plot_difference_map,
    plot_gap_map,
)
from .pdffont import register_fonts
from .text import TEXT, Words
from .timeline import timeline_blocks

if TYPE_CHECKING:  # pragma: no cover
    from ..project import Project

__all__ = [
    "DIFF_CMAP",
    "GAP_CMAP",
    "MapStyle",
    "TEXT",
    "add_north_arrow",
    "add_scale_bar",
    "find_cjk_font",  # re-exported from wufei_gis.fonts
    "map_crs",
    "plot_difference_map",
    "plot_gap_map",
    "write_report",
]

logger = logging.getLogger(__name__)

_LATIN = "DejaVu Sans"


def _map_blocks(results: Sequence[RunResult], words: Words, font: str | None) -> list[Block]:
    """Draw the gap maps and difference maps; return them as figure blocks."""
    crs = map_crs(results)
    extent = synced_extent(results, crs=crs, pad=0.02)
    style = MapStyle(crs=crs, font=font, lang=words.lang)
    blocks: list[Block] = []
    for png in gap_maps_png(results, style=style, extent=extent):
        blocks.append(Figure(words.t("gap_maps"), png, 10.6, 5.6))
    a = results[0]
    diffs = [gap_difference(a, b) for b in results[1:]]
    if not diffs:
        return blocks
    vmin, vmax = difference_color_limits(diffs)
    for k, (b, d) in enumerate(zip(results[1:], diffs, strict=True), start=1):
        png = difference_map_png(d, vmin=vmin, vmax=vmax, style=style, extent=extent)
        title = words.t(
            "diff_map",
            b=f"{content.letter(k)} ({words.s(b.scenario)})",
            a=f"A ({words.s(a.scenario)})",
        )
        blocks.append(Figure(title, png, 6.4, 5.6, side=content.difference_table(d, k, words)))
    return blocks


def _all_text(blocks: Sequence[Block]) -> str:
    """Every string the blocks print (the CJK font subset is made for it)."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Text):
            parts.append(block.text)
            continue
        tables = [block] if isinstance(block, Table) else [block.side] if block.side else []
        if isinstance(block, Figure):
            parts.append(block.title)
        for t in tables:
            parts += [t.title, t.note or ""] + [c.header for c in t.columns]
            parts += [v for row in t.rows for v in row]
    return "".join(parts)


def write_report(
    results: Sequence[RunResult],
    out_pdf: str | PathLike[str],
    *,
    project: Project | None = None,
    lang: str = "zh",
) -> Path:
    """Write the PDF report comparing ``results`` (A = the first, B, C… the others).

    Parameters
    ----------
    results
        One or more solved scenarios; differences are each later one minus the first.
    out_pdf
        The PDF to write (atomically: a temporary file, then ``os.replace``).
    project
        The project, for county/facility names, targets, data sources and the
        scenario parameters.
    lang
        ``{"zh", "en"}``.  Without a CJK font the report is written in English
        with English county names, and the title page says so.

    Returns
    -------
    Path
        ``out_pdf``.
    """
    import matplotlib

    if lang not in TEXT:
        raise InputError(f"unknown report language '{lang}'", fix="use 'zh' or 'en'")
    results = list(results)
    if not results:
        raise InputError("no results to report on", fix="solve a scenario first")
    font = find_cjk_font()
    fallback = font is None
    if fallback:
        logger.warning("no CJK font found; the report uses English names")
        lang = "en"
    words = Words(lang, cjk=not fallback)
    out = Path(out_pdf)
    out.parent.mkdir(parents=True, exist_ok=True)
    names = " vs ".join(r.scenario for r in results)
    family = [font, _LATIN] if (font and lang == "zh") else ([_LATIN, font] if font else [_LATIN])
    fm_logger = logging.getLogger("matplotlib.font_manager")
    fm_level = fm_logger.level
    fm_logger.setLevel(logging.ERROR)  # CJK fonts have no bold face; matplotlib logs that
    try:
        with matplotlib.rc_context({"font.family": family, "axes.unicode_minus": False}):
            maps = _map_blocks(results, words, font)
            maps += timeline_blocks(results, words)  # phased results: Gantt chart and tables
    finally:
        fm_logger.setLevel(fm_level)
    blocks: list[Block] = [
        *content.title_blocks(results, project, words, fallback=fallback),
        *maps,
        content.kpi_section(results, project, words),
        *content.county_tables(results, project, words),
        *content.facility_tables(results, project, words),
        *content.assumption_tables(project, words),
        content.parameter_table(results, project, words),
    ]
    page = Page(
        header=f"wufei-gis · {words.s(names)}", label=lambda i, n: words.t("page", i=i, n=n)
    )
    text = _all_text(blocks) + page.header + page.label(0, 0) + words.t("continued") + "0123456789"
    fonts = register_fonts(text, cjk_font=cjk_font_path() if font else None)
    metadata = {
        "title": f"{TEXT[lang]['title']}: {names}",
        "subject": TEXT[lang]["subtitle"],
        "author": "wufei-gis",
        "creator": f"wufei-gis {__version__}",
        "keywords": "zero-waste city; capacity gap",
    }
    with atomic_file(out, suffix=".pdf") as tmp:
        pages = build_pdf(
            blocks,
            tmp,
            fonts=fonts,
            page=page,
            continued=words.t("continued"),
            metadata=metadata,
            cjk_wrap=lang == "zh",
        )
    logger.info("wrote report %s (%d pages)", out, pages)
    return out
