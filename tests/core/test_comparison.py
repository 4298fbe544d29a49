"""Tests of wufei_gis.comparison: the one comparison renderer (figure, files, result specs, CLI)."""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image
from test_analysis import make_result

from wufei_gis.analysis import KPI_FIELDS
from wufei_gis.comparison import (
    CompareOptions,
    compare_figure,
    comparison_title,
    kpi_cells,
    prepare_comparison,
    read_result_spec,
    write_comparison,
)
from wufei_gis.errors import InputError
from wufei_gis.fonts import find_cjk_font
from wufei_gis.results import write_results


@pytest.fixture
def pair():
    return [make_result("baseline", unserved_c=10.0), make_result("plan", unserved_c=2.0)]


def _pdf_text(path) -> str:
    doc = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def test_figure_pieces_share_one_scale(pair, caplog):
    caplog.set_level(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = compare_figure(pair, lang="zh")
        fig.canvas.draw()
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    maps = [ax for ax in fig.axes if ax.get_title()]
    assert len(maps) == 3  # A, B, and the difference map
    # both gap maps: the same extent; the difference map too
    assert maps[0].get_xlim() == pytest.approx(maps[1].get_xlim())
    assert maps[0].get_xlim() == pytest.approx(maps[2].get_xlim())
    titles = [ax.get_title() for ax in maps]
    assert titles[0].startswith("A. baseline") and titles[1].startswith("B. plan")
    assert titles[2] == "能力缺口变化 B − A\nplan − baseline"
    texts = {t.get_text() for ax in fig.axes for t in ax.texts} | {t.get_text() for t in fig.texts}
    assert {"◀ 缺口缩小", "缺口扩大 ▶", "情景比较 — A: baseline · B: plan"} <= texts
    # every colour-bar tick is drawn with the CJK font
    font = find_cjk_font()
    bars = [
        ax for ax in fig.axes if ax.get_xlabel() in ("未处理量占比 (%)", "未处理量变化 (吨/日)")
    ]
    assert len(bars) == 2
    for bar in bars:
        ticks = bar.get_xticklabels()
        assert ticks and all(t.get_fontfamily()[0] == font for t in ticks)
    assert [t.get_text() for t in bars[0].get_xticklabels()] == [
        "0 %",
        "25 %",
        "50 %",
        "75 %",
        "100 %",
    ]


def test_prepare_and_kpi_cells(pair):
    cmp = prepare_comparison(pair, lang="en")
    assert cmp.gap_limits == (0.0, 1.0)
    assert cmp.diff_limits == pytest.approx((-8.0, 8.0))  # 2 - 10 in county C3
    assert comparison_title(cmp) == "Scenario comparison — A: baseline · B: plan"
    headers, rows = kpi_cells(cmp)
    assert headers == ["Indicator", "Unit", "A: baseline", "B: plan", "Change B − A"]
    assert len(rows) == len(KPI_FIELDS)
    row = rows[list(KPI_FIELDS).index("unserved_tpd")]
    assert row[2:] == ["10.00", "2.00", "-8.00"]
    with pytest.raises(InputError):
        prepare_comparison(pair[:1])


def test_three_scenarios_pick_the_difference():
    rs = [make_result(n, unserved_c=u) for n, u in (("A0", 10.0), ("B0", 2.0), ("C0", 0.0))]
    fig = compare_figure(rs, lang="en", options=CompareOptions(difference=2, sites=False))
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert len(titles) == 4
    assert titles[-1] == "Change in the capacity gap C − A\nC0 − A0"
    with pytest.raises(ValueError):
        compare_figure(rs, options=CompareOptions(difference=3))


def test_write_png_svg_pdf(pair, tmp_path):
    png = write_comparison(pair, tmp_path / "c.png", options=CompareOptions(dpi=60))
    with Image.open(png) as im:
        pixels = np.asarray(im.convert("RGB")).astype(int)
    assert (pixels[..., 0] - pixels[..., 2] > 60).sum() > 100  # red counties/colour bar
    svg = write_comparison(pair, tmp_path / "c.svg", lang="en")
    assert "<svg" in svg.read_text(encoding="utf-8")[:500]
    pdf = write_comparison(pair, tmp_path / "c.pdf", lang="zh")
    text = _pdf_text(pdf)
    for name in ("甲县", "乙县", "丙县", "情景比较", "能力缺口变化", "未处理量"):
        assert name in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.pdf", "c.png", "c.svg"]  # no temp


def test_write_refuses_unknown_format_and_keeps_target(pair, tmp_path):
    target = tmp_path / "c.jpg"
    with pytest.raises(InputError, match="jpg"):
        write_comparison(pair, target)
    assert not target.exists()


def test_read_result_spec(tmp_path):
    res = tmp_path / "r.gpkg"
    write_results(make_result("one"), res)
    write_results(make_result("two", unserved_c=1.0), res)
    assert read_result_spec(f"{res}:one").scenario == "one"
    assert read_result_spec(str(res)).scenario == "two"  # the last one written
    with pytest.raises(InputError, match="not found"):
        read_result_spec(str(tmp_path / "nope.gpkg"))
    with pytest.raises(InputError, match="no results for scenario 'three'"):
        read_result_spec(f"{res}:three")


def test_cli_compare_figure_and_report(tmp_path, capsys):
    from wufei_gis.cli import main

    res = tmp_path / "r.gpkg"
    write_results(make_result("baseline", unserved_c=10.0), res)
    write_results(make_result("plan", unserved_c=2.0), res)
    a, b = f"{res}:baseline", f"{res}:plan"
    assert main(["compare", a, b, "--out", str(tmp_path / "x.png")]) == 0
    with Image.open(tmp_path / "x.png") as im:
        assert im.width > 1000
    assert main(["compare", a, b, "--out", str(tmp_path / "fig.pdf"), "--figure"]) == 0
    assert len(pdfium.PdfDocument(str(tmp_path / "fig.pdf"))) == 1
    # .pdf without --figure stays the full report: test_report.py checks it
    assert main(["compare", a, b, "--out", str(tmp_path / "x.jpg")]) == 2
    assert "cannot write a comparison as '.jpg'" in capsys.readouterr().err
