"""Print layout of one map: paper, title, map frame, side panel, source and date; :func:`write_map`.

The page (A4 or A3, portrait or landscape) holds, top to bottom: the title,
the map frame (left) with a degree graticule labelled at its edges, and a side
panel (right) with the legend, the gap colour bar, the north arrow and the
scale bar — all outside the data extent — and a footer with the data sources
(of the project, the solved scenario and the basemap) and the date.

:func:`write_map` writes ``.pdf``, ``.png`` or ``.svg`` (format from the file
name) atomically.  PDFs embed the CJK font as TrueType (matplotlib
``pdf.fonttype`` 42), so their text — county and facility names included —
can be searched and copied.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import atomic_file
from ..errors import InputError
from ..fonts import find_cjk_font
from ..labels import label
from ..results import RunResult
from .crs import lonlat_bounds, map_crs_for
from .decorations import add_graticule, add_north_arrow, add_scale_bar, font_family
from .layers import DrawnLayers, LayerOptions, draw_project, draw_result, place_map_labels
from .legend import draw_colorbar, draw_legend

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from pyproj import CRS

    from ..project import Project

__all__ = [
    "MAP_FORMATS",
    "PAPER_SIZES_MM",
    "BasemapHook",
    "MapOptions",
    "map_figure",
    "source_line",
    "write_map",
]

#: Paper sizes (width, height) in mm, portrait.
PAPER_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
#: File endings :func:`write_map` writes.
MAP_FORMATS = (".pdf", ".png", ".svg")
#: ``hook(ax, crs, bounds) -> attribution or None``: draws a basemap under the data.
BasemapHook = Callable[["Axes", "CRS", tuple[float, float, float, float]], "str | None"]
_MM = 1 / 25.4
_MAX_SOURCE_CHARS = 180


@dataclass(frozen=True)
class MapOptions:
    """How :func:`write_map` lays out and draws a map.

    Parameters
    ----------
    paper, orientation
        ``"A4"``/``"A3"``; ``"portrait"``/``"landscape"``.
    dpi
        Resolution of PNG output (and of images inside PDF/SVG).
    title
        Page title; ``None`` = project name and scenario.
    lang
        ``"zh"`` or ``"en"``.
    crs
        ``"gk"`` (CGCS2000 Gauss–Krüger), ``"utm"`` or ``"EPSG:n"``
        (:mod:`wufei_gis.mapping.crs`).
    column
        Gap choropleth value: ``"unserved_share"`` or ``"unserved_tpd"``.
    basemap
        Optional hook drawing a basemap under the data; its returned
        attribution goes into the source line.
    date
        The date printed in the footer (default: today).
    labels
        Place county and facility labels.
    """

    paper: str = "A4"
    orientation: str = "landscape"
    dpi: int = 200
    title: str | None = None
    lang: str = "zh"
    crs: str = "gk"
    column: str = "unserved_share"
    basemap: BasemapHook | None = field(default=None, compare=False)
    date: _dt.date | None = None
    labels: bool = True

    def page_size(self) -> tuple[float, float]:
        """Return the page size in inches (width, height)."""
        if self.paper not in PAPER_SIZES_MM:
            raise InputError(
                f"unknown paper size '{self.paper}'", field="paper", fix="use A4 or A3"
            )
        if self.orientation not in ("portrait", "landscape"):
            raise InputError(
                f"unknown orientation '{self.orientation}'",
                field="orientation",
                fix="use portrait or landscape",
            )
        w, h = PAPER_SIZES_MM[self.paper]
        if self.orientation == "landscape":
            w, h = h, w
        return w * _MM, h * _MM


def _short_source(text: object) -> str:
    """A data source without its ``@offset`` citations (``"seed x @12; @34"`` → ``"seed x"``)."""
    return str(text).split(" @")[0].strip()


def source_line(
    project: Project | None,
    result: RunResult | None,
    *,
    lang: str,
    basemap: str | None = None,
    max_chars: int = _MAX_SOURCE_CHARS,
) -> str:
    """Return the footer's source text: project data sources, the solved scenario, the basemap.

    Longer than ``max_chars``, the project's sources are shortened (ending in "…")
    so the scenario and the basemap attribution always stay readable.
    """
    parts: list[str] = []
    if project is not None:
        sources: list[str] = []
        for frame in (project.counties, project.facilities, project.generation):
            if "source" in frame:
                sources += [_short_source(s) for s in frame["source"].dropna() if str(s).strip()]
        unique = list(dict.fromkeys(s for s in sources if s))
        parts.append(f"{project.name}" + (f" ({'; '.join(unique)})" if unique else ""))
    if result is not None:
        s = result.summary()
        parts.append(
            label("maps.solved", lang, scenario=result.scenario, solver=s.get("solver") or "?")
        )
    if basemap:
        parts.append(basemap)
    head = label("maps.source", lang) + ": "
    text = head + " · ".join(parts)
    if len(text) <= max_chars or project is None:
        return text
    rest = " · " + " · ".join(parts[1:]) if len(parts) > 1 else ""
    room = max(max_chars - len(head) - len(rest) - 1, 10)
    return head + parts[0][:room] + "…" + rest


def _default_title(project: Project | None, result: RunResult | None, lang: str) -> str:
    name = project.name if project is not None else ""
    if result is None:
        return label("maps.title_project", lang, project=name)
    return label("maps.title_result", lang, project=name, scenario=result.scenario).strip(" —")


def _frame_axes(fig: Figure, portrait: bool) -> tuple[Axes, Axes, Axes, Axes]:
    """Map, legend, colour bar and furniture (north arrow + scale bar) axes of a page."""
    if portrait:
        ax = fig.add_axes((0.07, 0.33, 0.88, 0.57))
        lax = fig.add_axes((0.07, 0.08, 0.55, 0.21))
        cax = fig.add_axes((0.64, 0.25, 0.31, 0.015))
        fax = fig.add_axes((0.64, 0.08, 0.31, 0.12))
    else:
        ax = fig.add_axes((0.05, 0.08, 0.70, 0.80))
        lax = fig.add_axes((0.78, 0.36, 0.20, 0.52))
        cax = fig.add_axes((0.78, 0.27, 0.19, 0.02))
        fax = fig.add_axes((0.78, 0.08, 0.20, 0.14))
    fax.set_axis_off()
    return ax, lax, cax, fax


def _draw_data(
    ax: Axes, result: RunResult | None, project: Project | None, crs: CRS, layer_opts: LayerOptions
) -> DrawnLayers:
    if result is not None:
        return draw_result(ax, result, crs, project=project, options=layer_opts)
    assert project is not None
    return draw_project(ax, project, crs, options=layer_opts)


def _fit(ax: Axes, drawn: DrawnLayers, pad: float = 0.04) -> None:
    """Frame the data with a margin at equal scale in x and y, filling the map frame."""
    ax.set_xlabel("")
    ax.set_ylabel("")
    if drawn.bounds is None:
        return
    x0, y0, x1, y1 = drawn.bounds
    w = max(x1 - x0, 1000.0) * (1 + 2 * pad)
    h = max(y1 - y0, 1000.0) * (1 + 2 * pad)
    frame_px = ax.get_position(original=True).transformed(ax.figure.transFigure)
    frame = frame_px.width / frame_px.height  # width / height of the frame on paper
    if w / h < frame:
        w = h * frame
    else:
        h = w / frame
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    ax.set_xlim(cx - w / 2, cx + w / 2)
    ax.set_ylim(cy - h / 2, cy + h / 2)
    ax.set_aspect("equal", adjustable="box")


def map_figure(
    result: RunResult | None, project: Project | None, options: MapOptions | None = None
) -> Figure:
    """Return the laid-out map page (a matplotlib :class:`~matplotlib.figure.Figure`).

    Parameters
    ----------
    result
        A solved scenario, or ``None`` to map the project alone.
    project
        The project (names, statuses, data sources); required when ``result`` is ``None``.
    options
        :class:`MapOptions`.
    """
    from matplotlib.figure import Figure

    o = options or MapOptions()
    if result is None and project is None:
        raise InputError("nothing to map", fix="give a result or a project")
    font = find_cjk_font() if o.lang == "zh" else None
    frames = [result.county_gaps, result.proposed_sites] if result is not None else []
    if project is not None and not frames:
        frames = [project.counties, project.facilities]
    bounds = lonlat_bounds(frames)
    crs = map_crs_for(bounds, o.crs)
    fig = Figure(figsize=o.page_size(), dpi=o.dpi)
    ax, lax, cax, fax = _frame_axes(fig, o.orientation == "portrait")
    layer_opts = LayerOptions(lang=o.lang, font=font, column=o.column, labels=o.labels)
    drawn = _draw_data(ax, result, project, crs, layer_opts)
    _fit(ax, drawn)
    attribution = None
    if o.basemap is not None:
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        attribution = o.basemap(ax, crs, (x0, y0, x1, y1))
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
    add_graticule(ax, crs)
    place_map_labels(ax, drawn, options=layer_opts)
    draw_legend(lax, drawn, font=font, columns=2 if o.orientation == "portrait" else 1)
    draw_colorbar(cax, drawn, font=font)
    add_north_arrow(fax, label=label("map.north", o.lang), font=font, xy=(0.12, 0.95), length=0.5)
    add_scale_bar(ax, font=font, crs=crs, target=fax, loc="lower right", fraction=0.2)
    fam = font_family(font)
    title = o.title if o.title is not None else _default_title(project, result, o.lang)
    fig.text(0.05, 0.955, title, fontsize=16, fontfamily=fam, va="center")
    fig.text(0.05, 0.915, crs.name, fontsize=7.5, color="#555555", fontfamily=fam, va="center")
    chars = int(o.page_size()[0] * 13)  # about what fits at 7 pt
    src = source_line(project, result, lang=o.lang, basemap=attribution, max_chars=chars)
    day = (o.date or _dt.date.today()).isoformat()
    date_text = f"{label('maps.date', o.lang)}: {day}"
    fig.text(0.05, 0.042, date_text, fontsize=7, color="#333333", fontfamily=fam, va="center")
    fig.text(0.05, 0.022, src, fontsize=7, color="#333333", fontfamily=fam, va="center")
    return fig


def _check_out(out: str | PathLike[str]) -> tuple[Path, str]:
    path = Path(out)
    ext = path.suffix.lower()
    if ext not in MAP_FORMATS:
        raise InputError(
            f"cannot write a map as '{path.suffix or path.name}'",
            file=path,
            fix="name the output .pdf, .png or .svg",
        )
    return path, ext


def write_map(
    result_or_project: RunResult | Project,
    out: str | PathLike[str],
    options: MapOptions | None = None,
    *,
    project: Project | None = None,
) -> Path:
    """Write a print-layout map of a solved scenario (or of a project) to ``out``.

    Parameters
    ----------
    result_or_project
        A :class:`~wufei_gis.results.RunResult` (capacity-gap map with sites and
        flows) or a :class:`~wufei_gis.project.Project` (counties and facilities).
    out
        ``.pdf``, ``.png`` or ``.svg``; written atomically.
    options
        :class:`MapOptions` (paper, orientation, dpi, title, language, CRS, basemap).
    project
        With a result: the project for facility statuses, English names and
        the data sources of the source line.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    InputError
        Unsupported file ending, paper or orientation, an unknown CRS, nothing to draw.
    """
    import matplotlib

    o = options or MapOptions()
    path, ext = _check_out(out)
    if isinstance(result_or_project, RunResult):
        result: RunResult | None = result_or_project
    else:
        result, project = None, result_or_project
    # TrueType (42) keeps PDF text searchable, CJK names included
    with matplotlib.rc_context({"pdf.fonttype": 42, "svg.fonttype": "path"}):
        fig = map_figure(result, project, o)
        title = o.title if o.title is not None else _default_title(project, result, o.lang)
        with atomic_file(path, suffix=ext) as tmp:
            fig.savefig(
                tmp, format=ext[1:], dpi=o.dpi, facecolor="white", metadata={"Title": title}
            )
    return path
