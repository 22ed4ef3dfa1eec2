"""Dynamic pools in the kitchen: a station the planner moves is drawn draining, then switching, in
the pool it leaves, then appears in the other pool; the pass keeps a lane per prep station; the time
bar marks each move. Both painters."""

import numpy as np
from PySide6.QtGui import QImage, QPainter

from disagg_viz.playback.moments import marks_for
from disagg_viz.playback.snapshot import SnapshotBuilder
from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.sim.layout import MV_DECIDED, MV_DRAINED, MV_FROM, MV_INSTANCE, MV_READY, MV_TO
from disagg_viz.sim.result import MOVE_DRAINING, MOVE_NONE, MOVE_SWITCHING, ROLE_PREFILL
from disagg_viz.sim.runner import simulate_scenario
from disagg_viz.ui.kitchen.compact import CompactPainter
from disagg_viz.ui.kitchen.painter import KitchenPainter
from disagg_viz.ui.palette import DARK
from tests.sim.test_dynamic_pools import _swing


def _run():
    sc, wl = _swing()
    result = simulate_scenario(sc, workload=wl)
    res = result.systems[0]
    assert len(res.moves) >= 1
    return result, res, SnapshotBuilder(res, result.slo_ttft_s, result.slo_tpot_s)


def _paint(painter, snap):
    img = QImage(1280, 800, QImage.Format_RGB32)
    p = QPainter(img)
    painter.paint(p, snap, "dynamic")
    p.end()
    return painter.moving_marks


def test_a_moving_station_drains_switches_then_appears_in_the_other_pool(qapp):
    _, res, b = _run()
    mv = res.moves[0]
    k = int(mv[MV_INSTANCE])
    times = {MOVE_DRAINING: float(mv[MV_DECIDED]), MOVE_SWITCHING: float((mv[MV_DRAINED] + mv[MV_READY]) / 2)}
    for state, t in times.items():
        snap = b.at(t)
        st = snap.stations[k]
        assert st.role == int(mv[MV_FROM]) and st.moving == state
        name = Vocabulary("kitchen").station_name(st)
        assert ("draining" if state == MOVE_DRAINING else "switching") in name
        for painter in (KitchenPainter(DARK, Vocabulary("kitchen")), CompactPainter(DARK, Vocabulary("serving"))):
            assert _paint(painter, snap) == 1
    snap = b.at(float(mv[MV_READY]))
    assert snap.stations[k].role == int(mv[MV_TO]) and snap.stations[k].moving == MOVE_NONE
    for painter in (KitchenPainter(DARK, Vocabulary("kitchen")), CompactPainter(DARK, Vocabulary("serving"))):
        assert _paint(painter, snap) == 0


def test_the_pass_has_a_lane_per_prep_station_at_every_time(qapp):
    _, res, b = _run()
    for t in np.linspace(0.0, res.end_time, 60):
        snap = b.at(float(t))
        prep = [s for s in snap.stations if s.role == ROLE_PREFILL]
        assert len(snap.link_busy) == len(snap.link_util) == len(prep)
        assert all(0 <= tray.link < len(prep) for tray in snap.trays)
        for tray in snap.trays:       # a tray rides the lane of its own prep station
            assert prep[tray.link].index == int(res.req_i[tray.request, 0])


def test_the_time_bar_marks_each_move():
    result, res, _ = _run()
    marks = [m for m in marks_for(result) if m[1].startswith("planner:")]
    assert [t for t, _ in marks] == [float(x) for x in res.moves[:, MV_DECIDED]]
    assert "from decode to prefill" in marks[0][1] or "from prefill to decode" in marks[0][1]
