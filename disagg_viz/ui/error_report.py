"""Errors anywhere in the app reach the user: an unexpected exception in a slot or a paint becomes a
dialog (with the details folded away) instead of a line on a console nobody reads.

Exceptions raised in other threads are handed to the GUI thread through a queued signal."""

from __future__ import annotations

import sys
import threading
import traceback

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget
from disagg_viz.ui.language import tr


class ErrorReporter(QObject):
    reported = Signal(str, str)        # summary, details (connected queued: always shown by the GUI thread)

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.window = parent
        self.shown: list[str] = []     # summaries shown so far (tests read this)
        self._open = False
        self.reported.connect(self._show, Qt.QueuedConnection)
        self._previous = sys.excepthook, threading.excepthook

    def install(self) -> None:
        sys.excepthook = self._hook
        threading.excepthook = lambda args: self._hook(args.exc_type, args.exc_value, args.exc_traceback)

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous

    def _hook(self, exc_type, exc, tb) -> None:
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        sys.stderr.write(details)
        self.reported.emit(f"{exc_type.__name__}: {exc}", details)

    @Slot(str, str)
    def _show(self, summary: str, details: str) -> None:
        self.shown.append(summary)
        if self._open:                 # one dialog at a time; later ones go to the status bar
            self.window.statusBar().showMessage(tr("Another error: ") + summary, 10_000)
            return
        self._open = True
        box = QMessageBox(QMessageBox.Warning, tr("Something went wrong"),
                          tr("disagg-viz hit an unexpected error. Your scenario is still open; "
                          "saving it now is safe.") + "\n\n" + summary, QMessageBox.Ok, self.window)
        box.setTextFormat(Qt.PlainText)                # the summary may quote a file
        box.setDetailedText(details)
        box.finished.connect(self._closed)
        box.open()

    @Slot()
    def _closed(self) -> None:
        self._open = False
