"""File > Export: the window or the kitchens as PNG, an animation (GIF or APNG) of a stretch of
simulated time with a progress dialog and Cancel, per-request CSV and the scoreboard as JSON.
Every image carries the scenario, so File > Open on it restores exactly this state."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog, QFormLayout, QMenu, QMessageBox,
    QProgressDialog,
)

from disagg_viz.atomic_file import atomic_write_text
from disagg_viz.scenario import dump_scenario
from disagg_viz.ui.image_export import ExportCancelled, frame_times, render_frames, write_animation, write_png
from disagg_viz.ui.language import tr


class AnimationDialog(QDialog):
    def __init__(self, end: float, now: float, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Export animation"))
        form = QFormLayout(self)
        self.t_from, self.t_to, self.fps = QDoubleSpinBox(), QDoubleSpinBox(), QDoubleSpinBox()
        for w in (self.t_from, self.t_to):
            w.setRange(0.0, max(end, 0.05))
            w.setDecimals(2)
            w.setSuffix(" s")
        self.t_from.setValue(now)
        self.t_to.setValue(min(end, now + 5.0))
        self.fps.setRange(1, 30)
        self.fps.setValue(10)
        self.fps.setSuffix(tr(" frames/s"))
        self.what = QComboBox()
        self.what.addItem(tr("the kitchens"), "kitchens")
        self.what.addItem(tr("the whole window"), "window")
        form.addRow(tr("From (simulated)"), self.t_from)
        form.addRow(tr("To"), self.t_to)
        form.addRow(tr("Frame rate"), self.fps)
        form.addRow(tr("Show"), self.what)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class ExportActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.win = window
        self._worksheets = None

    def build_menu(self, menu: QMenu) -> None:
        w = self.win
        menu.addAction(QAction(tr("Window as &PNG..."), w, triggered=lambda: self.export_png("window")))
        menu.addAction(QAction(tr("&Kitchens as PNG..."), w, triggered=lambda: self.export_png("kitchens")))
        menu.addAction(QAction(tr("&Animation (GIF or APNG)..."), w, triggered=self.export_animation))
        menu.addSeparator()
        menu.addAction(QAction(tr("Per-request results (&CSV)..."), w, triggered=self.export_csv))
        menu.addAction(QAction(tr("&Scoreboard (JSON)..."), w, triggered=self.export_json))
        menu.addSeparator()
        menu.addAction(QAction(tr("Lesson &worksheet and answer key (PDF)..."), w, triggered=self.export_worksheet))

    # --- helpers ------------------------------------------------------------------------------
    def _stem(self) -> str:
        p = self.win.controller.path
        return p.stem if p else "scenario"

    def ask_path(self, title: str, suffix: str, filt: str) -> Path | None:
        start = Path.home() / f"{self._stem()}{suffix}"
        fn, _ = QFileDialog.getSaveFileName(self.win, title, str(start), filt)
        if not fn:
            return None
        p = Path(fn)
        return p if p.suffix else p.with_suffix(suffix)

    def _target(self, what: str):
        return self.win.kitchen_box if what == "kitchens" else self.win

    def _failed(self, path: Path, exc: Exception) -> None:
        reason = getattr(exc, "strerror", None) or str(exc)
        box = QMessageBox(QMessageBox.Critical, tr("Export failed"), tr("Could not write {path}:\n{reason}").format(path=path, reason=reason),
                          QMessageBox.Ok, self.win)
        box.setTextFormat(Qt.PlainText)
        box.setObjectName("export-failed")
        box.open()

    def _need_result(self) -> bool:
        if self.win.controller.result is None:
            self.win.statusBar().showMessage(tr("Nothing to export yet: the simulation is still running"), 5000)
            return False
        return True

    # --- actions ------------------------------------------------------------------------------
    def export_png(self, what: str = "window", path: Path | None = None) -> bool:
        path = path or self.ask_path(tr("Export PNG"), ".png", tr("PNG images (*.png)"))
        if path is None:
            return False
        try:
            write_png(path, self._target(what).grab().toImage(), dump_scenario(self.win.controller.scenario))
        except (OSError, ValueError) as exc:
            self._failed(path, exc)
            return False
        self.win.statusBar().showMessage(tr("Exported {name} (it carries the scenario: open it to restore)").format(name=path.name), 6000)
        return True

    def export_animation(self, path: Path | None = None, t_from: float | None = None, t_to: float | None = None,
                         fps: float | None = None, what: str | None = None) -> bool:
        if not self._need_result():
            return False
        cursor = self.win.cursor
        if t_from is None:
            dlg = AnimationDialog(cursor.end, cursor.t, self.win)
            if dlg.exec() != QDialog.Accepted:
                return False
            t_from, t_to, fps, what = dlg.t_from.value(), dlg.t_to.value(), dlg.fps.value(), dlg.what.currentData()
        path = path or self.ask_path(tr("Export animation"), ".gif", tr("GIF animation (*.gif);;APNG animation (*.png)"))
        if path is None:
            return False
        try:
            times = frame_times(t_from, t_to, fps)
        except ValueError as exc:
            box = QMessageBox(QMessageBox.Warning, tr("Export animation"), str(exc), QMessageBox.Ok, self.win)
            box.setTextFormat(Qt.PlainText)
            box.exec()
            return False
        progress = QProgressDialog(tr("Drawing frames..."), tr("Cancel"), 0, len(times), self.win)
        progress.setObjectName("animation-progress")
        progress.setWindowTitle(tr("Export animation"))
        progress.setMinimumDuration(0)
        self.progress = progress

        def step(done: int, total: int) -> bool:
            progress.setValue(done)
            return not progress.wasCanceled()

        try:
            n = write_animation(path, render_frames(cursor, self._target(what or "kitchens"), times, step), fps,
                                dump_scenario(self.win.controller.scenario),
                                scale=1.0 if (what or "kitchens") == "kitchens" else 0.75)
        except ExportCancelled:
            self.win.statusBar().showMessage(tr("Animation export cancelled; nothing was written"), 5000)
            return False
        except (OSError, ValueError) as exc:
            self._failed(path, exc)
            return False
        finally:
            progress.reset()
        self.win.statusBar().showMessage(tr("Exported {name}: {n} frames").format(name=path.name, n=n), 6000)
        return True

    @property
    def worksheets(self):
        if self._worksheets is None:
            from disagg_viz.ui.worksheet_export import WorksheetExport
            self._worksheets = WorksheetExport(self.win, self._failed)
        return self._worksheets

    def export_worksheet(self, path: Path | None = None) -> bool:
        """The open lesson as a printable worksheet and a separate answer key: started here, the
        lesson is checked in the Explore worker and the files are written when it answers
        (``worksheets.written``); False if not started."""
        scenario = self.win.lesson.walk.base if self.win.lesson.active else None
        if scenario is None:
            QMessageBox.information(self.win, tr("Worksheet"), tr("This scenario has no lesson: open one from "
                                    "File > Scenarios (01-the-conflict ... 05-your-cluster)."))
            return False
        path = path or self.ask_path(tr("Save the worksheet (the answer key goes beside it)"), ".pdf", "PDF (*.pdf)")
        if path is None:
            return False
        here = self.win.controller.path
        return self.worksheets.start(scenario, Path(path), Path(here).parent if here else None)   # in the worker

    def export_csv(self, path: Path | None = None) -> bool:
        from disagg_viz.export.results import requests_csv
        return self._text(path, ".csv", "CSV (*.csv)", lambda r: requests_csv(r))

    def export_json(self, path: Path | None = None) -> bool:
        from disagg_viz.export.results import scoreboard_json
        return self._text(path, ".json", "JSON (*.json)", lambda r: scoreboard_json(r))

    def _text(self, path, suffix, filt, render) -> bool:
        if not self._need_result():
            return False
        path = path or self.ask_path(tr("Export"), suffix, filt)
        if path is None:
            return False
        try:
            atomic_write_text(path, render(self.win.controller.result))
        except OSError as exc:
            self._failed(path, exc)
            return False
        self.win.statusBar().showMessage(tr("Exported {name}").format(name=path.name), 4000)
        return True
