"""The compact (presentation) kitchen draws every shipped system at any size without raising, and
a drawing error never takes the window down."""

import sys

import pytest
from PySide6.QtGui import QImage, QPainter

from disagg_viz.playback.snapshot import SnapshotBuilder
from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.sim.runner import simulate_scenario
from disagg_viz.ui.kitchen.compact import MIN_PX, CompactPainter
from disagg_viz.ui.palette import DARK, PROJECTOR


@pytest.mark.parametrize("path", sorted(scenarios_dir().glob("*.toml")), ids=lambda p: p.stem)
def test_every_shipped_system_draws_compactly_at_any_size(qapp, path):
    res = simulate_scenario(load_scenario(path))
    for k, system in enumerate(res.systems):
        b = SnapshotBuilder(system, res.slo_ttft_s, res.slo_tpot_s)
        for (w, h), t, veiled in (((380, 90), 0.0, False), ((640, 200), system.end_time / 3, True),
                                  ((1400, 600), system.end_time / 2, False)):
            cp = CompactPainter(PROJECTOR if k % 2 else DARK, Vocabulary("serving" if k % 2 else "kitchen"))
            cp.w, cp.h, cp.veiled = float(w), float(h), veiled
            cp.metrics = [("SLO", "90.0%", True)]
            img = QImage(w, h, QImage.Format_RGB32)
            p = QPainter(img)
            try:
                cp.paint(p, b.at(t), system.name, caption="caption", highlight=frozenset({"pass", "stall"}))
            finally:
                p.end()
            assert min(cp.sizes_used) >= MIN_PX


def test_a_drawing_error_is_reported_once_and_the_kitchen_says_so(qtbot, monkeypatch):
    from tests.ui.window_helpers import close_window, open_window
    win = open_window(qtbot, edits=["workload.requests=30"])
    item = win.kitchens[0].item
    seen = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc: seen.append(exc[0]))
    monkeypatch.setattr(item.kp, "paint", lambda *a, **k: 1 / 0)
    win.kitchens[0].grab()
    win.kitchens[0].grab()
    assert seen == [ZeroDivisionError] and item.failed
    close_window(win)


def _words(system, res, t, veiled, size=(1400, 600)):
    """Every text the compact kitchen draws for ``system`` at time t."""
    from disagg_viz.playback.moments import moment
    b = SnapshotBuilder(system, res.slo_ttft_s, res.slo_tpot_s)
    cp = CompactPainter(DARK, Vocabulary("kitchen"))
    cp.w, cp.h, cp.veiled = float(size[0]), float(size[1]), veiled
    cp.metrics = [("stall", "25 ms", True)]
    drawn = []
    original = cp._text
    cp._text = lambda p, rect, text, *a, **k: (drawn.append(text), original(p, rect, text, *a, **k))[1]
    img = QImage(*size, QImage.Format_RGB32)
    p = QPainter(img)
    try:
        cp.paint(p, b.at(t), system.name, caption="")
    finally:
        p.end()
    return " | ".join(drawn), cp


@pytest.mark.parametrize("lesson, system, kind, answer_words", [
    ("02-the-fix", 0, "longest_stall", ("paused",)),
    ("03-the-gating-cost", 2, "tray_queue_peak", ("waiting", "busy")),
])
def test_veiled_kitchens_draw_no_counter_that_carries_the_answer(qapp, lesson, system, kind, answer_words):
    """Before the guess a paused station, a tray queue, the link's load and a starred metric would
    answer the question: the veil hides them; after the guess they are back."""
    from disagg_viz.playback.moments import moment
    res = simulate_scenario(load_scenario(scenarios_dir() / f"{lesson}.toml"))
    s = res.systems[system]
    t = moment(kind, s, res.slo_ttft_s, res.slo_tpot_s)
    shown, cp = _words(s, res, t, veiled=False)
    assert any(w in shown for w in answer_words) and "★" in shown
    veiled, cp = _words(s, res, t, veiled=True)
    assert not any(w in veiled for w in answer_words) and "★" not in veiled and "25 ms" not in veiled
    assert not any(stalled for _, stalled in cp.station_boxes)
    assert "served so far" in shown           # the count says it is a running count, not the run's total
    assert "served" not in veiled and "verdicts hidden" in veiled   # counts run up to the moment differ: an answer


def test_stations_sharing_an_nvlink_domain_get_one_framed_and_labelled_group(qapp):
    """Lesson 7's tensor-parallel system: four stations on four nodes, each framed and tagged;
    the detailed kitchen tags them too; a system on one node draws no frame."""
    from disagg_viz.ui.kitchen.painter import KitchenPainter
    for path, expect in ((scenarios_dir() / "07-at-scale.toml", ["node 1", "node 2", "node 3", "node 4"]),
                         (scenarios_dir() / "05-your-cluster.toml", [])):
        res = simulate_scenario(load_scenario(path))
        system = res.systems[0]
        snap = SnapshotBuilder(system, res.slo_ttft_s, res.slo_tpot_s).at(system.end_time / 3)
        for painter, size in ((CompactPainter(DARK, Vocabulary("kitchen")), (1280, 400)),
                              (KitchenPainter(DARK, Vocabulary("kitchen")), (1000, 600))):
            drawn = []
            original = painter._text
            painter._text = lambda p, rect, text, *a, _o=original, **k: (drawn.append(text), _o(p, rect, text, *a, **k))[1]
            if isinstance(painter, CompactPainter):
                painter.w, painter.h = float(size[0]), float(size[1])
            img = QImage(*size, QImage.Format_RGB32)
            p = QPainter(img)
            try:
                painter.paint(p, snap, system.name)
            finally:
                p.end()
            assert [t for t in drawn if t.startswith("node")] == expect
            frames = [tip for _, tip in painter.regions if "NVLink domain" in tip]
            assert len(frames) == len(expect)


def test_a_lost_station_is_greyed_struck_and_labelled_in_both_kitchens(qapp):
    """Lesson 5's NVLink split loses decode 1 at 30 s: from then both kitchens draw it as lost (its
    name and the loss time, no seats), before then as a working station; the time bar marks it."""
    from disagg_viz.playback.moments import marks_for
    from disagg_viz.scenario.codec import scenario_from_dict, scenario_to_dict
    from disagg_viz.ui.kitchen.painter import KitchenPainter
    d = scenario_to_dict(load_scenario(scenarios_dir() / "05-your-cluster.toml"))
    d["workload"]["requests"] = 200
    d["faults"] = [{"at_s": 30.0, "kind": "instance-lost", "system": "2P2D, NVLink fixed", "pool": "decode",
                    "instance": 1}]
    res = simulate_scenario(scenario_from_dict(d))
    system = res.systems[2]
    builder = SnapshotBuilder(system, res.slo_ttft_s, res.slo_tpot_s)
    assert builder.at(29.0).stations[2].lost_since is None and builder.at(31.0).stations[2].lost_since == 30.0
    for painter, size in ((CompactPainter(DARK, Vocabulary("kitchen")), (1280, 400)),
                          (KitchenPainter(DARK, Vocabulary("kitchen")), (1000, 600))):
        for t, lost in ((29.0, False), (31.0, True)):
            drawn = []
            original = painter._text
            painter._text = lambda p, rect, text, *a, _o=original, **k: (drawn.append(text), _o(p, rect, text, *a, **k))[1]
            painter._fitted_text = lambda p, rect, text, *a, **k: drawn.append(text)
            if isinstance(painter, CompactPainter):
                painter.w, painter.h = float(size[0]), float(size[1])
            img = QImage(*size, QImage.Format_RGB32)
            p = QPainter(img)
            try:
                painter.paint(p, builder.at(t), system.name)
            finally:
                p.end()
            painter._text = original
            assert any("LOST" in text for text in drawn) == lost
            assert any("is lost" in tip for _, tip in painter.regions) == lost
    labels = [label for _, label in marks_for(res)]
    assert "fault: decode 1 lost, 2P2D, NVLink fixed" in labels


def _narrow_texts(system, res, t, size):
    cp = CompactPainter(DARK, Vocabulary("kitchen"))
    cp.w, cp.h = float(size[0]), float(size[1])
    drawn = []
    real = cp._text
    cp._text = lambda p, rect, text, *a, **k: (drawn.append(text), real(p, rect, text, *a, **k))[1]
    img = QImage(*size, QImage.Format_RGB32)
    p = QPainter(img)
    try:
        cp.paint(p, SnapshotBuilder(system, res.slo_ttft_s, res.slo_tpot_s).at(t), system.name,
                 highlight=frozenset({"prep", "plating"}))
    finally:
        p.end()
    return cp, drawn


def test_a_narrow_kitchen_lists_its_stations_when_they_fit_and_sums_its_pools_when_not(qapp):
    """Three kitchens in a 1280x800 window put two side by side, ~445 px wide: below the columns'
    width a kitchen writes lines. With room, one per station (a lost one or a broken port says so), the pass
    between the pools, a highlight framing all of a pool's lines; without, one line per pool."""
    from disagg_viz.scenario.codec import scenario_from_dict, scenario_to_dict
    d = scenario_to_dict(load_scenario(scenarios_dir() / "05-your-cluster.toml"))
    d["workload"]["requests"] = 200
    d["faults"] = [{"at_s": 30.0, "kind": "instance-lost", "system": "2P2D, NVLink fixed", "pool": "decode",
                    "instance": 1},
                   {"at_s": 20.0, "system": "2P2D, NVLink fixed", "link": "pcie4"}]
    res = simulate_scenario(scenario_from_dict(d))
    split = res.systems[2]
    cp, drawn = _narrow_texts(split, res, 31.0, (445, 230))
    prep = {text.split(":")[0]: text for text in drawn if text.startswith("Prep ")}
    assert prep["Prep 1"].endswith("⚠") and "⚠" not in prep["Prep 2"], prep     # the broken KV port says so
    wide = _narrow_texts(split, res, 31.0, (515, 230))[1]
    assert any(text.startswith("Prep 1:") and "⚠ port broken: 11% of the link" in text for text in wide), wide
    stations = [text.split(":")[0] for text in drawn if text.startswith(("Prep", "Plating", "The pass"))]
    assert stations == ["Prep 1", "Prep 2", "The pass", "Plating 1", "Plating 2"], drawn
    assert any(text.startswith("Plating 1: ✕ LOST since 30") for text in drawn), drawn
    assert cp._columns["plating"].height() > 1.5 * cp.line_h()        # both plating lines framed
    _, short = _narrow_texts(split, res, 31.0, (445, 150))              # too low for five station lines
    assert any(text.startswith("Prep ×2:") for text in short) and any("✕ 1 lost" in text for text in short), short
