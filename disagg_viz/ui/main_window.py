"""The main window: kitchens side by side on one clock, charts, scoreboard, controls, time controls."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDockWidget, QFileDialog, QGridLayout, QLabel, QMainWindow, QMessageBox, QSplitter, QTabWidget, QVBoxLayout,
    QWidget,
)

from disagg_viz.scenario import Scenario, ScenarioError, load_scenario
from disagg_viz.ui.charts import ChartsPanel
from disagg_viz.ui.controller import SimulationController
from disagg_viz.ui.controls import ControlsPanel
from disagg_viz.ui.explore.panel import ExplorePanel
from disagg_viz.ui.kitchen.view import KitchenView
from disagg_viz.ui.kitchen.vocabulary import Vocabulary
from disagg_viz.ui.palette import PROFILES
from disagg_viz.ui.scoreboard import Scoreboard
from disagg_viz.ui.time_controls import TimeControls
from disagg_viz.ui.time_cursor import SPEEDS, TimeCursor


class MainWindow(QMainWindow):
    def __init__(self, scenario: Scenario, path: Path | None = None, profile: str | None = None):
        super().__init__()
        self.settings = QSettings()
        self.profile = PROFILES.get(profile or str(self.settings.value("profile", "dark")), PROFILES["dark"])
        self.vocab = Vocabulary(str(self.settings.value("vocabulary", "kitchen")))
        self.controller = SimulationController(scenario, path, self)
        self.cursor = TimeCursor(self)
        speed = str(self.settings.value("speed", "normal"))
        self.cursor.set_speed(speed if speed in SPEEDS else "normal")

        self.kitchens: list[KitchenView] = []
        self.kitchen_box = QWidget()
        self.kitchen_grid = QGridLayout(self.kitchen_box)
        self.kitchen_grid.setContentsMargins(2, 2, 2, 2)
        self.kitchen_grid.setSpacing(4)
        self.charts = ChartsPanel(self.profile)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.kitchen_box)
        split.addWidget(self.charts)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 2)
        split.setSizes([520, 230])
        self.time_controls = TimeControls(self.cursor)
        self.description = QLabel()
        self.description.setWordWrap(True)
        kitchen_tab = QWidget()
        v = QVBoxLayout(kitchen_tab)
        v.setContentsMargins(2, 2, 2, 2)
        v.addWidget(split, 1)
        v.addWidget(self.time_controls)
        self.explore = ExplorePanel(self.controller, self.profile)
        self.explore.loadScenario.connect(self._load_explored)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(kitchen_tab, "&Kitchen")
        self.tabs.addTab(self.explore, "&Explore: will it pay off?")
        self.setCentralWidget(self.tabs)

        self.scoreboard = Scoreboard()
        self.controls = ControlsPanel()
        side = QWidget()
        sv = QVBoxLayout(side)
        sv.addWidget(self.description)
        sv.addWidget(self.scoreboard, 1)
        sv.addWidget(self.controls)
        self.dock = QDockWidget("Scenario", self)
        self.dock.setObjectName("scenario-dock")
        self.dock.setWidget(side)
        self.dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(Qt.RightDockWidgetArea, self.dock)
        self._menus()

        self._busy_badge = QTimer(self)
        self._busy_badge.setSingleShot(True)
        self._busy_badge.setInterval(250)
        self._busy_badge.timeout.connect(self._on_busy_badge)
        c = self.controller
        c.scenarioChanged.connect(self._on_scenario)
        c.resultReady.connect(self._on_result)
        c.busyChanged.connect(self._on_busy)
        c.message.connect(self.statusBar().showMessage)
        c.error.connect(self._on_error)
        c.failed.connect(self._on_failed)
        self.controls.changed.connect(c.change)
        self.cursor.timeChanged.connect(self._on_time)
        self.cursor.speedChanged.connect(lambda s: self.settings.setValue("speed", s))
        self.time_controls.resetRequested.connect(self.reset)
        QShortcut(QKeySequence(Qt.Key_Space), self, self.cursor.toggle)
        QShortcut(QKeySequence(Qt.Key_Comma), self, lambda: self.cursor.step(-1))
        QShortcut(QKeySequence(Qt.Key_Period), self, lambda: self.cursor.step(+1))
        self.resize(1280, 800)
        geo = self.settings.value("geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        self._apply_profile()
        self._on_scenario(scenario)

    # --- menus ------------------------------------------------------------------------------
    def _menus(self) -> None:
        file = self.menuBar().addMenu("&File")
        act = QAction("&Open...", self, shortcut=QKeySequence.Open, triggered=self.open_dialog)
        file.addAction(act)
        file.addAction(QAction("&Quit", self, shortcut=QKeySequence.Quit, triggered=self.close))
        view = self.menuBar().addMenu("&View")
        self.serving_terms = QAction("Serving terms (prefill/decode/KV)", self, checkable=True)
        self.serving_terms.setChecked(self.vocab.mode == "serving")
        self.serving_terms.toggled.connect(self.set_serving_terms)
        view.addAction(self.serving_terms)
        self.projector = QAction("Projector colours (light)", self, checkable=True)
        self.projector.setChecked(self.profile.name == "projector")
        self.projector.toggled.connect(lambda on: self.set_profile("projector" if on else "dark"))
        view.addAction(self.projector)
        play = self.menuBar().addMenu("&Playback")
        play.addAction(QAction("Play / pause\tSpace", self, triggered=self.cursor.toggle))
        play.addAction(QAction("Step back\t,", self, triggered=lambda: self.cursor.step(-1)))
        play.addAction(QAction("Step forward\t.", self, triggered=lambda: self.cursor.step(+1)))
        play.addAction(QAction("Reset", self, shortcut=QKeySequence("Ctrl+R"), triggered=self.reset))

    def set_serving_terms(self, on: bool) -> None:
        self.vocab = Vocabulary("serving" if on else "kitchen")
        self.settings.setValue("vocabulary", self.vocab.mode)
        for k in self.kitchens:
            k.set_vocabulary(self.vocab)

    def set_profile(self, name: str) -> None:
        self.profile = PROFILES[name]
        self.settings.setValue("profile", name)
        self._apply_profile()

    def _apply_profile(self) -> None:
        p = self.profile
        self.setStyleSheet(f"QMainWindow, QDockWidget, QWidget {{ background: {p.background}; color: {p.text}; }}"
                           f"QTableWidget {{ gridline-color: {p.grid}; }}")
        for k in self.kitchens:
            k.set_profile(p)
        self.charts.set_profile(p)
        self.charts.show_time(self.cursor.t)
        self.explore.map_view.set_profile(p)

    # --- controller -> views ------------------------------------------------------------------
    def _ensure_kitchens(self, n: int) -> None:
        if len(self.kitchens) == n:
            return
        for k in self.kitchens:
            self.kitchen_grid.removeWidget(k)
            k.deleteLater()
        self.kitchens = []
        cols = 1 if n <= 2 else 2   # the kitchen is wide: two stack bigger than side by side
        for i in range(n):
            view = KitchenView(self.profile, self.vocab)
            self.kitchen_grid.addWidget(view, i // cols, i % cols)
            self.kitchens.append(view)

    @Slot(object)
    def _on_scenario(self, scenario) -> None:
        self._ensure_kitchens(len(scenario.systems))
        rows = max(s.instances if s.kind == "colocated" else max(s.prefill_instances, s.decode_instances)
                   for s in scenario.systems)
        for k in self.kitchens:
            k.set_rows(rows)
        self.controls.refresh(scenario)
        self.description.setText(f"<b>{scenario.title}</b>")
        self.description.setToolTip(scenario.description)
        name = self.controller.path.name if self.controller.path else "untitled"
        self.setWindowTitle(f"{scenario.title} - {name} - disagg-viz")

    @Slot(object)
    def _on_result(self, prepared) -> None:
        result = prepared.result
        self._ensure_kitchens(len(result.systems))
        for view, res, builder in zip(self.kitchens, result.systems, prepared.builders):
            view.set_system(builder, f"{res.name}  ·  {res.gpus} GPU{'s' if res.gpus != 1 else ''}")
        self.scoreboard.set_summaries(prepared.summaries)
        self.charts.set_prepared(prepared, [s.name for s in result.systems])
        self.cursor.set_end(result.end_time)
        self._on_time(self.cursor.t)

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        if busy:
            self.statusBar().showMessage("Simulating...")
            self._busy_badge.start()           # only a slow re-simulation earns a badge
        else:
            self._busy_badge.stop()
            self._show_busy_badge("")
            self.statusBar().showMessage("Ready", 2000)

    @Slot()
    def _on_busy_badge(self) -> None:
        self._show_busy_badge("updating...")

    def _show_busy_badge(self, text: str) -> None:
        for k in self.kitchens:
            k.set_busy_text(text)

    @Slot(str)
    def _on_error(self, text: str) -> None:
        self.statusBar().showMessage(text.splitlines()[0] if text else "", 8000)
        self.controls.refresh(self.controller.scenario)   # sliders back to what is simulated

    @Slot(str)
    def _on_failed(self, text: str) -> None:
        self.statusBar().showMessage(text.splitlines()[0] if text else "", 8000)
        box = QMessageBox(QMessageBox.Warning, "Simulation failed", text, QMessageBox.Ok, self)
        box.setObjectName("simulation-failed")
        box.open()

    @Slot(float)
    def _on_time(self, t: float) -> None:
        for k in self.kitchens:
            k.show_time(t)
        self.charts.show_time(t)

    # --- actions ------------------------------------------------------------------------------
    def reset(self) -> None:
        self.cursor.pause()
        self.cursor.seek(0.0)
        self.controller.reset()

    def open_path(self, path: Path) -> bool:
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            QMessageBox.warning(self, "Cannot open scenario", exc.summary())
            return False
        self.cursor.pause()
        self.cursor.seek(0.0)
        self.controller.set_scenario(scenario, Path(path))
        return True

    def open_dialog(self) -> None:
        from disagg_viz.resources import scenarios_dir
        start = str(self.controller.path.parent if self.controller.path else scenarios_dir())
        fn, _ = QFileDialog.getOpenFileName(self, "Open scenario", start, "Scenarios (*.toml)")
        if fn:
            self.open_path(Path(fn))

    @Slot(object)
    def _load_explored(self, scenario) -> None:
        """A map cell or a plan row, shown in the kitchen (an edit of the open scenario)."""
        self.controller.set_scenario(scenario, loaded=False)
        self.tabs.setCurrentIndex(0)
        self.statusBar().showMessage("Loaded from Explore: Reset (Ctrl+R) returns to the scenario as opened", 8000)

    def closeEvent(self, event) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.cursor.pause()
        self.explore.shutdown()
        self.controller.shutdown()
        super().closeEvent(event)
