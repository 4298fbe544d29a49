"""The main window: assembles the map, docks, menus and toolbars (no domain logic here).

Edit > Undo/Redo, their texts, the dirty flag and the title star are views of
the project model's one history (``model.history``), updated from its
``changed`` signal; the window keeps no undo stack of its own.

Size: the window wires about forty actions (menus, toolbars, language switch)
to the model and the docks; the dialogs, panels, tables and map are separate
modules, and the file stays near 540 lines (glue's and napari's main windows
are 1,500-2,000).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path

from PyQt6.QtCore import QStandardPaths, Qt, QTimer
from PyQt6.QtGui import QAction, QActionGroup, QKeySequence
from PyQt6.QtWidgets import (
    QDialog,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStatusBar,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from wufei_gis.basemap import BASEMAP_CHOICES, BasemapLayer, BasemapOptions
from wufei_gis.editing import (
    ChangeEvent,
    ProjectModel,
    clear_recovery,
    empty_project,
    find_recovery,
    load_recovery,
    write_recovery,
)
from wufei_gis.errors import InputError
from wufei_gis.labels import value_label
from wufei_gis.project import Project

from . import i18n
from .attribute_table import AttributeTable
from .dialogs import ask_open_path, ask_save_path, error_text
from .fonts import cjk_font
from .i18n import language, tr
from .identify_dock import IdentifyDock
from .import_dialog import import_file
from .layer_panel import LayerPanel
from .map_canvas import TOOLS, MapCanvas
from .map_projection import MAP_CRS_KINDS
from .result_tables import ResultTables
from .results_panel import ResultsPanel
from .scenario_panel import ScenarioPanel
from .solve_dialog import SolveDialog, start_solve
from .stale_banner import StaleBanner
from .worker import Worker

__all__ = ["MainWindow", "default_recovery_dir", "AUTOSAVE_MS"]

logger = logging.getLogger(__name__)

AUTOSAVE_MS = 120_000


def default_recovery_dir() -> Path:
    """``$WUFEI_RECOVERY_DIR``, else ``<AppDataLocation>/wufei-gis/recovery``."""
    import os

    env = os.environ.get("WUFEI_RECOVERY_DIR")
    if env:
        return Path(env)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".wufei-gis") / "wufei-gis" / "recovery"


class MainWindow(QMainWindow):
    """Map in the centre; layers/scenario docks left, results right, attributes below."""

    def __init__(
        self,
        model: ProjectModel,
        *,
        recovery_dir: str | Path | None = None,
        autosave_ms: int = AUTOSAVE_MS,
    ) -> None:
        super().__init__()
        self.model = model
        self.recovery_dir = Path(recovery_dir) if recovery_dir else default_recovery_dir()
        model.recovery_dir = self.recovery_dir
        self.worker: Worker | None = None
        self.solve_dialog: SolveDialog | None = None
        self.compare_dialog: QDialog | None = None  # Scenario > Compare scenarios…
        self.compare_window: QWidget | None = None
        self.last_error: str | None = None
        self.canvas = MapCanvas(model, self)
        self.stale_banner = StaleBanner(model, self.solve, lambda: self.results_panel.current())
        self.setCentralWidget(self._centre(self.stale_banner, self.canvas))
        self.layer_panel = LayerPanel(self.canvas)
        self.scenario_panel = ScenarioPanel(model)
        self.results_panel = ResultsPanel(model)
        self.table = AttributeTable(model)
        self.identify_dock = IdentifyDock(self.canvas)
        self.result_tables = ResultTables(self.canvas)
        self.docks = {
            "layers": self._dock("layers", self.layer_panel, Qt.DockWidgetArea.LeftDockWidgetArea),
            "scenario": self._dock(
                "scenario", self.scenario_panel, Qt.DockWidgetArea.LeftDockWidgetArea
            ),
            "results": self._dock(
                "results", self.results_panel, Qt.DockWidgetArea.RightDockWidgetArea
            ),
            "table": self._dock("table", self.table, Qt.DockWidgetArea.BottomDockWidgetArea),
        }
        self._add_inspect_docks()
        self.tabifyDockWidget(self.docks["layers"], self.docks["scenario"])
        self.docks["layers"].raise_()
        self.resizeDocks(
            [self.docks["layers"], self.docks["results"]], [300, 280], Qt.Orientation.Horizontal
        )
        self.resizeDocks([self.docks["table"]], [190], Qt.Orientation.Vertical)
        self.actions_by_key: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {}
        self._build_actions()
        self._build_menus_and_toolbars()
        self._build_status_bar()
        self._connect()
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(autosave_ms)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        i18n.on_language_changed(self._on_language)
        self.retranslate()
        self.resize(1400, 880)
        if cjk_font() is None:
            self._status_bar().showMessage(tr("status.no_cjk_font"), 15000)

    # ------------------------------------------------------------------ building
    @staticmethod
    def _centre(banner: QWidget, canvas: QWidget) -> QWidget:
        """The central widget: the stale-results banner over the map."""
        centre = QWidget()
        lay = QVBoxLayout(centre)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(banner)
        lay.addWidget(canvas, 1)
        return centre

    def _dock(self, key: str, widget, area) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(f"dock_{key}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _add_inspect_docks(self) -> None:
        """The identify dock (tab beside the results); the result tables (beside the attributes)."""
        self.docks["identify"] = self._dock(
            "identify", self.identify_dock, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.docks["result_tables"] = self._dock(
            "result_tables", self.result_tables, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.tabifyDockWidget(self.docks["results"], self.docks["identify"])
        self.tabifyDockWidget(self.docks["table"], self.docks["result_tables"])
        self.docks["results"].raise_()
        self.docks["table"].raise_()

    def _show_identified(self, layer: str, row: int) -> None:
        self.identify_dock.show_feature(layer, row)
        self.docks["identify"].show()
        self.docks["identify"].raise_()

    def _action(self, key: str, slot: Callable, shortcut=None, *, checkable=False) -> QAction:
        act = QAction(self)
        act.setCheckable(checkable)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(lambda checked=False: slot())
        self.actions_by_key[key] = act
        return act

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey
        self._action("act.new", self.new_project, K.New)
        self._action("act.open", self.open_project, K.Open)
        self._action("act.sample", lambda: self.open_sample("yuxi"))
        self._action("act.import", self.import_layer, "Ctrl+I")
        self._action("act.import_network", self.import_network)
        self._action("act.save", self.save, K.Save)
        self._action("act.save_as", self.save_as, K.SaveAs)
        self._action("act.export", self.export, "Ctrl+E")
        self._action("act.export_map", self.export_map)
        self._action("act.quit", self.close, K.Quit)
        self._action("act.undo", lambda: self._step(self.model.undo, "undo"), K.Undo)
        self._action("act.redo", lambda: self._step(self.model.redo, "redo"), K.Redo)
        self._action("act.zoom_all", self.canvas.zoom_to_all, "Ctrl+0")
        self._action(
            "act.zoom_layer", lambda: self.canvas.zoom_to_layer(self.layer_panel.current_layer())
        )
        self._action("act.solve", self.solve, "F5")
        self._action("act.sweep", self.open_sweep)
        self._action("act.compare", self.compare_scenarios)
        self._action("act.about", self.about)
        self.tool_group = QActionGroup(self)
        for tool in TOOLS:
            act = self._action(
                f"tool.{tool}", lambda t=tool: self.canvas.set_tool(t), checkable=True
            )
            self.tool_group.addAction(act)
        self.actions_by_key["tool.pan"].setChecked(True)
        self.map_crs_group = QActionGroup(self)
        for kind in MAP_CRS_KINDS:
            act = self._action(
                f"act.map_crs_{kind}", lambda k=kind: self.canvas.set_map_crs(k), checkable=True
            )
            act.setChecked(kind == self.canvas.map_crs_kind)
            self.map_crs_group.addAction(act)
        self.basemap_group = QActionGroup(self)
        for source in BASEMAP_CHOICES:
            act = self._action(
                f"basemap.choice.{source}", lambda s=source: self.set_basemap(s), checkable=True
            )
            act.setChecked(source == "none")
            self.basemap_group.addAction(act)
        self.lang_group = QActionGroup(self)
        for lang in i18n.LANGUAGES:
            act = self._action(
                f"lang.{lang}", lambda lg=lang: i18n.set_language(lg), checkable=True
            )
            act.setChecked(lang == i18n.language())
            self.lang_group.addAction(act)

    def _build_menus_and_toolbars(self) -> None:
        bar = self.menuBar()
        assert bar is not None  # QMainWindow makes its menu bar on first use
        layout: dict[str, list[str | None]] = {
            "menu.file": [
                "act.new",
                "act.open",
                "act.sample",
                None,
                "act.import",
                "act.import_network",
                None,
                "act.save",
                "act.save_as",
                "act.export",
                "act.export_map",
                None,
                "act.quit",
            ],
            "menu.edit": ["act.undo", "act.redo"],
            "menu.view": ["act.zoom_all", "act.zoom_layer", None],
            "menu.tools": [f"tool.{t}" for t in TOOLS],
            "menu.scenario": ["act.solve", "act.compare", "act.sweep"],
            "menu.language": [f"lang.{lg}" for lg in i18n.LANGUAGES],
            "menu.help": ["act.about"],
        }
        for key, items in layout.items():
            menu = bar.addMenu("")
            assert menu is not None  # addMenu returns the menu it made
            self.menus[key] = menu
            for item in items:
                if item is None:
                    menu.addSeparator()
                else:
                    menu.addAction(self.actions_by_key[item])
        projection = self.menus["menu.view"].addMenu("")
        assert projection is not None  # addMenu returns the menu it made
        self.menus["menu.map_projection"] = projection
        for kind in MAP_CRS_KINDS:
            projection.addAction(self.actions_by_key[f"act.map_crs_{kind}"])
        basemaps = self.menus["menu.view"].addMenu("")
        assert basemaps is not None
        self.menus["menu.basemap"] = basemaps
        for source in BASEMAP_CHOICES:
            basemaps.addAction(self.actions_by_key[f"basemap.choice.{source}"])
        self.menus["menu.view"].addSeparator()
        for dock in self.docks.values():
            self.menus["menu.view"].addAction(dock.toggleViewAction())
        self.file_toolbar = QToolBar(self)
        self.file_toolbar.setObjectName("toolbar_file")
        for key in (
            "act.open",
            "act.save",
            "act.import",
            "act.undo",
            "act.redo",
            "act.zoom_all",
            "act.solve",
            "act.compare",
        ):
            self.file_toolbar.addAction(self.actions_by_key[key])
        self.tool_toolbar = QToolBar(self)
        self.tool_toolbar.setObjectName("toolbar_tools")
        for tool in TOOLS:
            self.tool_toolbar.addAction(self.actions_by_key[f"tool.{tool}"])
        for tb in (self.file_toolbar, self.tool_toolbar):
            tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.addToolBar(tb)

    def _build_status_bar(self) -> None:
        self.coords_label = QLabel()
        self.coords_label.setMinimumWidth(260)
        self.crs_label = QLabel()
        self._status_bar().addPermanentWidget(self.coords_label)
        self._status_bar().addPermanentWidget(self.crs_label)

    def _status_bar(self) -> QStatusBar:
        bar = self.statusBar()
        assert bar is not None  # QMainWindow makes its status bar on first use
        return bar

    def _connect(self) -> None:
        c = self.canvas
        c.cursor_moved.connect(
            lambda lon, lat: self.coords_label.setText(tr("status.coords", lon=lon, lat=lat))
        )
        c.message.connect(self.show_message)
        c.map_crs_changed.connect(lambda name: self.show_message(tr("status.map_crs", name=name)))
        c.selection_changed.connect(self.table.select)
        c.feature_identified.connect(lambda layer, row: self.table.select(layer, [row]))
        c.tool_changed.connect(lambda t: self.actions_by_key[f"tool.{t}"].setChecked(True))
        self.table.rows_selected.connect(lambda layer, rows: c.set_selection(layer, rows))
        self.table.rejected.connect(lambda m: self.show_message(tr("status.rejected", msg=m)))
        self.scenario_panel.rejected.connect(
            lambda m: self.show_message(tr("status.rejected", msg=m))
        )
        self.results_panel.selector.currentTextChanged.connect(
            lambda name: c.show_result(name or None)
        )
        c.feature_identified.connect(self._show_identified)
        from .phasing_panel import install_phasing

        self.phasing = install_phasing(self)  # period slider, Scenario > Keep sites from…
        c.selection_changed.connect(self.result_tables.on_map_selection)
        self.result_tables.rows_selected.connect(lambda layer, rows: c.set_selection(layer, rows))
        self.result_tables.message.connect(self.show_message)
        self.result_tables.failed.connect(self.show_error)
        self.results_panel.selector.currentTextChanged.connect(
            lambda name: self.result_tables.show_scenario(name or None)
        )
        self.model.events.connect(self._on_model_event)
        self.model.history.changed.connect(self._update_history)

    # ------------------------------------------------------------------ texts
    def _on_language(self, _lang: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        """Rebuild every text in the current language."""
        for key, act in self.actions_by_key.items():
            if key not in ("act.undo", "act.redo"):
                act.setText(tr(key))
                act.setToolTip(tr(key).replace("&", ""))
        for key, menu in self.menus.items():
            menu.setTitle(tr(key))
        for key, dock in self.docks.items():
            dock.setWindowTitle(tr(f"dock.{key}"))
        self.file_toolbar.setWindowTitle(tr("menu.file"))
        self.tool_toolbar.setWindowTitle(tr("menu.tools"))
        self.crs_label.setText(tr("status.crs"))
        for w in (
            self.layer_panel,
            self.scenario_panel,
            self.results_panel,
            self.table,
            self.canvas,
            self.identify_dock,
            self.result_tables,
            self.stale_banner,
            self.phasing,
        ):
            w.retranslate()
        self.actions_by_key[f"lang.{i18n.language()}"].setChecked(True)
        self._update_history()
        self._update_title()

    def _update_title(self) -> None:
        p = self.model.project
        where = f" ({p.path})" if p.path else ""
        self.setWindowTitle(f"{p.name}{where}[*] — {tr('app.title')}")
        self.setWindowModified(self.model.dirty)

    def show_message(self, text: str, ms: int = 10000) -> None:
        """Show ``text`` in the status bar."""
        self._status_bar().showMessage(text, ms)

    def show_error(self, text: str) -> None:
        """Show an error in a (non-blocking) message box and the status bar."""
        self.last_error = text
        self.show_message(text)
        box = QMessageBox(
            QMessageBox.Icon.Critical, tr("msg.error"), text, QMessageBox.StandardButton.Ok, self
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _on_model_event(self, ev: ChangeEvent) -> None:
        if ev.kind in ("project", "saved"):  # name or path may have changed
            self._update_title()

    def _update_history(self) -> None:
        """Show the model's history: Undo/Redo texts and enabled state, the title star."""
        h, lang = self.model.history, i18n.language()
        for key, able, what in (
            ("act.undo", h.can_undo, h.undo_text(lang)),
            ("act.redo", h.can_redo, h.redo_text(lang)),
        ):
            text = f"{tr(key)} {what}" if what else tr(key)
            self.actions_by_key[key].setText(text)
            self.actions_by_key[key].setIconText(tr(key))  # the toolbar button stays short
            self.actions_by_key[key].setToolTip(text)
            self.actions_by_key[key].setEnabled(able)
        self.setWindowModified(self.model.dirty)

    def _step(self, step: Callable[[], object], what: str) -> None:
        """Edit > Undo/Redo: move along the model's history."""
        try:
            step()
        except Exception as err:  # a failed undo must not take the window (and edits) down
            logger.exception("%s failed", what)
            self.show_error(f"{tr(f'act.{what}')}: {err}")

    # ------------------------------------------------------------------ file
    def export(self) -> None:
        """File > Export…: implemented in :mod:`wufei_gis.ui.export_dialog` (loaded lazily)."""
        try:
            from .export_dialog import show_export_dialog
        except ImportError:
            self.show_message(tr("msg.export_missing"))
            return
        show_export_dialog(self)

    def export_map(self) -> object:
        """File > Export map…: a print-layout map (:mod:`wufei_gis.ui.map_export_dialog`)."""
        from .map_export_dialog import show_map_export_dialog

        return show_map_export_dialog(self)

    def set_project(self, project: Project, *, dirty: bool = False) -> None:
        """Edit another project (history cleared)."""
        self.model.replace_project(project)
        if dirty:
            self.model.mark_dirty()
        self._update_title()

    def new_project(self) -> None:
        """Start an empty project (after the unsaved-changes prompt)."""
        if self.maybe_save():
            self.set_project(empty_project())

    def open_sample(self, name: str) -> None:
        """Open an embedded sample region."""
        from wufei_gis.samples import load_sample

        if self.maybe_save():
            try:
                self.set_project(load_sample(name))
            except (InputError, OSError) as err:
                self.show_error(error_text(err))

    def open_project(self, path: str | Path | None = None) -> bool:
        """Open a project GeoPackage (asks for the file when ``path`` is None)."""
        if not self.maybe_save():
            return False
        path = ask_open_path(self, "act.open", "open.filter", given=path)
        if path is None:
            return False
        try:
            project = Project.read(path)
        except (InputError, OSError) as err:
            self.show_error(error_text(err))
            return False
        self.set_project(project)
        self._load_results(Path(path))
        return True

    def _load_results(self, path: Path) -> None:
        from wufei_gis.results import read_results, result_scenarios

        try:
            for name in result_scenarios(path):
                self.model.set_result(read_results(path, name))
        except (InputError, ValueError):
            pass  # no results stored yet

    def import_layer(self, path: str | Path | None = None, **kwargs) -> bool:
        """File > Import layer…"""
        return import_file(self, self.model, path, on_error=self.show_error, **kwargs)

    def import_network(self, path: str | Path | None = None, **kwargs):
        """File > Import road network… (runs in the background; returns the worker)."""
        from .network_dialog import start_network_import

        return start_network_import(self, path, **kwargs)

    def save(self) -> bool:
        """Save to the project's file (asks for one the first time)."""
        if self.model.project.path is None:
            return self.save_as()
        return self._save_to(None)

    def save_as(self, path: str | Path | None = None) -> bool:
        """Save to a new file."""
        if path is None:
            path = ask_save_path(
                self, tr("act.save_as"), f"{self.model.project.name}.gpkg", tr("open.filter")
            )
            if not path:
                return False
        if Path(path).suffix.lower() != ".gpkg":
            path = f"{path}.gpkg"
        return self._save_to(Path(path))

    def _save_to(self, path: Path | None) -> bool:
        try:
            target = self.model.save(path)
        except (InputError, OSError) as err:
            self.show_error(error_text(err))
            return False
        self.show_message(tr("status.saved", path=target))
        self._update_title()
        return True

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        """Ask Save / Discard / Cancel (tests replace this method)."""
        buttons = (
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        return QMessageBox.question(self, tr("msg.unsaved_title"), tr("msg.unsaved"), buttons)

    def maybe_save(self) -> bool:
        """Offer to save unsaved edits; False if the user cancelled."""
        if not self.model.dirty:
            return True
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event) -> None:  # Qt API
        """Prompt for unsaved changes; a clean close removes the recovery file."""
        if self.worker is not None and self.worker.isRunning():
            self.worker.cancel()
            self.worker.wait(5000)
        if not self.maybe_save():
            event.ignore()
            return
        self.autosave_timer.stop()
        clear_recovery(self.recovery_dir)
        self.model.history.changed.disconnect(self._update_history)
        i18n.remove_language_listener(self._on_language)
        event.accept()

    # ------------------------------------------------------------------ recovery
    def autosave(self) -> Path | None:
        """Write the recovery file if there are unsaved edits."""
        if not self.model.dirty:
            return None
        try:
            path = write_recovery(self.model, self.recovery_dir)
        except (OSError, InputError, ValueError) as err:
            logger.warning("autosave failed: %s", err)
            return None
        self.show_message(tr("status.autosaved"), 3000)
        return path

    def offer_recovery(self, answer: bool | None = None) -> bool:
        """Offer the project autosaved before a crash; ``answer`` skips the question.

        Returns whether a project was recovered.  Declining deletes the file.
        """
        rec = find_recovery(self.recovery_dir)
        if rec is None:
            return False
        if answer is None:
            reply = QMessageBox.question(
                self,
                tr("msg.recover_title"),
                tr("msg.recover", name=rec.name, time=rec.saved_at_text),
            )
            answer = reply == QMessageBox.StandardButton.Yes
        if not answer:
            clear_recovery(self.recovery_dir)
            return False
        try:
            recovered = load_recovery(rec)
        except InputError as err:
            self.show_error(error_text(err))
            return False
        self.set_project(recovered.project, dirty=True)
        return True

    # ------------------------------------------------------------------ solve
    def solve(self, scenario: str | None = None, **kwargs):
        """Solve a scenario in the background; returns the worker (or None)."""
        name = scenario or self.scenario_panel.current()
        if not name:
            self.show_error(tr("msg.no_scenario"))
            return None
        if self.worker is not None and self.worker.isRunning():
            return self.worker
        self.worker, self.solve_dialog = start_solve(
            self,
            self.model,
            name,
            on_error=self.show_error,
            on_result=lambda r: self.show_message(
                tr(
                    "status.solved",
                    name=r.scenario,
                    status=value_label("solve_status", r.summary().get("status", ""), language()),
                )
            ),
            **kwargs,
        )
        self.worker.cancelled.connect(lambda: self.show_message(tr("status.cancelled")))
        return self.worker

    def open_sweep(self):
        """Scenario > Sweep…: the sweep window (non-modal); returns it."""
        from .sweep_dialog import SweepDialog

        current = self.scenario_panel.current()
        self.sweep_dialog = SweepDialog(self.model, self, scenario=current)
        self.sweep_dialog.show()
        return self.sweep_dialog

    def compare_scenarios(self):
        """Scenario > Compare scenarios…: pick A and B (:mod:`wufei_gis.ui.compare_dialog`)."""
        from .compare_dialog import open_compare_dialog

        return open_compare_dialog(self)

    def set_basemap(self, source: str) -> None:
        """View > Basemap: draw ``source`` under the map (``"none"`` removes it).

        An online layer that cannot be reached is skipped with a status-bar note,
        and from then on only its cached tiles are used (no wait on every pan).
        """
        act = self.actions_by_key.get(f"basemap.choice.{source}")
        if act is not None:  # any other provider or URL works from the API
            act.setChecked(True)
        if source == "none":
            self.canvas.set_underlay(None)
            return
        layer = BasemapLayer(source, BasemapOptions(lang=language()))

        def underlay(ax, crs, bounds):
            text = layer(ax, crs, bounds)
            if layer.note:
                self.show_message(layer.note)
                layer.options = dataclasses.replace(layer.options, offline=True)
            return text

        self.canvas.set_underlay(underlay)

    def about(self) -> None:
        """Help > About."""
        QMessageBox.about(self, tr("app.title"), tr("msg.about"))
