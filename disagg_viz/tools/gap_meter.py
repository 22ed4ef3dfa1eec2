"""How long the window froze: a 5 ms timer in the GUI thread whose longest interval between two
ticks is the worst event-loop gap (used by benchmarks/bench_ui.py and the responsiveness tests)."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QTimer


class GapMeter:
    def __init__(self, interval_ms: int = 5):
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.clock = QElapsedTimer()
        self.worst = 0
        self.ticks = 0
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        self.ticks += 1
        self.worst = max(self.worst, self.clock.restart())

    def stop(self) -> None:
        self.timer.stop()
