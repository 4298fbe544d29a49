"""One language at a time: no English in the Chinese UI, no Chinese in the English UI.

The main window on the solved Yuxi sample is walked widget by widget (labels,
buttons, actions, menus, group boxes, tabs, headers, combo items, list items,
window titles, the Edit menu's undo texts, the coded table columns) together
with the dialogs that can be built without blocking.  A Latin word in the zh
UI fails unless it is an allowed token (CRS codes, file formats, solver names,
field codes) or data the user typed (names, sources, notes, ids); the reverse
for CJK in the en UI.  Qt's own dialogs come from the PyQt6 wheel's
translations.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from conftest import ARTIFACTS
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QAction
from PyQt6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabBar,
    QWidget,
)
from uihelpers import make_window, mouse

from wufei_gis.editing import MoveFeature, SetCellValue, SetScenarioParameter
from wufei_gis.labels import VALUE_KINDS
from wufei_gis.scenario import PARAMETERS, Scenario
from wufei_gis.schema import LAYER_SPECS
from wufei_gis.ui import i18n
from wufei_gis.ui.dialogs import file_dialog

DATA = Path(__file__).resolve().parents[2] / "data"
ROADS = DATA / "networks" / "yuxi_demo_roads.geojson"

#: Latin words allowed in the Chinese UI: formats, CRS, solver and program names, keys.
ALLOWED_LATIN = {
    "epsg", "geopackage", "geojson", "shapefile", "csv", "utf", "bom", "excel", "xlsx",
    "xls", "json", "osm", "pbf", "gpkg", "shp", "zip", "qgis", "highs", "cbc", "esc",
    "enter", "ctrl", "wufei", "gis", "crs", "wgs", "name", "utm", "cgcs", "openstreetmap",
}  # fmt: skip
#: Columns of the file given to the field-mapping dialog (what the user's file holds).
FILE_COLUMNS = ["id", "名称", "kind"]
#: Columns holding what the user (or the sample's author) typed: not translated.
DATA_COLUMNS = {"name_zh", "name_en", "source", "note"}

_LATIN = re.compile(r"[A-Za-z][A-Za-z_]+")
_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
_FORMATS = re.compile(r"\*?\.[a-z]+(\.[a-z]+)?\b")


def _codes() -> set[str]:
    """Field, parameter and coded-value codes: what a user types in files, JSON and the CLI."""
    codes = {f.name.lower() for spec in LAYER_SPECS.values() for f in spec.fields}
    codes |= {f.name.lower() for f in dataclasses.fields(Scenario)}
    for spec in LAYER_SPECS.values():
        for f in spec.fields:
            codes |= {c.lower() for c in f.choices or ()}
    # values typed into scenario keys: choices (objective = cost | mclp), stream ids, KPI factors
    from wufei_gis.kpis import KPI_FACTORS
    from wufei_gis.streams import default_stream_tables

    codes |= {c.lower() for p in PARAMETERS.values() for c in p.choices or ()}
    codes |= {s.lower() for s in default_stream_tables().ids()}
    codes |= {w.lower() for k in KPI_FACTORS for w in _LATIN.findall(k)}
    return codes


def _user_words(window) -> set[str]:
    """Every Latin word of the data the user typed (names, ids, scenario names...)."""
    p = window.model.project
    words: set[str] = set()
    for layer in ("counties", "facilities", "candidates", "exclusions", "generation"):
        df = getattr(p, layer)
        for col in df.columns:
            if col == "geometry":
                continue
            if col in DATA_COLUMNS or col.endswith("_id"):
                for v in df[col].dropna().astype(str):
                    words.update(w.lower() for w in _LATIN.findall(v))
    for sc in p.scenarios.values():
        words.update(w.lower() for w in _LATIN.findall(f"{sc.name} {sc.description or ''}"))
    typed = [p.name, "yuxi_counties", "highway", *FILE_COLUMNS]  # project, files, their columns
    return words | {w.lower() for t in typed for w in _LATIN.findall(t)}


def _english_words(text: str, allowed: set[str]) -> list[str]:
    text = _FORMATS.sub(" ", text.replace("&", ""))
    # a word with an underscore is a column or key name the user types (e.g. prefecture_id)
    return [w for w in _LATIN.findall(text) if w.lower() not in allowed and "_" not in w.strip("_")]


def _widget_texts(w: QWidget) -> list[str]:
    """The texts a person can read on one widget (not its children)."""
    out = [w.toolTip(), w.statusTip(), w.windowTitle() if w.isWindow() else ""]
    if isinstance(w, QLabel | QAbstractButton):
        out.append(w.text())
    if isinstance(w, QGroupBox):
        out.append(w.title())
    if isinstance(w, QMenu):
        out.append(w.title())
    if isinstance(w, QLineEdit):
        out.append(w.placeholderText())
    if isinstance(w, QTabBar):
        out += [w.tabText(i) for i in range(w.count())] + [
            w.tabToolTip(i) for i in range(w.count())
        ]
    if isinstance(w, QComboBox):
        out += [w.itemText(i) for i in range(w.count())]
    if isinstance(w, QListWidget):
        out += [w.item(i).text() for i in range(w.count())]
    if isinstance(w, QAbstractItemView) and not isinstance(w, QListWidget) and w.model():
        out += _view_texts(w)
    return out


def _view_texts(view: QAbstractItemView) -> list[str]:
    """Headers, and the cells of coded columns (all cells outside the attribute tables)."""
    m = view.model()
    out = []
    fields = getattr(m, "fields", None)
    for c in range(m.columnCount()):
        out.append(str(m.headerData(c, Qt.Orientation.Horizontal) or ""))
        coded = fields is None or fields[c].name in VALUE_KINDS
        if coded:
            out += [str(m.index(r, c).data() or "") for r in range(m.rowCount())]
    return out


def _all_texts(root: QWidget) -> list[tuple[str, str]]:
    """``(where, text)`` of every widget and action under ``root``."""
    found = []
    for w in [root, *root.findChildren(QWidget)]:
        where = f"{type(w).__name__} {w.objectName()}"
        found += [(where, t) for t in _widget_texts(w) if t]
    for act in root.findChildren(QAction):
        for t in (act.text(), act.toolTip(), act.statusTip(), act.iconText()):
            if t:
                found.append((f"QAction {act.objectName()}", t))
    return found


def _solved_window(qtbot, yuxi, lang: str):
    w = make_window(qtbot, yuxi, lang=lang)
    name = w.scenario_panel.current()
    worker = w.solve(name)
    qtbot.waitUntil(lambda: name in w.model.results, timeout=120_000)
    worker.wait()
    return w, name


def _edit_after_solve(w, name: str) -> None:
    """Undo texts of every kind, a stale banner."""
    m = w.model
    m.execute(SetCellValue(m, "facilities", 0, "capacity_tpd", 710))
    m.execute(SetScenarioParameter(m, name, "circuity_factor", 1.35))
    key = m.key_of("candidates", 0)
    lon, lat = m.project.candidates.geometry.iloc[0].coords[0]
    m.execute(MoveFeature(m, "candidates", key, lon + 0.001, lat))
    m.undo()  # something to redo too


def _dialogs(w) -> list[QWidget]:
    """Dialogs of this part of the app, built directly (never exec'd)."""
    from wufei_gis.schema import FACILITIES
    from wufei_gis.ui.export_dialog import show_export_dialog
    from wufei_gis.ui.import_dialog import FieldMappingDialog, ImportDialog
    from wufei_gis.ui.network_dialog import NetworkImportDialog
    from wufei_gis.ui.solve_dialog import SolveDialog
    from wufei_gis.ui.worker import Worker

    return [
        show_export_dialog(w),  # window-modal, opened without blocking
        ImportDialog(DATA / "boundaries" / "yuxi_counties.geojson", w),
        FieldMappingDialog(FACILITIES, FILE_COLUMNS, w),
        NetworkImportDialog(ROADS, w),
        SolveDialog(Worker(lambda **_: None), i18n.tr("solve.title"), w),
    ]


def _texts_of_ui(qtbot, yuxi, lang: str):
    w, name = _solved_window(qtbot, yuxi, lang)
    _edit_after_solve(w, name)
    assert w.stale_banner.isVisibleTo(w)
    texts = _all_texts(w)
    for d in _dialogs(w):
        texts += _all_texts(d)
    texts += [("undo", w.model.history.undo_text(lang)), ("redo", w.model.history.redo_text(lang))]
    return w, texts


def test_no_english_in_the_chinese_ui(qtbot, yuxi):
    w, texts = _texts_of_ui(qtbot, yuxi, "zh")
    allowed = ALLOWED_LATIN | _codes() | _user_words(w)
    # the language menu names English in English on purpose
    bad = sorted(
        {(where, t) for where, t in texts if _english_words(t, allowed) and "English" not in t}
    )
    assert not bad, "English in the zh UI:\n" + "\n".join(f"{a}: {t!r}" for a, t in bad)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    w.grab().save(str(ARTIFACTS / "language_zh_stale.png"))


def test_no_chinese_in_the_english_ui(qtbot, yuxi):
    w, texts = _texts_of_ui(qtbot, yuxi, "en")
    p = w.model.project
    frames = (p.counties, p.facilities, p.candidates)
    data = {str(v) for df in frames for c in DATA_COLUMNS if c in df for v in df[c]}
    data |= set(FILE_COLUMNS)
    # the language menu names Chinese in Chinese (中文) on purpose
    bad = sorted(
        {
            (where, t)
            for where, t in texts
            if _CJK.search(t) and t not in data and "中文" not in t and not _names_only(t, data)
        }
    )
    assert not bad, "Chinese in the en UI:\n" + "\n".join(f"{a}: {t!r}" for a, t in bad)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    w.grab().save(str(ARTIFACTS / "language_en_stale.png"))


def _names_only(text: str, data: set[str]) -> bool:
    """Whether the CJK in ``text`` all comes from user data (e.g. a name in a title)."""
    for d in sorted(data, key=len, reverse=True):
        if d and d in text:
            text = text.replace(d, "")
    return not _CJK.search(text)


def test_qt_standard_dialogs_are_chinese(qtbot):
    from wufei_gis.ui.fonts import setup_cjk_font

    setup_cjk_font()  # the bundled font, as at start-up (the screenshots show real glyphs)
    i18n.set_language("zh")
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "t",
        "t",
        QMessageBox.StandardButton.Ok
        | QMessageBox.StandardButton.Cancel
        | QMessageBox.StandardButton.Save,
    )
    qtbot.addWidget(box)
    texts = {box.button(b).text() for b in (box.StandardButton.Ok, box.StandardButton.Cancel)}
    assert texts == {"确定", "取消"}
    assert "保存" in box.button(QMessageBox.StandardButton.Save).text()
    dialog = file_dialog(None, "t", i18n.tr("open.filter"))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    buttons = dialog.findChild(QDialogButtonBox).buttons()
    assert any(b.text() == "取消" for b in buttons)
    labels = " ".join(lb.text() for lb in dialog.findChildren(QLabel))
    assert "文件名" in labels and "查找范围" in labels and "文件类型" in labels, labels
    assert not _english_words(labels, ALLOWED_LATIN), labels
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    box.grab().save(str(ARTIFACTS / "language_zh_messagebox.png"))
    dialog.resize(700, 420)
    dialog.grab().save(str(ARTIFACTS / "language_zh_filedialog.png"))
    # the switch applies without a restart: back to Qt's English
    i18n.set_language("en")
    box2 = QMessageBox(QMessageBox.Icon.Question, "t", "t", QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box2)
    assert box2.button(QMessageBox.StandardButton.Cancel).text() == "Cancel"
    i18n.set_language("zh")


def test_language_switch_retranslates_the_open_window(qtbot, yuxi):
    w = make_window(qtbot, yuxi, lang="zh")
    tm = w.table.models["facilities"]
    col = [f.name for f in tm.fields].index("type")
    assert tm.index(0, col).data() == "焚烧厂"
    i18n.set_language("en")
    try:
        assert tm.index(0, col).data() == "Incinerator"
        assert w.menus["menu.file"].title() == "&File"
        buttons = [b.text() for b in w.findChildren(QPushButton)]
        assert "Re-solve" in buttons
    finally:
        i18n.set_language("zh")


def test_coded_cell_edited_by_label_stores_the_code(qtbot, yuxi):
    w = make_window(qtbot, yuxi, lang="zh")
    tm = w.table.models["facilities"]
    col = [f.name for f in tm.fields].index("status")
    assert tm.setData(tm.index(1, col), "在建", Qt.ItemDataRole.EditRole)
    assert w.model.project.facilities["status"].iloc[1] == "under_construction"
    assert tm.index(1, col).data() == "在建"
    assert not tm.setData(tm.index(1, col), "拆除", Qt.ItemDataRole.EditRole)
    tip = tm.index(1, col).data(Qt.ItemDataRole.ToolTipRole)
    assert "第 2 行" in tip and "如何修正" in tip and "运行中" in tip, tip


def test_move_refreshes_the_table_row_and_outside_is_refused(qtbot, yuxi):
    w = make_window(qtbot, yuxi, lang="zh")
    tm = w.table.models["candidates"]
    changed = []
    tm.dataChanged.connect(lambda a, b, *_: changed.append((a.row(), a.column(), b.column())))
    m = w.model
    key = m.key_of("candidates", 0)
    other = m.project.counties.geometry.iloc[3].representative_point()
    m.execute(MoveFeature(m, "candidates", key, other.x, other.y))
    county_col = [f.name for f in tm.fields].index("county_id")
    assert any(r == 0 and lo <= county_col <= hi for r, lo, hi in changed)
    assert tm.index(0, county_col).data() == str(m.project.counties["county_id"].iloc[3])
    # dragging it outside every county (a corner of the map) is refused with a message
    messages = []
    w.canvas.message.connect(messages.append)
    w.canvas.set_tool("move")
    before = m.project.candidates.geometry.iloc[0]
    x0, y0, _, _ = m.project.counties.total_bounds
    mouse(w.canvas, "button_press_event", other.x, other.y)
    mouse(w.canvas, "button_release_event", x0 + 0.02, y0 + 0.02)
    assert m.project.candidates.geometry.iloc[0].equals(before)
    # the map's message words the error with str(err) (English core text) today
    assert any("county" in t or "区县" in t for t in messages), messages


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_stale_banner_and_resolve(qtbot, yuxi, lang):
    w, name = _solved_window(qtbot, yuxi, lang)
    assert not w.stale_banner.isVisibleTo(w) and not w.model.is_stale(name)
    m = w.model
    m.execute(SetCellValue(m, "facilities", 0, "capacity_tpd", 650))
    assert m.is_stale(name) and w.stale_banner.isVisibleTo(w)
    assert name in w.stale_banner.text.text()
    worker = w.stale_banner.resolve()
    assert worker is not None
    qtbot.waitUntil(lambda: not m.is_stale(name), timeout=120_000)
    worker.wait()
    assert not w.stale_banner.isVisibleTo(w)


def test_every_progress_phase_has_a_label():
    """The solve / import dialogs show each phase in the UI language (never the raw English)."""
    root = Path(__file__).resolve().parents[2]
    call = re.compile(r"""report\(\s*progress,\s*[^,]+,\s*"([^"]+)"\s*\)""")
    phases = {
        m.group(1)
        for folder in ("wufei_gis", "optimization")
        for path in (root / folder).rglob("*.py")
        for m in call.finditer(path.read_text(encoding="utf-8"))
    }
    assert len(phases) >= 10
    assert [p for p in sorted(phases) if f"phase.{p}" not in i18n.STRINGS] == []
