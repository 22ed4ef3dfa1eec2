"""The controller: owns the scenario and the latest result; re-simulates in a worker thread.

Views call ``change`` (dotted-key edits) and subscribe to the signals. Edits are debounced;
only the newest generation's result is kept (stale results are dropped). One request is in the
worker at a time: edits made meanwhile wait and go as one request when it answers, so a slow
scenario never builds a queue of runs nobody will see. A run in the worker reports its progress
through a RunControl and can be cancelled: the scenario of the result on screen comes back.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from disagg_viz.scenario import Scenario, ScenarioError
from disagg_viz.scenario.naming import follow_names
from disagg_viz.scenario.overrides import apply_overrides
from disagg_viz.sim.run_budget import check_scenario
from disagg_viz.sim.run_control import RunControl
from disagg_viz.ui.worker import SimulationWorker
from disagg_viz.ui.language import tr

DEBOUNCE_MS = 40


SHUTDOWN_WAIT_MS = 2000     # closing waits this long for a running simulation


class SimulationController(QObject):
    scenarioChanged = Signal(object)      # Scenario
    resultReady = Signal(object)          # PreparedRun (result plus what the views need)
    busyChanged = Signal(bool)
    readyChanged = Signal(bool)           # False while Numba warms up
    message = Signal(str)                 # status-bar text
    error = Signal(str)                   # refused edits (the status bar says why)
    failed = Signal(str)                  # the simulator itself failed (a dialog says why)
    reverted = Signal(object)             # an opened scenario could not run: the previous one is back
    cancelled = Signal(object)            # a run was cancelled: this scenario (the one shown) is back

    _request = Signal(int, object, object, object)   # generation, scenario, folder of its file, RunControl
    _warm = Signal()

    def __init__(self, scenario: Scenario, path: Path | None = None, parent=None):
        super().__init__(parent)
        self.scenario = scenario
        self.loaded = scenario            # what Reset returns to
        self.path = path
        self.result = None                # ScenarioResult of the newest run
        self.prepared = None              # PreparedRun of the newest run
        self.ready = False
        self._generation = 0
        self._pending = False             # asked to run before Numba was ready
        self._running = False             # a run is in the worker
        self._control: RunControl | None = None   # the run in the worker: progress and cancel
        self._sent = scenario             # the scenario of the run in the worker
        self.shown = None                 # the scenario of the result on screen
        self._fallback = None             # (generation, scenario, loaded, path, prepared) to put back
        self._thread = QThread(self)
        self._thread.setObjectName("simulation-worker")
        self._worker = SimulationWorker()
        self._worker.moveToThread(self._thread)
        self._request.connect(self._worker.simulate)
        self._warm.connect(self._worker.warm_up)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._worker.warmed.connect(self._on_warmed)
        self._thread.finished.connect(self._worker.deleteLater)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._dispatch)
        self._thread.start()

    # --- life cycle ----------------------------------------------------------------------
    def start(self) -> None:
        self.message.emit(tr("Preparing the kitchen (compiling the simulator)..."))
        self._warm.emit()

    def shutdown(self) -> bool:
        """Stop the worker; True if it stopped. A simulation inside a compiled kernel cannot be
        interrupted: after SHUTDOWN_WAIT_MS the window closes anyway and the app leaves without
        tearing down the thread still in use (see ui/app.py)."""
        self._debounce.stop()
        if self._control is not None:
            self._control.cancel()        # the kernel stops at its next pause
        self._thread.quit()
        return self._thread.wait(SHUTDOWN_WAIT_MS)

    # --- edits ---------------------------------------------------------------------------
    def change(self, assignments: dict) -> bool:
        """Apply dotted-key edits; invalid ones are refused with a message, the scenario kept."""
        try:
            new = follow_names(self.scenario, apply_overrides(self.scenario, assignments), assignments)
            if new.simulated_part() != self.scenario.simulated_part():
                check_scenario(new)                # past the run budget: refused before anything runs
        except ScenarioError as exc:
            self.error.emit(exc.summary())
            return False
        if new == self.scenario:
            return True
        rerun = self._needs_rerun(new)
        self.scenario = new
        self.scenarioChanged.emit(new)
        if rerun:
            self.resimulate()
        return True

    def _needs_rerun(self, scenario: Scenario) -> bool:
        """View, teacher and lesson sections never change the simulation."""
        return self.result is None or scenario.simulated_part() != self.scenario.simulated_part()

    @property
    def pending(self) -> bool:
        """A re-simulation is on its way (debouncing, waiting for Numba, or in the worker)."""
        return self._debounce.isActive() or self._pending or self._running

    def set_scenario(self, scenario: Scenario, path: Path | None = None, loaded: bool = True) -> bool:
        """Show ``scenario`` (``loaded``: it is what Reset returns to). Returns whether it
        re-simulates: not when only its view, teacher or lesson sections differ."""
        rerun = self._needs_rerun(scenario)
        previous = (self.scenario, self.loaded, self.path, self.prepared)
        self.scenario = scenario
        if loaded:
            self.loaded = scenario
            self.path = path
        self.scenarioChanged.emit(scenario)
        if rerun:
            self.resimulate(immediate=True)
            # An opened file whose run fails (a trace that does not load) must not leave half of
            # it on screen: remember what to put back.
            self._fallback = (self._generation, *previous) if loaded and previous[3] is not None else None
        return rerun

    def saved_as(self, scenario: Scenario, path: Path) -> None:
        """The scenario was written to ``path``: it is now the loaded one (nothing re-runs)."""
        self.scenario = self.loaded = scenario
        self.path = path

    def reset(self) -> None:
        self.set_scenario(self.loaded, self.path)

    def resimulate(self, immediate: bool = False) -> None:
        self._generation += 1
        if immediate:
            self._debounce.stop()
            self._dispatch()
        else:
            self._debounce.start()

    @Slot()
    def _dispatch(self) -> None:
        if not self.ready or self._running:
            self._pending = True         # sent when Numba is ready / the worker answers
            return
        self._pending = False
        self._running = True
        self._control = RunControl()
        self._sent = self.scenario
        self.busyChanged.emit(True)
        self._request.emit(self._generation, self.scenario, self.path.parent if self.path else None, self._control)

    # --- progress and cancel ---------------------------------------------------------------
    @property
    def cancellable(self) -> bool:
        """A newer scenario is on its way and an older result is on screen to go back to."""
        wanted = self._debounce.isActive() or self._pending or (self._running and not self._control.cancelled)
        return wanted and self.prepared is not None

    def progress(self) -> float | None:
        """Share of the run in the worker done (0..1), None when no run is there."""
        running = self._running and self._control is not None and not self._control.cancelled
        return self._control.fraction() if running else None

    def progress_stage(self) -> str:
        return self._control.stage if self._control is not None else ""

    def cancel(self) -> bool:
        """Give up on the run in the worker and on waiting edits; the scenario whose result is on
        screen (and, after an Open, its file) comes back. False if there is nothing to cancel."""
        if not self.cancellable:
            return False
        if self._control is not None:
            self._control.cancel()
        self._debounce.stop()
        self._pending = False
        self._generation += 1             # whatever the worker answers is now stale
        fallback, self._fallback = self._fallback, None
        if fallback is not None:
            _, self.scenario, self.loaded, self.path, _ = fallback
        elif self.shown is not None:
            self.scenario = self.shown
        self.scenarioChanged.emit(self.scenario)
        if fallback is not None:
            self.reverted.emit(self.scenario)    # title and file state follow the scenario back
        self.busyChanged.emit(False)
        self.cancelled.emit(self.scenario)
        return True

    # --- worker answers (GUI thread) -----------------------------------------------------
    @Slot()
    def _on_warmed(self) -> None:
        self.ready = True
        self.readyChanged.emit(True)
        self.message.emit(tr("Ready"))
        self._dispatch()

    @Slot(int, object)
    def _on_finished(self, generation: int, prepared) -> None:
        self._running = False
        if self._pending:
            self._dispatch()             # the edits that waited for the worker
        if generation != self._generation:
            return                       # stale: a newer edit is on its way
        self.prepared = prepared
        self.result = prepared.result
        self.shown = self._sent
        self._fallback = None
        self.busyChanged.emit(False)
        self.resultReady.emit(prepared)

    @Slot(int, str)
    def _on_failed(self, generation: int, text: str) -> None:
        if generation != -1:
            self._running = False
            if self._pending:
                self._dispatch()
        if generation not in (-1, self._generation):
            return
        self.busyChanged.emit(False)
        fallback, self._fallback = self._fallback, None
        if fallback is not None and fallback[0] == generation:
            _, self.scenario, self.loaded, self.path, prepared = fallback
            self.scenarioChanged.emit(self.scenario)
            self.reverted.emit(self.scenario)
            self.prepared, self.result = prepared, prepared.result
            self.resultReady.emit(prepared)
            text = tr("The file could not be shown, so the previous scenario is back.") + "\n\n" + text
        self.failed.emit(text)
