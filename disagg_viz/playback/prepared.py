"""Everything the views need from one simulation, computed off the GUI thread (Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass

from disagg_viz.playback.series import SystemSeries, system_series
from disagg_viz.playback.snapshot import SnapshotBuilder
from disagg_viz.sim.metrics import summarize
from disagg_viz.sim.result import ScenarioResult


@dataclass
class PreparedRun:
    result: ScenarioResult
    series: list[SystemSeries]      # chart data, one per system
    builders: list[SnapshotBuilder]  # kitchen at time t, one per system
    summaries: list[dict]           # scoreboard rows, one per system


def prepare(result: ScenarioResult) -> PreparedRun:
    end = result.end_time
    systems = result.systems
    return PreparedRun(
        result=result,
        series=[system_series(s, end) for s in systems],
        builders=[SnapshotBuilder(s, result.slo_ttft_s, result.slo_tpot_s) for s in systems],
        summaries=[summarize(s, result.slo_ttft_s, result.slo_tpot_s) for s in systems],
    )
