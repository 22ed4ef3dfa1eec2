"""Runs crossover maps and plans in their own QThread (they take seconds); progress and results
come back as signals to the GUI thread. Cancel sets an event the simulations check."""

from __future__ import annotations

import threading
import traceback

from PySide6.QtCore import QObject, Signal, Slot


class ExploreWorker(QObject):
    progress = Signal(int, int, int)          # job id, done, total
    mapReady = Signal(int, object)            # job id, CrossoverMap
    planReady = Signal(int, object)           # job id, Plan
    goodputReady = Signal(int, object)        # job id, (scenario, list[Goodput])
    lessonReady = Signal(int, object)         # job id, (LessonChecker with its runs, list[StepReport])
    failed = Signal(int, str)
    cancelled = Signal(int)

    def __init__(self):
        super().__init__()
        self.cancel = threading.Event()

    def _guard(self, job: int, fn, ready) -> None:
        from disagg_viz.explore.goodput import Cancelled
        from disagg_viz.scenario import ScenarioError
        try:
            out = fn()
        except Cancelled:
            self.cancelled.emit(job)
            return
        except ScenarioError as exc:
            self.failed.emit(job, exc.summary())
            return
        except Exception:  # reported to the user, never raised into Qt
            self.failed.emit(job, traceback.format_exc(limit=4))
            return
        if self.cancel.is_set():
            self.cancelled.emit(job)
        else:
            ready.emit(job, out)

    @Slot(int, object, object, object, object, str)
    def run_map(self, job: int, scenario, base_dir, x, y, per: str) -> None:
        from disagg_viz.explore.crossover import crossover_map
        self._guard(job, lambda: crossover_map(scenario, x, y, base_dir, cancel=self.cancel, per=per,
                                               progress=lambda d, t: self.progress.emit(job, d, t)), self.mapReady)

    @Slot(int, object, object)
    def run_goodput(self, job: int, scenario, base_dir) -> None:
        from disagg_viz.explore.goodput import scenario_goodput
        self._guard(job, lambda: (scenario, scenario_goodput(
            scenario, base_dir, cancel=self.cancel, progress=lambda d, t: self.progress.emit(job, d, t))),
            self.goodputReady)

    @Slot(int, object, object, int, str)
    def run_plan(self, job: int, scenario, base_dir, gpus: int, per: str) -> None:
        from disagg_viz.explore.planner import plan
        self._guard(job, lambda: plan(scenario, gpus, base_dir, cancel=self.cancel, per=per,
                                      progress=lambda d, t: self.progress.emit(job, d, t)), self.planReady)

    @Slot(int, object, object)
    def run_lesson(self, job: int, scenario, base_dir) -> None:
        """Every step's run and claims (planner claims too), for the worksheet: seconds to minutes."""
        from disagg_viz.playback.lesson_check import LessonChecker

        def check():
            checker = LessonChecker(base_dir=base_dir, cancel=self.cancel,
                                    progress=lambda d, t: self.progress.emit(job, d, t))
            return checker, checker.lesson(scenario)
        self._guard(job, check, self.lessonReady)
