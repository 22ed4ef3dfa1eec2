"""The app as a process: its window icon, Ctrl+C in the terminal that started it (closes the
window the normal way, asking about unsaved changes), and a smoke-test mode for standalone builds
(``DISAGG_VIZ_QUIT_AFTER_RESULT=1``: quit once the first simulation is on screen)."""

from __future__ import annotations

import os
import signal
import sys

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from disagg_viz.resources import assets_dir

QUIT_AFTER_RESULT_ENV = "DISAGG_VIZ_QUIT_AFTER_RESULT"
SMOKE_LINE = "disagg-viz: first result shown; quitting ({})"
TICK_MS = 200          # how often Python gets to run, so a signal is seen while Qt waits for events


def app_icon() -> QIcon:
    """The app's icon (assets/icon.svg; Qt's SVG icon engine ships with PySide6)."""
    return QIcon(str(assets_dir() / "icon.svg"))


class SigintCloser(QObject):
    """Ctrl+C closes the window as File > Quit does. Python runs signal handlers only between
    bytecodes, and Qt's event loop is C++: a timer ticks so the handler gets its turn."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.previous = None
        self.tick = QTimer(self)
        self.tick.setInterval(TICK_MS)
        self.tick.timeout.connect(self._tick)

    def install(self) -> None:
        self.previous = signal.signal(signal.SIGINT, self._on_signal)
        self.tick.start()

    def uninstall(self) -> None:
        self.tick.stop()
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
            self.previous = None

    def _on_signal(self, _signum, _frame) -> None:
        QTimer.singleShot(0, self._close)

    @Slot()
    def _tick(self) -> None:
        """Nothing to do: returning to Python is the point."""

    @Slot()
    def _close(self) -> None:
        if QApplication.activeModalWidget() is not None:    # already asking (e.g. about unsaved changes)
            return
        print("disagg-viz: Ctrl+C, closing the window", file=sys.stderr)
        self.window.close()


class QuitAfterResult(QObject):
    """Smoke-test mode: close the window once the first result is shown (exit status 0), or when
    the simulation fails (exit status 1)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.status = 0
        window.controller.resultReady.connect(self._on_result)
        window.controller.failed.connect(self._on_failed)

    @staticmethod
    def wanted() -> bool:
        return os.environ.get(QUIT_AFTER_RESULT_ENV, "") not in ("", "0")

    @Slot(object)
    def _on_result(self, _prepared) -> None:
        print(SMOKE_LINE.format(QApplication.platformName()), file=sys.stderr, flush=True)
        self._quit()

    @Slot(str)
    def _on_failed(self, text: str) -> None:
        print(f"disagg-viz: the first simulation failed: {text.splitlines()[0] if text else ''}", file=sys.stderr)
        self.status = 1
        self._quit()

    def _quit(self) -> None:
        self.window.files.mark_clean()
        QTimer.singleShot(0, self.window.close)
