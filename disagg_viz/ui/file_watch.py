"""Reload on change: the open scenario file, edited on disk (a teacher tuning a lesson in an
editor), reloads in the window. Changes settle for DEBOUNCE_MS first (editors write in bursts).
Editors that save by writing a new file and renaming it over the old one end the watch on the
file, so its folder is watched too and the file is watched again once it is back. With unsaved
changes in the window it asks first, without blocking (a message box that stays open while the
app runs); a file that no longer parses leaves the open scenario alone and says why in the status
bar. The app's own saves change nothing (what is on disk is what is shown)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QMessageBox

from disagg_viz.scenario import ScenarioError, load_scenario
from disagg_viz.ui.language import tr

DEBOUNCE_MS = 300


def _stamp(path: Path):
    """What tells one version of the file from another without reading it; None if it is gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


class ScenarioFileWatcher(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.win = window
        self.files = window.files
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._on_change)
        self.watcher.directoryChanged.connect(self._on_change)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.check)
        self.path: Path | None = None
        self.stamp = None
        self.question: QMessageBox | None = None      # open while asking about unsaved changes
        self.files.stateChanged.connect(self.follow)
        self.follow()

    # --- which file -----------------------------------------------------------------------------
    @Slot()
    def follow(self) -> None:
        """Watch the file the window has open now (a .toml file; images and untitled: nothing)."""
        path = self.files.path
        path = Path(path) if path is not None and Path(path).suffix.lower() == ".toml" else None
        if path == self.path:
            self._watch()                   # (a save of this file is checked, and ignored, like any change)
            return
        self.debounce.stop()
        for watched in self.watcher.files() + self.watcher.directories():
            self.watcher.removePath(watched)
        self.path = path
        self.stamp = _stamp(path) if path is not None else None
        self._watch()

    def _watch(self) -> None:
        if self.path is None:
            return
        for p in (self.path, self.path.parent):
            if p.exists() and str(p) not in self.watcher.files() + self.watcher.directories():
                self.watcher.addPath(str(p))

    @Slot(str)
    def _on_change(self, _path: str) -> None:
        self.debounce.start()

    # --- what changed ---------------------------------------------------------------------------
    @Slot()
    def check(self) -> None:
        """Look at the file (after the debounce): reload, ask, or say why it cannot be read."""
        path = self.path
        if path is None:
            return
        self._watch()                       # a rename-over ended the file's watch: watch it again
        stamp = _stamp(path)
        if stamp is None or stamp == self.stamp:
            return                          # gone (a rename in progress: the folder's event follows) or the same
        self.stamp = stamp
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            first = str(exc.problems[0]) if exc.problems else "cannot be read"
            self.win.statusBar().showMessage(
                f"{path.name} changed on disk but cannot be loaded ({first}); the open scenario stays as it is", 15_000)
            return
        if self.files.is_saved_state(scenario):
            return                          # the app's own save, or a change that changes nothing
        if self.files.dirty:
            self._ask(path)
        else:
            self._reload(scenario)

    def _ask(self, path: Path) -> None:
        if self.question is not None:
            return                          # already asking; the answer reloads what is on disk then
        box = QMessageBox(QMessageBox.Question, tr("File changed on disk"),
                          tr("{name} was changed on disk by another program.").format(name=path.name),
                          QMessageBox.Yes | QMessageBox.No, self.win)
        box.setTextFormat(Qt.PlainText)            # a file name is shown as written, never as markup
        box.setObjectName("reload-changed-file")
        box.setInformativeText(tr("Reload it? Your unsaved changes here would be lost."))
        box.setDefaultButton(QMessageBox.No)
        box.finished.connect(self._answered)
        self.question = box
        box.open()

    @Slot(int)
    def _answered(self, _result: int) -> None:
        box, self.question = self.question, None
        if box is None:
            return
        yes = box.clickedButton() is box.button(QMessageBox.Yes)
        box.deleteLater()
        if not yes or self.path is None:
            name = self.path.name if self.path else tr("the file")
            self.win.statusBar().showMessage(tr("Kept your changes; {name} on disk differs (Save overwrites it, "
                                                "Revert loads it)").format(name=name), 10_000)
            return
        try:
            scenario = load_scenario(self.path)
        except ScenarioError as exc:
            self.win.statusBar().showMessage(tr("{name} cannot be loaded now: {problem}").format(
                name=self.path.name, problem=exc.problems[0]), 15_000)
            return
        self._reload(scenario)

    def _reload(self, scenario) -> None:
        self.files.reload_from_disk(scenario)
        self.win.note(tr("Reloaded {name}: it changed on disk").format(name=self.path.name))
