"""Committee comparison of solved scenarios: one renderer for the CLI, the API and the app.

A comparison shows the capacity-gap maps of scenarios A, B (C…) on one shared
colour scale (unserved share of generation, 0–100 %), the difference map B − A
(unserved t/d) on a diverging colour scale centred on 0 with a legend that
says which colour means "the gap shrinks" and which "the gap grows", and a KPI
table with deltas against A.

:func:`prepare_comparison` computes everything once (colour limits, the
difference frames, the shared extent, the map style and font); the panel
functions :func:`draw_gap_panel`, :func:`draw_difference_panel`,
:func:`gap_colorbar`, :func:`difference_colorbar` and :func:`kpi_cells` draw
the pieces.  :func:`compare_figure` puts them on one matplotlib figure and
:func:`write_comparison` saves it (PDF, PNG or SVG; atomic write).  The
desktop comparison window (``wufei_gis.ui.compare_window``) draws its
interactive canvases with the same panel functions, and its Export button and
``wufei compare … --out x.png`` call :func:`write_comparison`.

The maps themselves are :func:`wufei_gis.report.plot_gap_map` and
:func:`~wufei_gis.report.plot_difference_map`.  Every text (titles, colour-bar
ticks and labels, table cells) is drawn with the CJK font of
:mod:`wufei_gis.fonts`; without one, Chinese is replaced by ``?`` and the
language falls back to English.  No Qt here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .analysis import (
    difference_color_limits,
    gap_difference,
    kpi_table,
    shared_color_limits,
    synced_extent,
)
from .atomic import atomic_file
from .errors import InputError
from .fonts import find_cjk_font
from .formatting import format_bare
from .labels import label, unit_label
from .report.maps import MapStyle, map_crs, plot_difference_map, plot_gap_map
from .report.text import strip_cjk
from .results import RunResult, read_results, result_scenarios

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.cm import ScalarMappable
    from matplotlib.colorbar import Colorbar
    from matplotlib.figure import Figure

    from .project import Project

__all__ = [
    "COMPARE_FORMATS",
    "CompareOptions",
    "Comparison",
    "compare_figure",
    "comparison_title",
    "difference_colorbar",
    "difference_title",
    "draw_difference_panel",
    "draw_gap_panel",
    "gap_colorbar",
    "kpi_cells",
    "letter",
    "parse_result_spec",
    "prepare_comparison",
    "read_result_spec",
    "write_comparison",
]

#: File types :func:`write_comparison` writes (by the output's suffix).
COMPARE_FORMATS = (".pdf", ".png", ".svg")

_LATIN = "DejaVu Sans"
_SHRINK_COLOUR = "#2166ac"  # the blue end of RdBu_r: the gap shrinks in B
_GROW_COLOUR = "#b2182b"  # the red end: the gap grows in B
_GAP_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class CompareOptions:
    """How a comparison figure is drawn.

    Parameters
    ----------
    difference
        Index of the scenario in the difference map: it shows
        ``results[difference] − results[0]`` (default 1: B − A).
    labels
        Draw the county names on the maps.
    sites
        Draw the sites and flows on the capacity-gap maps.
    dpi
        Resolution of PNG output (dots per inch).
    panel_inches
        Width and height of one map panel, in inches.
    """

    difference: int = 1
    labels: bool = True
    sites: bool = True
    dpi: int = 150
    panel_inches: float = 4.0


@dataclass(frozen=True)
class Comparison:
    """Everything the panels are drawn from; made by :func:`prepare_comparison`.

    ``diffs[k - 1]`` is ``results[k] − results[0]``; ``font`` is ``None`` when
    no CJK font is installed (then ``lang`` is ``"en"``); ``kpis`` is
    :func:`wufei_gis.analysis.kpi_table`.
    """

    results: tuple[RunResult, ...]
    lang: str
    font: str | None
    style: MapStyle
    gap_limits: tuple[float, float]
    diffs: tuple[gpd.GeoDataFrame, ...]
    diff_limits: tuple[float, float]
    extent: tuple[float, float, float, float]
    kpis: pd.DataFrame

    def text(self, value: object) -> str:
        """``value`` as text the font can draw (Chinese → ``?`` without a CJK font)."""
        return str(value) if self.font else strip_cjk(str(value))

    @property
    def families(self) -> list[str]:
        """Font families for every text: the CJK font first, Latin as fallback."""
        return [self.font, _LATIN] if self.font else [_LATIN]


def letter(i: int) -> str:
    """The letter of the ``i``-th scenario: A, B, C…"""
    return chr(65 + i) if i < 26 else str(i + 1)


def prepare_comparison(
    results: Sequence[RunResult],
    *,
    project: Project | None = None,
    lang: str = "zh",
    labels: bool = True,
    sites: bool = True,
) -> Comparison:
    """Compute colour scales, differences, extent and style for comparing ``results``.

    Parameters
    ----------
    results
        Two or more solved scenarios; A is the first.
    project
        For county names and targets in the KPIs (optional).
    lang
        ``{"zh", "en"}``; ``"en"`` is used when no CJK font is installed.
    labels, sites
        Draw county names; draw sites and flows on the gap maps.

    Raises
    ------
    InputError
        Fewer than two results.
    """
    results = tuple(results)
    if len(results) < 2:
        raise InputError(
            label("compare.need_two", "en"),
            fix="give two results, e.g. r.gpkg:baseline-2020 r.gpkg:plan-2025",
        )
    font = find_cjk_font()
    lang = lang if font else "en"
    crs = map_crs(results)
    diffs = tuple(gap_difference(results[0], b) for b in results[1:])
    return Comparison(
        results=results,
        lang=lang,
        font=font,
        style=MapStyle(crs=crs, font=font, lang=lang, labels=labels, sites=sites),
        gap_limits=shared_color_limits(results, column="unserved_share"),
        diffs=diffs,
        diff_limits=difference_color_limits(diffs),
        extent=synced_extent(results, crs=crs, pad=0.02),
        kpis=kpi_table(results, project=project),
    )


# --- titles -----------------------------------------------------------------------------
def comparison_title(cmp: Comparison) -> str:
    """``情景比较 — A: baseline-2020 · B: plan-2025`` (the window's and the figure's title)."""
    names = " · ".join(f"{letter(i)}: {cmp.text(r.scenario)}" for i, r in enumerate(cmp.results))
    return label("compare.window_title", cmp.lang, scenarios=names)


def difference_title(cmp: Comparison, k: int = 1) -> str:
    """Title of the difference map ``results[k] − results[0]``: letters, then the names."""
    head = label("compare.diff_title", cmp.lang, b=letter(k))
    names = f"{cmp.text(cmp.results[k].scenario)} − {cmp.text(cmp.results[0].scenario)}"
    return f"{head}\n{names}"


def _gap_title(cmp: Comparison, i: int) -> str:
    r = cmp.results[i]
    total = float(pd.to_numeric(r.county_gaps["unserved_tpd"], errors="coerce").sum())
    unserved = label("compare.unserved_total", cmp.lang, v=format_bare(total, "t/d"))
    return f"{letter(i)}. {cmp.text(r.scenario)}\n{unserved}"


# --- panels -----------------------------------------------------------------------------
def draw_gap_panel(ax: Axes, cmp: Comparison, i: int) -> ScalarMappable:
    """Draw scenario ``i``'s capacity-gap map (shared scale and extent); return its mappable."""
    sm = plot_gap_map(
        ax,
        cmp.results[i],
        vmin=cmp.gap_limits[0],
        vmax=cmp.gap_limits[1],
        style=cmp.style,
        title=_gap_title(cmp, i),
    )
    _set_extent(ax, cmp)
    return sm


def draw_difference_panel(ax: Axes, cmp: Comparison, k: int = 1) -> ScalarMappable:
    """Draw the difference map ``results[k] − results[0]`` (unserved t/d); return its mappable."""
    if not 1 <= k < len(cmp.results):
        msg = f"difference index must be 1..{len(cmp.results) - 1}, not {k}"
        raise ValueError(msg)
    sm = plot_difference_map(
        ax,
        cmp.diffs[k - 1],
        vmin=cmp.diff_limits[0],
        vmax=cmp.diff_limits[1],
        style=cmp.style,
        title=difference_title(cmp, k),
    )
    _set_extent(ax, cmp)
    return sm


def _set_extent(ax: Axes, cmp: Comparison) -> None:
    xmin, ymin, xmax, ymax = cmp.extent
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)


def _font_colorbar(cb: Colorbar, cmp: Comparison, text: str) -> None:
    """Label the colour bar and draw its ticks and label with the CJK font."""
    cb.set_label(text, fontsize=8, fontfamily=cmp.families)
    cb.ax.tick_params(labelsize=7, labelfontfamily=cmp.families)


def gap_colorbar(
    mappable: ScalarMappable,
    cmp: Comparison,
    *,
    ax: Axes | Sequence[Axes] | None = None,
    cax: Axes | None = None,
    orientation: str = "vertical",
) -> Colorbar:
    """Add the shared capacity-gap colour bar (0–100 %) beside ``ax`` or into ``cax``."""
    fig = (cax if cax is not None else _first(ax)).figure
    cb = fig.colorbar(mappable, ax=ax, cax=cax, orientation=orientation, shrink=0.7)
    cb.set_ticks(list(_GAP_TICKS))
    cb.set_ticklabels([f"{v * 100:.0f} %" for v in _GAP_TICKS])
    _font_colorbar(cb, cmp, label("compare.gap_cbar", cmp.lang))
    return cb


def difference_colorbar(
    mappable: ScalarMappable,
    cmp: Comparison,
    *,
    ax: Axes | Sequence[Axes] | None = None,
    cax: Axes | None = None,
    orientation: str = "vertical",
) -> Colorbar:
    """Add the diverging B − A colour bar with its legend: blue = gap shrinks, red = gap grows."""
    fig = (cax if cax is not None else _first(ax)).figure
    cb = fig.colorbar(mappable, ax=ax, cax=cax, orientation=orientation, shrink=0.7)
    _font_colorbar(cb, cmp, label("compare.diff_cbar", cmp.lang))
    shrink, grow = label("compare.gap_shrinks", cmp.lang), label("compare.gap_grows", cmp.lang)
    common: dict[str, Any] = {
        "transform": cb.ax.transAxes,
        "fontsize": 7,
        "fontfamily": cmp.families,
    }
    if orientation == "horizontal":
        cb.ax.text(0.0, 1.25, shrink, ha="left", va="bottom", color=_SHRINK_COLOUR, **common)
        cb.ax.text(1.0, 1.25, grow, ha="right", va="bottom", color=_GROW_COLOUR, **common)
    else:
        cb.ax.text(0.5, 1.03, grow, ha="center", va="bottom", color=_GROW_COLOUR, **common)
        cb.ax.text(0.5, -0.03, shrink, ha="center", va="top", color=_SHRINK_COLOUR, **common)
    return cb


def _first(ax: Axes | Sequence[Axes] | None) -> Axes:
    if ax is None:
        msg = "give ax or cax"
        raise ValueError(msg)
    return ax if not isinstance(ax, Sequence) else ax[0]


def kpi_cells(cmp: Comparison) -> tuple[list[str], list[list[str]]]:
    """Return the KPI table as text: headers and rows (indicator, unit, A, B…, deltas vs A).

    Numbers are formatted by :func:`wufei_gis.formatting.format_bare`; deltas are signed.
    """
    t, lang = cmp.kpis, cmp.lang
    names = [c for c in t.columns[4:] if not str(c).startswith("delta ")]
    headers = [label("compare.kpi", lang), label("compare.unit", lang)]
    headers += [f"{letter(i)}: {cmp.text(r.scenario)}" for i, r in enumerate(cmp.results)]
    headers += [label("compare.delta", lang, b=letter(i)) for i in range(1, len(names))]
    rows = []
    for _, r in t.iterrows():
        unit = str(r["unit"])
        cells = [cmp.text(r["label_zh"] if lang == "zh" else r["label_en"]), unit_label(unit, lang)]
        cells += [format_bare(r[n], unit) for n in names]
        cells += [format_bare(r[f"delta {n}"], unit, signed=True) for n in names[1:]]
        rows.append([str(c) for c in cells])
    return headers, rows


# --- the figure ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Grid:
    """Figure geometry in inches (maps in one row, colour bars below, the KPI table under them)."""

    columns: int
    rows: int
    panel: float
    title: float = 0.55
    bar: float = 0.85
    row: float = 0.23
    margin: float = 0.25

    @property
    def width(self) -> float:
        return self.columns * self.panel + 2 * self.margin

    @property
    def height(self) -> float:
        return self.title + self.panel + self.bar + (self.rows + 1) * self.row + 2 * self.margin

    def box(self, x: float, y_top: float, w: float, h: float) -> tuple[float, float, float, float]:
        """``(left, bottom, width, height)`` in figure fractions of a box given in inches."""
        return (x / self.width, 1 - (y_top + h) / self.height, w / self.width, h / self.height)


def compare_figure(
    results: Sequence[RunResult],
    *,
    project: Project | None = None,
    lang: str = "zh",
    options: CompareOptions | None = None,
) -> Figure:
    """Draw the comparison of ``results`` on one figure.

    Parameters
    ----------
    results
        Two or more solved scenarios (A first).
    project
        For county names and targets in the KPIs (optional).
    lang
        ``{"zh", "en"}``.
    options
        :class:`CompareOptions` (which difference, labels, sites, size).

    Returns
    -------
    matplotlib.figure.Figure
        A title; the capacity-gap maps A, B… on one colour scale with its
        colour bar; the difference map with its diverging colour bar and
        legend; the KPI table with deltas under the maps.
    """
    from matplotlib.figure import Figure

    opts = options if options is not None else CompareOptions()
    cmp = prepare_comparison(
        results, project=project, lang=lang, labels=opts.labels, sites=opts.sites
    )
    n = len(cmp.results)
    grid = _Grid(columns=n + 1, rows=len(cmp.kpis), panel=opts.panel_inches)
    fig = Figure(figsize=(grid.width, grid.height))
    fig.text(0.5, 1 - grid.margin / grid.height, comparison_title(cmp), ha="center", va="top")
    fig.texts[-1].set(fontsize=13, fontfamily=cmp.families)
    top, p, m = grid.margin + grid.title, grid.panel, grid.margin
    maps = [fig.add_axes(grid.box(m + i * p + 0.05, top, p - 0.1, p)) for i in range(n + 1)]
    mappables = [draw_gap_panel(maps[i], cmp, i) for i in range(n)]
    diff = draw_difference_panel(maps[n], cmp, opts.difference)
    bar_top = top + p + 0.3
    gap_cax = fig.add_axes(grid.box(m + 0.2 * n * p, bar_top, 0.6 * n * p, 0.13))
    gap_colorbar(mappables[-1], cmp, cax=gap_cax, orientation="horizontal")
    diff_cax = fig.add_axes(grid.box(m + n * p + 0.15 * p, bar_top, 0.7 * p, 0.13))
    difference_colorbar(diff, cmp, cax=diff_cax, orientation="horizontal")
    table_ax = fig.add_axes(grid.box(m, top + p + grid.bar, grid.width - 2 * m, 1.0))
    _draw_kpi_table(table_ax, cmp, grid)
    return fig


def _draw_kpi_table(ax: Axes, cmp: Comparison, grid: _Grid) -> None:
    """The KPI table (numbers right-aligned, deltas coloured: red = worse gap, blue = better)."""
    ax.set_axis_off()
    headers, rows = kpi_cells(cmp)
    n_fixed = 2 + len(cmp.results)
    table = ax.table(cellText=rows, colLabels=headers, loc="upper center", cellLoc="right")
    table.auto_set_font_size(False)
    table.set_fontsize(7.5)
    table.auto_set_column_width(list(range(len(headers))))
    height = grid.row / 1.0  # the axes is one inch tall: a row is its fraction of it
    for (row, col), cell in table.get_celld().items():
        cell.set_height(height)
        cell.set_edgecolor("#999999")
        cell.get_text().set_fontfamily(cmp.families)
        if row == 0:
            cell.set_facecolor("#eeeeee")
            cell.get_text().set_horizontalalignment("center")
        elif col < 2:
            cell.get_text().set_horizontalalignment("left")
        elif col >= n_fixed:
            cell.set_facecolor("#f7f7f7")


# --- writing ------------------------------------------------------------------------------
@contextlib.contextmanager
def _pdf_fonts() -> Iterator[None]:
    """Embed fonts as TrueType/CFF (Type 42) so PDF text can be searched and copied."""
    import matplotlib

    with matplotlib.rc_context({"pdf.fonttype": 42, "svg.fonttype": "none"}):
        yield


def write_comparison(
    results: Sequence[RunResult],
    out: str | PathLike[str],
    *,
    project: Project | None = None,
    lang: str = "zh",
    options: CompareOptions | None = None,
) -> Path:
    """Write the comparison figure (:func:`compare_figure`) to ``out`` and return the path.

    The format follows the suffix of ``out``: ``.pdf`` (one page, searchable
    text with the embedded CJK font), ``.png`` (``options.dpi``) or ``.svg``.
    The file is written atomically (:func:`wufei_gis.atomic.atomic_file`).

    Raises
    ------
    InputError
        An unknown suffix, or fewer than two results.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in COMPARE_FORMATS:
        raise InputError(
            f"cannot write a comparison as '{out.suffix or '(no suffix)'}'",
            file=out,
            fix="end the file name with " + ", ".join(COMPARE_FORMATS),
        )
    opts = options if options is not None else CompareOptions()
    fig = compare_figure(results, project=project, lang=lang, options=opts)
    with _pdf_fonts(), atomic_file(out, suffix=suffix) as tmp:
        fig.savefig(tmp, format=suffix[1:], dpi=opts.dpi, facecolor="white")
    return out


# --- result specs -------------------------------------------------------------------------
def parse_result_spec(spec: str) -> tuple[Path, str | None]:
    """Split ``PATH[:SCENARIO]`` into the path and the scenario (or ``None``).

    The text is split on its **last** ``:`` only when the part before it is an
    existing file, so Windows drive letters (``C:\\r.gpkg``) and scenario names
    are told apart without guessing.
    """
    head, sep, tail = spec.rpartition(":")
    if sep and head and tail and Path(head).is_file():
        return Path(head), tail
    return Path(spec), None


def read_result_spec(spec: str) -> RunResult:
    """Read the result named by ``PATH[:SCENARIO]`` (the file's last scenario without one).

    Raises
    ------
    InputError
        The file does not exist, holds no results or not that scenario.
    """
    path, scenario = parse_result_spec(spec)
    if not path.is_file():
        raise InputError(
            "results file not found",
            file=path,
            fix="check the path (write PATH:SCENARIO to pick a scenario)",
        )
    if scenario is None:
        scenario = result_scenarios(path)[-1]
    return read_results(path, scenario)
