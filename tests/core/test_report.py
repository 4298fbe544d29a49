"""Tests of wufei_gis.report: pages, text (pypdf), metadata, fonts, the compare command."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from wufei_gis.analysis import county_analysis, region_kpis
from wufei_gis.errors import InputError
from wufei_gis.report import find_cjk_font, write_report
from wufei_gis.results import write_results

sys.path.insert(0, str(Path(__file__).parent))
from test_analysis import make_result


def _pages(path: Path) -> list[str]:
    return [p.extract_text() for p in PdfReader(path).pages]


def _find(pages: list[str], needle: str) -> list[int]:
    return [i for i, t in enumerate(pages) if needle in t]


@pytest.fixture(autouse=True, scope="module")
def _font_cache(tmp_path_factory):
    """Converted fonts go to a temporary cache folder, not the user's."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(scope="module")
def pair():
    return make_result("baseline", unserved_c=10.0), make_result("plan", unserved_c=2.0)


@pytest.fixture(scope="module")
def sample_project():
    from wufei_gis.samples import load_sample

    return load_sample("yuxi")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_pages_and_text(pair, sample_project, tmp_path, lang):
    a, b = pair
    out = write_report([a, b], tmp_path / f"r_{lang}.pdf", project=sample_project, lang=lang)
    reader = PdfReader(out)
    assert "baseline vs plan" in reader.metadata.title
    pages = _pages(out)
    zh = lang == "zh"
    heads = {
        "title": "生活垃圾处理设施规划情景比较报告" if zh else "scenario comparison",
        "maps": "能力缺口地图" if zh else "Capacity-gap maps",
        "diff": "能力缺口变化" if zh else "Change in the capacity gap",
        "kpis": "关键指标比较" if zh else "Key indicators",
        "counties": "各区县能力缺口" if zh else "Capacity gap by county",
        "facilities": "各设施负荷" if zh else "Facility loads",
        "assumptions": "假设与数据来源" if zh else "Assumptions and data sources",
        "parameters": "模型参数" if zh else "Model parameters",
    }
    order = [min(_find(pages, h) or [-1]) for h in heads.values()]
    assert -1 not in order, dict(zip(heads, order, strict=True))
    assert order == sorted(order)  # sections in the documented order
    assert _find(pages, heads["title"])[0] == 0
    # the KPI figures survive text extraction
    kpi = pages[_find(pages, heads["kpis"])[0]]
    ka, kb = region_kpis(a), region_kpis(b)
    for v in (
        f"{ka.unserved_tpd:,.2f}",
        f"{kb.unserved_tpd:,.2f}",
        f"{kb.unserved_tpd - ka.unserved_tpd:+,.2f}",
        f"{100 * ka.served_share:.1f} %",
        f"{ka.mean_haul_km:,.2f}",
        f"{ka.transport_cost:,.0f}",
    ):
        assert v in kpi, v
    county_pages = "\n".join(pages[i] for i in _find(pages, heads["counties"]))
    c = county_analysis(a)
    assert f"{c['mean_haul_km'].iloc[1]:,.2f}" in county_pages  # 23.75 km via the station
    if zh:
        assert "丙县" in county_pages and "甲县、乙县" in "\n".join(pages)
    # assumptions: every facility of the project with its precision and source
    text = "\n".join(pages)
    for fid in sample_project.facilities["facility_id"]:
        assert fid in text
    assert "000_c16f0f7a82d733c2" in text
    # parameters of both scenarios are listed (scenario names not in the project: run rows)
    assert "run: solver" in text


def test_report_without_project_says_so(pair, tmp_path):
    out = write_report(list(pair), tmp_path / "r.pdf", lang="en")
    assert _find(_pages(out), "No project given")


def _many_counties(n: int):
    """One scenario of ``n`` square counties with nothing served (a long county table)."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box

    from wufei_gis.results import RunResult

    counties = gpd.GeoDataFrame(
        {
            "county_id": [f"K{i:02d}" for i in range(n)],
            "name_zh": [f"县{i}" for i in range(n)],
            "name_en": [f"County {i}" for i in range(n)],
            "generation_tpd": [10.0] * n,
            "served_tpd": [0.0] * n,
            "unserved_tpd": [10.0] * n,
        },
        geometry=[
            box(
                100 + (i % 8) * 0.1,
                24 + (i // 8) * 0.1,
                100.1 + (i % 8) * 0.1,
                24.1 + (i // 8) * 0.1,
            )
            for i in range(n)
        ],
        crs="EPSG:4326",
    )
    empty_pts = gpd.GeoDataFrame(
        {
            c: []
            for c in ["site_id", "type", "capacity_tpd", "throughput_tpd", "utilization", "is_new"]
        },
        geometry=gpd.GeoSeries([], crs="EPSG:4326"),
    )
    empty_fl = gpd.GeoDataFrame(
        {c: [] for c in ["from_id", "to_id", "tonnes_per_day", "distance_km", "cost"]},
        geometry=gpd.GeoSeries([], crs="EPSG:4326"),
    )
    summ = pd.DataFrame(
        [
            {
                "scenario": "x",
                "status": "optimal",
                "objective": 0.0,
                "transport_cost": 0.0,
                "fixed_cost": 0.0,
                "unserved_tpd": 10.0 * n,
                "solver": "highs",
                "mip_gap": 0.0,
                "runtime_s": 0.0,
            }
        ]
    )
    return RunResult("x", empty_pts, empty_fl, counties, summ)


@pytest.mark.parametrize(
    ("lang", "title", "continued", "header", "row"),
    [
        (
            "en",
            "Capacity gap by county: A. x",
            " (continued)",
            "Generation (t/d)",
            "County {i} (K{i:02d})",
        ),
        ("zh", "各区县能力缺口：A. x", "（续）", "产生量 (吨/日)", "县{i} (K{i:02d})"),
    ],
)
def test_report_long_tables_paginate(tmp_path, lang, title, continued, header, row):
    """80 counties: the county table goes over pages, each with its title and header row."""
    n = 80
    out = write_report([_many_counties(n)], tmp_path / "one.pdf", lang=lang)
    pages = _pages(out)
    table_pages = _find(pages, title)
    assert len(table_pages) >= 2
    assert _find(pages, title + continued) == table_pages[1:]
    seen = []
    for i in table_pages:
        text = pages[i]
        assert header in text  # the header row is repeated on every page of the table
        rows = [k for k in range(n) if row.format(i=k) + "\n" in text + "\n"]
        assert rows, i
        assert text.index(header) < text.index(row.format(i=rows[0]))
        seen += rows
    assert seen == list(range(n))  # every county once, in order, none lost at a page break


def test_report_bad_input(pair, tmp_path):
    with pytest.raises(InputError, match="language"):
        write_report(list(pair), tmp_path / "x.pdf", lang="fr")
    with pytest.raises(InputError, match="no results"):
        write_report([], tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_cjk_font_comes_with_the_install():
    """The bundled font is found without any system font, and it covers every county name."""
    from wufei_gis.fonts import cjk_font_path, missing_glyphs

    assert find_cjk_font() == "Noto Sans CJK SC"
    path = cjk_font_path()
    assert path is not None and path.is_file() and "site-packages" in str(path)
    assert missing_glyphs("红塔区通海县澄江市易门县峨山彝族自治县") == set()
    # the cmap check can fail: a character outside the font is reported
    assert missing_glyphs("红塔\U0002a6a5") == {"\U0002a6a5"}


def test_cjk_font_becomes_a_cached_truetype_subset(tmp_path, monkeypatch):
    """The CFF font is subset and converted to TrueType outlines of the same shape, once."""
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    from wufei_gis.fonts import cjk_font_path
    from wufei_gis.report import pdffont

    source = cjk_font_path()
    path = pdffont.cjk_truetype_subset(source, "红塔区通海县", cache_dir=tmp_path)
    assert path.parent == tmp_path and path.suffix == ".ttf"
    with TTFont(str(path)) as sub, TTFont(str(source), lazy=True) as otf:
        assert "glyf" in sub and "CFF " not in sub and "CFF " in otf
        cmap, otf_cmap = sub.getBestCmap(), otf.getBestCmap()
        assert {ord(c) for c in "红塔区通海县AZaz09"} <= set(cmap)
        assert ord("澄") not in cmap  # a subset: only the characters asked for
        for ch in "红区":
            glyph = sub["glyf"][cmap[ord(ch)]]
            glyph.recalcBounds(sub["glyf"])
            pen = BoundsPen(otf.getGlyphSet())
            otf.getGlyphSet()[otf_cmap[ord(ch)]].draw(pen)
            got = (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax)
            assert max(abs(a - b) for a, b in zip(got, pen.bounds, strict=True)) <= 2, (
                ch,
                got,
                pen.bounds,
            )
            assert sub["hmtx"][cmap[ord(ch)]] == otf["hmtx"][otf_cmap[ord(ch)]]
    # the second time comes from the cache, without converting again
    monkeypatch.setattr(pdffont, "_convert", lambda *a, **k: pytest.fail("converted again"))
    assert pdffont.cjk_truetype_subset(source, "县通海区塔红", cache_dir=tmp_path) == path


def test_chinese_report_embeds_its_font_and_text_is_extractable(pair, sample_project, tmp_path):
    a, b = pair
    out = write_report([a, b], tmp_path / "zh.pdf", project=sample_project, lang="zh")
    reader = PdfReader(out)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "红塔区" in text and "生活垃圾处理设施规划情景比较报告" in text
    assert "\x00" not in text  # every glyph maps back to its character
    embedded = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                embedded.add(str(font["/BaseFont"]).split("+", 1)[1])
    # the CJK font is embedded as TrueType (FontFile2), not referenced as a viewer's font
    assert any(name.startswith("NotoSansCJKsc") for name in embedded), embedded


def test_map_with_chinese_names_renders_without_glyph_warnings(sample_project, tmp_path):
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from wufei_gis.fonts import missing_glyphs, setup_cjk_font

    names = "".join(sample_project.counties["name_zh"])
    assert missing_glyphs(names) == set()
    font = setup_cjk_font()
    fig, ax = plt.subplots(figsize=(4, 4))
    sample_project.counties.plot(ax=ax, facecolor="none")
    for _, row in sample_project.counties.iterrows():
        c = row.geometry.representative_point()
        ax.annotate(row["name_zh"], (c.x, c.y), fontfamily=[font])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a "Glyph ... missing" warning fails the test
        fig.savefig(tmp_path / "m.png", dpi=60)
        fig.savefig(tmp_path / "m.pdf")
    plt.close(fig)
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "m.pdf").pages)
    assert "红塔区" in text


def test_report_renders_to_png(pair, sample_project, tmp_path):
    """Render pages with pypdfium2 (PDFium from PyPI; no poppler) and check they are not blank."""
    import numpy as np
    import pypdfium2 as pdfium

    out = write_report(list(pair), tmp_path / "r.pdf", project=sample_project)
    pdf = pdfium.PdfDocument(str(out))
    try:
        assert len(pdf) >= 3
        for i in range(3):
            image = pdf[i].render(scale=30 / 72).to_pil()
            image.save(tmp_path / f"p-{i + 1}.png")
            pixels = np.asarray(image.convert("L"))
            assert pixels.min() < 128 < pixels.max()  # ink on paper
        # page 2 is the gap maps: coloured counties (the map image), not only grey text
        rgb = np.asarray(pdf[1].render(scale=30 / 72).to_pil().convert("RGB")).astype(int)
        assert ((rgb[..., 0] - rgb[..., 2]) > 60).sum() > 100
    finally:
        pdf.close()
    assert len(list(tmp_path.glob("p-*.png"))) == 3


def test_cli_compare_same_file_two_scenarios(tmp_path, sample_project, capsys):
    from wufei_gis.cli import main

    res = tmp_path / "results.gpkg"
    write_results(make_result("baseline", unserved_c=10.0), res)
    write_results(make_result("plan", unserved_c=2.0), res)
    out = tmp_path / "report.pdf"
    assert (
        main(
            [
                "compare",
                f"{res}:baseline",
                f"{res}:plan",
                "--out",
                str(out),
                "--lang",
                "en",
                "--sample",
                "yuxi",
            ]
        )
        == 0
    )
    pages = _pages(out)
    assert "baseline vs plan" in PdfReader(out).metadata.title
    assert _find(pages, "Assumptions and data sources")
    # one file alone: all its scenarios
    out2 = tmp_path / "all.pdf"
    assert main(["compare", str(res), "--out", str(out2), "--lang", "en"]) == 0
    assert _find(_pages(out2), "No project given")
    assert main(["compare", f"{res}:baseline", "--out", str(out2)]) == 2
    assert main(["compare", f"{res}:nope", f"{res}:plan", "--out", str(out2)]) == 2
    err = capsys.readouterr().err
    assert "no results for scenario 'nope'" in err


# --- Yuxi, solved for real ---------------------------------------------------------------
@pytest.fixture(scope="module")
def yuxi_pair(sample_project):
    planning = pytest.importorskip("wufei_gis.optimization.planning")
    a = planning.solve_scenario(sample_project, "baseline-2020")
    b = planning.solve_scenario(sample_project, "plan-2025")
    return a, b


def test_yuxi_report(yuxi_pair, sample_project, tmp_path):
    a, b = yuxi_pair
    out = write_report([a, b], tmp_path / "yuxi.pdf", project=sample_project, lang="zh")
    text = "\n".join(_pages(out))
    ka, kb = region_kpis(a, project=sample_project), region_kpis(b, project=sample_project)
    assert f"{ka.unserved_tpd:,.2f}" in text and f"{kb.unserved_tpd:,.2f}" in text
    for name in ("红塔区", "通海县", "澄江市"):
        assert name in text
