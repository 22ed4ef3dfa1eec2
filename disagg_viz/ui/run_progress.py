"""Progress and Cancel for a slow simulation, in the status bar.

Shown only when a run takes longer than SHOW_AFTER_MS (quick slider runs never flash it). The
bar follows the controller's RunControl (requests arrived over all systems); Cancel puts back
the scenario whose result is on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QSizePolicy, QWidget
from disagg_viz.ui.language import tr

SHOW_AFTER_MS = 700
POLL_MS = 100


class RunProgress(QWidget):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(True)
        self.bar.setFixedWidth(200)
        self.bar.setAccessibleName(tr("simulation progress"))
        self.button = QPushButton(tr("Cancel"))
        self.button.setToolTip(tr("Stop this simulation and go back to the scenario on screen"))
        self.button.clicked.connect(self.cancel)
        self.button.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
        lay.addWidget(self.bar)
        lay.addWidget(self.button)
        self.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
        self._show = QTimer(self)
        self._show.setSingleShot(True)
        self._show.setInterval(SHOW_AFTER_MS)
        self._show.timeout.connect(self._appear)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._update)
        controller.busyChanged.connect(self._on_busy)
        self.hide()

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        if busy:
            self._show.start()
        else:
            self._show.stop()
            self._poll.stop()
            self.hide()

    @Slot()
    def _appear(self) -> None:
        if not self.controller.pending:
            return
        self.button.setEnabled(self.controller.cancellable)
        self._update()
        self.show()
        self._poll.start()

    @Slot()
    def _update(self) -> None:
        done = self.controller.progress()
        if done is None:
            self.bar.setRange(0, 0)            # waiting edits: busy, no fraction yet
            return
        self.bar.setRange(0, 1000)
        self.bar.setValue(int(round(done * 1000)))
        if self.controller.progress_stage() == "preparing":
            self.bar.setFormat(tr("preparing the views"))
        else:
            self.bar.setFormat(tr("{percent}% of requests").format(percent=f"{done * 100:.0f}"))

    @Slot()
    def cancel(self) -> bool:
        if self.isHidden():
            return False
        if self.controller.cancel():
            self.window().statusBar().showMessage(
                tr("Simulation cancelled: the scenario on screen is back"), 6000)
            return True
        return False
