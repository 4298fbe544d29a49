"""Sensitivity of a scenario sweep: the tornado table, the chart, the files.

Reads the table of runs a sweep returns
(:class:`wufei_gis.optimization.sweep.SweepResult`): :func:`tornado_table`
says how far the objective moves across each varied key's values,
:func:`sensitivity_figure` draws the tornado and objective/gap per key (the
PDF and the GUI show the same figure), :func:`write_sweep_table` writes the
runs (and the tornado) into a GeoPackage as attribute tables and
:func:`write_sweep_pdf` the chart and the table as a PDF.  No Qt, no solver.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["sensitivity_figure", "tornado_table", "write_sweep_pdf", "write_sweep_table"]


def tornado_table(
    runs: pd.DataFrame, keys: Sequence[str], *, value: str = "objective"
) -> pd.DataFrame:
    """How far ``value`` moves across each key's values (a tornado chart's bars).

    For each varied key the runs are grouped by its value and ``value`` is
    averaged over the other keys; the bar spans the lowest and the highest
    group mean.  Rows are sorted widest first.

    Returns
    -------
    pandas.DataFrame
        ``key, low_value, high_value, at_low, at_high, swing`` (``at_*`` are the
        key's values where the mean is lowest and highest).
    """
    ok = runs[runs["status"].isin(["optimal", "time_limit"])]
    rows = []
    for key in keys:
        if key not in ok.columns or ok.empty:
            continue
        means = ok.groupby(ok[key].astype(str))[value].mean()
        if means.empty:
            continue
        rows.append(
            {
                "key": key,
                "low_value": float(means.min()),
                "high_value": float(means.max()),
                "at_low": means.idxmin(),
                "at_high": means.idxmax(),
                "swing": float(means.max() - means.min()),
            }
        )
    cols = ["key", "low_value", "high_value", "at_low", "at_high", "swing"]
    return pd.DataFrame(rows, columns=cols).sort_values("swing", ascending=False, ignore_index=True)


def sensitivity_figure(
    runs: pd.DataFrame,
    keys: Sequence[str],
    *,
    lang: str = "en",
    font: str | None = None,
    texts: Mapping[str, str] | None = None,
) -> Figure:
    """The sweep's sensitivity chart: a tornado of the objective, then objective and gap per key.

    Parameters
    ----------
    runs
        The sweep table (:func:`wufei_gis.optimization.sweep.run_sweep`).
    keys
        The varied keys.
    lang
        Language of the parameter names (their labels) and axis texts.
    font
        A CJK font family for Chinese texts (``None`` = the default font).
    texts
        Axis texts ``{"tornado", "objective", "gap"}`` in ``lang``.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from .labels import param_info

    t = {"tornado": "objective range", "objective": "objective", "gap": "MIP gap (%)"}
    t.update(texts or {})
    fam = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    ncol = max(1, len(keys))
    fig = Figure(figsize=(4.0 + 3.2 * ncol, 5.6), layout="constrained")
    grid = fig.add_gridspec(2, ncol + 1)
    ax = fig.add_subplot(grid[:, 0])
    tor = tornado_table(runs, keys)
    names = [param_info(k, lang)[1] for k in tor["key"]]
    y = np.arange(len(tor))[::-1]
    ax.barh(y, tor["swing"], left=tor["low_value"], color="#4c72b0")
    ax.set_yticks(y, names, fontfamily=fam)
    ax.set_title(t["tornado"], fontfamily=fam)
    ax.xaxis.set_major_locator(MaxNLocator(4))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ok = runs[runs["status"].isin(["optimal", "time_limit"])]
    for i, key in enumerate(keys, start=1):
        top, bottom = fig.add_subplot(grid[0, i]), fig.add_subplot(grid[1, i])
        if key in ok.columns and not ok.empty:
            g = ok.groupby(key)[["objective", "mip_gap"]].mean().reset_index()
            x = np.arange(len(g))
            top.plot(x, g["objective"], marker="o", color="#4c72b0")
            bottom.plot(x, 100 * g["mip_gap"].astype(float), marker="s", color="#dd8452")
            for a in (top, bottom):
                a.set_xticks(x, [str(v) for v in g[key]], rotation=30)
        top.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        top.set_title(param_info(key, lang)[1], fontfamily=fam)
        top.set_ylabel(t["objective"], fontfamily=fam)
        bottom.set_ylabel(t["gap"], fontfamily=fam)
    return fig


def _table_frame(runs: pd.DataFrame) -> pd.DataFrame:
    """The run table with plain column types a GeoPackage stores (text for mixed objects)."""
    out = runs.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: "" if v is None else str(v))
    return out


def write_sweep_table(
    runs: pd.DataFrame,
    keys: Sequence[str],
    path: str | PathLike[str],
    *,
    layer: str = "sweep_runs",
) -> Path:
    """Write the runs (layer ``sweep_runs``) and the tornado (``sweep_tornado``) to a GeoPackage.

    Both are attribute tables (no geometry).  A new file is written atomically;
    an existing GeoPackage (e.g. the results file) gets the two layers replaced.
    """
    import pyogrio

    from .atomic import atomic_file

    target = Path(path)
    frames = {layer: _table_frame(runs), "sweep_tornado": _table_frame(tornado_table(runs, keys))}
    if target.exists():
        for name, df in frames.items():
            pyogrio.write_dataframe(df, target, layer=name, driver="GPKG", append=False)
        return target
    with atomic_file(target, suffix=".gpkg") as tmp:
        for name, df in frames.items():
            pyogrio.write_dataframe(df, tmp, layer=name, driver="GPKG")
    return target


def write_sweep_pdf(
    runs: pd.DataFrame,
    keys: Sequence[str],
    path: str | PathLike[str],
    *,
    title: str,
    lang: str = "zh",
) -> Path:
    """Write the sensitivity chart and the table of runs as a PDF (CJK font embedded)."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    from .atomic import atomic_file
    from .fonts import setup_cjk_font
    from .labels import label, param_info, value_label

    font = setup_cjk_font()
    texts = {k: label(f"sweep.{k}", lang) for k in ("tornado", "objective", "gap")}
    fig = sensitivity_figure(runs, keys, lang=lang, font=font, texts=texts)
    fam = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    fig.suptitle(title, fontfamily=fam)
    from matplotlib.figure import Figure

    cols = [*keys, "run_id", "status", "objective", "mip_gap", "new_sites", "opened_sites"]
    shown = runs[[c for c in cols if c in runs.columns]].copy()
    if "objective" in shown:
        shown["objective"] = shown["objective"].map(lambda v: f"{v:,.0f}" if v == v else "")
    if "status" in shown:
        shown["status"] = shown["status"].map(lambda v: value_label("solve_status", v, lang))
    if "mip_gap" in shown:
        shown["mip_gap"] = shown["mip_gap"].map(lambda v: f"{100 * v:.2f} %" if v == v else "")
    head = [param_info(c, lang)[1] if c in keys else label(f"sweep.col.{c}", lang) for c in shown]
    page = Figure(figsize=(11.7, 8.3))
    ax = page.add_subplot(111)
    ax.axis("off")
    tbl = ax.table(cellText=shown.astype(str).to_numpy(), colLabels=head, loc="upper center")
    tbl.auto_set_font_size(False)
    tbl.set_fontsize(7)
    for cell in tbl.get_celld().values():
        cell.get_text().set_fontfamily(fam)
    with (
        matplotlib.rc_context({"pdf.fonttype": 42}),
        atomic_file(path, suffix=".pdf") as tmp,
        PdfPages(tmp) as pdf,
    ):
        pdf.savefig(fig)
        pdf.savefig(page)
    return Path(path)
