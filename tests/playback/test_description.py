"""The kitchen as text for screen readers and its tooltip (issue 23, point 6): per pool the
stations busy, orders waiting, seats and paused stations; the trays on the pass; served and
missed (not while a lesson veils the verdicts); in the chosen vocabulary and language."""

import numpy as np
import pytest

from disagg_viz import i18n
from disagg_viz.playback.description import describe
from disagg_viz.playback.snapshot import SnapshotBuilder
from disagg_viz.playback.vocabulary import Vocabulary
from disagg_viz.resources import scenarios_dir
from disagg_viz.scenario import load_scenario
from disagg_viz.scenario.overrides import apply_overrides
from disagg_viz.sim.runner import simulate_scenario


@pytest.fixture(scope="module")
def default_run():
    sc = apply_overrides(load_scenario(scenarios_dir() / "default.toml"), ["workload.requests=120"])
    res = simulate_scenario(sc)
    return [SnapshotBuilder(s, res.slo_ttft_s, res.slo_tpot_s) for s in res.systems], res


def _busy_disaggregated(default_run):
    builders, res = default_run
    k = next(i for i, s in enumerate(res.systems) if s.has_link)
    b = builders[k]
    t = max(np.linspace(0, res.end_time, 200), key=lambda t: len(b.at(t).trays) * 100 + b.at(t).served_total)
    return b.at(t), res.systems[k].name


def test_a_disaggregated_kitchen_says_queues_busy_stations_and_trays(default_run):
    snap, name = _busy_disaggregated(default_run)
    text = describe(snap, Vocabulary("kitchen"), name)
    prep = [s for s in snap.stations if s.role != 2]
    assert text.startswith(f"{name} at {snap.t:.1f} s.")
    busy = sum(1 for s in snap.stations if s.role == 1 and (s.prefill_tokens or s.seats))
    assert f"Prep: {busy} of " in text and "waiting for prep" in text
    moving = sum(1 for t in snap.trays if t.progress >= 0)
    waiting = sum(1 for t in snap.trays if t.progress < 0)
    assert f"The pass: {moving} moving, {waiting} waiting." in text
    assert f"{snap.served_total:,} served, {snap.missed_total:,} missed the SLO." in text
    assert prep and "Plating: " in text and "seat" in text
    serving = describe(snap, Vocabulary("serving"), name)
    assert "KV link: " in serving and "waiting for prefill" in serving and "sequence" in serving


def test_veiled_verdicts_are_not_told_and_no_result_is_said(default_run):
    snap, name = _busy_disaggregated(default_run)
    assert "missed" not in describe(snap, Vocabulary("kitchen"), name, veiled=True)
    assert describe(None, Vocabulary("kitchen"), "Colocated") == "Colocated: no result yet."


def test_a_stall_is_described(default_run):
    sc = apply_overrides(load_scenario(scenarios_dir() / "01-the-conflict.toml"), ["workload.requests=80"])
    res = simulate_scenario(sc)
    b = SnapshotBuilder(res.systems[0], res.slo_ttft_s, res.slo_tpot_s)
    t = next(t for t in np.linspace(0, res.end_time, 600) if any(s.stalled for s in b.at(t).stations))
    assert "1 station paused by a prefill" in describe(b.at(t), Vocabulary("kitchen"), "x")


def test_in_spanish(default_run):
    snap, name = _busy_disaggregated(default_run)
    i18n.set_language("es", group=".", decimal=",")
    try:
        text = describe(snap, Vocabulary("kitchen"), name)
    finally:
        i18n.set_language("en")
    assert f"a los {snap.t:.1f} s.".replace(".", ",", 1) in text
    assert "Prep.: " in text and "El pase: " in text and "servidos" in text


def test_lost_stations_and_broken_ports_are_described():
    """Lesson 5's NVLink split: prefill 1's KV port breaks at 20 s, decode 1 is lost at 30 s; the
    screen reader hears each from its moment on, not before."""
    sc = apply_overrides(load_scenario(scenarios_dir() / "05-your-cluster.toml"), {
        "workload.requests": 200,
        "faults.0.at_s": 20.0, "faults.0.system": "2P2D, NVLink fixed", "faults.0.link": "pcie4",
        "faults.1.at_s": 30.0, "faults.1.kind": "instance-lost", "faults.1.system": "2P2D, NVLink fixed",
        "faults.1.pool": "decode", "faults.1.instance": 1})
    res = simulate_scenario(sc)
    b = SnapshotBuilder(res.systems[2], res.slo_ttft_s, res.slo_tpot_s)
    text = {t: describe(b.at(t), Vocabulary("kitchen"), "split") for t in (10.0, 25.0, 35.0)}
    assert "KV port broken" not in text[10.0] and "lost" not in text[10.0]
    assert "Prep: " in text[25.0] and "1 KV port broken" in text[25.0] and "lost" not in text[25.0]
    assert "Plating: 1 station lost" in text[35.0]
