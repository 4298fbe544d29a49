"""Tests of wufei_gis.mapping: map CRS, decorations, labels, legend and print layouts.

The solved Yuxi sample (real solver) is drawn into real matplotlib figures and
written as real PDF/PNG/SVG files; PDF text is read back with pypdfium2.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pypdfium2
import pytest
from pyproj import CRS, Transformer

from wufei_gis.cli import main
from wufei_gis.errors import InputError
from wufei_gis.label_placement import overlapping_pairs
from wufei_gis.mapping import (
    MapOptions,
    gauss_kruger_crs,
    lonlat_bounds,
    map_crs_for,
    map_figure,
    parse_crs_choice,
    write_map,
)
from wufei_gis.mapping.decorations import add_graticule, add_scale_bar, scale_factor
from wufei_gis.mapping.layers import short_name
from wufei_gis.mapping.layout import source_line
from wufei_gis.mapping.legend import capacity_examples
from wufei_gis.results import write_results


@pytest.fixture(scope="module")
def yuxi():
    """The Yuxi sample and its solved plan-2025 scenario."""
    from wufei_gis.optimization.planning import solve_scenario
    from wufei_gis.samples import load_sample

    project = load_sample("yuxi")
    return solve_scenario(project, project.scenario("plan-2025")), project


# --- CRS --------------------------------------------------------------------------------
def _central_meridian(crs: CRS) -> float:
    op = crs.coordinate_operation
    return next(p.value for p in op.params if p.name == "Longitude of natural origin")


def test_gauss_kruger_zones_match_epsg_names():
    for cm in range(75, 136, 3):
        crs = gauss_kruger_crs(cm + 1.2)
        assert crs.name == f"CGCS2000 / 3-degree Gauss-Kruger CM {cm}E"
        assert _central_meridian(crs) == cm
    # Yuxi (about 102.4°E) is in the CM 102E zone
    assert gauss_kruger_crs(102.4).to_epsg() == 4543
    outside = gauss_kruger_crs(60.0)
    assert outside.is_projected and _central_meridian(outside) == 60


def test_map_crs_choices(yuxi):
    result, _ = yuxi
    b = lonlat_bounds([result.county_gaps])
    assert 101 < b[0] < b[2] < 104
    assert map_crs_for(b, "gk").to_epsg() == 4543
    assert map_crs_for(b, "utm").to_epsg() == 32648
    assert map_crs_for(b, "EPSG:3857").to_epsg() == 3857
    assert parse_crs_choice("UTM") == "utm"
    with pytest.raises(InputError, match="not in metres"):
        parse_crs_choice("EPSG:4326")
    with pytest.raises(InputError, match="unknown map projection"):
        parse_crs_choice("mercator-ish")


# --- decorations ------------------------------------------------------------------------
def test_scale_bar_measures_ground_distance():
    from matplotlib.figure import Figure

    utm = CRS.from_epsg(32648)
    x, y = Transformer.from_crs(4326, utm, always_xy=True).transform(102.5, 24.2)
    k = scale_factor(utm, x, y)
    # 102.5°E is 2.5° west of the zone's 105°E meridian: k = k0 (1 + (dλ cos φ)² / 2)
    expected = 0.9996 * (1 + (np.radians(2.5) * np.cos(np.radians(24.2))) ** 2 / 2)
    assert k == pytest.approx(expected, abs=1e-5)  # (the series is truncated)
    assert abs(scale_factor(gauss_kruger_crs(102.5), *(500_000.0 + 10_000, y)) - 1.0) < 1e-5
    fig = Figure(figsize=(6, 4))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(x - 60_000, x + 60_000)
    ax.set_ylim(y - 40_000, y + 40_000)
    km = add_scale_bar(ax, crs=utm)
    assert km == 25
    bar = ax.artists[-1]
    rect = bar.size_bar.get_children()[0]
    assert rect.get_width() == pytest.approx(25_000 * k)


def test_graticule_labels_are_degrees_at_the_frame():
    from matplotlib.figure import Figure

    crs = gauss_kruger_crs(102.0)
    to_map = Transformer.from_crs(4326, crs, always_xy=True)
    to_geo = Transformer.from_crs(crs, 4326, always_xy=True)
    (x0, x1), (y0, y1) = to_map.transform([101.3, 103.2], [23.4, 25.0])
    fig = Figure(figsize=(6, 5))
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    lines = add_graticule(ax, crs)
    assert lines
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels and all(t.endswith("°E") for t in labels)
    for xt, text in zip(ax.get_xticks(), labels, strict=True):
        lon, _ = to_geo.transform(xt, ax.get_ylim()[0])
        assert lon == pytest.approx(float(text[:-2]), abs=1e-4)
    assert all(t.get_text().endswith("°N") for t in ax.get_yticklabels())
    assert ax.get_xlim() == pytest.approx((x0, x1))


# --- layers, labels, legend -------------------------------------------------------------
def test_short_name_and_capacity_examples():
    assert short_name("澄江市生活垃圾卫生填埋场（假定）") == "澄江市生活垃圾卫生填埋场"
    assert short_name("（只有括号）") == "（只有括号）"
    assert capacity_examples([140, 172, 700]) == [100.0, 300.0, 700.0]
    assert capacity_examples([]) == []


def _renderer(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    return FigureCanvasAgg(fig).get_renderer()


def _placed_labels(ax):
    return [t for t in ax.texts if t.get_gid() != "label-halo" and t.get_visible()]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_yuxi_labels_never_overlap(yuxi, lang):
    result, project = yuxi
    fig = map_figure(result, project, MapOptions(paper="A3", dpi=100, lang=lang))
    ax = fig.axes[0]
    labels = _placed_labels(ax)
    texts = {t.get_text() for t in labels}
    counties = project.counties["name_zh" if lang == "zh" else "name_en"]
    assert sum(name in texts for name in counties) >= 7  # most county names fit
    assert (
        "红塔区生活垃圾焚烧发电厂" in texts if lang == "zh" else any("Hongta" in t for t in texts)
    )
    r = _renderer(fig)
    boxes = np.array([[*b.min, *b.max] for b in (t.get_window_extent(r) for t in labels)])
    assert overlapping_pairs(boxes) == []
    # every label stays inside the map frame
    frame = ax.get_window_extent(r)
    assert (boxes[:, 0] >= frame.x0 - 1).all() and (boxes[:, 2] <= frame.x1 + 1).all()


def test_legend_and_colour_bar_outside_the_map(yuxi):
    result, project = yuxi
    fig = map_figure(result, project, MapOptions(dpi=80))
    r = _renderer(fig)
    ax = fig.axes[0]
    frame = ax.get_window_extent(r)
    legend = fig.axes[1].get_legend()
    assert legend is not None
    assert not legend.get_window_extent(r).overlaps(frame)
    cbar = fig.axes[2]
    assert [t.get_text() for t in cbar.get_xticklabels()][:2] == ["0 %", "5 %"]
    assert not cbar.get_window_extent(r).overlaps(frame)
    texts = [t.get_text() for t in legend.get_texts()]
    assert "焚烧厂" in texts and "新建设施（黑色描边）" in texts
    assert any("700" in t for t in texts)  # capacity size examples


# --- print layouts ----------------------------------------------------------------------
def test_pdf_text_has_chinese_county_names(yuxi, tmp_path):
    result, project = yuxi
    day = dt.date(2026, 5, 1)
    out = write_map(result, tmp_path / "m.pdf", MapOptions(paper="A3", date=day), project=project)
    pdf = pypdfium2.PdfDocument(out)
    text = pdf[0].get_textpage().get_text_range()
    for name in project.counties["name_zh"]:
        assert name in text
    assert "2026-05-01" in text and "数据来源" in text and "plan-2025" in text
    assert "°E" in text and "km" in text
    w, h = pdf[0].get_size()
    assert (round(w / 72 * 25.4), round(h / 72 * 25.4)) == (420, 297)
    raw = out.read_bytes()
    assert b"/FontFile2" in raw and b"NotoSansCJK" in raw  # TrueType-embedded CJK font


def test_png_and_svg_sizes_and_bad_endings(yuxi, tmp_path):
    from PIL import Image

    result, project = yuxi
    png = write_map(
        result, tmp_path / "m.png", MapOptions(orientation="portrait", dpi=60), project=project
    )
    with Image.open(png) as im:
        assert im.size[0] == pytest.approx(210 / 25.4 * 60, abs=1)
        assert im.size[1] == pytest.approx(297 / 25.4 * 60, abs=1)
    svg = write_map(result, tmp_path / "m.svg", MapOptions(dpi=60, lang="en"), project=project)
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    keep = tmp_path / "keep.jpg"
    keep.write_bytes(b"old")
    with pytest.raises(InputError, match=r"\.pdf, \.png or \.svg"):
        write_map(result, keep, project=project)
    assert keep.read_bytes() == b"old"
    with pytest.raises(InputError, match="paper"):
        write_map(result, tmp_path / "x.png", MapOptions(paper="B5"))
    assert not (tmp_path / "x.png").exists()


def test_project_map_and_basemap_hook(yuxi, tmp_path):
    _, project = yuxi
    calls = []

    def basemap(ax, crs, bounds):
        calls.append((crs.to_epsg(), bounds))
        ax.fill_between([bounds[0], bounds[2]], bounds[1], bounds[3], color="#ddeeff", zorder=0)
        return "Basemap © Example"

    out = write_map(project, tmp_path / "p.pdf", MapOptions(basemap=basemap, lang="en"))
    text = pypdfium2.PdfDocument(out)[0].get_textpage().get_text_range()
    assert calls and calls[0][0] == 4543
    assert "Basemap © Example" in text and "existing facilities" in text
    assert sum(name in text for name in project.counties["name_en"]) >= 6


def test_source_line_keeps_scenario_when_shortened(yuxi):
    result, project = yuxi
    line = source_line(project, result, lang="en", basemap="OSM", max_chars=90)
    assert len(line) <= 90 + 1
    assert line.startswith("Source: ") and line.endswith("scenario plan-2025 solved (highs) · OSM")
    assert "…" in line


def test_cli_map(yuxi, tmp_path, capsys):
    result, _ = yuxi
    res = write_results(result, tmp_path / "r.gpkg")
    out = tmp_path / "map.png"
    assert main(["map", str(res), "--out", str(out), "--dpi", "50", "--crs", "utm"]) == 0
    assert out.stat().st_size > 10_000
    pdf = tmp_path / "with_sample.pdf"
    assert main(["map", str(res), "--sample", "yuxi", "--out", str(pdf), "--lang", "en"]) == 0
    text = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "Yuxi, Yunnan (" in text  # the sample's data sources in the source line
    assert "plan-2025" in capsys.readouterr().out
    assert main(["map", str(res), "--scenario", "nope", "--out", str(out)]) == 2
    assert "no results for scenario 'nope'" in capsys.readouterr().err
    assert main(["map", str(tmp_path / "missing.gpkg"), "--out", str(out)]) == 2
    assert "results file not found" in capsys.readouterr().err
    assert main(["map", str(res), "--out", str(tmp_path / "m.tif")]) == 2
    assert main(["map", str(res), "--out", str(out), "--crs", "EPSG:4326"]) == 2
    assert "not in metres" in capsys.readouterr().err


def test_cli_map_solves_a_sample(tmp_path):
    out = tmp_path / "s.pdf"
    args = ["map", "--sample", "yuxi", "--scenario", "plan-2025", "--out", str(out)]
    assert main([*args, "--paper", "A4", "--orientation", "portrait", "--title", "玉溪测试"]) == 0
    text = pypdfium2.PdfDocument(out)[0].get_textpage().get_text_range()
    assert "玉溪测试" in text


def test_cli_map_basemaps(yuxi, tmp_path, capsys):
    result, _ = yuxi
    res = write_results(result, tmp_path / "r.gpkg")
    out = tmp_path / "terrain.pdf"
    assert main(["map", str(res), "--out", str(out), "--basemap", "terrain", "--lang", "en"]) == 0
    text = pypdfium2.PdfDocument(out)[0].get_textpage().get_text_range()
    assert "pvlib" in text  # the terrain's attribution reaches the source line
    # an online layer that cannot be reached: the map is written, a note says why
    url = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    out2 = tmp_path / "offline.png"
    assert main(["map", str(res), "--out", str(out2), "--dpi", "50", "--basemap", url]) == 0
    assert out2.stat().st_size > 10_000
    assert "basemap:" in capsys.readouterr().err
