"""Play/pause, step back/forward, three speeds, a scrubber over the whole run, and Reset."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QWidget

from disagg_viz.ui.moment_marks import MarkedScrubber
from disagg_viz.ui.time_cursor import SPEEDS, TimeCursor

SCRUB_STEPS = 10_000


class TimeControls(QWidget):
    resetRequested = Signal()

    def __init__(self, cursor: TimeCursor, parent=None):
        super().__init__(parent)
        self.cursor = cursor
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        self.back = QPushButton("◀ Step")
        self.play = QPushButton("▶ Play")
        self.fwd = QPushButton("Step ▶")
        self.reset = QPushButton("↺ Reset")
        for b, name in ((self.back, "step back"), (self.play, "play or pause"), (self.fwd, "step forward"),
                        (self.reset, "reset to the loaded scenario")):
            b.setAccessibleName(name)
            b.setToolTip(name.capitalize())
        self.speed_group = QButtonGroup(self)
        self.speed_buttons = {}
        lay.addWidget(self.reset)
        lay.addWidget(self.back)
        lay.addWidget(self.play)
        lay.addWidget(self.fwd)
        for name in SPEEDS:
            b = QPushButton(name.capitalize())
            b.setCheckable(True)
            b.setAccessibleName(f"{name} speed")
            self.speed_group.addButton(b)
            self.speed_buttons[name] = b
            lay.addWidget(b)
            b.clicked.connect(lambda _=False, name=name: cursor.set_speed(name))
        self.speed_buttons[cursor.speed].setChecked(True)
        self.scrubber = MarkedScrubber()
        self.scrubber.setToolTip("Time: drag anywhere in the run; the ▼ marks are moments worth seeing")
        self.scrubber.markClicked.connect(self._jump)
        self.scrubber.setRange(0, SCRUB_STEPS)
        self.scrubber.setAccessibleName("time scrubber")
        lay.addWidget(self.scrubber, 1)
        self.clock = QLabel("0.00 s")
        self.clock.setMinimumWidth(120)
        lay.addWidget(self.clock)
        self.play.clicked.connect(cursor.toggle)
        self.back.clicked.connect(lambda: cursor.step(-1))
        self.fwd.clicked.connect(lambda: cursor.step(+1))
        self.reset.clicked.connect(self.resetRequested)
        self.scrubber.valueChanged.connect(self._scrubbed)
        cursor.timeChanged.connect(self._on_time)
        cursor.playingChanged.connect(lambda on: self.play.setText("❚❚ Pause" if on else "▶ Play"))
        cursor.speedChanged.connect(lambda name: self.speed_buttons[name].setChecked(True))
        cursor.rangeChanged.connect(lambda _: self._on_time(cursor.t))

    def _jump(self, t: float) -> None:
        """A mark was clicked: show a second before it and play."""
        from disagg_viz.playback.moments import LEAD_S
        self.cursor.seek(max(t - LEAD_S, 0.0))
        self.cursor.play()

    def _scrubbed(self, pos: int) -> None:
        if self.cursor.end > 0:
            self.cursor.pause()
            self.cursor.seek(self.cursor.end * pos / SCRUB_STEPS)

    def _on_time(self, t: float) -> None:
        self.scrubber.blockSignals(True)
        self.scrubber.setValue(round(SCRUB_STEPS * t / self.cursor.end) if self.cursor.end > 0 else 0)
        self.scrubber.blockSignals(False)
        self.clock.setText(f"{t:6.2f} / {self.cursor.end:.1f} s")
