"""The simulation worker: lives in its own QThread; compiles Numba and simulates off the GUI thread."""

from __future__ import annotations

import traceback

from PySide6.QtCore import QObject, Signal, Slot


class SimulationWorker(QObject):
    """Receives (generation, scenario) and answers with (generation, PreparedRun) or an error text.
    The views' data (chart series, kitchen indexes, scoreboard) is prepared here too, so the GUI
    thread only draws."""

    finished = Signal(int, object)
    failed = Signal(int, str)
    warmed = Signal()

    @Slot()
    def warm_up(self) -> None:
        try:
            from disagg_viz.resources import default_scenario_path
            from disagg_viz.scenario import load_scenario
            from disagg_viz.scenario.overrides import apply_overrides
            from disagg_viz.sim.runner import simulate_scenario
            from disagg_viz.playback.prepared import prepare
            from disagg_viz.ui.interpreter import freeze_after_warm_up
            tiny = apply_overrides(load_scenario(default_scenario_path()), ["workload.requests=8"])
            prepare(simulate_scenario(tiny))
            freeze_after_warm_up()
        except Exception:  # pragma: no cover - reported, never raised into Qt
            self.failed.emit(-1, "the simulator could not start:\n" + traceback.format_exc(limit=3))
        self.warmed.emit()

    @Slot(int, object, object, object)
    def simulate(self, generation: int, scenario, base_dir, control) -> None:
        from disagg_viz.sim.run_control import SimulationCancelled
        try:
            from disagg_viz.playback.prepared import prepare
            from disagg_viz.scenario import ScenarioError
            from disagg_viz.sim.runner import simulate_scenario
            result = simulate_scenario(scenario, base_dir=base_dir, control=control)
            control.stage = "preparing"
            prepared = prepare(result)
        except SimulationCancelled:          # the controller has moved on; it ignores this answer
            self.failed.emit(generation, "cancelled")
            return
        except ScenarioError as exc:         # e.g. a trace that cannot be read: say which rows
            self.failed.emit(generation, exc.summary())
            return
        except Exception as exc:
            self.failed.emit(generation, f"simulation failed: {exc}")
            return
        self.finished.emit(generation, prepared)
