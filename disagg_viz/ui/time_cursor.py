"""The time cursor: the only thing play, pause, step, speed and scrubbing move."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

SPEEDS = {"slow": 0.2, "normal": 1.0, "fast": 5.0}   # simulated seconds per wall second
STEP_S = 0.05                                         # one step forward/back, simulated seconds
FRAME_MS = 16


class TimeCursor(QObject):
    timeChanged = Signal(float)
    playingChanged = Signal(bool)
    speedChanged = Signal(str)
    rangeChanged = Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.t = 0.0
        self.end = 0.0
        self.speed = "normal"
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.stop_at: float | None = None      # a lesson step's pause point

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def set_end(self, end: float) -> None:
        self.end = max(end, 0.0)
        self.rangeChanged.emit(self.end)
        if self.t > self.end:
            self.seek(self.end)

    def seek(self, t: float) -> None:
        t = min(max(t, 0.0), self.end)
        if t != self.t:
            self.t = t
            self.timeChanged.emit(t)

    def step(self, direction: int) -> None:
        self.pause()
        self.seek(self.t + direction * STEP_S)

    def set_speed(self, name: str) -> None:
        if name not in SPEEDS:
            raise ValueError(f"speed must be one of {', '.join(SPEEDS)}, got {name!r}")
        self.speed = name
        self.speedChanged.emit(name)

    def play(self) -> None:
        if self.playing:
            return
        if self.t >= self.end:
            self.seek(0.0)
        self._last = time.perf_counter()
        self._timer.start()
        self.playingChanged.emit(True)

    def pause(self) -> None:
        if self.playing:
            self._timer.stop()
            self.playingChanged.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def _tick(self) -> None:
        now = time.perf_counter()
        dt = min(now - self._last, 0.1)
        self._last = now
        self.advance(dt * SPEEDS[self.speed])

    def advance(self, sim_dt: float) -> None:
        target = self.t + sim_dt
        if self.stop_at is not None and self.t < self.stop_at <= target:
            target, self.stop_at = self.stop_at, None
            self.seek(target)
            self.pause()
            return
        self.seek(target)
        if self.t >= self.end:
            self.pause()
