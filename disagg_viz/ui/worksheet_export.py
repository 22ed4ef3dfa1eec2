"""Lesson > worksheet export without freezing the window: the lesson's runs and planner claims
(seconds to minutes: a planner claim compares every layout) are checked in the Explore worker, with
a progress dialog and Cancel; only the painting of the PDF happens on the GUI thread, from those
runs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QProgressDialog

from disagg_viz.ui.language import tr


class WorksheetExport(QObject):
    written = Signal(object, object)      # worksheet path, answer-key path
    stopped = Signal(str)                 # failed or cancelled: why

    def __init__(self, window, failed):
        super().__init__(window)
        self.win = window
        self._failed = failed             # ExportActions._failed(path, exc): the export's error dialog
        self._job = None                  # (scenario, path, base_dir) being checked
        self.dialog = None
        panel = window.explore
        panel.lessonReady.connect(self._on_checked)
        panel.lessonStopped.connect(self._on_stopped)
        panel.worker.progress.connect(self._on_progress)

    def start(self, scenario, path: Path, base_dir) -> bool:
        panel = self.win.explore
        if self._job is not None or not panel.start_lesson(scenario, base_dir):
            self.win.statusBar().showMessage(tr("The Explore tab is computing: wait for it or cancel it, then export "
                                                "the worksheet"), 8000)
            return False
        self._job = (scenario, Path(path), base_dir)
        self.dialog = QProgressDialog(tr("Running the lesson's steps and checking its claims..."), tr("Cancel"), 0, 0,
                                      self.win)
        self.dialog.setObjectName("worksheet-progress")
        self.dialog.setWindowTitle(tr("Worksheet"))
        self.dialog.setMinimumDuration(300)
        self.dialog.canceled.connect(panel.cancel)
        return True

    @Slot(int, int, int)
    def _on_progress(self, job: int, done: int, total: int) -> None:
        if self.dialog is not None and job == self.win.explore.job:
            self.dialog.setMaximum(total)
            self.dialog.setValue(done)

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect()
            self.dialog.reset()
            self.dialog.deleteLater()
            self.dialog = None

    @Slot(object)
    def _on_checked(self, checked) -> None:
        if self._job is None:
            return
        from disagg_viz.ui.worksheet import write_worksheet
        scenario, path, base_dir = self._job
        self._job = None
        self._close_dialog()
        try:
            sheet, key = write_worksheet(scenario, path, base_dir, checked)
        except Exception as exc:  # noqa: BLE001 - any failure is reported, the window stays
            self._failed(path, exc)
            self.stopped.emit(str(exc))
            return
        self.win.statusBar().showMessage(tr("Wrote {sheet} and {key}").format(sheet=sheet.name, key=key.name), 8000)
        self.written.emit(sheet, key)

    @Slot(str)
    def _on_stopped(self, why: str) -> None:
        if self._job is None:
            return
        self._job = None
        self._close_dialog()
        self.win.statusBar().showMessage(tr("Worksheet not written: {why}").format(why=why), 8000)
        self.stopped.emit(why)
