"""The File menu: New, Open (also images that carry a scenario, drag and drop, Recent Files),
Save, Save As, Revert, the shipped Scenarios, Copy/Paste scenario as text. Tracks unsaved changes
and asks before they could be lost; saves are atomic and a failed save says why."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from disagg_viz.i18n import N_
from disagg_viz.resources import default_scenario_path, scenarios_dir, shipped_scenarios
from disagg_viz.scenario import ScenarioError, dump_scenario, load_scenario, loads_scenario, save_scenario
from disagg_viz.ui.language import tr
from disagg_viz.ui.plain_text import plain_box

MAX_RECENT = 8
OPEN_FILTER = N_("Scenarios (*.toml);;Images with a scenario (*.png *.gif *.apng);;All files (*)")


def problems_text(exc: ScenarioError) -> str:
    lines = [str(p) for p in exc.problems]
    return "\n".join(f"• {line}" for line in lines)


class FileActions(QObject):
    """Owns what is on disk: the file path and the scenario as last opened or saved."""

    stateChanged = Signal()          # the file, or whether there are unsaved changes, may differ now

    def __init__(self, window):
        super().__init__(window)
        self.win = window
        self.controller = window.controller
        self.saved = self._comparable(self.controller.scenario)
        self.allowed: list = []          # scenarios that are not unsaved changes (lesson steps)
        self.settings = QSettings()
        self.controller.scenarioChanged.connect(self._on_changed)
        self.controller.reverted.connect(self._reverted)

    # --- state --------------------------------------------------------------------------------
    @staticmethod
    def _comparable(scenario):
        """What counts as a change: everything but the playback position."""
        return scenario.model_copy(update={"view": scenario.view.model_copy(update={"time_s": 0.0})})

    @property
    def path(self) -> Path | None:
        return self.controller.path

    @property
    def dirty(self) -> bool:
        now = self._comparable(self.controller.scenario)
        return now != self.saved and now not in self.allowed

    def is_saved_state(self, scenario) -> bool:
        """Whether ``scenario`` is what was last opened or saved (playback position aside)."""
        return self._comparable(scenario) == self.saved

    def mark_clean(self) -> None:
        """What is shown now counts as saved (nothing to ask about on close)."""
        self.saved = self._comparable(self.controller.scenario)
        self.update_title()

    def allow(self, scenario) -> None:
        """Showing this scenario is not an unsaved change (a lesson step of the saved file)."""
        c = self._comparable(scenario)
        if c not in self.allowed:
            self.allowed.append(c)

    def _is_shipped(self, path: Path | None) -> bool:
        try:
            return path is not None and path.resolve().parent == scenarios_dir().resolve()
        except OSError:
            return False

    @Slot(object)
    def _on_changed(self, _scenario=None) -> None:
        self.update_title()

    def update_title(self) -> None:
        sc = self.controller.scenario
        name = self.path.name if self.path else tr("untitled")
        self.win.setWindowTitle(f"{sc.title} - {name}[*] - disagg-viz")
        self.win.setWindowModified(self.dirty)
        self.stateChanged.emit()

    # --- menu ---------------------------------------------------------------------------------
    def build_menu(self, menu: QMenu) -> None:
        w = self.win
        menu.addAction(QAction(tr("&New"), w, shortcut=QKeySequence.New, triggered=self.new))
        menu.addAction(QAction(tr("&Open..."), w, shortcut=QKeySequence.Open, triggered=self.open_dialog))
        self.recent_menu = menu.addMenu(tr("Open &Recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._fill_recent()
        self.scenarios_menu = menu.addMenu(tr("&Scenarios"))
        self._fill_scenarios()
        menu.addSeparator()
        menu.addAction(QAction(tr("&Save"), w, shortcut=QKeySequence.Save, triggered=self.save))
        menu.addAction(QAction(tr("Save &As..."), w, shortcut=QKeySequence.SaveAs, triggered=self.save_as))
        menu.addAction(QAction(tr("Re&vert to Saved"), w, triggered=self.revert))
        menu.addSeparator()
        menu.addAction(QAction(tr("&Copy Scenario as Text"), w, shortcut=QKeySequence("Ctrl+Shift+C"),
                               triggered=self.copy_text))
        menu.addAction(QAction(tr("&Paste Scenario"), w, shortcut=QKeySequence("Ctrl+Shift+V"), triggered=self.paste_text))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for f in files:
            self.recent_menu.addAction(QAction(f, self.win, triggered=lambda _=False, f=f: self.open_path(Path(f))))
        if not files:
            none = QAction(tr("(none yet)"), self.win)
            none.setEnabled(False)
            self.recent_menu.addAction(none)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(QAction(tr("Clear Recent Files"), self.win, triggered=self._clear_recent))

    def _fill_scenarios(self) -> None:
        lesson, others = [], []
        for p in shipped_scenarios():
            try:
                title = load_scenario(p).title
            except ScenarioError:
                continue
            (lesson if p.stem[:2].isdigit() else others).append((p, title))
        for group, items in ((tr("Lesson"), lesson), (tr("Examples"), others)):
            if not items:
                continue
            self.scenarios_menu.addSection(group)
            for p, title in items:
                self.scenarios_menu.addAction(QAction(title, self.win, triggered=lambda _=False, p=p: self.open_path(p)))

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        files = [value] if isinstance(value, str) else list(value or [])
        return [f for f in files if isinstance(f, str)][:MAX_RECENT]

    def _remember(self, path: Path) -> None:
        if self._is_shipped(path):
            return
        f = str(path.resolve())
        files = [f] + [x for x in self.recent_files() if x != f]
        self.settings.setValue("recent_files", files[:MAX_RECENT])

    def _clear_recent(self) -> None:
        self.settings.setValue("recent_files", [])

    # --- asking -------------------------------------------------------------------------------
    def ask_unsaved(self) -> QMessageBox.StandardButton:
        box = QMessageBox(QMessageBox.Warning, tr("Unsaved changes"),
                          tr("“{title}” has changes that are not saved.").format(title=self.controller.scenario.title),
                          QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, self.win)
        box.setObjectName("unsaved-changes")
        box.setInformativeText(tr("Save them first?"))
        box.setDefaultButton(QMessageBox.Save)
        return QMessageBox.StandardButton(box.exec())

    def may_discard(self) -> bool:
        """True when it is fine to replace the open scenario (saved, discarded or unchanged)."""
        if not self.dirty:
            return True
        answer = self.ask_unsaved()
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    def ask_save_path(self) -> Path | None:
        start = self.path if self.path and not self._is_shipped(self.path) and self.path.suffix == ".toml" else \
            Path.home() / "scenario.toml"
        fn, _ = QFileDialog.getSaveFileName(self.win, tr("Save scenario"), str(start), tr("Scenarios (*.toml)"))
        if not fn:
            return None
        p = Path(fn)
        return p if p.suffix else p.with_suffix(".toml")

    def show_problems(self, title: str, exc: ScenarioError, keep_note: bool = True) -> None:
        box = plain_box(QMessageBox(QMessageBox.Warning, title, exc.source or title, QMessageBox.Ok, self.win))
        box.setObjectName("scenario-problems")
        n = len(exc.problems)
        box.setText((tr("{source} has 1 problem:") if n == 1 else tr("{source} has {n} problems:")).format(
            source=exc.source or tr("This scenario"), n=n) + "\n\n" + problems_text(exc))
        if keep_note:
            box.setInformativeText(tr("The scenario that was open stays open, unchanged."))
        box.open()

    # --- actions ------------------------------------------------------------------------------
    @Slot(object)
    def _reverted(self, scenario) -> None:
        """The opened file could not run: the window shows the previous scenario again."""
        self.saved = self._comparable(scenario)
        self.win.scenario_opened(scenario)
        self.update_title()

    def _install(self, scenario, path: Path | None) -> None:
        self.saved = self._comparable(scenario)
        self.allowed = []
        rerun = self.controller.set_scenario(scenario, path)
        self.win.apply_view(scenario.view)           # now a no-op edit: the scenario holds this view
        if not rerun:
            self.win.run_queued_playback()           # same simulation: no result to wait for
        self.win.scenario_opened(scenario)
        self.update_title()

    def reload_from_disk(self, scenario) -> None:
        """The open file changed on disk (ui/file_watch.py): show what it holds now, on the same
        lesson step if the lesson still has it (a teacher editing step 3 stays on step 3)."""
        lesson = self.win.lesson
        step = lesson.walk.index if lesson.active else 0
        self._install(scenario, self.path)
        if step and lesson.active and step < len(lesson.walk):
            lesson.go(step)

    def new(self) -> bool:
        if not self.may_discard():
            return False
        self._install(load_scenario(default_scenario_path()), None)
        return True

    def open_dialog(self) -> None:
        start = str(self.path.parent if self.path else scenarios_dir())
        fn, _ = QFileDialog.getOpenFileName(self.win, tr("Open scenario"), start, tr(OPEN_FILTER))
        if fn:
            self.open_path(Path(fn))

    def open_path(self, path: Path) -> bool:
        path = Path(path)
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            self.show_problems(tr("Cannot open scenario"), exc)
            return False
        if not self.may_discard():
            return False
        # An image carries a scenario but is not one to save into: it opens as untitled.
        self._install(scenario, path if path.suffix.lower() == ".toml" else None)
        if path.suffix.lower() != ".toml":
            self.saved = None          # never saved as a scenario file: unsaved until it is
            self.update_title()
        self._remember(path)
        self.win.statusBar().showMessage(tr("Opened {name}").format(name=path.name), 4000)
        return True

    def save(self) -> bool:
        if self.path is None or self._is_shipped(self.path) or self.path.suffix.lower() != ".toml":
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        path = self.ask_save_path()
        return self.save_to(path) if path else False

    def save_to(self, path: Path) -> bool:
        scenario = self.controller.scenario
        scenario = scenario.model_copy(update={"view": scenario.view.model_copy(update={"time_s": round(self.win.cursor.t, 6)})})
        try:
            save_scenario(scenario, path)
        except OSError as exc:
            box = plain_box(QMessageBox(QMessageBox.Critical, tr("Could not save"),
                                        tr("Could not save {path}:\n{reason}.\n\n"
                                           "Nothing was changed on disk; your scenario is still open. Try Save As in "
                                           "another folder.").format(path=path, reason=exc.strerror or exc),
                                        QMessageBox.Ok, self.win))
            box.setObjectName("save-failed")
            box.open()
            self.win.statusBar().showMessage(tr("Save failed: {reason}").format(reason=exc.strerror or exc), 10_000)
            return False
        self.controller.saved_as(scenario, path)
        self.mark_clean()
        self._remember(path)
        self.update_title()
        self.win.statusBar().showMessage(tr("Saved {name}").format(name=path.name), 4000)
        return True

    def revert(self) -> bool:
        if self.path is None:
            self.win.statusBar().showMessage(tr("Nothing to revert to: this scenario was never saved"), 6000)
            return False
        if self.dirty:
            answer = QMessageBox.question(self.win, tr("Revert"), tr("Discard your changes and reload {name}?").format(name=self.path.name),
                                          QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Cancel)
            if answer != QMessageBox.Discard:
                return False
        try:
            scenario = load_scenario(self.path)
        except ScenarioError as exc:
            self.show_problems(tr("Cannot revert"), exc)
            return False
        self._install(scenario, self.path)
        return True

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(dump_scenario(self.controller.scenario))
        self.win.statusBar().showMessage(tr("Scenario copied as text: paste it into a chat or an e-mail"), 5000)

    def paste_text(self) -> bool:
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self.win.statusBar().showMessage(tr("The clipboard holds no text"), 5000)
            return False
        try:
            scenario = loads_scenario(text, "the pasted text")
        except ScenarioError as exc:
            self.show_problems(tr("Cannot paste scenario"), exc)
            return False
        if not self.may_discard():
            return False
        self._install(scenario, None)
        self.saved = None
        self.update_title()
        return True
