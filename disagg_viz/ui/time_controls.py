"""Play/pause, step back/forward, three speeds, a scrubber over the whole run, and Reset."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QPushButton, QWidget

from disagg_viz.ui.moment_marks import MarkedScrubber
from disagg_viz.ui.time_cursor import SPEEDS, TimeCursor
from disagg_viz.ui.language import number, tr

SCRUB_STEPS = 10_000


class ClockLabel(QLabel):
    """The time readout: always wide enough for a long run's "888.88 / 888.8 s" in its current
    font (presentation mode enlarges it), so it is never cut off and never makes the row jitter."""

    def _fit(self) -> None:
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("888.88 / 888.8 s") + 8)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.FontChange:
            self._fit()
        super().changeEvent(event)


class TimeControls(QWidget):
    resetRequested = Signal()

    def __init__(self, cursor: TimeCursor, parent=None):
        super().__init__(parent)
        self.cursor = cursor
        lay = self._grid = QGridLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        self._wide = True
        self._short = False               # the symbols alone on Reset and Play (a narrow row)
        self.back = QPushButton(tr("◀ Step"))
        self.play = QPushButton(tr("▶ Play"))
        self.fwd = QPushButton(tr("Step ▶"))
        self.reset = QPushButton(tr("↺ Reset"))
        for b, name in ((self.back, tr("step back")), (self.play, tr("play or pause")), (self.fwd, tr("step forward")),
                        (self.reset, tr("reset to the loaded scenario"))):
            b.setAccessibleName(name)
            b.setToolTip(name[:1].upper() + name[1:])
        self.speed_group = QButtonGroup(self)
        self.speed_buttons = {}
        self._buttons = [self.reset, self.back, self.play, self.fwd]
        for name in SPEEDS:
            b = QPushButton({"slow": tr("Slow"), "normal": tr("Normal"), "fast": tr("Fast")}[name])
            b.setCheckable(True)
            b.setAccessibleName({"slow": tr("slow speed"), "normal": tr("normal speed"), "fast": tr("fast speed")}[name])
            self.speed_group.addButton(b)
            self.speed_buttons[name] = b
            self._buttons.append(b)
            b.clicked.connect(lambda _=False, name=name: cursor.set_speed(name))
        self.speed_buttons[cursor.speed].setChecked(True)
        self.scrubber = MarkedScrubber()
        self.scrubber.setToolTip(tr("Time: drag anywhere in the run; the ▼ marks are moments worth seeing"))
        self.scrubber.markClicked.connect(self._jump)
        self.scrubber.setRange(0, SCRUB_STEPS)
        self.scrubber.setAccessibleName(tr("time scrubber"))
        self.clock = ClockLabel("0.00 s")
        self.clock._fit()
        for col, b in enumerate(self._buttons):
            lay.addWidget(b, 0, col)
        self._place_time_bar()
        self.play.clicked.connect(cursor.toggle)
        self.back.clicked.connect(lambda: cursor.step(-1))
        self.fwd.clicked.connect(lambda: cursor.step(+1))
        self.reset.clicked.connect(self.resetRequested)
        self.scrubber.valueChanged.connect(self._scrubbed)
        cursor.timeChanged.connect(self._on_time)
        cursor.playingChanged.connect(self._show_playing)
        cursor.speedChanged.connect(lambda name: self.speed_buttons[name].setChecked(True))
        cursor.rangeChanged.connect(lambda _: self._on_time(cursor.t))

    # --- one row, or the time bar under the buttons when the row does not fit ---------------------
    def _show_playing(self, on: bool) -> None:
        if self._short:
            self.play.setText("❚❚" if on else "▶")
        else:
            self.play.setText(tr("❚❚ Pause") if on else tr("▶ Play"))

    def _buttons_width(self) -> int:
        return sum(b.sizeHint().width() for b in self._buttons) + self._grid.horizontalSpacing() * len(self._buttons) + 8

    def _one_row_width(self) -> int:
        return self._buttons_width() + 120 + self.clock.minimumWidth() + self._grid.horizontalSpacing()

    def _shorten(self, width: int) -> None:
        """Reset and Play as symbols when the buttons' words do not fit the row (Spanish at
        1024x768 presenting: "Restablecer", "Reproducir" were cut); their names stay as tips."""
        if self._short:
            self._short = False
            self.reset.setText(tr("↺ Reset"))
            self._show_playing(self.cursor.playing)
        if self._buttons_width() > width:
            self._short = True
            self.reset.setText("↺")
            self._show_playing(self.cursor.playing)

    def _place_time_bar(self) -> None:
        n = len(self._buttons)
        self._grid.removeWidget(self.scrubber)
        self._grid.removeWidget(self.clock)
        if self._wide:
            self._grid.addWidget(self.scrubber, 0, n)
            self._grid.addWidget(self.clock, 0, n + 1)
            self._grid.setColumnStretch(n, 1)
        else:                                 # the clock spans two buttons' width: never cut
            self._grid.addWidget(self.scrubber, 1, 0, 1, n - 2)
            self._grid.addWidget(self.clock, 1, n - 2, 1, 2)
            self._grid.setColumnStretch(n, 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._shorten(event.size().width())
        wide = event.size().width() >= self._one_row_width()
        if wide != self._wide:
            self._wide = wide
            self._place_time_bar()

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
        self.clock.setText(f"{number(t, 2):>6} / {number(self.cursor.end, 1)} s")
