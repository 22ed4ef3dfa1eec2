"""The kitchen marks a waiting order whose prep this station already holds (a prefix-cache hit)."""

import numpy as np
from PySide6.QtGui import QImage, QPainter

from disagg_viz.playback.snapshot import SnapshotBuilder
from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.scenario.model import ColocatedSystem, Scenario, WorkloadSection
from disagg_viz.sim.runner import simulate_scenario
from disagg_viz.ui.kitchen.painter import MAX_TICKETS, KitchenPainter
from disagg_viz.ui.palette import DARK


def marks_when_busiest(cache: bool) -> tuple[int, int]:
    sc = Scenario(title="t", systems=[ColocatedSystem(name="c", instances=1, prefix_cache=cache)],
                  workload=WorkloadSection(requests=120, arrival_rate=12.0, prompt_tokens=500, output_tokens=32,
                                           shared_prefix_tokens=4096, shared_prefixes=2, seed=3))
    res = simulate_scenario(sc)
    b = SnapshotBuilder(res.systems[0], res.slo_ttft_s, res.slo_tpot_s)
    # The moment with the most waiting orders.
    times = np.linspace(0, res.systems[0].end_time, 200)
    t = max(times, key=lambda x: len(b.at(x).stations[0].queue))
    snap = b.at(t)
    painter = KitchenPainter(DARK, Vocabulary("kitchen"))
    img = QImage(1200, 700, QImage.Format_RGB32)
    p = QPainter(img)
    painter.paint(p, snap, "test")
    p.end()
    hits = int(np.sum(snap.stations[0].queue_cached[:MAX_TICKETS] > 0))     # the tickets on the rail
    return painter.prep_done_marks, hits


def test_waiting_orders_with_prep_done_are_marked_and_others_not(qapp):
    marks, hits = marks_when_busiest(True)
    assert marks == hits > 0
    assert marks_when_busiest(False) == (0, 0)


def test_the_scoreboard_shows_prefix_hits_only_when_a_system_caches(qapp):
    from disagg_viz.ui.scoreboard import ROWS, Scoreboard
    board = Scoreboard()
    row = ROWS.index("prefix_hit_rate")
    base = {"name": "a", "gpus": 2, "throughput_tokens_per_s": 1.0, "slo_attainment": 1.0, "completed": 1}
    board.set_summaries([base, {**base, "name": "b"}])
    assert board.isRowHidden(row)
    board.set_summaries([base, {**base, "name": "b", "prefix_hit_rate": 0.25}])
    assert not board.isRowHidden(row) and "25" in board.item(row, 1).text() and board.item(row, 0).text().strip() == "-"
