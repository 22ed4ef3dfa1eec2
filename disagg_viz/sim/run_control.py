"""Cancel and progress for one run, shared between the thread that asks and the thread that runs.

The kernels take a small int64 array (``RunControl.array``): they pause every ``CTL_EVERY``
events, write how many requests have arrived and stop early when ``CTL_CANCEL`` is set. A pause
never changes a result: the kernels keep all their state in arrays. ``CTL_LOG_ROWS`` is the
iteration-log rows the caller expects (sim/run_budget.py): the kernels size their first log from it,
so that a run rarely grows (copies) its log.
"""

from __future__ import annotations

import numpy as np

CTL_CANCEL = 0     # the caller sets 1: stop at the next pause
CTL_ARRIVED = 1    # progress: requests that have arrived in the current system
CTL_EVERY = 2      # events between pauses
CTL_LOG_ROWS = 3   # rows to give the first iteration log (0: the kernels' own minimum)
CTL_SIZE = 4
PAUSE_EVENTS = 1 << 16


class SimulationCancelled(Exception):
    """The run was cancelled before it ended; nothing of it is kept."""


class RunControl:
    def __init__(self, every: int = PAUSE_EVENTS):
        if every < 1:
            raise ValueError(f"every must be >= 1, got {every}")
        self.array = np.zeros(CTL_SIZE, dtype=np.int64)
        self.array[CTL_EVERY] = every
        self.system = 0          # index of the system being simulated
        self.systems = 1
        self.requests = 0        # requests per system
        self.stage = "simulating"    # then "preparing" (the caller's work after the engine)

    def cancel(self) -> None:
        self.array[CTL_CANCEL] = 1

    @property
    def cancelled(self) -> bool:
        return bool(self.array[CTL_CANCEL])

    def start_system(self, index: int, systems: int, requests: int) -> None:
        self.array[CTL_ARRIVED] = 0
        self.system, self.systems, self.requests = index, max(1, systems), requests

    def fraction(self) -> float:
        """Share of the run done, counted in arrived requests over all systems (0..1)."""
        within = self.array[CTL_ARRIVED] / self.requests if self.requests else 0.0
        return float(min(1.0, (self.system + within) / self.systems))

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise SimulationCancelled("the run was cancelled")
