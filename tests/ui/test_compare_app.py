"""Committee comparison in the app: Scenario > Compare scenarios…, the window, Export, --compare."""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pypdfium2 as pdfium
import pytest
from conftest import ARTIFACTS
from PyQt6.QtGui import QImage
from PyQt6.QtWidgets import QDialogButtonBox
from uihelpers import make_window

from wufei_gis.analysis import KPI_FIELDS, region_kpis
from wufei_gis.fonts import find_cjk_font, missing_glyphs
from wufei_gis.formatting import format_bare
from wufei_gis.results import write_results
from wufei_gis.ui import i18n
from wufei_gis.ui.app import main
from wufei_gis.ui.compare_dialog import CompareDialog


@pytest.fixture(scope="module")
def solved(yuxi_sample):
    """The Yuxi sample's two scenarios, solved for real."""
    from wufei_gis.optimization.planning import solve_scenario

    return {n: solve_scenario(yuxi_sample, n) for n in ("baseline-2020", "plan-2025")}


@pytest.fixture
def window(qtbot, yuxi, solved):
    w = make_window(qtbot, yuxi, lang="zh")
    for r in solved.values():
        w.model.set_result(r)
    return w


def _ok(dialog: CompareDialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def _texts(win) -> list:
    """Every text artist of the window's figures (titles, ticks, labels, legends)."""
    from matplotlib.text import Text

    figures = [c.figure for c in [*win.canvases, win.diff_canvas]]
    return [t for f in figures for t in f.findobj(Text) if t.get_visible() and t.get_text()]


def test_compare_from_the_menu(window, qtbot, solved, tmp_path, caplog):
    act = window.actions_by_key["act.compare"]
    assert act in window.menus["menu.scenario"].actions()
    assert act in window.file_toolbar.actions()
    assert act.text() == "比较情景(&C)…"
    caplog.set_level(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning while opening fails the test
        act.trigger()
        dialog = window.compare_dialog
        assert isinstance(dialog, CompareDialog) and dialog.isVisible()
        dialog.select("a", "baseline-2020")
        dialog.select("b", "plan-2025")
        _ok(dialog)
        win = window.compare_window
        assert win is not None and win.isVisible()
        qtbot.waitExposed(win)
        win.resize(1500, 860)
        for c in [*win.canvases, win.diff_canvas]:
            c.draw()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert not dialog.isVisible()
    # the title reads sensibly; the difference map says which is which
    assert win.windowTitle() == "情景比较 — A: baseline-2020 · B: plan-2025"
    assert win.diff_canvas.ax.get_title() == "能力缺口变化 B − A\nplan-2025 − baseline-2020"
    # one colour scale for both maps; a diverging scale centred on 0 for the difference
    assert {(m.norm.vmin, m.norm.vmax) for m in win.mappables} == {(0.0, 1.0)}
    d = win.diff_mappable.norm
    assert d.vcenter == 0.0 and d.vmin == pytest.approx(-d.vmax) and d.vmax > 100
    # the difference legend: label and both ends named
    texts = _texts(win)
    words = {t.get_text() for t in texts}
    assert {"未处理量变化 (吨/日)", "◀ 缺口缩小", "缺口扩大 ▶", "未处理量占比 (%)"} <= words
    assert {"0 %", "50 %", "100 %"} <= words
    # colour-bar ticks (and every other text) are drawn with the bundled CJK font
    font = find_cjk_font()
    assert font is not None
    bar_ticks = [t for t in texts if t.get_text() in ("0 %", "100 %") or "−" in t.get_text()]
    assert bar_ticks and all(t.get_fontfamily()[0] == font for t in bar_ticks)
    assert missing_glyphs("".join(words)) == set()
    # the KPI table: A, B and B − A
    a, b = (region_kpis(solved[n]).to_dict() for n in ("baseline-2020", "plan-2025"))
    assert win.kpi.columnCount() == 5 and win.kpi.rowCount() == len(KPI_FIELDS)
    assert win.kpi.horizontalHeaderItem(4).text() == "变化 B − A"
    row = list(KPI_FIELDS).index("unserved_tpd")
    assert a["unserved_tpd"] > 100 and b["unserved_tpd"] == pytest.approx(0, abs=1e-6)
    assert win.kpi.item(row, 0).text() == "未处理量 (能力缺口)"
    assert win.kpi.item(row, 2).text() == format_bare(a["unserved_tpd"], "t/d")
    assert win.kpi.item(row, 4).text() == format_bare(
        b["unserved_tpd"] - a["unserved_tpd"], "t/d", signed=True
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert win.grab().save(str(ARTIFACTS / "compare_window_zh.png"))
    # Export…: PDF and PNG of the same figure
    pdf, png = win.export(tmp_path / "c.pdf"), win.export(tmp_path / "c.png")
    assert pdf == tmp_path / "c.pdf" and png == tmp_path / "c.png"
    assert win.last_export == png and "c.png" in win.title_label.text()
    doc = pdfium.PdfDocument(str(pdf))
    try:
        text = "".join(p.get_textpage().get_text_range() for p in doc)
    finally:
        doc.close()
    for name in window.model.project.counties["name_zh"]:
        assert name in text
    assert "baseline-2020" in text and "能力缺口变化 B − A" in text
    image = QImage(str(png))
    assert image.width() > 1000 and image.height() > 1000


def test_dialog_checks_the_choice_and_reads_result_files(window, qtbot, solved, tmp_path):
    window.model.results.pop("plan-2025")
    dialog = window.compare_scenarios()
    qtbot.addWidget(dialog)
    assert dialog.combos["b"].findText("plan-2025（未求解）") >= 0
    dialog.select("a", "baseline-2020")
    dialog.select("b", "baseline-2020")
    _ok(dialog)
    assert dialog.isVisible() and "同一结果" in dialog.error.text()
    dialog.select("b", "plan-2025")
    _ok(dialog)
    assert dialog.isVisible() and "plan-2025" in dialog.error.text() and "F5" in dialog.error.text()
    # B from a result file instead
    res = tmp_path / "other.gpkg"
    write_results(solved["plan-2025"], res)
    assert dialog.browse("b", res) == ["plan-2025"]
    assert dialog.choice("b").path == res
    assert dialog.combos["a"].findText("plan-2025（文件 other.gpkg）") >= 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(ARTIFACTS / "compare_dialog_zh.png"))
    assert dialog.browse("b", tmp_path / "nope.gpkg") == []
    assert "not found" in dialog.error.text()
    _ok(dialog)
    assert not dialog.isVisible()
    assert [r.scenario for r in dialog.results] == ["baseline-2020", "plan-2025"]
    win = window.compare_window
    qtbot.addWidget(win)
    assert win.windowTitle() == "情景比较 — A: baseline-2020 · B: plan-2025"


def test_screenshot_of_the_compare_window(qapp, tmp_path, solved, capsys):
    res = tmp_path / "baseline.gpkg"
    write_results(solved["baseline-2020"], res)
    out = tmp_path / "compare.png"
    args = ["--sample", "yuxi", "--solve", "plan-2025", "--compare", f"{res}:baseline-2020"]
    try:
        assert main([*args, "--lang", "zh", "--size", "1300x800", "--screenshot", str(out)]) == 0
        bad = ["--sample", "yuxi", "--compare", "plan-2025", "--screenshot", str(tmp_path / "x")]
        assert main(bad) == 2  # nothing solved to compare with
    finally:
        i18n.set_language("zh")
    assert "--compare needs a solved scenario" in capsys.readouterr().err
    img = QImage(str(out))
    assert (img.width(), img.height()) == (1300, 800)
    rgb = np.frombuffer(
        img.convertToFormat(QImage.Format.Format_RGB888).constBits().asstring(img.sizeInBytes()),
        dtype=np.uint8,
    )
    assert len(np.unique(rgb)) > 50  # maps drawn, not an empty window
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    img.save(str(ARTIFACTS / "compare_screenshot_zh.png"))
