"""The main window: kitchens side by side on one clock, charts, scoreboard, controls, time
controls, the Explore tab. Menus live in window_menus, file handling in file_actions. View state
lives in one display model (playback.display_model) that the parts read, change and follow."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDockWidget, QLabel, QMainWindow, QMessageBox, QScrollArea, QSplitter, QTabWidget, QVBoxLayout,
    QWidget,
)

from disagg_viz.playback.display_model import DisplayModel
from disagg_viz.scenario import Scenario
from disagg_viz.sim.specs import scenario_specs
from disagg_viz.ui.plain_text import escaped, plain_box, tooltip
from disagg_viz.ui.charts import ChartsPanel
from disagg_viz.ui.controller import SimulationController
from disagg_viz.ui.controls import ControlsPanel
from disagg_viz.ui.explore.panel import ExplorePanel
from disagg_viz.ui.export_actions import ExportActions
from disagg_viz.ui.fault_actions import FaultActions
from disagg_viz.ui.file_actions import FileActions
from disagg_viz.ui.file_watch import ScenarioFileWatcher
from disagg_viz.ui.kitchen.stage import KitchenStage
from disagg_viz.ui.lesson_driver import LessonDriver
from disagg_viz.ui.lesson_panel import LessonPanel
from disagg_viz.ui.presentation import Presentation
from disagg_viz.ui.palette import PROFILES, Profile
from disagg_viz.ui.run_progress import RunProgress
from disagg_viz.ui.scoreboard import Scoreboard
from disagg_viz.ui.time_controls import TimeControls
from disagg_viz.ui.time_cursor import TimeCursor
from disagg_viz.ui.window_look import WindowLook
from disagg_viz.ui.window_menus import build_menus
from disagg_viz.ui.language import tr

DROPPABLE = (".toml", ".png", ".gif", ".apng")


class MainWindow(QMainWindow):
    def __init__(self, scenario: Scenario, path: Path | None = None, profile: str | None = None):
        super().__init__()
        self.settings = QSettings()
        profile = profile or str(self.settings.value("profile", "dark"))
        self.display = DisplayModel(scenario.view.vocabulary, profile if profile in PROFILES else "dark")
        self.controller = SimulationController(scenario, path, self)
        self.cursor = TimeCursor(self)
        self.cursor.set_speed(scenario.view.speed)
        self._pending_time: float | None = scenario.view.time_s or None
        self._pending_play = False
        self._status_after_run = ""                  # a note about what was just loaded
        self._shortcuts = None                       # the keyboard shortcuts dialog, made when asked for
        self.presenter = None                        # the presenter view (F6), made when asked for
        self.workers_stopped = True                  # False: closing left a worker thread running
        self.setAcceptDrops(True)

        self.stage = KitchenStage(self.display)
        self.kitchen_box = self.stage                # what File > Export > Kitchens grabs
        self.stage.focusChanged.connect(self._focus_message)
        self.charts = ChartsPanel(self.profile)
        self.split = QSplitter(Qt.Vertical)
        self.split.addWidget(self.kitchen_box)
        self.split.addWidget(self.charts)
        self.split.setStretchFactor(0, 5)
        self.split.setStretchFactor(1, 2)
        self.split.setSizes([520, 230])
        self.time_controls = TimeControls(self.cursor)
        self.description = QLabel()
        self.description.setWordWrap(True)
        kitchen_tab = QWidget()
        self.kitchen_layout = QVBoxLayout(kitchen_tab)
        self.kitchen_layout.setContentsMargins(2, 2, 2, 2)
        self.kitchen_layout.addWidget(self.split, 1)
        self.kitchen_layout.addWidget(self.time_controls)
        self.explore = ExplorePanel(self.controller, self.profile)
        self.explore.loadScenario.connect(self._load_explored)
        self.explore.goodputReady.connect(self._on_goodput)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(kitchen_tab, tr("&Kitchen"))
        self.tabs.addTab(self.explore, tr("&Explore: will it pay off?"))
        self.setCentralWidget(self.tabs)

        self.scoreboard = Scoreboard()
        self.scoreboard.setContextMenuPolicy(Qt.ActionsContextMenu)
        goodput = QAction(tr("Compute goodput (req/s meeting the SLOs)"), self.scoreboard)
        goodput.triggered.connect(self.explore.start_goodput)
        self.scoreboard.addAction(goodput)
        self.controls = ControlsPanel(self.display)
        side = QWidget()
        self.side_layout = QVBoxLayout(side)
        self.side_layout.addWidget(self.description)
        self.side_layout.addWidget(self.scoreboard, 1)
        self.scoreboard_legend = QLabel(tr("★ best   ★= tied for best   ⚠ overloaded (hover the name)"))
        self.scoreboard_legend.setWordWrap(True)
        self.scoreboard_legend.setAccessibleName(tr("scoreboard legend"))
        self.side_layout.addWidget(self.scoreboard_legend)
        self.side_layout.addWidget(self.controls)
        self.dock = QDockWidget(tr("Scenario"), self)
        self.dock.setObjectName("scenario-dock")
        side_scroll = QScrollArea()                # shrinks (and scrolls) when a lesson needs the room
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QScrollArea.NoFrame)
        side_scroll.setAccessibleName(tr("scoreboard and scenario controls"))
        side_scroll.setWidget(side)
        side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        side_scroll.setMinimumWidth(min(side.minimumSizeHint().width() + 18, 340))
        self.dock.setWidget(side_scroll)
        self.dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable)
        self.addDockWidget(Qt.RightDockWidgetArea, self.dock)

        self.lesson = LessonPanel()
        self.lesson_dock = QDockWidget(tr("Lesson"), self)
        self.lesson_dock.setObjectName("lesson-dock")
        self.lesson_dock.setWidget(self.lesson)
        self.lesson_dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable |
                                     QDockWidget.DockWidgetClosable)
        self.addDockWidget(Qt.RightDockWidgetArea, self.lesson_dock)
        self.splitDockWidget(self.lesson_dock, self.dock, Qt.Vertical)
        self.veil = QLabel(tr("Results hidden: commit your guess in the lesson panel to see them."))
        self.veil.setAlignment(Qt.AlignCenter)
        self.veil.setWordWrap(True)
        self.veil.setAccessibleName(tr("results hidden until a guess"))
        self.veil.hide()
        self.side_layout.insertWidget(2, self.veil, 1)

        self.look = WindowLook(self.display, self, self.stage, self.charts, self.scoreboard,
                               {"legend": self.scoreboard_legend, "veil": self.veil, "title": self.description}, self.explore.map_view,
                               lambda: self.cursor.t)
        self.files = FileActions(self)
        self.file_watch = ScenarioFileWatcher(self)  # the open file, edited on disk, reloads
        self.exports = ExportActions(self)
        self.faults = FaultActions(self)             # a station's context menu breaks it
        self.lessons = LessonDriver(self, self.lesson)
        self.presentation = Presentation(self.display, self, self.tabs, self.controls, self.lesson,
                                         self.lesson_dock, self.dock, self.scoreboard)
        actions = build_menus(self, self.display, {
            "files": self.files, "exports": self.exports, "cursor": self.cursor, "lesson": self.lesson,
            "lesson_dock": self.lesson_dock, "tabs": self.tabs, "reset": self.reset,
            "reveal": self.reveal_mysteries, "shortcuts": self.show_shortcuts,
            "presenter": self.show_presenter_view})
        self.serving_terms, self.projector, self.reveal_action = (
            actions["serving_terms"], actions["projector"], actions["reveal"])
        self.display.subscribe(self._keep_view)

        self._busy_badge = QTimer(self)
        self._busy_badge.setSingleShot(True)
        self._busy_badge.setInterval(250)
        self._busy_badge.timeout.connect(self._on_busy_badge)
        c = self.controller
        c.scenarioChanged.connect(self._on_scenario)
        c.resultReady.connect(self._on_result)
        c.busyChanged.connect(self._on_busy)
        self.run_progress = RunProgress(c, self)
        self.statusBar().addPermanentWidget(self.run_progress)
        c.message.connect(self.statusBar().showMessage)
        c.error.connect(self._on_error)
        c.failed.connect(self._on_failed)
        self.controls.changed.connect(c.change)
        self.cursor.timeChanged.connect(self._on_time)
        self.cursor.speedChanged.connect(self._on_speed)
        self.time_controls.resetRequested.connect(self.reset)
        self.resize(1280, 800)
        geo = self.settings.value("geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        self._on_scenario(scenario)
        self.scenario_opened(scenario)
        self.files.update_title()

    # --- the display model: kept in the scenario ([view] vocabulary) and the settings (profile) --
    def _keep_view(self, name: str, value) -> None:
        if name == "vocabulary":
            self.controller.change({"view.vocabulary": value})
        elif name == "profile":
            self.settings.setValue("profile", value)

    @property
    def profile(self) -> Profile:
        return PROFILES[self.display.profile]

    @Slot(str)
    def _on_speed(self, name: str) -> None:
        self.controller.change({"view.speed": name})

    def apply_view(self, view) -> None:
        """A newly opened scenario's view: speed, vocabulary, and where playback starts."""
        self.cursor.pause()
        self.cursor.set_speed(view.speed)
        self.display.set(vocabulary=view.vocabulary)
        self.cursor.seek(0.0)
        self._pending_time = view.time_s or None

    # --- controller -> views ------------------------------------------------------------------
    @property
    def kitchens(self):
        return self.stage.kitchens

    @property
    def focused(self):
        return self.stage.focused

    @Slot(str)
    def _focus_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 4000)

    @Slot(object)
    def _on_scenario(self, scenario) -> None:
        self.display.set_systems(s.name for s in scenario.systems)
        self.stage.ensure(len(scenario.systems))
        rows = max(pool.instances for spec in scenario_specs(scenario) for pool in spec.pools)
        for k in self.kitchens:
            k.set_rows(rows)
        self.stage.relayout()
        self.controls.refresh(scenario)
        self.description.setText(f"<b>{escaped(scenario.title)}</b>")      # file text: escaped (plain_text.py)
        self.description.setToolTip(tooltip(scenario.description))

    @Slot(object)
    def _on_result(self, prepared) -> None:
        result = prepared.result
        self.stage.ensure(len(result.systems))
        for view, res, builder in zip(self.kitchens, result.systems, prepared.builders):
            gpus = (tr("1 GPU") if res.gpus == 1 else tr("{n} GPUs").format(n=res.gpus))
            view.set_system(builder, res.name if gpus in res.name else f"{res.name}  ·  {gpus}")
        self.scoreboard.set_summaries(prepared.summaries)
        from disagg_viz.ui.scoreboard import legend
        self.scoreboard_legend.setText(legend(prepared.summaries, short=self.display.presenting))
        self.look.kitchen_metrics()
        self.lessons.result_shown(prepared.summaries, self.controller.scenario)
        self.charts.set_prepared(prepared, [s.name for s in result.systems])
        self.cursor.set_end(result.end_time)
        self.mark_moments(result)
        self.run_queued_playback()
        self._on_time(self.cursor.t)

    def note(self, text: str) -> None:
        """A status-bar note that outlasts the re-simulation under way (or shows for 15 s)."""
        if self.controller.pending:
            self._status_after_run = text
        self.statusBar().showMessage(text, 15000)

    def mark_moments(self, result) -> None:
        from disagg_viz.playback.moments import marks_for
        self.time_controls.scrubber.set_marks(marks_for(result, self.lesson.walk), result.end_time)
        self.show_arrival_rate(result)

    def show_arrival_rate(self, result) -> None:
        """The time bar shades the run's arrival rate (a schedule's swing, a burst, a trace's)."""
        from disagg_viz.playback.arrival_rate import rate_caption, rate_profile
        edges, rates = rate_profile(result.systems[0].arrival, result.end_time)
        scrubber = self.time_controls.scrubber
        scrubber.set_rate(edges, rates)
        scrubber.setToolTip("Time: drag anywhere in the run; the ▼ marks are moments worth seeing"
                            + (f"\nShaded: {rate_caption(rates)}" if len(rates) else ""))

    @Slot(object, object)
    def _on_goodput(self, scenario, goodputs) -> None:
        """Goodput for the scoreboard, if it is for the simulation on screen."""
        shown = self.controller.shown
        if shown is not None and shown.simulated_part() == scenario.simulated_part():
            self.scoreboard.set_goodput(goodputs)

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        if busy:
            self.statusBar().showMessage(tr("Simulating..."))
            self._busy_badge.start()           # only a slow re-simulation earns a badge
        else:
            self._busy_badge.stop()
            self._show_busy_badge("")
            after, self._status_after_run = self._status_after_run, ""
            self.statusBar().showMessage(after or tr("Ready"), 15000 if after else 2000)

    @Slot()
    def _on_busy_badge(self) -> None:
        self._show_busy_badge(tr("updating..."))

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
        box = plain_box(QMessageBox(QMessageBox.Warning, tr("Simulation failed"), text, QMessageBox.Ok, self))
        box.setObjectName("simulation-failed")
        box.open()

    @Slot(float)
    def _on_time(self, t: float) -> None:
        for k in self.kitchens:
            k.show_time(t)
        self.charts.show_time(t)

    # --- teaching -----------------------------------------------------------------------------
    def scenario_opened(self, scenario) -> None:
        """A scenario was opened (not edited): its teacher controls and its lesson take effect."""
        self.reveal_action.setEnabled(bool(scenario.teacher.mystery))
        self.controls.apply_teacher(scenario.teacher, False)
        self.display.set(secret_link="link" in scenario.teacher.mystery)
        self.lessons.load(scenario)

    def reveal_mysteries(self) -> None:
        self.controls.apply_teacher(self.controller.scenario.teacher, True)
        self.display.set(secret_link=False)
        self._on_time(self.cursor.t)
        self.statusBar().showMessage(tr("Mystery values revealed"), 4000)

    def queue_playback(self, start_at: float | None, play: bool) -> None:
        """Where playback goes once the re-simulation a lesson step asked for arrives."""
        self._pending_time = start_at
        self._pending_play = play

    def run_queued_playback(self) -> None:
        if self._pending_time is not None:
            t, self._pending_time = self._pending_time, None
            self.cursor.seek(t)
        if self._pending_play:
            self._pending_play = False
            self.cursor.play()

    def show_presenter_view(self) -> None:
        """The teacher's second window: note, answer, next step and a clock (ui/presenter_view)."""
        from disagg_viz.ui.presenter_view import PresenterView
        if self.presenter is None:
            self.presenter = PresenterView(self.lesson, self)
        self.presenter.show()
        self.presenter.raise_()

    def show_shortcuts(self) -> None:
        from disagg_viz.ui.shortcuts import ShortcutsDialog
        if self._shortcuts is None:
            self._shortcuts = ShortcutsDialog(self)
        self._shortcuts.show()
        self._shortcuts.raise_()

    # --- actions ------------------------------------------------------------------------------
    def reset(self) -> None:
        self.cursor.pause()
        self.cursor.seek(0.0)
        self.controller.reset()

    def open_path(self, path: Path) -> bool:
        return self.files.open_path(Path(path))

    def open_named_scenario(self, name: str) -> bool:
        """A lesson's "next lesson": a file beside the open one, else a shipped scenario, by name
        only (never a path from inside a file)."""
        from disagg_viz.resources import scenarios_dir
        stem = name[:-5] if name.endswith(".toml") else name
        if not stem or "/" in stem or "\\" in stem or stem.startswith("."):
            self.statusBar().showMessage(tr("next lesson {name}: not a scenario name").format(name=repr(name)), 8000)
            return False
        here = self.controller.path
        for folder in ([Path(here).parent] if here else []) + [scenarios_dir()]:
            candidate = folder / f"{stem}.toml"
            if candidate.is_file():
                return self.open_path(candidate)
        self.statusBar().showMessage(tr("next lesson {name}: no such scenario beside this one or shipped").format(name=repr(name)), 8000)
        return False

    @Slot(object)
    def _load_explored(self, scenario) -> None:
        """A map cell or a plan row, shown in the kitchen (an edit of the open scenario)."""
        self.controller.set_scenario(scenario, loaded=False)
        self.tabs.setCurrentIndex(0)
        note = self.explore.load_note
        self._status_after_run = (tr("Loaded from Explore{note}. Reset (Ctrl+R) returns to "
                                  "the scenario as opened").format(note=": " + note if note else ""))
        self.statusBar().showMessage(self._status_after_run, 15000)

    # --- drag and drop ------------------------------------------------------------------------
    def _dropped_path(self, event) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if len(urls) == 1 and urls[0].isLocalFile():
            p = Path(urls[0].toLocalFile())
            if p.suffix.lower() in DROPPABLE:
                return p
        return None

    def dragEnterEvent(self, event) -> None:
        if self._dropped_path(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = self._dropped_path(event)
        if path is not None:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.open_path(path))   # after the drop returns (dialogs may open)

    # --- closing ------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        if not self.files.may_discard():
            event.ignore()
            return
        self.settings.setValue("geometry", self.saveGeometry())
        self.cursor.pause()
        self.statusBar().showMessage(tr("Closing..."))
        stopped = self.explore.shutdown() & self.controller.shutdown()
        self.workers_stopped = stopped         # ui/app.py leaves without tearing down a busy thread
        super().closeEvent(event)
